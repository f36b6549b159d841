//! The scheduler keeps 1,000 orders fresh: every order reaches its final state locally within
//! one status interval of reaching it at the simulator (real time, simulator time-scaled).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smm_engine::orders::MassOrder;
use smm_engine::paths::AppPaths;
use smm_engine::{Engine, EngineOptions, KeyStoreChoice, SchedulerOptions};
use smm_panel::sim::SimConfig;

use crate::support::*;

const ORDERS: usize = 1000;
/// The status interval under test.
const INTERVAL_MS: i64 = 2000;
/// Simulated seconds per real second: orders finish 6 to 15 real seconds after the start.
const TIME_SCALE: u32 = 60;

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn a_thousand_orders_stay_fresh_within_one_status_interval() {
    let sim = Arc::new(
        sim(SimConfig {
            services: 50,
            balance: 1_000_000.into(),
            ..SimConfig::default()
        })
        .await,
    );
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open_with(
        &AppPaths::under(dir.path().to_path_buf()),
        EngineOptions {
            key_store: KeyStoreChoice::File,
            retry: retry(),
            ..EngineOptions::default()
        },
    )
    .unwrap();
    add_sim_provider(&engine, &sim, "sim", 8, 10_000).await;
    let text: String = (0..ORDERS)
        .map(|i| format!("{SVC}|https://instagram.com/p/fresh{i}|100\n"))
        .collect();
    let report = engine
        .place_mass_order(
            MassOrder {
                provider: "sim".into(),
                text,
                ..MassOrder::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.accepted, ORDERS);
    engine
        .set_setting("jobs.order_status.interval_secs", "2")
        .unwrap();
    engine.set_setting("jobs.jitter_percent", "0").unwrap();

    // When each order turned final at the simulator, sampled every 20 ms on its own thread.
    let seen: Arc<Mutex<HashMap<String, i64>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (sim, seen, done) = (sim.clone(), seen.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let now = wall_ms();
                let mut seen = seen.lock().unwrap();
                for o in sim.orders() {
                    if o.status.is_terminal() {
                        seen.entry(o.id).or_insert(now);
                    }
                }
                drop(seen);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    sim.set_time_scale(TIME_SCALE);
    let scheduler = engine
        .start_scheduler(SchedulerOptions {
            seed: 9,
            ..SchedulerOptions::default()
        })
        .unwrap();
    let started = wall_ms();
    let open_left = || {
        engine
            .store()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM orders WHERE finished_at IS NULL",
                    [],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .unwrap()
    };
    while open_left() > 0 && wall_ms() - started < 45_000 {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    scheduler.stop().await;
    done.store(true, Ordering::SeqCst);
    sampler.join().unwrap();

    let seen = seen.lock().unwrap();
    let local: Vec<(String, i64)> = engine
        .store()
        .read(|c| {
            let mut stmt = c.prepare("SELECT external_id, finished_at FROM orders")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(i64::MAX),
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(local.len(), ORDERS);
    let mut lags: Vec<i64> = local
        .iter()
        .map(|(ext, finished)| {
            let at_sim = *seen
                .get(ext)
                .unwrap_or_else(|| panic!("order {ext} never finished"));
            finished.saturating_sub(at_sim)
        })
        .collect();
    lags.sort();
    let (p50, max) = (lags[lags.len() / 2], lags[lags.len() - 1]);
    eprintln!(
        "{ORDERS} orders final locally {p50} ms (median) / {max} ms (max) after the simulator; \
         status interval {INTERVAL_MS} ms; run took {} ms",
        wall_ms() - started
    );
    // One interval, plus a little for where in the run an order's batch is written and
    // for the 20 ms sampling above (measured: max just under the interval).
    assert!(
        max <= INTERVAL_MS + 250,
        "slowest order {max} ms behind the simulator"
    );
}
