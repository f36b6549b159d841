//! Shared setup: an engine whose clock follows tokio's (paused) clock, and job runners that
//! record when they ran.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use smm_engine::paths::AppPaths;
use smm_engine::scheduler::{JobKey, JobResult, JobRunner, TokioClock};
use smm_engine::{Engine, EngineOptions, KeyStoreChoice, NewProvider, SchedulerOptions};
use smm_panel::{ApiKey, RetryPolicy};

pub fn start() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

pub fn retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
        jitter_seed: Some(7),
    }
}

/// Opens the engine in `root` with a clock reading `at` now and following tokio's clock.
pub fn open_at(root: &Path, at: Timestamp) -> Engine {
    Engine::open_with(
        &AppPaths::under(root.to_path_buf()),
        EngineOptions {
            clock: Arc::new(TokioClock::new(at)),
            key_store: KeyStoreChoice::File,
            retry: retry(),
        },
    )
    .unwrap()
}

/// Adds a provider that is never called (jobs are fakes).
pub fn add_fake_provider(engine: &Engine, name: &str) -> i64 {
    let p = NewProvider::new(
        name,
        "http://127.0.0.1:9/api/v2",
        ApiKey::new("fake-key-000000000000000000000000".to_string()),
    );
    engine.add_provider(p).unwrap().id
}

/// A run seen by [`Recorder`]: the job and the engine time (seconds since [`start`]).
pub type Run = (JobKey, i64);

/// A job runner that records each run; `fail(key, n)` decides whether run `n` (0-based) of a
/// job fails.
#[derive(Clone, Default)]
pub struct Recorder {
    pub runs: Arc<Mutex<Vec<Run>>>,
}

impl Recorder {
    pub fn runner(&self, fail: fn(JobKey, usize) -> bool) -> JobRunner {
        let runs = self.runs.clone();
        Arc::new(move |engine: Engine, key: JobKey| {
            let runs = runs.clone();
            Box::pin(async move {
                let at =
                    (engine.now().as_millisecond() - start().as_millisecond()).div_euclid(1000);
                let n = {
                    let mut runs = runs.lock().unwrap();
                    let n = runs.iter().filter(|(k, _)| *k == key).count();
                    runs.push((key, at));
                    n
                };
                if fail(key, n) {
                    Err(smm_engine::ErrorBody {
                        code: "panel.connect",
                        message: "connection refused".into(),
                    })
                } else {
                    Ok(format!("run {n}"))
                }
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = JobResult> + Send>>
        })
    }

    /// Times (seconds since start) of the runs of `key`.
    pub fn times(&self, key: JobKey) -> Vec<i64> {
        self.runs
            .lock()
            .unwrap()
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, t)| *t)
            .collect()
    }
}

pub fn options(seed: u64, runner: JobRunner) -> SchedulerOptions {
    SchedulerOptions {
        seed,
        stop_grace: Duration::from_secs(5),
        runner: Some(runner),
        ..SchedulerOptions::default()
    }
}

/// Lets tokio's paused clock run forward by `secs` (timers fire on the way).
pub async fn run_for(secs: u64) {
    tokio::time::sleep(Duration::from_secs(secs)).await;
}

/// The service every simulator test orders: Default, rate 0.9, 10..=100000.
pub const SVC: &str = "9001";

/// A simulator with [`SVC`] in its catalog.
pub async fn sim(config: smm_panel::sim::SimConfig) -> smm_panel::sim::SimHandle {
    let sim = smm_panel::sim::Simulator::start(config).await.unwrap();
    sim.upsert_service(service(SVC, "0.9", 10, 100_000));
    sim
}

pub fn service(id: &str, rate: &str, min: u64, max: u64) -> smm_panel::Service {
    smm_panel::Service {
        id: id.into(),
        name: format!("Test service {id}"),
        service_type: smm_panel::ServiceType::Default,
        category: "Instagram Followers".into(),
        rate: rate.parse().unwrap(),
        min,
        max,
        refill: true,
        cancel: true,
        dripfeed: false,
        description: None,
    }
}

/// Adds provider `name` for `sim` with these limits and syncs its catalog.
pub async fn add_sim_provider(
    engine: &Engine,
    sim: &smm_panel::sim::SimHandle,
    name: &str,
    max_concurrency: u32,
    requests_per_minute: u32,
) -> i64 {
    let mut p = NewProvider::new(name, sim.url(), sim.key());
    p.max_concurrency = Some(max_concurrency);
    p.requests_per_minute = Some(requests_per_minute);
    let id = engine.add_provider(p).unwrap().id;
    engine.sync_catalog(name).await.unwrap();
    id
}
