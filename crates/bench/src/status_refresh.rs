//! Scenario 2, status refresh: every open order over 3 providers, 20 ms a reply. Requests
//! against ⌈open ÷ 100⌉ per provider, and wall time against the bound that latency,
//! concurrency and the per-provider rate limit set together.

use std::sync::Arc;
use std::time::{Duration, Instant};

use smm_engine::orders::RefreshScope;
use smm_engine::Engine;
use smm_panel::sim::{Fault, SimHandle};
use smm_panel::{Action, MAX_IDS_PER_CALL};

use crate::desk::{self, Panels, Seed, ORDER_SERVICE};
use crate::report::{Figure, Goal};

const SCENARIO: &str = "2 status refresh";
/// The simulated reply latency.
pub const LATENCY: Duration = Duration::from_millis(20);
/// The provider names, in id order.
pub const PROVIDERS: [&str; 3] = ["alpha", "beta", "gamma"];
/// The per-provider defaults (provider_call/limits.rs, providers: 4 at once, 60 a minute).
pub const DEFAULT_LIMITS: (u32, u32) = (4, 60);
/// The limits the bench raises each provider to for the big runs (the most requests a minute
/// Settings allows; concurrency stays at the default).
pub const RAISED_LIMITS: (u32, u32) = (4, 10_000);

/// The least time `calls` calls of `latency` each can take at `concurrency` at once and
/// `per_minute` in any 60 seconds: the later of the concurrency bound and the start of the
/// last call the rate limit allows, plus its reply.
pub fn bound_ms(calls: u64, latency: Duration, concurrency: u32, per_minute: u32) -> f64 {
    if calls == 0 {
        return 0.0;
    }
    let l = latency.as_secs_f64() * 1000.0;
    let by_concurrency = calls.div_ceil(u64::from(concurrency.max(1))) as f64 * l;
    let by_rate = ((calls - 1) / u64::from(per_minute.max(1))) as f64 * 60_000.0 + l;
    by_concurrency.max(by_rate)
}

/// Places `count` orders on `sim` over HTTP (16 at once), so its ids count up from the first.
pub async fn fill(sim: &SimHandle, count: u64) {
    let http = reqwest::Client::new();
    let url = sim.url();
    let key = sim.key().expose().to_owned();
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (http, url, key, next) = (http.clone(), url.clone(), key.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let body = format!(
                    "key={key}&action=add&service={ORDER_SERVICE}&link=https%3A%2F%2Finstagram.com%2Fp%2Fpost{i}&quantity=1000"
                );
                let reply = http
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
                    .expect("the simulator answers");
                assert!(reply.status().is_success(), "add: {}", reply.status());
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("an order-placing task ran");
    }
}

/// Three panels with 20 ms status replies holding the open orders of `seed`, and their
/// providers added to `engine` at `limits`.
pub async fn panels_for(
    panels: &Panels,
    engine: &Engine,
    seed: Seed,
    limits: (u32, u32),
) -> Vec<SimHandle> {
    let mut sims = Vec::new();
    for (name, open) in PROVIDERS.iter().zip(desk::open_per_provider(seed)) {
        let sim = panels.start(7, 50, Duration::ZERO).await;
        fill(&sim, open).await;
        sim.set_fault(Action::Status, Fault::Latency(LATENCY));
        desk::add_provider(engine, name, &sim, Some(limits.0), Some(limits.1));
        sims.push(sim);
    }
    sims
}

/// Open orders with a provider order id, per provider (ids 1, 2, 3): what a refresh asks for.
fn open_orders(engine: &Engine) -> Vec<u64> {
    engine
        .store()
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT count(*) FROM orders WHERE provider_id = ?1 AND external_id IS NOT NULL \
                 AND status IN ('pending', 'processing', 'in_progress', 'active')",
            )?;
            (1..=PROVIDERS.len() as i64)
                .map(|p| Ok(stmt.query_row([p], |r| r.get::<_, i64>(0))? as u64))
                .collect()
        })
        .expect("the open orders count")
}

/// Refreshes every open order of `engine` (the Orders screen's "refresh all") and returns
/// the two figures and the peers' count, `label` naming the size.
pub async fn measure(
    engine: &Engine,
    sims: &[SimHandle],
    limits: (u32, u32),
    label: &str,
) -> Vec<Figure> {
    for sim in sims {
        sim.reset_counters();
    }
    let open = open_orders(engine);
    let start = Instant::now();
    let report = engine
        .refresh_orders(RefreshScope::AllOpen)
        .await
        .expect("the refresh runs");
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    assert!(
        report.errors.is_empty(),
        "refresh failed: {:?}",
        report.errors
    );
    let requests: u64 = sims.iter().map(|s| s.counters().get(Action::Status)).sum();
    let per_call = MAX_IDS_PER_CALL as u64;
    let least: u64 = open.iter().map(|n| n.div_ceil(per_call)).sum();
    let total_open: u64 = open.iter().sum();
    let bound = |(c, rpm): (u32, u32)| {
        open.iter()
            .map(|n| bound_ms(n.div_ceil(per_call), LATENCY, c, rpm))
            .fold(0.0, f64::max)
    };
    let sequential: f64 = least as f64 * LATENCY.as_secs_f64() * 1000.0;
    vec![
        Figure::new(
            SCENARIO,
            format!("requests, {label}"),
            requests as f64,
            "requests",
        )
        .goal(Goal::Exactly(1.0))
        .against(least as f64, "ceil(open / 100) per provider")
        .raw("open_orders", total_open)
        .raw("checked", report.checked)
        .raw("engine_calls", report.calls)
        .raw("peers_one_per_order", total_open)
        .raw("peers_ratio", total_open as f64 / least.max(1) as f64),
        Figure::new(SCENARIO, format!("wall, {label}"), wall, "ms")
            .goal(Goal::AtMost(1.2))
            .against(bound(limits), "latency x concurrency x rate limit")
            .raw("latency_ms", LATENCY.as_secs_f64() * 1000.0)
            .raw("max_concurrency", limits.0)
            .raw("requests_per_minute", limits.1)
            .raw("bound_at_default_limits_ms", bound(DEFAULT_LIMITS))
            .raw("one_call_at_a_time_ms", sequential)
            .raw("checked", report.checked)
            .raw("changed", report.changed),
    ]
}

/// Runs the scenario over `orders` open orders in a fresh database under `work`.
pub async fn run(panels: &Panels, work: &std::path::Path, orders: u64) -> Vec<Figure> {
    let engine = desk::open(&work.join("status"));
    let seed = Seed {
        orders,
        all_open: true,
    };
    let sims = panels_for(panels, &engine, seed, RAISED_LIMITS).await;
    desk::seed_orders(&engine, seed);
    let mut figures = measure(
        &engine,
        &sims,
        RAISED_LIMITS,
        &format!("{orders} open orders"),
    )
    .await;
    let peers = figures[0].raw["peers_one_per_order"]
        .as_f64()
        .unwrap_or(0.0);
    figures.push(
        Figure::new(SCENARIO, "peers: one request per order", peers, "requests")
            .against(figures[0].value, "SMM Desk's requests")
            .raw("open_orders", orders),
    );
    figures
}
