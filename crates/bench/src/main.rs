//! `smm-bench`: every hot path of SMM Desk measured against the bound that the protocol and
//! the machine set, as ratios from the same run (issue #17, README › Performance).
//!
//! `smm-bench [--quick] [--out PATH]` runs the scenarios against simulated panels on
//! 127.0.0.1 and real SQLite files under the target folder, prints a Markdown table and
//! writes `results.json` (every ratio under `ratio`, its bound and raw figures beside it,
//! and the machine). Nothing here asserts a timing.

mod catalog_search;
mod catalog_sync;
mod desk;
mod local_api;
mod machine;
mod mass_order;
mod measure;
mod order_queries;
mod report;
mod sizes;
mod status_refresh;

use std::path::PathBuf;

use desk::{Panels, Seed};
use report::{Figure, Results};
use sizes::Sizes;

fn main() {
    let mut quick = false;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let mut out = target.join("bench").join("results.json");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--out" => out = args.next().map(PathBuf::from).expect("--out needs a path"),
            other => {
                eprintln!("usage: smm-bench [--quick] [--out PATH] (unknown: {other})");
                std::process::exit(2);
            }
        }
    }
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL };
    let work = out
        .parent()
        .map_or_else(|| PathBuf::from("bench-work"), |d| d.join("work"));
    let panels = Panels::new();
    // Current-thread, as `smmdesk` runs the engine (and so no tokio feature beyond smm-cli's).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the runtime starts");
    let mut results = Results {
        mode: if quick { "quick" } else { "full" },
        started_at: jiff::Timestamp::now().to_string(),
        machine: machine::Machine::this(),
        not_done: vec![
            (
                "5 catalog search".into(),
                "keystroke to table in the e2e run (needs the app under WebDriver)".into(),
            ),
            (
                "7 the app".into(),
                "cold start, idle PSS against a minimal Tauri window, idle CPU (needs the \
                 release app and a second Tauri build under Xvfb)"
                    .into(),
            ),
        ],
        figures: Vec::new(),
    };
    eprintln!("smm-bench ({}): {}", results.mode, results.machine.line());
    let figures = runtime.block_on(scenarios(&panels, &work, sizes));
    results.figures = figures;
    let _ = std::fs::remove_dir_all(&work);
    let table = results.table();
    println!("{}\n\n{table}", results.machine.line());
    results.write(&out).expect("the results are written");
    std::fs::write(
        out.with_extension("md"),
        format!("{}\n\n{table}", results.machine.line()),
    )
    .expect("the table is written");
    eprintln!("smm-bench: wrote {}", out.display());
}

/// Every scenario, in order; progress on stderr.
async fn scenarios(panels: &Panels, work: &std::path::Path, sizes: Sizes) -> Vec<Figure> {
    let mut figures = Vec::new();
    let step = |name: &str| eprintln!("smm-bench: {name} …");
    step("1 catalog sync");
    figures.extend(catalog_sync::run(panels, work, sizes.catalog, sizes.sync_runs).await);
    step("5 catalog search");
    figures.extend(catalog_search::run(panels, work, sizes.search_catalog).await);
    step("2 status refresh");
    figures.extend(status_refresh::run(panels, work, sizes.open_orders).await);
    let _ = std::fs::remove_dir_all(work.join("status"));
    step("3 mass order");
    figures.extend(mass_order::run(panels, work, sizes.mass_lines).await);
    let largest = sizes.order_sizes.iter().copied().max().unwrap_or(0);
    for &orders in sizes.order_sizes {
        step(&format!("4, 6, 8 at {orders} orders"));
        figures.extend(growth(panels, work, orders, orders == largest, sizes.api_requests).await);
    }
    figures
}

/// Scenario 8 at one size: the order queries (4), the refresh of its 1% open orders (2), the
/// database's bytes per order; at the largest size also the local API (6).
async fn growth(
    panels: &Panels,
    work: &std::path::Path,
    orders: u64,
    with_api: bool,
    api_requests: usize,
) -> Vec<Figure> {
    let dir = work.join(format!("orders-{orders}"));
    let engine = desk::open(&dir);
    let empty = catalog_search::database_bytes(&engine);
    let seed = Seed {
        orders,
        all_open: false,
    };
    let limits = status_refresh::RAISED_LIMITS;
    let sims = status_refresh::panels_for(panels, &engine, seed, limits).await;
    let (_, seed_ms) = measure::timed(|| desk::seed_orders(&engine, seed));
    let bytes = catalog_search::database_bytes(&engine) - empty;
    let mut figures = vec![Figure::new(
        "8 growth",
        format!("database bytes per order, {orders} orders"),
        bytes as f64 / orders as f64,
        "B",
    )
    .raw("database_bytes", bytes)
    .raw("seed_ms", seed_ms)];
    figures.extend(order_queries::run(&engine, orders));
    if with_api {
        engine
            .sync_catalog("alpha")
            .await
            .expect("the catalog syncs");
        figures.extend(local_api::run(&engine, orders, api_requests).await);
    }
    let label = format!("1% open of {orders} orders");
    figures.extend(status_refresh::measure(&engine, &sims, limits, &label).await);
    drop(engine);
    let _ = std::fs::remove_dir_all(&dir);
    figures
}
