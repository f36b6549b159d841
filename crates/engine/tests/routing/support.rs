//! Shared setup: one engine (temp folder, manual clock, fast retries) and three simulated
//! panels `a`, `b`, `c` offering the same service at different prices and limits.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use rust_decimal::Decimal;
use smm_engine::clock::ManualClock;
use smm_engine::paths::AppPaths;
use smm_engine::routing::{MemberRef, NewRouteGroup, RouteRule};
use smm_engine::{Engine, EngineOptions, KeyStoreChoice, NewOrder, NewProvider};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{Action, RetryPolicy, Service, ServiceType};

/// The shared offer's service id on every panel.
pub const SVC: &str = "7001";
/// A Custom Comments service on panel `c`.
pub const COMMENTS: &str = "7002";

pub struct Desk {
    pub _dir: tempfile::TempDir,
    pub engine: Engine,
    pub a: SimHandle,
    pub b: SimHandle,
    pub c: SimHandle,
}

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn service(id: &str, t: ServiceType, rate: &str, min: u64, max: u64) -> Service {
    Service {
        id: id.into(),
        name: "Instagram Followers Real HQ".into(),
        service_type: t,
        category: "Instagram Followers".into(),
        rate: d(rate),
        min,
        max,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    }
}

async fn sim(rate: &str, min: u64, max: u64) -> SimHandle {
    let sim = Simulator::start(SimConfig {
        services: 50,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.upsert_service(service(SVC, ServiceType::Default, rate, min, max));
    sim
}

/// a: rate 1.0, 10..=10000; b: rate 0.8, 10..=5000 (the cheapest); c: rate 1.2, 100..=20000
/// (with a Custom Comments service too).
pub async fn desk() -> Desk {
    let (a, b, c) = (
        sim("1.0", 10, 10_000).await,
        sim("0.8", 10, 5_000).await,
        sim("1.2", 100, 20_000).await,
    );
    c.upsert_service(service(COMMENTS, ServiceType::CustomComments, "2", 1, 1000));
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new("2026-12-01T12:00:00Z".parse::<Timestamp>().unwrap());
    let engine = Engine::open_with(
        &AppPaths::under(dir.path().to_path_buf()),
        EngineOptions {
            clock: Arc::new(clock),
            key_store: KeyStoreChoice::File,
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(50),
                max_retry_after: Duration::from_secs(1),
                jitter_seed: Some(7),
            },
        },
    )
    .unwrap();
    for (name, sim) in [("a", &a), ("b", &b), ("c", &c)] {
        let mut p = NewProvider::new(name, sim.url(), sim.key());
        p.requests_per_minute = Some(10_000);
        engine.add_provider(p).unwrap();
        engine.sync_catalog(name).await.unwrap();
        sim.reset_counters();
    }
    Desk {
        _dir: dir,
        engine,
        a,
        b,
        c,
    }
}

/// Saves group `name` of service [`SVC`] at the given providers, in that order.
pub fn group(engine: &Engine, name: &str, rule: RouteRule, providers: &[&str]) {
    engine
        .add_offer_group(NewRouteGroup {
            name: name.into(),
            rule,
            members: providers.iter().map(|p| MemberRef::new(*p, SVC)).collect(),
        })
        .unwrap();
}

/// A routed order (no provider, no service) with an idempotency key.
pub fn routed(link: &str, quantity: u64, key: &str) -> NewOrder {
    let mut o = NewOrder::new("", "", link, quantity);
    o.idempotency_key = Some(key.into());
    o
}

/// `add` requests each panel received: (a, b, c).
pub fn adds(desk: &Desk) -> (u64, u64, u64) {
    (
        desk.a.counters().get(Action::Add),
        desk.b.counters().get(Action::Add),
        desk.c.counters().get(Action::Add),
    )
}

/// Row counts of the tables routing may write.
pub fn counts(engine: &Engine) -> Vec<(String, i64)> {
    engine
        .store()
        .read(|c| {
            let mut out = Vec::new();
            for t in [
                "orders",
                "order_events",
                "routes",
                "route_groups",
                "route_members",
                "customers",
                "api_calls",
            ] {
                let n: i64 = c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
                out.push((t.to_string(), n));
            }
            Ok(out)
        })
        .unwrap()
}

pub fn event_kinds(engine: &Engine, id: i64) -> Vec<String> {
    engine
        .order_events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}
