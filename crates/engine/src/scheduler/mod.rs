//! The scheduler: keeps everything fresh on its own, gently on the providers.
//!
//! One supervisor task reconciles the running jobs with the live, active providers (and with
//! the settings) instead of restarting anything: each job — order and refill status, catalog
//! sync, balance per provider, plus a weekly cleanup — is a small loop that `select!`s on its
//! next deadline, a wake-up [`Notify`] ("sync now"), a reschedule signal and shutdown.
//!
//! - Next-due times live in `job_runs`, so a restart neither stampedes nor skips: an overdue
//!   job runs within the jitter window, a job not yet due waits for its time.
//! - Jitter from a seeded rng ([`SchedulerOptions::seed`]) spreads providers.
//! - A failing job backs off (base, 2×, 4×… capped) and recovers on its own; after
//!   `jobs.offline_after_failures` failures in a row the provider shows as offline
//!   ([`Engine::provider_health`]) and the log says so once, not at every retry.
//! - Provider calls go through [`limits::ProviderLimits`], shared with user actions; jobs
//!   run as background work, which yields to the user.
//! - Webhooks ([`crate::webhooks`]) are delivered by a worker started and stopped with it;
//!   scheduled orders ([`crate::schedules`]) are placed by another.
//! - [`Scheduler::stop`] lets running jobs reach a safe point (every store write is one
//!   transaction), waiting at most [`SchedulerOptions::stop_grace`].

pub mod health;
mod jobs;
pub use crate::provider_call::limits;
pub mod timing;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::engine::Engine;
use crate::error::{ErrorBody, Result};
use crate::events::{EngineEvent, EventBus};
use limits::ProviderLimits;
use timing::{Rng, Timing};

pub use health::{JobHealth, JobState, ProviderHealth};
pub use timing::TokioClock;

/// How often the supervisor re-reads providers even without a reschedule signal.
const RECONCILE_EVERY: Duration = Duration::from_secs(30);
/// A waiting job re-checks the clock at least this often (the wall clock may jump).
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// A kind of scheduled job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Open orders' and refills' statuses (per provider).
    OrderStatus,
    /// The provider's catalog.
    CatalogSync,
    /// The provider's balance.
    Balance,
    /// Pruning and archiving (over everything).
    Cleanup,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [JobKind; 4] = [
        JobKind::OrderStatus,
        JobKind::CatalogSync,
        JobKind::Balance,
        JobKind::Cleanup,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::OrderStatus => "order_status",
            JobKind::CatalogSync => "catalog_sync",
            JobKind::Balance => "balance",
            JobKind::Cleanup => "cleanup",
        }
    }

    /// The kind with this stored name.
    pub fn parse(text: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the job runs once per provider.
    pub fn per_provider(self) -> bool {
        self != JobKind::Cleanup
    }
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One scheduled job: a kind, and the provider's id for per-provider kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobKey {
    /// The kind.
    pub kind: JobKind,
    /// The provider's local id (None for cleanup).
    pub provider_id: Option<i64>,
}

/// What one run returns: a one-line summary for the log, or the error.
pub type JobResult = std::result::Result<String, ErrorBody>;
/// A job body: the scheduler calls it for each run (tests substitute their own).
pub type JobRunner =
    Arc<dyn Fn(Engine, JobKey) -> Pin<Box<dyn Future<Output = JobResult> + Send>> + Send + Sync>;

/// The result of [`Engine::run_job`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRun {
    /// Which job.
    pub job: JobKind,
    /// The provider's name, for per-provider jobs.
    pub provider: Option<String>,
    /// What it did, when it succeeded.
    pub summary: Option<String>,
    /// Why it failed.
    pub error: Option<ErrorBody>,
}

/// How the scheduler runs.
#[derive(Clone)]
pub struct SchedulerOptions {
    /// Seed of the jitter (same seed, same schedule).
    pub seed: u64,
    /// How long [`Scheduler::stop`] waits for running jobs before abandoning them.
    pub stop_grace: Duration,
    /// The job bodies (default: the engine's real jobs).
    pub runner: Option<JobRunner>,
    /// How webhooks are delivered (timeout, retry delays).
    pub webhooks: crate::webhooks::WebhookOptions,
}

impl Default for SchedulerOptions {
    fn default() -> Self {
        Self {
            seed: std::process::id().into(),
            stop_grace: Duration::from_secs(10),
            runner: None,
            webhooks: crate::webhooks::WebhookOptions::default(),
        }
    }
}

impl std::fmt::Debug for SchedulerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchedulerOptions")
            .field("seed", &self.seed)
            .field("stop_grace", &self.stop_grace)
            .field("runner", &self.runner.as_ref().map(|_| "custom"))
            .field("webhooks", &self.webhooks)
            .finish()
    }
}

/// The engine's background machinery, shared by the scheduler and by user actions.
#[derive(Debug, Default)]
pub(crate) struct Background {
    /// Change events.
    pub(crate) events: EventBus,
    /// Per-provider concurrency and rate limits.
    pub(crate) limits: ProviderLimits,
    /// Wake-ups of running jobs ("sync now").
    wakers: Mutex<HashMap<JobKey, Arc<Notify>>>,
    /// Bumped to make every job re-read settings and providers.
    reschedule: watch::Sender<u64>,
    /// Whether a scheduler is running.
    running: Mutex<bool>,
    /// Wakes the webhook delivery worker (a webhook or a message was added).
    pub(crate) webhooks: Notify,
    /// Wakes the schedule worker (a schedule was added or resumed).
    pub(crate) schedules: Notify,
}

/// A running scheduler. Stop it with [`Scheduler::stop`]; dropping it stops it too (without
/// waiting).
#[derive(Debug)]
pub struct Scheduler {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    engine: Engine,
}

impl Scheduler {
    /// Stops every job at a safe point and waits for them (at most the stop grace).
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Whether the scheduler still runs.
    pub fn is_running(&self) -> bool {
        self.task.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// The engine it runs for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl Engine {
    /// Starts the scheduler (call inside a tokio runtime). Only one runs per engine: a second
    /// start fails with `input.invalid` while the first runs.
    pub fn start_scheduler(&self, options: SchedulerOptions) -> Result<Scheduler> {
        {
            let mut running = lock(&self.inner.background.running);
            if *running {
                return Err(crate::EngineError::input(
                    "scheduler",
                    "the scheduler is already running",
                ));
            }
            *running = true;
        }
        let (stop, stop_rx) = watch::channel(false);
        let engine = self.clone();
        let task = tokio::spawn(async move {
            let webhooks = tokio::spawn(crate::webhooks::deliver::run(
                engine.clone(),
                options.webhooks.clone(),
                stop_rx.clone(),
                options.stop_grace,
            ));
            // Scheduled orders: a pass at each due time ([`crate::schedules`]).
            let mut schedules =
                tokio::spawn(crate::schedules::worker(engine.clone(), stop_rx.clone()));
            let grace = options.stop_grace;
            supervise(engine.clone(), options, stop_rx).await;
            let _ = webhooks.await;
            // A pass in progress reaches a safe point (each order is journaled before it is
            // sent); past the grace it is abandoned like a crash, and recovered on the next
            // start.
            if tokio::time::timeout(grace, &mut schedules).await.is_err() {
                tracing::warn!("scheduler: scheduled orders still placing after the stop grace");
                schedules.abort();
            }
            *lock(&engine.inner.background.running) = false;
        });
        tracing::info!("scheduler started");
        Ok(Scheduler {
            stop,
            task: Some(task),
            engine: self.clone(),
        })
    }

    /// "Sync now": runs a job right away (or right after its current run). `provider` names
    /// the provider for per-provider jobs. False when no scheduler runs that job.
    pub fn wake_job(&self, kind: JobKind, provider: Option<&str>) -> Result<bool> {
        let provider_id = match provider {
            Some(name) if kind.per_provider() => Some(self.provider(name)?.id),
            _ => None,
        };
        let key = JobKey { kind, provider_id };
        let waker = lock(&self.inner.background.wakers).get(&key).cloned();
        Ok(match waker {
            Some(n) => {
                n.notify_one();
                true
            }
            None => false,
        })
    }

    /// Runs a job once now, outside the schedule (a user's "sync now" without a running
    /// scheduler, or `smmdesk jobs run`): records it in job health like a scheduled run.
    pub async fn run_job(&self, kind: JobKind, provider: Option<&str>) -> Result<JobRun> {
        let provider_id = match (kind.per_provider(), provider) {
            (true, Some(name)) => Some(self.provider(name)?.id),
            (true, None) => {
                return Err(crate::EngineError::input(
                    "provider",
                    format!("the {kind} job needs a provider"),
                ))
            }
            (false, _) => None,
        };
        let key = JobKey { kind, provider_id };
        let timing = Timing::load(self)?;
        let mut rng = Rng::new(self.now_ms() as u64);
        let runner: JobRunner = Arc::new(|engine, key| Box::pin(jobs::run(engine, key)));
        let (_, result) = run_once(self, key, &runner, &timing, &mut rng).await;
        let (summary, error) = match result {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        Ok(JobRun {
            job: kind,
            provider: provider.filter(|_| kind.per_provider()).map(str::to_string),
            summary,
            error,
        })
    }

    /// Makes the scheduler re-read settings (intervals, jitter, backoff) and providers now;
    /// call after changing them.
    pub fn reschedule_jobs(&self) {
        self.inner.background.reschedule.send_modify(|n| *n += 1);
    }

    /// The jobs the scheduler should be running now.
    fn wanted_jobs(&self) -> Result<Vec<JobKey>> {
        let mut keys = vec![JobKey {
            kind: JobKind::Cleanup,
            provider_id: None,
        }];
        for p in self.list_providers()?.into_iter().filter(|p| p.active) {
            for kind in JobKind::ALL.into_iter().filter(|k| k.per_provider()) {
                keys.push(JobKey {
                    kind,
                    provider_id: Some(p.id),
                });
            }
        }
        Ok(keys)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Slot {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Keeps one job loop per wanted job, until told to stop.
async fn supervise(engine: Engine, options: SchedulerOptions, mut stop: watch::Receiver<bool>) {
    let runner: JobRunner = options
        .runner
        .clone()
        .unwrap_or_else(|| Arc::new(|engine, key| Box::pin(jobs::run(engine, key))));
    let mut reschedule = engine.inner.background.reschedule.subscribe();
    let mut slots: HashMap<JobKey, Slot> = HashMap::new();
    let mut retired: Vec<JoinHandle<()>> = Vec::new();
    loop {
        match engine.wanted_jobs() {
            Ok(wanted) => {
                let gone: Vec<JobKey> = slots
                    .iter()
                    .filter(|(key, slot)| !wanted.contains(key) || slot.task.is_finished())
                    .map(|(key, _)| *key)
                    .collect();
                for key in gone {
                    if let Some(slot) = slots.remove(&key) {
                        let _ = slot.stop.send(true);
                        retired.push(slot.task);
                    }
                }
                for key in wanted {
                    slots.entry(key).or_insert_with(|| {
                        let (tx, rx) = watch::channel(false);
                        let seed = options.seed ^ key_seed(key);
                        let task = tokio::spawn(job_loop(
                            engine.clone(),
                            key,
                            runner.clone(),
                            Rng::new(seed),
                            rx,
                        ));
                        Slot { stop: tx, task }
                    });
                }
                engine.emit(EngineEvent::JobsChanged);
            }
            Err(e) => tracing::warn!(code = e.code(), "scheduler: cannot read providers: {e}"),
        }
        retired.retain(|t| !t.is_finished());
        tokio::select! {
            _ = stop.changed() => break,
            _ = reschedule.changed() => {}
            _ = tokio::time::sleep(RECONCILE_EVERY) => {}
        }
    }
    for slot in slots.values() {
        let _ = slot.stop.send(true);
    }
    retired.extend(slots.into_values().map(|s| s.task));
    let all = async {
        for t in &mut retired {
            let _ = t.await;
        }
    };
    if tokio::time::timeout(options.stop_grace, all).await.is_err() {
        tracing::warn!("scheduler: jobs still running after the stop grace; abandoning them");
        for t in &retired {
            t.abort();
        }
    }
    lock(&engine.inner.background.wakers).clear();
    tracing::info!("scheduler stopped");
}

fn key_seed(key: JobKey) -> u64 {
    let kind = JobKind::ALL
        .iter()
        .position(|k| *k == key.kind)
        .unwrap_or(0) as u64;
    (key.provider_id.unwrap_or(0) as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(kind.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// When a job should run next, given its stored row and the settings: a due time already
/// stored is kept (bounded by the current settings), an overdue or new job gets a jittered
/// time in the near future so a start never stampedes.
fn due_time(
    row: Option<&health::JobRow>,
    timing: &Timing,
    kind: JobKind,
    now: i64,
    rng: &mut Rng,
) -> (i64, bool) {
    let jitter = millis(rng.up_to(timing.max_jitter(kind)));
    match row.and_then(|r| r.next_due_at.map(|d| (r, d))) {
        Some((r, due)) if due > now => {
            // Settings may have shortened the interval since the due time was stored.
            let anchor = r
                .last_started_at
                .or(r.last_finished_at)
                .unwrap_or(now)
                .min(now);
            let wait = if r.consecutive_failures > 0 {
                timing.interval(kind).max(timing.backoff_max)
            } else {
                timing.interval(kind)
            };
            let longest = wait + timing.max_jitter(kind);
            let bound = anchor.saturating_add(millis(longest));
            if due > bound {
                (bound.max(now), true)
            } else {
                (due, false)
            }
        }
        _ => (now.saturating_add(jitter), true),
    }
}

/// One job's loop: wait for the due time (or a wake-up), run, record, repeat.
async fn job_loop(
    engine: Engine,
    key: JobKey,
    runner: JobRunner,
    mut rng: Rng,
    mut stop: watch::Receiver<bool>,
) {
    let notify = Arc::new(Notify::new());
    lock(&engine.inner.background.wakers).insert(key, notify.clone());
    let mut reschedule = engine.inner.background.reschedule.subscribe();
    let mut timing = Timing::load(&engine).unwrap_or_else(|_| fallback_timing());
    let mut due: Option<i64> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        let now = engine.now_ms();
        let at = match due {
            Some(d) => d,
            None => {
                let row = engine.store().read(|c| health::load(c, key));
                let (d, changed) = due_time(
                    row.ok().flatten().as_ref(),
                    &timing,
                    key.kind,
                    now,
                    &mut rng,
                );
                if changed {
                    if let Err(e) = engine.store().write(|tx| health::set_next_due(tx, key, d)) {
                        tracing::warn!(job = %key.kind, "scheduler: cannot store next due: {e}");
                    }
                }
                due = Some(d);
                d
            }
        };
        if at > now {
            let wait = Duration::from_millis((at - now) as u64).min(MAX_SLEEP);
            tokio::select! {
                _ = stop.changed() => break,
                _ = notify.notified() => {}
                _ = reschedule.changed() => {
                    timing = Timing::load(&engine).unwrap_or_else(|_| fallback_timing());
                    due = None;
                    continue;
                }
                _ = tokio::time::sleep(wait) => continue,
            }
        }
        if *stop.borrow() {
            break;
        }
        timing = Timing::load(&engine).unwrap_or(timing);
        due = Some(run_once(&engine, key, &runner, &timing, &mut rng).await.0);
    }
    let mut wakers = lock(&engine.inner.background.wakers);
    if wakers.get(&key).is_some_and(|n| Arc::ptr_eq(n, &notify)) {
        wakers.remove(&key);
    }
}

fn fallback_timing() -> Timing {
    Timing {
        order_status: Duration::from_secs(300),
        catalog_sync: Duration::from_secs(3600),
        balance: Duration::from_secs(3600),
        cleanup: Duration::from_secs(7 * 24 * 3600),
        jitter_percent: 10,
        backoff_base: Duration::from_secs(60),
        backoff_max: Duration::from_secs(1800),
        offline_after: 3,
    }
}

/// Runs a job once, records it and returns its next due time and its result.
async fn run_once(
    engine: &Engine,
    key: JobKey,
    runner: &JobRunner,
    timing: &Timing,
    rng: &mut Rng,
) -> (i64, JobResult) {
    let started = engine.now_ms();
    let _ = engine
        .store()
        .write(|tx| health::mark_started(tx, key, started));
    engine.emit(EngineEvent::JobsChanged);
    let timer = tokio::time::Instant::now();
    let result = limits::as_background(runner(engine.clone(), key)).await;
    let duration = millis(timer.elapsed());
    let now = engine.now_ms();
    let previous = engine
        .store()
        .read(|c| health::load(c, key))
        .ok()
        .flatten()
        .map_or(0, |r| r.consecutive_failures);
    let jitter = millis(rng.up_to(timing.max_jitter(key.kind)));
    let provider = key.provider_id.map(|id| id.to_string()).unwrap_or_default();
    let next = match &result {
        Ok(summary) => {
            if previous >= timing.offline_after {
                tracing::info!(job = %key.kind, provider, "provider back online: {summary}");
            } else {
                tracing::info!(job = %key.kind, provider, duration_ms = duration, "{summary}");
            }
            // Fixed rate: runs start an interval apart, however long each one took.
            started
                .saturating_add(millis(timing.interval(key.kind)) + jitter)
                .max(now)
        }
        Err(e) => {
            let failures = previous + 1;
            if failures == 1 {
                tracing::warn!(job = %key.kind, provider, code = e.code, "job failed: {}", e.message);
            } else if failures == timing.offline_after {
                tracing::warn!(job = %key.kind, provider, failures, "provider offline: {}", e.message);
            } else {
                tracing::debug!(job = %key.kind, provider, failures, "job failed again: {}", e.message);
            }
            let delay = timing
                .backoff(failures)
                .min(timing.interval(key.kind).max(timing.backoff_max));
            now.saturating_add(millis(delay) + jitter)
        }
    };
    let error = result.as_ref().err().map(|e| e.message.as_str());
    if let Err(e) = engine
        .store()
        .write(|tx| health::mark_finished(tx, key, now, duration, error, next))
    {
        tracing::warn!(job = %key.kind, "scheduler: cannot record the run: {e}");
    }
    engine.emit(EngineEvent::JobsChanged);
    (next, result)
}
