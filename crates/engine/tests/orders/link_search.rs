//! The link text filter through the trigram index (schema 6) and by scanning: the same rows,
//! pages and counts either way, for rare, common and short text, with other filters, with
//! archived orders hidden and shown, and with `%`, `_`, `\` and non-ASCII letters.

use std::collections::BTreeMap;

use smm_engine::clock::ManualClock;
use smm_engine::orders::{Order, OrderQuery};
use smm_engine::{ApiKey, NewProvider, OrderStatus};

use crate::support::*;

/// More orders than the index is asked about for a page (5,000) and for the counts (20,000).
const ROWS: i64 = 25_000;

const SPECIAL: [&str; 6] = [
    "https://x.example/a_b%c\\d",
    "https://x.example/aXbYc\\d",
    "https://x.example/ÉCOLE",
    "https://x.example/école",
    "https://x.example/Ecole",
    "https://x.example/100%_off",
];

/// Every order under `q`'s filters but the link text, newest first (the oracle's input).
fn all_orders(engine: &smm_engine::Engine, q: &OrderQuery) -> Vec<Order> {
    let mut q = OrderQuery {
        link_contains: None,
        limit: Some(1000),
        after: None,
        ..q.clone()
    };
    let mut out = Vec::new();
    loop {
        let page = engine.list_orders(&q).unwrap();
        out.extend(page.orders);
        match page.next {
            Some(n) => q.after = Some(n),
            None => return out,
        }
    }
}

/// SQLite's LIKE: case-insensitive for ASCII only, the text taken literally.
fn contains(link: &Option<String>, text: &str) -> bool {
    link.as_deref().is_some_and(|l| {
        l.to_ascii_lowercase()
            .contains(&text.trim().to_ascii_lowercase())
    })
}

#[test]
fn link_search_gives_the_same_rows_and_counts_through_the_index_or_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let engine = open_in(dir.path(), &clock);
    for name in ["alpha", "beta"] {
        engine
            .add_provider(NewProvider::new(
                name,
                format!("https://{name}.example/api/v2"),
                ApiKey::new("k-123456"),
            ))
            .unwrap();
    }
    engine
        .store()
        .write(|tx| {
            tx.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                 INSERT INTO orders (idempotency_key, provider_id, service_id, service_name,
                   service_type, service_rate, link, quantity, estimated_cost, status,
                   created_at, updated_at, archived_at)
                 SELECT 'k' || i, 1 + i % 2, '1', 'svc', 'Default', '0.9',
                   CASE WHEN i % 1000 = 0 THEN NULL
                        ELSE 'https://instagram.com/p/post' || i END,
                   1000, '0.9',
                   CASE WHEN i % 10 = 0 THEN 'pending' WHEN i % 7 = 0 THEN 'partial'
                        ELSE 'completed' END,
                   1732406400000 + i * 1000, 1732406400000 + i * 1000,
                   CASE WHEN i % 5 = 0 THEN 1732406400000 + i * 1000 END
                 FROM n",
                [ROWS],
            )?;
            for (i, link) in SPECIAL.iter().enumerate() {
                tx.execute(
                    "INSERT INTO orders (idempotency_key, provider_id, service_id, service_name,
                       service_type, service_rate, link, quantity, estimated_cost, status,
                       created_at, updated_at)
                     VALUES (?1, 1, '1', 'svc', 'Default', '0.9', ?2, 1000, '0.9', 'completed',
                       ?3, ?3)",
                    rusqlite::params![format!("special{i}"), link, 1732406400000i64 + 500 * i as i64],
                )?;
            }
            // A changed link and a removed order leave the index in step.
            tx.execute(
                "UPDATE orders SET link = 'https://instagram.com/p/renamed' WHERE idempotency_key = 'k7'",
                [],
            )?;
            tx.execute("DELETE FROM orders WHERE idempotency_key = 'k11'", [])?;
            Ok(())
        })
        .unwrap();

    // (text, index used for the page, index used for the counts)
    let terms: [(&str, bool, bool); 13] = [
        ("POST123", true, true),   // 111 orders
        ("post24999", true, true), // 1
        ("renamed", true, true),
        ("post11", true, true),      // the removed order
        ("post1", false, true),      // 11,111: above the page cap, below the counts cap
        ("instagram", false, false), // every order
        ("p/", false, false),        // two characters
        ("7", false, false),
        ("a_b%c\\d", true, true), // the index's pattern matches aXbYc\d too
        ("a_b", false, false),    // no three characters in a row without a wildcard
        ("école", true, true),    // only the lower-case one: LIKE folds ASCII only
        ("%_off", true, true),    // "off" is three in a row
        ("nothing-like-this", true, true),
    ];
    let bases = [
        OrderQuery::default(),
        OrderQuery {
            status: vec![OrderStatus::Completed],
            ..Default::default()
        },
        OrderQuery {
            status: vec![OrderStatus::Pending, OrderStatus::Partial],
            ..Default::default()
        },
        OrderQuery {
            provider: Some("beta".into()),
            from: Some("2024-11-24T01:00:00Z".parse().unwrap()),
            ..Default::default()
        },
    ];
    for archived in [false, true] {
        for base in &bases {
            let base = OrderQuery {
                include_archived: archived,
                ..base.clone()
            };
            let everything = all_orders(&engine, &base);
            // The counts ignore the status filter.
            let every_state = all_orders(
                &engine,
                &OrderQuery {
                    status: Vec::new(),
                    ..base.clone()
                },
            );
            for (text, page_indexed, counts_indexed) in terms {
                let q = OrderQuery {
                    link_contains: Some(format!(" {text} ")),
                    limit: Some(200),
                    ..base.clone()
                };
                let expected: Vec<i64> = everything
                    .iter()
                    .filter(|o| contains(&o.link, text))
                    .map(|o| o.id)
                    .collect();
                // Pages: every page of a rare term, the first three of a common one.
                let mut got = Vec::new();
                let mut page_q = q.clone();
                for _ in 0..3 {
                    let page = engine.list_orders(&page_q).unwrap();
                    got.extend(page.orders.iter().map(|o| o.id));
                    match page.next {
                        Some(n) => page_q.after = Some(n),
                        None => break,
                    }
                }
                let n = got.len();
                assert_eq!(got, expected[..n], "{q:?}");
                assert!(n == expected.len() || n == 600, "{q:?}: {n}");
                // Counts per state.
                let mut want: BTreeMap<String, u64> = BTreeMap::new();
                for o in every_state.iter().filter(|o| contains(&o.link, text)) {
                    *want.entry(o.status.to_string()).or_default() += 1;
                }
                let counts: BTreeMap<String, u64> = engine
                    .order_counts(&q)
                    .unwrap()
                    .into_iter()
                    .map(|c| (c.status.to_string(), c.count))
                    .collect();
                assert_eq!(counts, want, "{q:?}");
                // Which way each went.
                let plan = engine.explain_order_list(&q).unwrap().join(" | ");
                assert_eq!(
                    plan.contains("orders_link_fts"),
                    page_indexed,
                    "{q:?}: {plan}"
                );
                let plan = engine.explain_order_counts(&q).unwrap().join(" | ");
                assert_eq!(
                    plan.contains("orders_link_fts"),
                    counts_indexed,
                    "{q:?}: {plan}"
                );
            }
        }
    }
    // The CSV export takes the same filter.
    let mut csv = Vec::new();
    let n = engine
        .export_orders_csv(
            &OrderQuery {
                link_contains: Some("post123".into()),
                ..Default::default()
            },
            &mut csv,
        )
        .unwrap();
    let live_123 = all_orders(&engine, &OrderQuery::default())
        .iter()
        .filter(|o| contains(&o.link, "post123"))
        .count();
    assert_eq!(n as usize, live_123);
    assert!(n > 0);
}
