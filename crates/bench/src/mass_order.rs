//! Scenario 3, mass order: lines placed through `Engine::place_mass_order` against a panel
//! answering in 20 ms, wall time against the latency × concurrency × rate-limit bound, and
//! the engine's CPU per order.

use std::path::Path;
use std::time::Instant;

use smm_engine::orders::MassOrder;
use smm_panel::Action;

use crate::desk::{self, Panels, ORDER_SERVICE, SIM_THREADS};
use crate::measure::cpu_seconds_except;
use crate::report::{Figure, Goal};
use crate::status_refresh::{bound_ms, DEFAULT_LIMITS, LATENCY, RAISED_LIMITS};

const SCENARIO: &str = "3 mass order";

/// Places a mass order of `lines` lines in a fresh database under `work`.
pub async fn run(panels: &Panels, work: &Path, lines: u64) -> Vec<Figure> {
    let sim = panels.start(11, 50, LATENCY).await;
    let engine = desk::open(&work.join("mass"));
    let (concurrency, per_minute) = RAISED_LIMITS;
    desk::add_provider(&engine, "alpha", &sim, Some(concurrency), Some(per_minute));
    engine
        .sync_catalog("alpha")
        .await
        .expect("the catalog syncs");
    let text: String = (0..lines)
        .map(|i| format!("{ORDER_SERVICE}|https://instagram.com/p/mass{i}|100\n"))
        .collect();
    sim.reset_counters();
    let cpu_before = cpu_seconds_except(SIM_THREADS);
    let start = Instant::now();
    let report = engine
        .place_mass_order(
            MassOrder {
                provider: "alpha".into(),
                text,
                force: true,
                ..MassOrder::default()
            },
            &|_| {},
        )
        .await
        .expect("the mass order runs");
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    let cpu = cpu_seconds_except(SIM_THREADS) - cpu_before;
    let adds = sim.counters().get(Action::Add);
    let bound = bound_ms(lines, LATENCY, concurrency, per_minute);
    let at_defaults = bound_ms(lines, LATENCY, DEFAULT_LIMITS.0, DEFAULT_LIMITS.1);
    vec![
        Figure::new(SCENARIO, format!("wall, {lines} lines"), wall, "ms")
            .goal(Goal::AtMost(1.2))
            .against(bound, "latency x concurrency x rate limit")
            .raw("accepted", report.accepted as u64)
            .raw("failed", report.failed as u64)
            .raw("add_requests", adds)
            .raw("max_concurrency", concurrency)
            .raw("requests_per_minute", per_minute)
            .raw("bound_at_default_limits_ms", at_defaults),
        Figure::new(
            SCENARIO,
            format!("engine CPU per order, {lines} lines"),
            cpu * 1e6 / lines.max(1) as f64,
            "us",
        )
        .raw("engine_cpu_s", cpu)
        .raw("wall_ms", wall),
        Figure::new(
            SCENARIO,
            format!("{lines} lines at the default limits (computed)"),
            at_defaults / 60_000.0,
            "min",
        )
        .raw("max_concurrency", DEFAULT_LIMITS.0)
        .raw("requests_per_minute", DEFAULT_LIMITS.1),
    ]
}
