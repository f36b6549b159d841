//! The sale on each order (issue #15): customers, the sale price (the price list's by default),
//! profit from the provider's real charge for partial and canceled orders, the customer's
//! totals, the orders filter, the CSV columns, the profit report, and bad input that writes
//! nothing.

use std::time::Duration;

use rust_decimal::Decimal;
use smm_engine::customers::{CustomerQuery, NewCustomer};
use smm_engine::orders::{settle, OrderQuery, RefreshScope, SaleFacts};
use smm_engine::pricing::{PriceRule, PriceScope};
use smm_engine::stats::StatsQuery;
use smm_engine::{EngineError, NewOrder, OrderStatus};

use crate::support::*;

fn sold(link: &str, quantity: u64, customer: Option<&str>, sale: Option<&str>) -> NewOrder {
    NewOrder {
        customer: customer.map(str::to_string),
        sale_price: sale.map(d),
        ..NewOrder::new("sim", DEFAULT_SVC, link, quantity)
    }
}

fn customers_count(desk: &Desk) -> i64 {
    count(&desk.engine, "SELECT count(*) FROM customers")
}

#[tokio::test]
async fn the_price_list_sets_the_default_sale_and_a_new_customer_is_added_once() {
    let desk = desk().await;
    // Unpriced: no sale unless one is given.
    let o = desk
        .engine
        .place_order(sold("https://instagram.com/p/a", 1000, None, None))
        .await
        .unwrap();
    assert_eq!((o.sale_price, o.settlement), (None, None));

    desk.engine
        .set_price_rule(PriceRule {
            percent: Some(d("50")),
            ..PriceRule::new(PriceScope::Default)
        })
        .unwrap();
    let quote = desk
        .engine
        .quote_order(&sold(
            "https://instagram.com/p/b",
            2000,
            Some(" Sara  Store "),
            None,
        ))
        .unwrap();
    assert_eq!(quote.estimated_cost, d("1.8"));
    assert_eq!(
        quote.sale_price,
        Some(d("2.7")),
        "0.9 × 1.5 per 1000, 2000 units"
    );
    assert!(quote.sale_from_price_list && quote.new_customer && !quote.below_cost);
    assert_eq!(quote.profit, Some(d("0.9")));
    assert_eq!(quote.customer.as_deref(), Some("Sara Store"));
    assert_eq!(customers_count(&desk), 0, "a quote writes nothing");

    let b = desk
        .engine
        .place_order(sold(
            "https://instagram.com/p/b",
            2000,
            Some("Sara Store"),
            None,
        ))
        .await
        .unwrap();
    assert_eq!(b.sale_price, Some(d("2.7")));
    assert_eq!(b.customer.as_deref(), Some("Sara Store"));
    let s = b.settlement.unwrap();
    assert_eq!((s.billed, s.cost, s.profit), (d("2.7"), d("1.8"), d("0.9")));
    // The same customer in other case and spacing is the same customer.
    let c = desk
        .engine
        .place_order(sold(
            "https://instagram.com/p/c",
            100,
            Some("sara   STORE"),
            Some("0.05"),
        ))
        .await
        .unwrap();
    assert_eq!(c.customer_id, b.customer_id);
    assert_eq!(customers_count(&desk), 1);
    // Below cost is allowed, and said before placing.
    let q = desk
        .engine
        .quote_order(&sold(
            "https://instagram.com/p/c",
            100,
            Some("Sara Store"),
            Some("0.05"),
        ))
        .unwrap();
    assert!(q.below_cost && !q.new_customer && !q.sale_from_price_list);
    assert_eq!(c.settlement.unwrap().profit, d("-0.04"));
    // Drip-feed: the sale covers every run, like the estimate.
    let mut drip = sold("https://instagram.com/p/drip", 100, None, None);
    drip.fields.runs = Some(5);
    drip.fields.interval = Some(10);
    let q = desk.engine.quote_order(&drip).unwrap();
    assert_eq!(
        (q.estimated_cost, q.sale_price),
        (d("0.45"), Some(d("0.675")))
    );

    let sara = desk.engine.customer_named("SARA STORE").unwrap();
    assert_eq!(sara.orders, 2);
    assert_eq!(sara.earnings.len(), 1);
    assert_eq!(sara.earnings[0].revenue, d("2.75"));
    assert_eq!(sara.earnings[0].profit, d("0.86"));
    let page = desk
        .engine
        .list_orders(&OrderQuery {
            customer: Some(sara.id),
            ..OrderQuery::default()
        })
        .unwrap();
    assert_eq!(
        page.orders.iter().map(|o| o.id).collect::<Vec<_>>(),
        [c.id, b.id]
    );
    // A replay with other sale terms is a conflict naming them; nothing is sent.
    let mut again = sold(
        "https://instagram.com/p/k",
        100,
        Some("Sara Store"),
        Some("1"),
    );
    again.idempotency_key = Some("k-1".into());
    desk.engine.place_order(again.clone()).await.unwrap();
    again.sale_price = Some(d("2"));
    again.customer = Some("Other".into());
    let err = desk.engine.place_order(again).await.unwrap_err();
    assert_eq!(err.code(), "order.idempotency_conflict");
    assert!(err.to_string().contains("customer") && err.to_string().contains("sale_price"));
}

#[tokio::test]
async fn partial_and_canceled_orders_earn_from_the_real_charge() {
    let desk = desk().await;
    let part = desk
        .engine
        .place_order(sold(
            "https://instagram.com/p/part",
            10_000,
            Some("Omar"),
            Some("15"),
        ))
        .await
        .unwrap();
    let gone = desk
        .engine
        .place_order(sold(
            "https://instagram.com/p/gone",
            10_000,
            Some("Omar"),
            Some("15"),
        ))
        .await
        .unwrap();
    desk.engine.cancel_orders(&[gone.id]).await.unwrap();
    desk.sim.advance(Duration::from_secs(910));
    desk.engine.cancel_orders(&[part.id]).await.unwrap();
    desk.engine
        .refresh_orders(RefreshScope::Orders(vec![part.id, gone.id]))
        .await
        .unwrap();
    let part = desk.engine.order(part.id).unwrap();
    let gone = desk.engine.order(gone.id).unwrap();
    assert_eq!(part.status, OrderStatus::Partial);
    let (charge, remains) = (part.charge.unwrap(), part.remains.unwrap());
    assert!(charge < part.estimated_cost, "the provider refunded part");
    let delivered = Decimal::from(10_000 - remains);
    let billed = (d("15") * delivered / Decimal::from(10_000))
        .round_dp(5)
        .normalize();
    let s = part.settlement.unwrap();
    assert_eq!((s.billed, s.cost), (billed, charge.normalize()));
    assert_eq!(s.profit, (billed - charge).normalize());
    assert_eq!(gone.status, OrderStatus::Canceled);
    let g = gone.settlement.unwrap();
    assert_eq!((g.billed, g.cost, g.profit), (d("0"), d("0"), d("0")));

    let omar = desk.engine.customer_named("omar").unwrap();
    assert_eq!(omar.earnings[0].revenue, billed);
    assert_eq!(omar.earnings[0].cost, charge.normalize());
    let profit = desk.engine.profit(&StatsQuery::default()).unwrap();
    assert_eq!(profit.overall[0].profit, (billed - charge).normalize());
    assert_eq!(profit.customers[0].key, "Omar");
    assert_eq!(profit.providers[0].key, "sim");

    let mut csv = Vec::new();
    desk.engine
        .export_orders_csv(&OrderQuery::default(), &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header[header.len() - 5..],
        ["customer", "sale_price", "billed", "cost", "profit"]
    );
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{},", part.id)))
        .unwrap();
    assert!(row.ends_with(&format!(
        ",Omar,15,{billed},{},{}",
        charge.normalize(),
        (billed - charge).normalize()
    )));
}

#[tokio::test]
async fn bad_sale_terms_are_refused_and_write_nothing() {
    let desk = desk().await;
    let huge = "x".repeat(10 << 20);
    let cases: [(Option<&str>, Option<&str>, &str); 7] = [
        (Some(&huge), None, "customer"),
        (Some("a\u{200B}b"), None, "customer"),
        (Some("evil\u{202E}gnp"), None, "customer"),
        (Some("line\nbreak"), None, "customer"),
        (None, Some("-1"), "sale_price"),
        (None, Some("1000000000.01"), "sale_price"),
        (None, Some("0.000000001"), "sale_price"),
    ];
    let before = counts(&desk.engine);
    for (customer, sale, field) in cases {
        let new = sold("https://instagram.com/p/bad", 1000, customer, sale);
        for err in [
            desk.engine.quote_order(&new).unwrap_err(),
            desk.engine.place_order(new).await.unwrap_err(),
        ] {
            match err {
                EngineError::Input { field: f, .. } => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
    assert_eq!(counts(&desk.engine), before);
    assert_eq!(customers_count(&desk), 0);
    // Arabic names and emoji are customers like any other.
    let c = desk
        .engine
        .add_customer(&NewCustomer {
            name: "متجر سارة 🌸".into(),
            contact: Some("@sara_store".into()),
        })
        .unwrap();
    assert_eq!(c.name, "متجر سارة 🌸");
    let taken = desk
        .engine
        .add_customer(&NewCustomer {
            name: "  متجر   سارة 🌸".into(),
            contact: None,
        })
        .unwrap_err();
    assert_eq!(taken.code(), "customer.name_taken");
    assert_eq!(
        desk.engine.customer(999).unwrap_err().code(),
        "customer.not_found"
    );
    let found = desk
        .engine
        .customers(&CustomerQuery {
            search: Some("SARA_".into()),
            limit: None,
        })
        .unwrap();
    assert_eq!(found.len(), 1, "the contact matches, `_` literally");
    assert!(desk
        .engine
        .customers(&CustomerQuery {
            search: Some("x%".into()),
            limit: None,
        })
        .unwrap()
        .is_empty());
    assert_eq!(customers_count(&desk), 1);
}

/// Orders with random states, sales, charges and customers, written straight to the store:
/// every group of the profit report sums exactly to the overall figure, which is the sum of
/// the orders' own settlements.
#[tokio::test]
async fn profit_groups_sum_exactly_to_the_orders() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let desk = desk().await;
    desk.engine
        .add_customer(&NewCustomer {
            name: "Ali".into(),
            contact: None,
        })
        .unwrap();
    desk.engine
        .add_customer(&NewCustomer {
            name: "Mona".into(),
            contact: None,
        })
        .unwrap();
    let statuses = [
        "pending",
        "in_progress",
        "completed",
        "partial",
        "canceled",
        "refunded",
        "rejected",
        "unknown",
    ];
    let order = (
        0..statuses.len(),
        prop::option::of(1u64..10_000_000),
        prop::option::of(0u64..10_000_000),
        1u64..100_000,
        0u64..100_000,
        prop::option::of(1i64..=2),
        0i64..(30 * 86_400_000),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let start_ms = start().as_millisecond();
    runner
        .run(&prop::collection::vec(order, 1..60), |orders| {
            desk.engine
                .store()
                .write(|tx| {
                    tx.execute("DELETE FROM orders", [])?;
                    for (i, (st, sale, charge, qty, rem, cust, at, eur)) in
                        orders.iter().enumerate()
                    {
                        let money = |v: u64| Decimal::new(v as i64, 5).normalize().to_string();
                        tx.execute(
                            "INSERT INTO orders (idempotency_key, provider_id, service_id, \
                             service_name, service_type, service_rate, estimated_cost, status, \
                             charge, currency, quantity, remains, customer_id, sale_price, \
                             created_at, updated_at) VALUES (?1, 1, '1', 's', 'Default', '1', \
                             '0.5', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                            rusqlite::params![
                                format!("p{i}"),
                                statuses[*st],
                                charge.map(money),
                                if *eur { "EUR" } else { "USD" },
                                *qty as i64,
                                (*rem).min(*qty) as i64,
                                cust,
                                sale.map(money),
                                start_ms + at,
                            ],
                        )?;
                    }
                    Ok(())
                })
                .unwrap();
            let p = desk.engine.profit(&StatsQuery::default()).unwrap();
            // The orders' own settlements, summed here.
            let all = desk
                .engine
                .list_orders(&OrderQuery {
                    limit: Some(1000),
                    ..OrderQuery::default()
                })
                .unwrap()
                .orders;
            for e in &p.overall {
                let mine: Vec<_> = all
                    .iter()
                    .filter(|o| o.currency.as_deref() == Some(e.currency.as_str()))
                    .filter_map(|o| {
                        settle(&SaleFacts {
                            status: o.status,
                            sale_price: o.sale_price,
                            estimated_cost: o.estimated_cost,
                            charge: o.charge,
                            units: o.quantity,
                            remains: o.remains,
                        })
                    })
                    .collect();
                prop_assert_eq!(e.orders, mine.len() as u64);
                prop_assert_eq!(
                    e.revenue,
                    mine.iter().map(|s| s.billed).sum::<Decimal>().normalize()
                );
                prop_assert_eq!(
                    e.cost,
                    mine.iter().map(|s| s.cost).sum::<Decimal>().normalize()
                );
                prop_assert_eq!(e.profit, e.revenue - e.cost);
                for groups in [&p.per_day, &p.providers, &p.platforms, &p.categories] {
                    let sum = |f: fn(&smm_engine::profit::Earnings) -> Decimal| {
                        groups
                            .iter()
                            .flat_map(|g| &g.earnings)
                            .filter(|x| x.currency == e.currency)
                            .map(f)
                            .sum::<Decimal>()
                            .normalize()
                    };
                    prop_assert_eq!(sum(|x| x.revenue), e.revenue);
                    prop_assert_eq!(sum(|x| x.profit), e.profit);
                }
            }
            Ok(())
        })
        .unwrap();
}

fn balance_alerts(desk: &Desk) -> Vec<smm_engine::Alert> {
    desk.engine
        .list_alerts(&smm_engine::AlertQuery::default())
        .unwrap()
        .into_iter()
        .filter(|a| {
            matches!(
                a.kind,
                smm_engine::AlertKind::BalanceGap | smm_engine::AlertKind::BalanceNegative
            )
        })
        .collect()
}

/// Orders, a partial refund and a recorded top-up explain every balance drop: no alert. Then
/// the panel takes 1,000 for a 0.9 order (as a real panel did): the gap and the negative balance
/// are both named, with the order.
#[tokio::test]
async fn balance_drops_are_reconciled_and_an_overcharge_is_named() {
    let desk = desk().await;
    desk.sim.set_balance(d("50"));
    desk.engine.check_balance("sim").await.unwrap();
    // Each step a second later, as in life (the windows are between readings).
    let tick = || desk.clock.advance_millis(1000);
    let place = |link: &'static str, q: u64| {
        tick();
        desk.engine
            .place_order(NewOrder::new("sim", DEFAULT_SVC, link, q))
    };
    let part = place("https://instagram.com/p/r1", 10_000).await.unwrap();
    place("https://instagram.com/p/r2", 1000).await.unwrap();
    tick();
    desk.engine.check_balance("sim").await.unwrap();
    let w = desk.engine.reconcile_latest("sim").unwrap().unwrap();
    assert_eq!((w.placed, w.gap), (d("9.9"), d("0")), "{w:?}");

    // A partial refund, seen at the next refresh; a top-up the user recorded.
    desk.sim.advance(Duration::from_secs(910));
    desk.engine.cancel_orders(&[part.id]).await.unwrap();
    tick();
    desk.engine
        .refresh_orders(RefreshScope::Orders(vec![part.id]))
        .await
        .unwrap();
    desk.sim.set_balance(desk.sim.balance() + d("25"));
    desk.engine
        .record_topup("sim", d("25"), Some("card"))
        .unwrap();
    tick();
    desk.engine.check_balance("sim").await.unwrap();
    let w = desk.engine.reconcile_latest("sim").unwrap().unwrap();
    assert!(w.refunded > d("0") && w.topped_up == d("25"), "{w:?}");
    assert_eq!(w.gap, d("0"), "{w:?}");
    assert!(balance_alerts(&desk).is_empty());

    // The overcharge.
    let o = place("https://instagram.com/p/r3", 1000).await.unwrap();
    desk.sim.set_balance(desk.sim.balance() - d("999.1"));
    tick();
    desk.engine.check_balance("sim").await.unwrap();
    let alerts = balance_alerts(&desk);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    let gap = alerts
        .iter()
        .find(|a| a.kind == smm_engine::AlertKind::BalanceGap)
        .unwrap();
    assert_eq!(gap.params["gap"], "999.1");
    assert_eq!(gap.params["orders"], serde_json::json!([o.id]));
    assert!(alerts
        .iter()
        .any(|a| a.kind == smm_engine::AlertKind::BalanceNegative));

    // The Dashboard's marks: that one window, as the alert saw it; none in a range before it.
    let gaps = desk.engine.balance_gaps(None, None).unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(
        (
            gaps[0].provider.as_str(),
            gaps[0].unexplained(),
            &gaps[0].orders
        ),
        ("sim", d("999.1"), &vec![o.id])
    );
    assert_eq!(
        gaps[0],
        desk.engine.reconcile_latest("sim").unwrap().unwrap()
    );
    assert!(desk
        .engine
        .balance_gaps(None, Some(gaps[0].to))
        .unwrap()
        .is_empty());
    assert_eq!(
        desk.engine.balance_gaps(Some(gaps[0].to), None).unwrap(),
        gaps
    );
    // A tolerance above the gap hides it; bad tolerances change nothing.
    assert_eq!(desk.engine.reconcile_tolerance().unwrap(), d("0.01"));
    for bad in ["-1", "abc", "1e3", "", " ", "0.000000001", "1000001", "1,5"] {
        match desk.engine.set_reconcile_tolerance(bad).unwrap_err() {
            EngineError::Input { field, .. } => assert_eq!(field, "tolerance", "{bad:?}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert_eq!(desk.engine.reconcile_tolerance().unwrap(), d("0.01"));
    assert_eq!(
        desk.engine.set_reconcile_tolerance(" 1000 ").unwrap(),
        d("1000")
    );
    assert!(desk.engine.balance_gaps(None, None).unwrap().is_empty());
    desk.engine.set_reconcile_tolerance("0.01").unwrap();

    // Bad top-ups: a specific error, nothing written.
    for (amount, field) in [("0", "amount"), ("-5", "amount"), ("1000000001", "amount")] {
        match desk
            .engine
            .record_topup("sim", d(amount), None)
            .unwrap_err()
        {
            EngineError::Input { field: f, .. } => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        desk.engine
            .record_topup("sim", d("1"), Some("two\nlines"))
            .unwrap_err()
            .code(),
        "input.invalid"
    );
    assert_eq!(
        count(&desk.engine, "SELECT count(*) FROM balance_topups"),
        1
    );
}
