//! Scenario 1, catalog sync: fetch + decode + diff + store of a whole catalog, first sync and
//! a re-sync with 1% of prices changed, against the same HTTP stack fetching the same bytes
//! into `serde_json::Value`, plus one prepared bulk insert of the same rows (first sync) or
//! one read of the stored rows (re-sync).

use std::path::Path;
use std::time::Duration;

use rusqlite::params;
use rust_decimal::Decimal;
use smm_engine::catalog::platform;
use smm_engine::{money, Engine};
use smm_panel::sim::SimHandle;
use smm_panel::Service;

use crate::desk::{self, Panels};
use crate::measure::{percentile, timed};
use crate::report::{Figure, Goal};

const SCENARIO: &str = "1 catalog sync";

/// Fetches the catalog the way any client must: one POST, the whole body, then
/// `serde_json::Value`. Returns the milliseconds and the body's length.
pub async fn fetch_as_value(http: &reqwest::Client, sim: &SimHandle) -> (f64, usize) {
    let start = std::time::Instant::now();
    let body = http
        .post(sim.url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("key={}&action=services", sim.key().expose()))
        .send()
        .await
        .expect("the simulator answers")
        .bytes()
        .await
        .expect("the body arrives");
    let value: serde_json::Value = serde_json::from_slice(&body).expect("the catalog is JSON");
    std::hint::black_box(&value);
    (start.elapsed().as_secs_f64() * 1000.0, body.len())
}

/// The least a first sync must write: the same rows, one prepared insert, one transaction.
fn bulk_insert(engine: &Engine, services: &[Service]) -> f64 {
    let rows: Vec<_> = services
        .iter()
        .map(|s| {
            let t = s.service_type.as_str();
            let p = platform::platform(&s.name, &s.category);
            let kind = platform::kind(&s.name, &s.category, t);
            let key = platform::offer_key(p, kind, t, &s.name);
            let search = platform::search_text(&s.id, &s.name, &s.category);
            (s, p.as_str(), kind, key, search)
        })
        .collect();
    timed(|| {
        engine
            .store()
            .write(|tx| {
                let mut insert = tx.prepare(
                    "INSERT INTO services (provider_id, service_id, name, type, category, rate, \
                     rate_sort, min, max, refill, cancel, dripfeed, description, platform, kind, \
                     offer_key, search_text, first_seen, last_seen) VALUES (1, ?1, ?2, ?3, ?4, \
                     ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, 0)",
                )?;
                for (s, p, kind, key, search) in &rows {
                    insert.execute(params![
                        s.id,
                        s.name,
                        s.service_type.as_str(),
                        s.category,
                        money::to_text(s.rate),
                        money::sort_key(s.rate),
                        s.min as i64,
                        s.max as i64,
                        s.refill,
                        s.cancel,
                        s.dripfeed,
                        s.description,
                        p,
                        kind,
                        key,
                        search
                    ])?;
                }
                Ok(())
            })
            .expect("the bulk insert runs")
    })
    .1
}

/// The least a re-sync must read: every stored row of the provider, once.
fn read_stored(engine: &Engine) -> f64 {
    timed(|| {
        engine
            .store()
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT id, service_id, name, type, category, rate, min, max, refill, \
                     cancel, dripfeed, description, removed_at FROM services WHERE provider_id = 1",
                )?;
                let mut rows = stmt.query([])?;
                let mut n = 0usize;
                while let Some(r) = rows.next()? {
                    let name: String = r.get(2)?;
                    let rate: String = r.get(5)?;
                    n += name.len() + rate.len();
                }
                std::hint::black_box(n);
                Ok(())
            })
            .expect("the stored rows read")
    })
    .1
}

/// Runs the scenario with `services` services, `runs` times each.
pub async fn run(panels: &Panels, work: &Path, services: usize, runs: usize) -> Vec<Figure> {
    let sim = panels.start(20_250_101, services, Duration::ZERO).await;
    let http = reqwest::Client::new();
    let catalog = sim.catalog();
    let (mut fetch, mut first, mut insert) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..runs {
        let (ms, len) = fetch_as_value(&http, &sim).await;
        fetch.push(ms);
        bytes = len;
    }
    for run in 0..runs {
        let engine = desk::open(&work.join(format!("sync-{run}")));
        desk::add_provider(&engine, "alpha", &sim, None, None);
        let start = std::time::Instant::now();
        engine.sync_catalog("alpha").await.expect("the first sync");
        first.push(start.elapsed().as_secs_f64() * 1000.0);
        let bare = desk::open(&work.join(format!("insert-{run}")));
        desk::add_provider(&bare, "alpha", &sim, None, None);
        insert.push(bulk_insert(&bare, &catalog));
    }
    // Re-syncs on the last engine: each round changes another 1% of the prices.
    let engine = desk::open(&work.join("resync"));
    desk::add_provider(&engine, "alpha", &sim, None, None);
    engine.sync_catalog("alpha").await.expect("the first sync");
    let (mut resync, mut read) = (Vec::new(), Vec::new());
    let mut changed = 0;
    for round in 0..runs {
        let step = 100;
        for s in catalog.iter().skip(round).step_by(step) {
            let mut s = s.clone();
            s.rate += Decimal::new(1 + round as i64, 2);
            sim.upsert_service(s);
        }
        let start = std::time::Instant::now();
        let diff = engine.sync_catalog("alpha").await.expect("the re-sync");
        resync.push(start.elapsed().as_secs_f64() * 1000.0);
        changed = diff.price_changed;
        read.push(read_stored(&engine));
    }
    let p50 = |v: &[f64]| percentile(v, 50.0);
    let (fetch, first, insert, resync, read) = (
        p50(&fetch),
        p50(&first),
        p50(&insert),
        p50(&resync),
        p50(&read),
    );
    vec![
        Figure::new(
            SCENARIO,
            format!("first sync, {services} services"),
            first,
            "ms",
        )
        .goal(Goal::AtMost(1.5))
        .against(fetch + insert, "fetch + Value decode + bulk insert")
        .raw("fetch_value_ms", fetch)
        .raw("bulk_insert_ms", insert)
        .raw("reply_bytes", bytes)
        .raw("runs", runs),
        Figure::new(
            SCENARIO,
            format!("re-sync, {changed} prices changed"),
            resync,
            "ms",
        )
        .goal(Goal::AtMost(1.2))
        .against(fetch + read, "fetch + Value decode + read stored")
        .raw("fetch_value_ms", fetch)
        .raw("read_stored_ms", read)
        .raw("price_changed", changed)
        .raw("runs", runs),
    ]
}
