//! When jobs run: intervals, persisted next-due across a restart, jitter, wake-ups, backoff.

use smm_engine::scheduler::JobKey;
use smm_engine::{EngineEvent, JobKind, JobState};

use crate::support::*;

fn key(kind: JobKind, provider_id: i64) -> JobKey {
    JobKey {
        kind,
        provider_id: Some(provider_id),
    }
}

const CLEANUP: JobKey = JobKey {
    kind: JobKind::Cleanup,
    provider_id: None,
};

fn never(_: JobKey, _: usize) -> bool {
    false
}

#[tokio::test(start_paused = true)]
async fn jobs_run_at_their_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let p = add_fake_provider(&engine, "jap");
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    let rec = Recorder::default();
    let scheduler = engine
        .start_scheduler(options(1, rec.runner(never)))
        .unwrap();
    run_for(2 * 3600 + 10).await;
    scheduler.stop().await;

    let every = |step: i64, n: i64| (0..n).map(|i| i * step).collect::<Vec<_>>();
    assert_eq!(rec.times(key(JobKind::OrderStatus, p)), every(300, 25));
    assert_eq!(rec.times(key(JobKind::CatalogSync, p)), every(3600, 3));
    assert_eq!(rec.times(key(JobKind::Balance, p)), every(3600, 3));
    assert_eq!(rec.times(CLEANUP), vec![0]);

    let health = engine.job_health().unwrap();
    assert_eq!(health.len(), 4);
    let status = health
        .iter()
        .find(|h| h.job == JobKind::OrderStatus)
        .unwrap();
    assert_eq!(status.provider.as_deref(), Some("jap"));
    assert_eq!(status.state, JobState::Ok);
    let secs = |t: Option<jiff::Timestamp>| {
        t.map(|t| (t.as_millisecond() - start().as_millisecond()) / 1000)
    };
    assert_eq!(secs(status.last_started_at), Some(7200));
    assert_eq!(secs(status.last_success_at), Some(7200));
    assert_eq!(secs(status.next_due_at), Some(7500));
    assert_eq!(status.last_duration_ms, Some(0));
}

#[tokio::test(start_paused = true)]
async fn a_restart_neither_stampedes_nor_skips() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let p = add_fake_provider(&engine, "jap");
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    let rec = Recorder::default();
    let scheduler = engine
        .start_scheduler(options(1, rec.runner(never)))
        .unwrap();
    run_for(100).await;
    scheduler.stop().await;
    drop(engine);
    assert_eq!(rec.times(key(JobKind::OrderStatus, p)), vec![0]);

    // Reopened 100 s later: the status job is due at 300, the hourly ones at 3600.
    let engine = open_at(dir.path(), start() + jiff::SignedDuration::from_secs(100));
    let scheduler = engine
        .start_scheduler(options(2, rec.runner(never)))
        .unwrap();
    run_for(150).await;
    assert_eq!(
        rec.times(key(JobKind::OrderStatus, p)),
        vec![0],
        "no stampede"
    );
    run_for(60).await;
    assert_eq!(rec.times(key(JobKind::OrderStatus, p)), vec![0, 300]);
    assert_eq!(rec.times(key(JobKind::Balance, p)), vec![0]);
    scheduler.stop().await;
    drop(engine);

    // Reopened long after everything was due: each job runs once (none is skipped, none
    // runs twice to catch up).
    let engine = open_at(
        dir.path(),
        start() + jiff::SignedDuration::from_secs(10 * 3600),
    );
    let scheduler = engine
        .start_scheduler(options(3, rec.runner(never)))
        .unwrap();
    run_for(10).await;
    scheduler.stop().await;
    assert_eq!(rec.times(key(JobKind::OrderStatus, p)), vec![0, 300, 36000]);
    assert_eq!(rec.times(key(JobKind::Balance, p)), vec![0, 36000]);
    assert_eq!(
        rec.times(CLEANUP),
        vec![0],
        "the weekly cleanup is not due yet"
    );
}

#[tokio::test(start_paused = true)]
async fn jitter_spreads_providers_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let ids: Vec<i64> = (0..20)
        .map(|i| add_fake_provider(&engine, &format!("p{i}")))
        .collect();
    // 10% of 300 s: each status run is due 300..=330 s after the previous one started.
    engine.set_setting("jobs.jitter_percent", "10").unwrap();
    let rec = Recorder::default();
    let scheduler = engine
        .start_scheduler(options(42, rec.runner(never)))
        .unwrap();
    run_for(3600).await;
    scheduler.stop().await;

    let firsts: Vec<i64> = ids
        .iter()
        .map(|p| rec.times(key(JobKind::OrderStatus, *p))[0])
        .collect();
    assert!(firsts.iter().all(|t| (0..=30).contains(t)), "{firsts:?}");
    let distinct: std::collections::BTreeSet<_> = firsts.iter().collect();
    assert!(distinct.len() >= 10, "providers are spread: {firsts:?}");
    for p in &ids {
        let times = rec.times(key(JobKind::OrderStatus, *p));
        assert!(times.len() >= 10);
        for w in times.windows(2) {
            assert!((299..=331).contains(&(w[1] - w[0])), "{times:?}");
        }
    }
    // Hourly jobs: first within 0..=360 s.
    for p in &ids {
        let first = rec.times(key(JobKind::CatalogSync, *p))[0];
        assert!((0..=360).contains(&first), "{first}");
    }
}

#[tokio::test(start_paused = true)]
async fn sync_now_wakes_a_job_early() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let p = add_fake_provider(&engine, "jap");
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    let rec = Recorder::default();
    assert!(!engine.wake_job(JobKind::CatalogSync, Some("jap")).unwrap());
    let scheduler = engine
        .start_scheduler(options(1, rec.runner(never)))
        .unwrap();
    let mut events = engine.subscribe();
    run_for(600).await;
    assert!(engine.wake_job(JobKind::CatalogSync, Some("jap")).unwrap());
    run_for(1).await;
    assert_eq!(rec.times(key(JobKind::CatalogSync, p)), vec![0, 600]);
    // The next regular run is an interval after the early one.
    run_for(3600).await;
    assert_eq!(rec.times(key(JobKind::CatalogSync, p)), vec![0, 600, 4200]);
    scheduler.stop().await;
    let mut saw_jobs = false;
    while let Ok(e) = events.try_recv() {
        saw_jobs |= e == EngineEvent::JobsChanged;
    }
    assert!(saw_jobs);
    assert!(engine.wake_job(JobKind::CatalogSync, Some("nope")).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_failing_job_backs_off_shows_offline_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let p = add_fake_provider(&engine, "jap");
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    let rec = Recorder::default();
    // The status job fails its first 7 runs, then succeeds.
    fn seven(key: JobKey, n: usize) -> bool {
        key.kind == JobKind::OrderStatus && n < 7
    }
    let scheduler = engine
        .start_scheduler(options(1, rec.runner(seven)))
        .unwrap();
    run_for(100).await;
    let state = |engine: &smm_engine::Engine| {
        engine
            .job_health()
            .unwrap()
            .into_iter()
            .find(|h| h.job == JobKind::OrderStatus)
            .unwrap()
    };
    let h = state(&engine);
    assert_eq!((h.state, h.consecutive_failures), (JobState::Failing, 2));
    assert_eq!(h.last_error.as_deref(), Some("connection refused"));
    run_for(500).await;
    let h = state(&engine);
    assert_eq!((h.state, h.consecutive_failures), (JobState::Offline, 4));
    let providers = engine.provider_health().unwrap();
    assert_eq!(providers[0].state, JobState::Offline);

    run_for(8000).await;
    scheduler.stop().await;
    let times = rec.times(key(JobKind::OrderStatus, p));
    let gaps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // 60, 120, 240, 480, 960, 1800 (the cap), 1800, then back to the 300 s interval.
    assert_eq!(
        gaps[..8],
        [60, 120, 240, 480, 960, 1800, 1800, 300],
        "{times:?}"
    );
    let h = state(&engine);
    assert_eq!((h.state, h.consecutive_failures), (JobState::Ok, 0));
    assert_eq!(engine.provider_health().unwrap()[0].state, JobState::Ok);
    // The other jobs of the provider were not held back.
    assert_eq!(rec.times(key(JobKind::Balance, p)).len(), 3);
}

#[tokio::test(start_paused = true)]
async fn settings_and_providers_are_reconciled_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    let p = add_fake_provider(&engine, "jap");
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    let rec = Recorder::default();
    let scheduler = engine
        .start_scheduler(options(1, rec.runner(never)))
        .unwrap();
    run_for(10).await;
    // A shorter interval applies from the next run on.
    engine
        .set_setting("jobs.order_status.interval_secs", "60")
        .unwrap();
    engine.reschedule_jobs();
    run_for(200).await;
    assert_eq!(
        rec.times(key(JobKind::OrderStatus, p)),
        vec![0, 60, 120, 180]
    );
    // A new provider gets its jobs; a disabled one loses them.
    let q = add_fake_provider(&engine, "smmkings");
    engine.set_provider_active("jap", false).unwrap();
    engine.reschedule_jobs();
    run_for(150).await;
    assert_eq!(
        rec.times(key(JobKind::OrderStatus, p)),
        vec![0, 60, 120, 180]
    );
    assert_eq!(rec.times(key(JobKind::OrderStatus, q)), vec![210, 270, 330]);
    assert!(engine
        .start_scheduler(options(1, rec.runner(never)))
        .is_err());
    scheduler.stop().await;
    // Stopped: another may start.
    engine
        .start_scheduler(options(1, rec.runner(never)))
        .unwrap()
        .stop()
        .await;
}
