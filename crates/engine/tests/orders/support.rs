//! Shared setup: an engine in a temp folder (file key store, manual clock, fast retries) and a
//! simulated panel with a few services of known shape, synced into the catalog.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use rust_decimal::Decimal;
use smm_engine::clock::ManualClock;
use smm_engine::paths::AppPaths;
use smm_engine::{Engine, EngineOptions, KeyStoreChoice, NewProvider};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{RetryPolicy, Service, ServiceType};

/// Default, refill + cancel + drip-feed, rate 0.9, 10..=100000.
pub const DEFAULT_SVC: &str = "9001";
/// Custom Comments, rate 2.5, 1..=1000.
pub const COMMENTS_SVC: &str = "9002";
/// Default without refill, cancel or drip-feed, rate 1.2, 100..=5000.
pub const PLAIN_SVC: &str = "9003";
/// Poll, rate 0.5, 10..=1000.
pub const POLL_SVC: &str = "9004";
/// Subscriptions, rate 3, 10..=1000.
pub const SUBS_SVC: &str = "9005";

pub struct Desk {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    pub clock: ManualClock,
    pub sim: SimHandle,
}

pub fn start() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(60),
        max_delay: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(1),
        jitter_seed: Some(7),
    }
}

pub fn open_in(root: &Path, clock: &ManualClock) -> Engine {
    Engine::open_with(
        &AppPaths::under(root.to_path_buf()),
        EngineOptions {
            clock: Arc::new(clock.clone()),
            key_store: KeyStoreChoice::File,
            retry: retry(),
        },
    )
    .unwrap()
}

fn service(id: &str, t: ServiceType, rate: &str, min: u64, max: u64, flags: bool) -> Service {
    Service {
        id: id.into(),
        name: format!("Test service {id}"),
        service_type: t,
        category: "Instagram Followers".into(),
        rate: d(rate),
        min,
        max,
        refill: flags,
        cancel: flags,
        dripfeed: flags,
        description: None,
    }
}

pub async fn sim_with(config: SimConfig) -> SimHandle {
    let sim = Simulator::start(config).await.unwrap();
    sim.upsert_service(service(
        DEFAULT_SVC,
        ServiceType::Default,
        "0.9",
        10,
        100_000,
        true,
    ));
    sim.upsert_service(service(
        COMMENTS_SVC,
        ServiceType::CustomComments,
        "2.5",
        1,
        1000,
        false,
    ));
    sim.upsert_service(service(
        PLAIN_SVC,
        ServiceType::Default,
        "1.2",
        100,
        5000,
        false,
    ));
    sim.upsert_service(service(POLL_SVC, ServiceType::Poll, "0.5", 10, 1000, false));
    sim.upsert_service(service(
        SUBS_SVC,
        ServiceType::Subscriptions,
        "3",
        10,
        1000,
        false,
    ));
    sim
}

/// An engine with provider `sim` pointing at a fresh simulator, catalog synced.
pub async fn desk() -> Desk {
    let sim = sim_with(SimConfig {
        services: 50,
        ..SimConfig::default()
    })
    .await;
    desk_with(sim, "sim").await
}

pub async fn desk_with(sim: SimHandle, name: &str) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let engine = open_in(dir.path(), &clock);
    add_provider(&engine, &sim, name, false).await;
    Desk {
        dir,
        engine,
        clock,
        sim,
    }
}

pub async fn add_provider(engine: &Engine, sim: &SimHandle, name: &str, demo: bool) {
    let mut p = NewProvider::new(name, sim.url(), sim.key());
    p.is_demo = demo;
    // The per-provider rate limit (default 60/min) is tested in tests/scheduler; here it
    // would only slow the 250-order runs down.
    p.requests_per_minute = Some(10_000);
    engine.add_provider(p).unwrap();
    engine.sync_catalog(name).await.unwrap();
}

/// Row counts of the tables an order operation may write.
pub fn counts(engine: &Engine) -> Vec<(String, i64)> {
    engine
        .store()
        .read(|c| {
            let mut out = Vec::new();
            for t in [
                "orders",
                "order_events",
                "refills",
                "cancel_requests",
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

/// One integer from a query (a count, an id).
pub fn count(engine: &Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}
