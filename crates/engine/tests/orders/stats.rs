//! Stats against a hand-computed fixture: exact decimals, demo providers excluded.

use jiff::Timestamp;
use rust_decimal::Decimal;
use smm_engine::clock::ManualClock;
use smm_engine::stats::{Money, StatsQuery};
use smm_engine::{ApiKey, NewProvider};

use crate::support::*;

fn ms(t: &str) -> i64 {
    t.parse::<Timestamp>().unwrap().as_millisecond()
}

fn money(currency: &str, amount: &str) -> Money {
    Money {
        currency: currency.into(),
        amount: d(amount),
    }
}

#[test]
fn stats_match_a_hand_computed_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let engine = open_in(dir.path(), &clock);
    for (name, demo) in [("alpha", false), ("beta", false), ("demo", true)] {
        let mut p = NewProvider::new(
            name,
            format!("https://{name}.example/api/v2"),
            ApiKey::new("k-123456"),
        );
        p.is_demo = demo;
        engine.add_provider(p).unwrap();
    }
    let d1 = "2026-11-20T10:00:00Z";
    let d2 = "2026-11-21T23:59:00Z";
    let d3 = "2026-11-22T00:00:00Z";
    // (provider id, day, status, charge, currency)
    let orders: &[(i64, &str, &str, Option<&str>, &str)] = &[
        (1, d1, "completed", Some("0.27819"), "USD"),
        (1, d1, "completed", Some("1.5"), "USD"),
        (1, d1, "partial", Some("0.12345"), "USD"),
        (1, d1, "rejected", None, "USD"),
        (1, d2, "canceled", Some("0"), "USD"),
        (1, d2, "pending", Some("0.9"), "USD"),
        (1, d2, "unknown", None, "USD"),
        (2, d2, "completed", Some("2.00001"), "EUR"),
        (2, d2, "refunded", Some("0"), "EUR"),
        (2, d2, "not_sent", None, "EUR"),
        (3, d1, "completed", Some("100"), "USD"),
        (1, d3, "completed", Some("5"), "USD"),
    ];
    // (provider id, day, duration, outcome)
    let calls: &[(i64, &str, i64, &str)] = &[
        (1, d1, 100, "ok"),
        (1, d1, 200, "ok"),
        (1, d1, 300, "rejected"),
        (1, d1, 400, "maybe_sent"),
        (2, d2, 1000, "never_sent"),
        (3, d1, 5, "ok"),
        (1, d3, 9999, "maybe_sent"),
    ];
    engine
        .store()
        .write(|tx| {
            for (i, (p, day, status, charge, cur)) in orders.iter().enumerate() {
                tx.execute(
                    "INSERT INTO orders (idempotency_key, provider_id, service_id, service_name, \
                     service_type, service_rate, estimated_cost, status, charge, currency, \
                     created_at, updated_at) VALUES (?1, ?2, '1', 's', 'Default', '1', '1', ?3, \
                     ?4, ?5, ?6, ?6)",
                    rusqlite::params![format!("k{i}"), p, status, charge, cur, ms(day)],
                )?;
            }
            for (p, day, duration, outcome) in calls {
                tx.execute(
                    "INSERT INTO api_calls (provider_id, action, started_at, duration_ms, outcome) \
                     VALUES (?1, 'status', ?2, ?3, ?4)",
                    rusqlite::params![p, ms(day), duration, outcome],
                )?;
            }
            Ok(())
        })
        .unwrap();
    let q = StatsQuery {
        provider: None,
        from: Some("2026-11-20T00:00:00Z".parse().unwrap()),
        to: Some(d3.parse().unwrap()),
    };
    let s = engine.stats(&q).unwrap();
    let o = &s.overall;
    assert_eq!(o.orders.total, 10);
    assert_eq!(o.orders.placed, 7);
    assert_eq!(o.orders.terminal(), 6);
    assert_eq!(
        (
            o.orders.completed,
            o.orders.partial,
            o.orders.canceled,
            o.orders.refunded
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(
        (
            o.orders.rejected,
            o.orders.unknown,
            o.orders.not_placed,
            o.orders.open
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(o.success_rate, Some(d("0.5")));
    assert_eq!(o.partial_rate, Some(d("0.1667")));
    assert_eq!(
        o.spent,
        vec![money("EUR", "2.00001"), money("USD", "2.80164")]
    );
    assert_eq!(o.api.calls, 5);
    assert_eq!((o.api.failed, o.api.rejected), (2, 1));
    assert_eq!(o.api.error_rate, Some(d("0.4")));
    assert_eq!(o.api.avg_ms, Some(d("400")));
    assert_eq!(o.api.p95_ms, Some(1000));
    let days: Vec<(&str, Option<Decimal>, &Vec<Money>)> = o
        .per_day
        .iter()
        .map(|d| (d.day.as_str(), d.success_rate, &d.spent))
        .collect();
    assert_eq!(
        days,
        vec![
            (
                "2026-11-20",
                Some(d("0.6667")),
                &vec![money("USD", "1.90164")]
            ),
            (
                "2026-11-21",
                Some(d("0.3333")),
                &vec![money("EUR", "2.00001"), money("USD", "0.9")]
            ),
        ]
    );
    let names: Vec<&str> = s
        .providers
        .iter()
        .map(|p| p.provider.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["alpha", "beta"], "demo excluded");
    let alpha = &s.providers[0];
    assert_eq!(alpha.orders.total, 7);
    assert_eq!(alpha.success_rate, Some(d("0.5")));
    assert_eq!(alpha.partial_rate, Some(d("0.25")));
    assert_eq!(alpha.spent, vec![money("USD", "2.80164")]);
    assert_eq!(alpha.api.avg_ms, Some(d("250")));
    assert_eq!(alpha.api.p95_ms, Some(400));
    assert_eq!(alpha.api.error_rate, Some(d("0.25")));
    assert_eq!(alpha.per_day[1].success_rate, Some(d("0")));
    let beta = &s.providers[1];
    assert_eq!(beta.success_rate, Some(d("0.5")));
    assert_eq!(beta.spent, vec![money("EUR", "2.00001")]);

    // One provider by name; the demo provider only when asked for.
    let only = engine
        .stats(&StatsQuery {
            provider: Some("beta".into()),
            ..q.clone()
        })
        .unwrap();
    assert_eq!(only.overall.orders.total, 3);
    assert_eq!(only.providers.len(), 1);
    let demo = engine
        .stats(&StatsQuery {
            provider: Some("demo".into()),
            ..q.clone()
        })
        .unwrap();
    assert_eq!(demo.overall.spent, vec![money("USD", "100")]);
    let all_time = engine.stats(&StatsQuery::default()).unwrap();
    assert_eq!(all_time.overall.orders.total, 11);
    assert_eq!(all_time.overall.spent[1], money("USD", "7.80164"));
}
