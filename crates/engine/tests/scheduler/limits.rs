//! The per-provider rate limit holds for jobs and user actions together, counted at the
//! simulator, and the user's orders get through while jobs run.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use smm_engine::{NewOrder, SchedulerOptions};
use smm_panel::sim::SimConfig;
use smm_panel::Action;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn the_rate_limit_holds_under_concurrent_user_actions() {
    let sim = Arc::new(
        sim(SimConfig {
            services: 50,
            ..SimConfig::default()
        })
        .await,
    );
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    add_sim_provider(&engine, &sim, "sim", 2, 30).await;
    engine.set_setting("jobs.jitter_percent", "0").unwrap();
    engine
        .set_setting("jobs.order_status.interval_secs", "60")
        .unwrap();
    sim.reset_counters();

    // Requests seen by the simulator, sampled every second.
    let samples = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let samples = samples.clone();
        let sim = sim.clone();
        tokio::spawn(async move {
            loop {
                samples.lock().unwrap().push(sim.counters());
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let scheduler = engine
        .start_scheduler(SchedulerOptions {
            seed: 5,
            ..SchedulerOptions::default()
        })
        .unwrap();
    let mut users = Vec::new();
    for i in 0..60 {
        let engine = engine.clone();
        users.push(tokio::spawn(async move {
            let link = format!("https://instagram.com/p/user{i}");
            let order = engine
                .place_order(NewOrder::new("sim", SVC, link, 100))
                .await
                .unwrap();
            (order, tokio::time::Instant::now())
        }));
    }
    let t0 = tokio::time::Instant::now();
    let mut last = t0;
    for u in users {
        let (order, at) = u.await.unwrap();
        assert!(order.external_id.is_some(), "{order:?}");
        last = last.max(at);
    }
    tokio::time::sleep(Duration::from_secs(240)).await;
    scheduler.stop().await;
    sampler.abort();

    let samples = samples.lock().unwrap().clone();
    let counts: Vec<u64> = samples.iter().map(|c| c.total).collect();
    let mut worst = 0;
    for (i, start) in counts.iter().enumerate() {
        if let Some(end) = counts.get(i + 59) {
            worst = worst.max(end - start);
        }
    }
    assert!(worst <= 30, "{worst} requests within a minute");
    assert!(
        worst >= 25,
        "the limit was reached ({worst}), so the test measures it"
    );
    eprintln!(
        "busiest minute: {worst} requests; user orders done after {:?}",
        last - t0
    );
    let end = samples.last().unwrap();
    assert_eq!(end.get(Action::Add), 60);
    assert!(end.get(Action::Balance) >= 1, "{end:?}");
    assert!(end.get(Action::Services) >= 1, "{end:?}");
    assert!(end.get(Action::Status) >= 1, "{end:?}");
    // 60 orders at 30 a minute, shared with the jobs: the last within three minutes.
    assert!(last - t0 <= Duration::from_secs(180), "{:?}", last - t0);
}
