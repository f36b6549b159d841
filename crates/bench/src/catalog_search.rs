//! Scenario 5, catalog search: `Engine::list_services` (the IPC query the catalog screen sends
//! on every keystroke) for each prefix of typed words, p50/p99, on a synced catalog. Also the
//! database's bytes per service.

use std::path::Path;
use std::time::Duration;

use smm_engine::{Engine, ServiceQuery};

use crate::desk::{self, Panels};
use crate::measure::{percentile, samples};
use crate::report::{Figure, Goal};

const SCENARIO: &str = "5 catalog search";
/// What the user types, one keystroke at a time.
const WORDS: [&str; 3] = ["followers", "tiktok views", "youtube"];
/// Runs per keystroke.
const RUNS: usize = 10;

/// The database's size in bytes (pages in use, the WAL included).
pub fn database_bytes(engine: &Engine) -> u64 {
    engine
        .store()
        .read(|c| {
            Ok(c.query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .expect("the page count reads") as u64
}

/// Syncs `services` services into a fresh database under `work` and types the words.
pub async fn run(panels: &Panels, work: &Path, services: usize) -> Vec<Figure> {
    let sim = panels.start(50_000, services, Duration::ZERO).await;
    let engine = desk::open(&work.join("search"));
    desk::add_provider(&engine, "alpha", &sim, None, None);
    let empty = database_bytes(&engine);
    let diff = engine
        .sync_catalog("alpha")
        .await
        .expect("the catalog syncs");
    let per_service = (database_bytes(&engine) - empty) as f64 / diff.added.max(1) as f64;
    let mut all = Vec::new();
    let mut slowest = (String::new(), 0.0);
    let mut matches = serde_json::Map::new();
    for word in WORDS {
        for end in 1..=word.len() {
            let typed = &word[..end];
            let q = ServiceQuery {
                search: Some(typed.to_owned()),
                ..ServiceQuery::default()
            };
            let total = engine.list_services(&q).expect("the search runs").total;
            let s = samples(RUNS, || {
                std::hint::black_box(engine.list_services(&q).expect("the search runs"));
            });
            let p99 = percentile(&s, 99.0);
            if p99 > slowest.1 {
                slowest = (typed.to_owned(), p99);
            }
            if end == word.len() {
                matches.insert(format!("{word}_matches"), total.into());
            }
            all.extend(s);
        }
    }
    let mut search = Figure::new(
        SCENARIO,
        format!("per keystroke, {} services", diff.added),
        percentile(&all, 99.0),
        "ms p99",
    )
    .goal(Goal::Below(1.0))
    .against(20.0, "goal")
    .raw("p50_ms", percentile(&all, 50.0))
    .raw("keystrokes", all.len() as u64 / RUNS as u64)
    .raw("slowest_prefix", slowest.0.clone())
    .raw("slowest_prefix_p99_ms", slowest.1);
    search.raw.extend(matches);
    vec![
        search,
        Figure::new(SCENARIO, "database bytes per service", per_service, "B")
            .raw("services", diff.added),
    ]
}
