//! Scenario 4, order queries: the Orders screen's calls (`list_orders`, `order_counts`,
//! `stats`, `export_orders_csv`) on a database of seeded orders, p50/p99 of repeated runs.

use jiff::{SignedDuration, Timestamp};
use smm_engine::orders::{OrderQuery, StatusCount};
use smm_engine::stats::StatsQuery;
use smm_engine::{Engine, OrderStatus};

use crate::measure::{percentile, samples, timed};
use crate::report::{Figure, Goal};

const SCENARIO: &str = "4 order queries";
/// Runs of each query (fewer for a slow one: about a second of runs, at least 5).
const RUNS: usize = 30;

/// p50 and p99 of up to `RUNS` runs of `f`, milliseconds, after one warm-up run (the page
/// cache and the statement cache). With 30 runs p99 is the slowest run.
fn p50_p99(mut f: impl FnMut()) -> (f64, f64) {
    let ((), warm_ms) = timed(&mut f);
    let runs = ((1000.0 / warm_ms.max(0.001)) as usize).clamp(5, RUNS);
    let s = samples(runs, f);
    (percentile(&s, 50.0), percentile(&s, 99.0))
}

fn page(engine: &Engine, q: &OrderQuery) -> usize {
    engine.list_orders(q).expect("the page lists").orders.len()
}

fn latency_figure(name: String, (p50, p99): (f64, f64), goal_ms: Option<f64>) -> Figure {
    let f = Figure::new(SCENARIO, name, p99, "ms p99").raw("p50_ms", p50);
    match goal_ms {
        Some(g) => f.goal(Goal::Below(1.0)).against(g, "goal"),
        None => f,
    }
}

/// The cursor of the row half way down the list (newest first).
fn deep_cursor(engine: &Engine, orders: u64) -> String {
    engine
        .store()
        .read(|c| {
            Ok(c.query_row(
                "SELECT created_at || ':' || id FROM orders ORDER BY created_at DESC, id DESC \
                 LIMIT 1 OFFSET ?1",
                [orders as i64 / 2],
                |r| r.get::<_, String>(0),
            )?)
        })
        .expect("the middle row exists")
}

/// Measures the queries on `engine`, which holds `orders` seeded orders.
pub fn run(engine: &Engine, orders: u64) -> Vec<Figure> {
    let at = format!("at {orders}");
    let q = |f: fn(&mut OrderQuery)| {
        let mut q = OrderQuery::default();
        f(&mut q);
        q
    };
    let half_year_ago = Timestamp::now() - SignedDuration::from_hours(24 * 180);
    let filters: Vec<(&str, OrderQuery)> = vec![
        ("newest", OrderQuery::default()),
        ("pending", q(|q| q.status = vec![OrderStatus::Pending])),
        ("unknown", q(|q| q.status = vec![OrderStatus::Unknown])),
        (
            "partial+completed",
            q(|q| q.status = vec![OrderStatus::Partial, OrderStatus::Completed]),
        ),
        ("provider beta", q(|q| q.provider = Some("beta".into()))),
        (
            "beta+rejected",
            q(|q| {
                q.provider = Some("beta".into());
                q.status = vec![OrderStatus::Rejected];
            }),
        ),
        ("with archived", q(|q| q.include_archived = true)),
        (
            "one day",
            OrderQuery {
                from: Some(half_year_ago),
                to: Some(half_year_ago + SignedDuration::from_hours(24)),
                ..OrderQuery::default()
            },
        ),
    ];
    let mut worst = ("", (0.0, 0.0));
    let mut each = serde_json::Map::new();
    for (name, query) in &filters {
        let t = p50_p99(|| {
            std::hint::black_box(page(engine, query));
        });
        each.insert(format!("{name}_p50_ms"), t.0.into());
        each.insert(format!("{name}_p99_ms"), t.1.into());
        if t.1 >= worst.1 .1 {
            worst = (name, t);
        }
    }
    let mut first = latency_figure(
        format!("first page, every filter (worst: {}), {at}", worst.0),
        worst.1,
        Some(5.0),
    );
    first.raw.extend(each);

    let deep = OrderQuery {
        after: Some(deep_cursor(engine, orders)),
        ..OrderQuery::default()
    };
    let deep_t = p50_p99(|| {
        std::hint::black_box(page(engine, &deep));
    });
    let counts = |q: &OrderQuery| -> Vec<StatusCount> { engine.order_counts(q).expect("counts") };
    let counts_t = p50_p99(|| {
        std::hint::black_box(counts(&OrderQuery::default()));
    });
    let mut figures = vec![
        first,
        latency_figure(
            format!("deep keyset page (middle), {at}"),
            deep_t,
            Some(5.0),
        ),
        latency_figure(format!("status counts, {at}"), counts_t, Some(20.0)),
    ];
    // Link search: one row, about 1.1% of the rows, every row.
    for (kind, term) in [
        ("rare", format!("post{}", orders / 2 + 1)),
        ("medium", "post77".to_owned()),
        ("common", "instagram".to_owned()),
    ] {
        let query = OrderQuery {
            link_contains: Some(term.clone()),
            ..OrderQuery::default()
        };
        let matching: u64 = counts(&query).iter().map(|c| c.count).sum();
        let t = p50_p99(|| {
            std::hint::black_box(page(engine, &query));
        });
        let counts_t = p50_p99(|| {
            std::hint::black_box(counts(&query));
        });
        figures.push(
            latency_figure(format!("link search {kind} ({term}), {at}"), t, None)
                .raw("matching_orders", matching)
                .raw("counts_p50_ms", counts_t.0)
                .raw("counts_p99_ms", counts_t.1),
        );
    }
    let ninety = StatsQuery {
        from: Some(Timestamp::now() - SignedDuration::from_hours(24 * 90)),
        ..StatsQuery::default()
    };
    let stats_t = p50_p99(|| {
        std::hint::black_box(engine.stats(&ninety).expect("stats"));
    });
    figures.push(latency_figure(
        format!("90-day stats, {at}"),
        stats_t,
        Some(50.0),
    ));
    figures.push(csv_export(engine, &at));
    figures
}

/// CSV export of every order against a bare `SELECT` of the same rows and columns.
fn csv_export(engine: &Engine, at: &str) -> Figure {
    let (rows, export_ms) = timed(|| {
        let mut out = std::io::sink();
        engine
            .export_orders_csv(&OrderQuery::default(), &mut out)
            .expect("the export runs")
    });
    let (selected, select_ms) = timed(|| {
        engine
            .store()
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT o.*, p.name FROM orders o JOIN providers p ON p.id = o.provider_id \
                     WHERE o.archived_at IS NULL ORDER BY o.created_at DESC, o.id DESC",
                )?;
                let columns = stmt.column_count();
                let mut rows = stmt.query([])?;
                let mut n = 0u64;
                while let Some(r) = rows.next()? {
                    for i in 0..columns {
                        std::hint::black_box(r.get_ref(i)?);
                    }
                    n += 1;
                }
                Ok(n)
            })
            .expect("the bare select runs")
    });
    let per_s = |n: u64, ms: f64| n as f64 / (ms / 1000.0);
    Figure::new(
        SCENARIO,
        format!("CSV export, every order, {at}"),
        export_ms,
        "ms",
    )
    .against(select_ms, "bare SELECT of the same rows")
    .raw("rows", rows)
    .raw("export_rows_per_s", per_s(rows, export_ms))
    .raw("select_rows", selected)
    .raw("select_rows_per_s", per_s(selected, select_ms))
}
