//! The order list at 1,000,000 orders (ignored by default; run with
//! `cargo test -p smm-engine --test orders million -- --ignored --nocapture`).
//!
//! Each query is timed against a bound: fetching the same number of rows by primary key,
//! which is what any list must at least do. The ratio is printed; indexed filters must stay
//! within a generous factor of it.

use std::time::Instant;

use smm_engine::clock::ManualClock;
use smm_engine::orders::{OrderQuery, RefreshScope};
use smm_engine::{ApiKey, NewProvider, OrderStatus};

use crate::support::*;

const ROWS: i64 = 1_000_000;
/// Bounds of the link searches that match few orders (ratio to the page bound; ms for counts).
const LINK_RARE_RATIO: f64 = 200.0;
const LINK_RARE_COUNTS_MS: f64 = 100.0;

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64() * 1000.0)
}

#[test]
#[ignore = "builds a 1,000,000-order database (about a minute)"]
fn order_list_at_a_million_orders() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let engine = open_in(dir.path(), &clock);
    for name in ["alpha", "beta", "gamma"] {
        engine
            .add_provider(NewProvider::new(
                name,
                format!("https://{name}.example/api/v2"),
                ApiKey::new("k-123456"),
            ))
            .unwrap();
    }
    let (_, build_ms) = time(|| {
        engine
            .store()
            .write(|tx| {
                // Statuses: mostly finished, 1% open, a few rejected/unknown. One year of orders.
                tx.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                     INSERT INTO orders (idempotency_key, provider_id, service_ref, service_id,
                       service_name, service_type, service_rate, link, quantity, estimated_cost,
                       charge, currency, status, external_id, created_at, updated_at, last_checked_at)
                     SELECT 'k' || i, 1 + i % 3, NULL, CAST(i % 50 AS TEXT), 'svc', 'Default', '0.9',
                       'https://instagram.com/p/post' || i, 1000, '0.9', '0.9', 'USD',
                       CASE WHEN i % 100 = 0 THEN 'pending'
                            WHEN i % 97 = 0 THEN 'rejected'
                            WHEN i % 89 = 0 THEN 'unknown'
                            WHEN i % 7 = 0 THEN 'partial'
                            ELSE 'completed' END,
                       CAST(100000 + i AS TEXT),
                       1732406400000 + i * 31536, 1732406400000 + i * 31536,
                       CASE WHEN i % 3 = 0 THEN NULL ELSE 1732406400000 + i END
                     FROM n",
                    [ROWS],
                )?;
                Ok(())
            })
            .unwrap()
    });
    engine
        .store()
        .write(|tx| Ok(tx.execute_batch("ANALYZE")?))
        .unwrap();
    println!("built {ROWS} orders in {build_ms:.0} ms (one INSERT, link index triggers included)");
    // What schema 6 does to an existing database: index every order's link.
    let (_, rebuild_ms) = time(|| {
        engine
            .store()
            .write(|tx| {
                Ok(tx.execute_batch(
                    "INSERT INTO orders_link_fts (orders_link_fts) VALUES ('rebuild')",
                )?)
            })
            .unwrap()
    });
    println!("link trigram index rebuilt over {ROWS} orders in {rebuild_ms:.0} ms");

    let bound = |n: usize| -> f64 {
        // Reading n rows by primary key: the least any page of n orders costs.
        let ids: Vec<String> = (0..n as i64)
            .map(|i| (ROWS / 2 + i * 7).to_string())
            .collect();
        let sql = format!(
            "SELECT o.*, p.name FROM orders o JOIN providers p ON p.id = o.provider_id WHERE o.id IN ({})",
            ids.join(",")
        );
        let runs = 5;
        let (_, ms) = time(|| {
            for _ in 0..runs {
                engine
                    .store()
                    .read(|c| {
                        let mut s = c.prepare(&sql)?;
                        let mut rows = s.query([])?;
                        while rows.next()?.is_some() {}
                        Ok(())
                    })
                    .unwrap();
            }
        });
        ms / runs as f64
    };
    let deep_cursor = {
        let created = 1732406400000i64 + (ROWS / 2) * 31536;
        format!("{created}:{}", ROWS / 2)
    };
    let deep_cursor_2 = deep_cursor.clone();
    let cases: Vec<(&str, OrderQuery, f64)> = vec![
        ("newest page", OrderQuery::default(), 20.0),
        (
            "page at 500k (cursor)",
            OrderQuery {
                after: Some(deep_cursor.clone()),
                ..Default::default()
            },
            20.0,
        ),
        (
            "status pending",
            OrderQuery {
                status: vec![OrderStatus::Pending],
                ..Default::default()
            },
            20.0,
        ),
        (
            "status unknown, deep",
            OrderQuery {
                status: vec![OrderStatus::Unknown],
                after: Some(deep_cursor),
                ..Default::default()
            },
            20.0,
        ),
        (
            "status partial + completed",
            OrderQuery {
                status: vec![OrderStatus::Partial, OrderStatus::Completed],
                ..Default::default()
            },
            20.0,
        ),
        (
            "including archived",
            OrderQuery {
                include_archived: true,
                ..Default::default()
            },
            20.0,
        ),
        (
            "provider beta",
            OrderQuery {
                provider: Some("beta".into()),
                ..Default::default()
            },
            20.0,
        ),
        (
            "provider beta + rejected",
            OrderQuery {
                provider: Some("beta".into()),
                status: vec![OrderStatus::Rejected],
                ..Default::default()
            },
            20.0,
        ),
        (
            "one day",
            OrderQuery {
                from: Some("2025-06-01T00:00:00Z".parse().unwrap()),
                to: Some("2025-06-02T00:00:00Z".parse().unwrap()),
                ..Default::default()
            },
            20.0,
        ),
        (
            "link contains (recent)",
            OrderQuery {
                link_contains: Some("post99".into()),
                ..Default::default()
            },
            200.0,
        ),
        (
            "link rare (one row, newest)",
            OrderQuery {
                link_contains: Some("post999999".into()),
                ..Default::default()
            },
            LINK_RARE_RATIO,
        ),
        (
            "link rare (one row, old)",
            OrderQuery {
                link_contains: Some("post123457".into()),
                ..Default::default()
            },
            LINK_RARE_RATIO,
        ),
        (
            "link rare (11 rows, mid), archived shown",
            OrderQuery {
                link_contains: Some("POST50000".into()),
                include_archived: true,
                ..Default::default()
            },
            LINK_RARE_RATIO,
        ),
        (
            "link rare + provider beta + pending",
            OrderQuery {
                link_contains: Some("post4321".into()),
                provider: Some("beta".into()),
                status: vec![OrderStatus::Pending],
                ..Default::default()
            },
            LINK_RARE_RATIO,
        ),
        (
            "link 1,111 rows, old (post123)",
            OrderQuery {
                link_contains: Some("post123".into()),
                ..Default::default()
            },
            LINK_RARE_RATIO,
        ),
        (
            "link 111,111 rows, old (post12)",
            OrderQuery {
                link_contains: Some("post12".into()),
                ..Default::default()
            },
            f64::INFINITY,
        ),
        (
            "link common (instagram)",
            OrderQuery {
                link_contains: Some("instagram".into()),
                ..Default::default()
            },
            200.0,
        ),
        (
            "link common, deep cursor",
            OrderQuery {
                link_contains: Some("instagram".into()),
                after: Some(deep_cursor_2.clone()),
                ..Default::default()
            },
            200.0,
        ),
        (
            "link two characters (p/)",
            OrderQuery {
                link_contains: Some("p/".into()),
                ..Default::default()
            },
            200.0,
        ),
    ];
    let page_bound = bound(50);
    println!("bound: 50 rows by primary key = {page_bound:.3} ms");
    for (name, q, max_ratio) in cases {
        let plan = engine.explain_order_list(&q).unwrap().join(" | ");
        let runs = 3;
        let (page, ms) = time(|| {
            let mut last = None;
            for _ in 0..runs {
                last = Some(engine.list_orders(&q).unwrap());
            }
            last.unwrap()
        });
        let ms = ms / runs as f64;
        let ratio = ms / page_bound;
        println!(
            "{name:<36} {:>3} rows {ms:>9.3} ms  ratio {ratio:>7.1}  plan: {plan}",
            page.orders.len()
        );
        assert!(
            ratio <= max_ratio,
            "{name}: {ms:.3} ms is {ratio:.1}x the bound"
        );
    }
    // The status chips' counts, through the live orders' indexes.
    for (name, q) in [
        ("counts, every order", OrderQuery::default()),
        (
            "counts, provider beta",
            OrderQuery {
                provider: Some("beta".into()),
                ..Default::default()
            },
        ),
    ] {
        let plan = engine.explain_order_counts(&q).unwrap().join(" | ");
        let (counts, ms) = time(|| engine.order_counts(&q).unwrap());
        let n: u64 = counts.iter().map(|c| c.count).sum();
        println!("{name:<36} {n:>7} orders {ms:>9.3} ms  plan: {plan}");
        assert!(plan.contains("orders_live_"), "{name}: {plan}");
    }
    // The counts under a link filter: a rare term, a term of 11,111 orders, a common one.
    for (name, text, max_ms) in [
        (
            "counts, link rare (post999999)",
            "post999999",
            LINK_RARE_COUNTS_MS,
        ),
        (
            "counts, link medium (post99)",
            "post99",
            LINK_RARE_COUNTS_MS,
        ),
        (
            "counts, link common (instagram)",
            "instagram",
            f64::INFINITY,
        ),
    ] {
        let q = OrderQuery {
            link_contains: Some(text.into()),
            ..Default::default()
        };
        let plan = engine.explain_order_counts(&q).unwrap().join(" | ");
        let (counts, ms) = time(|| engine.order_counts(&q).unwrap());
        let n: u64 = counts.iter().map(|c| c.count).sum();
        println!("{name:<36} {n:>7} orders {ms:>9.3} ms  plan: {plan}");
        assert!(ms <= max_ms, "{name}: {ms:.3} ms");
    }
    let mut csv = std::io::sink();
    let (n, ms) = time(|| {
        engine
            .export_orders_csv(
                &OrderQuery {
                    link_contains: Some("post4321".into()),
                    ..Default::default()
                },
                &mut csv,
            )
            .unwrap()
    });
    println!("CSV export, link rare (post4321): {n} orders in {ms:.3} ms");
    // Status polling: the open set (1%) through its partial index, oldest checked first.
    let (open, ms) = time(|| {
        engine
            .store()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM (SELECT id FROM orders INDEXED BY orders_open_checked \
                     WHERE provider_id = 2 AND status IN ('pending', 'processing', 'in_progress', 'active') \
                     AND external_id IS NOT NULL ORDER BY last_checked_at, id)",
                    [],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .unwrap()
    });
    println!("open orders of one provider (partial index): {open} in {ms:.3} ms");
    let _ = RefreshScope::AllOpen;
    let mut csv = std::io::sink();
    let (n, ms) = time(|| {
        engine
            .export_orders_csv(
                &OrderQuery {
                    provider: Some("gamma".into()),
                    ..Default::default()
                },
                &mut csv,
            )
            .unwrap()
    });
    println!(
        "CSV export of {n} orders: {ms:.0} ms ({:.2} µs/order)",
        ms * 1000.0 / n as f64
    );
    let (stats, ms) = time(|| engine.stats(&Default::default()).unwrap());
    println!(
        "stats over {} orders: {ms:.0} ms",
        stats.overall.orders.total
    );
}
