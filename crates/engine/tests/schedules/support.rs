//! Shared setup: an engine whose clock follows tokio's (paused) clock, a simulator with one
//! service, and a scheduler whose provider jobs do nothing (only schedules run).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use smm_engine::paths::AppPaths;
use smm_engine::scheduler::{JobResult, JobRunner, TokioClock};
use smm_engine::{
    Engine, EngineOptions, KeyStoreChoice, MissedPolicy, NewOrder, NewProvider, NewSchedule,
    Repeat, ScheduleRule, SchedulerOptions,
};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{RetryPolicy, Service, ServiceType};

/// Default type, rate 0.9, 10..=100000.
pub const SVC: &str = "9001";

pub struct Desk {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    pub sim: SimHandle,
}

pub fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
        jitter_seed: Some(7),
    }
}

/// Opens the engine in `root` with a clock reading `now` and following tokio's clock.
pub fn open_at(root: &Path, now: Timestamp) -> Engine {
    Engine::open_with(
        &AppPaths::under(root.to_path_buf()),
        EngineOptions {
            clock: Arc::new(TokioClock::new(now)),
            key_store: KeyStoreChoice::File,
            retry: retry(),
        },
    )
    .unwrap()
}

/// An engine at `now` with provider `sim` (at most `rpm` requests a minute), catalog synced.
pub async fn desk_at(now: &str, rpm: u32) -> Desk {
    let sim = Simulator::start(SimConfig {
        services: 5,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.upsert_service(Service {
        id: SVC.into(),
        name: "Instagram followers".into(),
        service_type: ServiceType::Default,
        category: "Instagram Followers".into(),
        rate: "0.9".parse().unwrap(),
        min: 10,
        max: 100_000,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    });
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), at(now));
    let mut p = NewProvider::new("sim", sim.url(), sim.key());
    p.requests_per_minute = Some(rpm);
    engine.add_provider(p).unwrap();
    engine.sync_catalog("sim").await.unwrap();
    Desk { dir, engine, sim }
}

pub fn order(link: &str, quantity: u64) -> NewOrder {
    NewOrder::new("sim", SVC, link, quantity)
}

/// A schedule of `order(link, 100)` in `zone`.
pub fn schedule(
    link: &str,
    zone: &str,
    start: &str,
    repeat: Repeat,
    count: Option<u32>,
    missed: MissedPolicy,
) -> NewSchedule {
    NewSchedule {
        order: order(link, 100),
        rule: ScheduleRule {
            zone: zone.into(),
            start: Some(start.into()),
            repeat,
            until: None,
            count,
        },
        missed,
    }
}

/// Scheduler options whose provider jobs (status, catalog, balance, cleanup) do nothing.
pub fn quiet() -> SchedulerOptions {
    let runner: JobRunner = Arc::new(|_, _| {
        Box::pin(async { Ok("skipped in this test".to_string()) })
            as std::pin::Pin<Box<dyn std::future::Future<Output = JobResult> + Send>>
    });
    SchedulerOptions {
        seed: 1,
        stop_grace: Duration::from_secs(5),
        runner: Some(runner),
        ..SchedulerOptions::default()
    }
}

/// Lets tokio's paused clock run forward by `secs` (timers fire on the way).
pub async fn run_for(secs: u64) {
    tokio::time::sleep(Duration::from_secs(secs)).await;
}

/// One integer from a query.
pub fn count(engine: &Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

/// The occurrences of schedule `id` in `state`, oldest first, as RFC 3339 UTC.
pub fn occurrences(engine: &Engine, id: i64, state: smm_engine::RunState) -> Vec<String> {
    let mut runs: Vec<String> = engine
        .schedule_runs(id, 1000)
        .unwrap()
        .into_iter()
        .filter(|r| r.state == state)
        .map(|r| r.occurrence_at.to_string())
        .collect();
    runs.reverse();
    runs
}

/// Lets tokio's paused clock run forward by `secs`, a minute at a time, moving the
/// simulator's clock along so its orders progress and finish (an order still running makes
/// the panel refuse another on the same link).
pub async fn run_with_sim(sim: &SimHandle, secs: u64) {
    for _ in 0..secs / 60 {
        run_for(60).await;
        sim.advance(Duration::from_secs(60));
    }
    run_for(secs % 60).await;
}
