//! The order list: filters, keyset paging, CSV export and query plans.

use smm_engine::orders::OrderQuery;
use smm_engine::{NewOrder, OrderStatus};

use crate::support::*;

#[tokio::test]
async fn pages_filters_and_csv() {
    let desk = desk().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        desk.clock.advance_millis(1000);
        let link = if i == 3 {
            "https://instagram.com/p/with,comma\"quote".to_string()
        } else {
            format!("https://instagram.com/p/list{i}")
        };
        let o = desk
            .engine
            .place_order(NewOrder::new("sim", DEFAULT_SVC, link, 100))
            .await
            .unwrap();
        ids.push(o.id);
    }
    desk.sim.set_balance(d("0"));
    let rejected = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/poor",
            100,
        ))
        .await
        .unwrap();
    let mut q = OrderQuery {
        limit: Some(3),
        ..OrderQuery::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = desk.engine.list_orders(&q).unwrap();
        seen.extend(page.orders.iter().map(|o| o.id));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    let mut expected: Vec<i64> = ids.iter().copied().chain([rejected.id]).collect();
    expected.reverse();
    assert_eq!(seen, expected, "newest first, each once");
    let only = |q: OrderQuery| -> Vec<i64> {
        desk.engine
            .list_orders(&q)
            .unwrap()
            .orders
            .iter()
            .map(|o| o.id)
            .collect()
    };
    assert_eq!(
        only(OrderQuery {
            status: vec![OrderStatus::Rejected],
            ..Default::default()
        }),
        vec![rejected.id]
    );
    assert_eq!(
        only(OrderQuery {
            link_contains: Some("LIST2".into()),
            ..Default::default()
        }),
        vec![ids[2]]
    );
    assert_eq!(
        only(OrderQuery {
            link_contains: Some("%".into()),
            ..Default::default()
        }),
        Vec::<i64>::new()
    );
    assert_eq!(
        only(OrderQuery {
            provider: Some("sim".into()),
            ..Default::default()
        })
        .len(),
        8
    );
    // Several states: the same rows, in the same order, page by page, as filtering the list.
    let mut q = OrderQuery {
        status: vec![
            OrderStatus::Rejected,
            OrderStatus::Pending,
            OrderStatus::Rejected,
        ],
        limit: Some(3),
        ..OrderQuery::default()
    };
    let mut several = Vec::new();
    loop {
        let page = desk.engine.list_orders(&q).unwrap();
        assert!(page.orders.len() <= 3);
        several.extend(page.orders.iter().map(|o| (o.id, o.status)));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    let every = desk
        .engine
        .list_orders(&OrderQuery {
            limit: Some(100),
            ..OrderQuery::default()
        })
        .unwrap();
    let filtered: Vec<(i64, OrderStatus)> = every
        .orders
        .iter()
        .filter(|o| matches!(o.status, OrderStatus::Rejected | OrderStatus::Pending))
        .map(|o| (o.id, o.status))
        .collect();
    assert!(filtered.len() >= 2, "{filtered:?}");
    assert_eq!(several, filtered);
    let e = desk
        .engine
        .list_orders(&OrderQuery {
            after: Some("junk".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code(), "order.cursor_invalid");

    let mut csv = Vec::new();
    let n = desk
        .engine
        .export_orders_csv(&OrderQuery::default(), &mut csv)
        .unwrap();
    assert_eq!(n, 8);
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.matches("\r\n").count(), 9);
    assert!(text.starts_with("id,created_at,provider,"));
    assert!(text.contains("\"https://instagram.com/p/with,comma\"\"quote\""));
    assert!(text.contains(",0.09,"), "money as exact strings");
    assert!(!text.contains(&desk.sim.key().expose().to_string()));
}

#[tokio::test]
async fn every_list_filter_uses_an_index() {
    let desk = desk().await;
    for q in [
        OrderQuery::default(),
        OrderQuery {
            status: vec![OrderStatus::Pending],
            ..Default::default()
        },
        OrderQuery {
            provider: Some("sim".into()),
            ..Default::default()
        },
        OrderQuery {
            provider: Some("sim".into()),
            status: vec![OrderStatus::Completed],
            ..Default::default()
        },
        OrderQuery {
            service_ref: Some(1),
            ..Default::default()
        },
        OrderQuery {
            from: Some(start()),
            to: Some(start()),
            ..Default::default()
        },
        OrderQuery {
            after: Some("1:1".into()),
            ..Default::default()
        },
    ] {
        let plan = desk.engine.explain_order_list(&q).unwrap().join(" | ");
        assert!(
            plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
            "{q:?}: {plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{q:?} sorts: {plan}");
        // The default list (archived orders hidden) reads only the live orders' indexes.
        if q.service_ref.is_none() {
            assert!(plan.contains("orders_live_"), "{q:?}: {plan}");
        }
        let all = OrderQuery {
            include_archived: true,
            ..q.clone()
        };
        let plan = desk.engine.explain_order_list(&all).unwrap().join(" | ");
        assert!(
            plan.contains("USING INDEX") && !plan.contains("orders_live_"),
            "{all:?}: {plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{all:?} sorts: {plan}");
    }
    // Several states: each state's own index range, cut at the page size; only those rows
    // are merged (never a sort of every matching order).
    let q = OrderQuery {
        status: vec![OrderStatus::Completed, OrderStatus::Partial],
        ..Default::default()
    };
    let plan = desk.engine.explain_order_list(&q).unwrap().join(" | ");
    assert_eq!(
        plan.matches("USING INDEX orders_live_status_created (status=?)")
            .count(),
        2,
        "{plan}"
    );
    assert!(!plan.contains("SCAN o"), "{plan}");
    // The status counts read only an index of live orders, never the table.
    for q in [
        OrderQuery::default(),
        OrderQuery {
            provider: Some("sim".into()),
            ..Default::default()
        },
    ] {
        let plan = desk.engine.explain_order_counts(&q).unwrap().join(" | ");
        assert!(
            plan.contains("USING COVERING INDEX orders_live_"),
            "{q:?}: {plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{q:?}: {plan}");
    }
}
