//! The weekly cleanup prunes the API call log, trims old event details and archives old
//! finished orders — and never deletes money history.

use std::time::Duration;

use smm_engine::orders::OrderQuery;
use smm_engine::{EngineEvent, JobKind, NewOrder};
use smm_panel::sim::SimConfig;

use crate::support::*;

fn count(engine: &smm_engine::Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn cleanup_prunes_and_archives_but_keeps_money_history() {
    let sim = sim(SimConfig {
        services: 50,
        ..SimConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let e = open_at(dir.path(), start());
    add_sim_provider(&e, &sim, "sim", 4, 10_000).await;
    let old = e
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/old",
            100,
        ))
        .await
        .unwrap();
    sim.advance(Duration::from_secs(3600));
    e.run_job(JobKind::OrderStatus, Some("sim")).await.unwrap();
    e.run_job(JobKind::Balance, Some("sim")).await.unwrap();
    assert!(e.order(old.id).unwrap().status.is_terminal());
    let charge = e.order(old.id).unwrap().charge;

    // 100 days later: a fresh open order, and the cleanup.
    tokio::time::advance(Duration::from_secs(100 * 24 * 3600)).await;
    let fresh = e
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/new",
            100,
        ))
        .await
        .unwrap();
    let calls_before = count(&e, "SELECT count(*) FROM api_calls");
    let snapshots = count(&e, "SELECT count(*) FROM balance_snapshots");
    let events_before = count(&e, "SELECT count(*) FROM order_events");
    let mut rx = e.subscribe();
    let run = e.run_job(JobKind::Cleanup, None).await.unwrap();
    assert!(run.error.is_none(), "{run:?}");
    assert_eq!(
        run.summary.as_deref(),
        Some("cleanup: 4 API log rows pruned, 1 event details trimmed, 1 orders archived")
    );

    // The old order is archived with its charge; the fresh one is untouched.
    let archived: Vec<(i64, Option<String>)> = e
        .store()
        .read(|c| {
            let mut s = c.prepare("SELECT id, charge FROM orders WHERE archived_at IS NOT NULL")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0].0, old.id);
    assert_eq!(e.order(old.id).unwrap().charge, charge);
    assert!(charge.is_some());
    assert_eq!(e.order(fresh.id).unwrap().status, fresh.status);
    // Only the 4 old calls (services, add, status, balance) went; balance snapshots and
    // the timeline's rows stay.
    assert_eq!(
        count(&e, "SELECT count(*) FROM api_calls"),
        calls_before - 4
    );
    assert_eq!(
        count(&e, "SELECT count(*) FROM balance_snapshots"),
        snapshots
    );
    assert_eq!(
        count(&e, "SELECT count(*) FROM order_events"),
        events_before
    );
    assert_eq!(
        count(
            &e,
            "SELECT count(*) FROM order_events WHERE json_type(detail, '$.raw_status') IS NOT NULL \
             AND order_id = 1"
        ),
        0
    );
    assert_eq!(
        count(
            &e,
            "SELECT count(*) FROM order_events WHERE json_type(detail, '$.charge') IS NOT NULL \
             AND order_id = 1"
        ),
        1,
        "amounts stay in the timeline"
    );
    // Archived orders leave the default list, its counts and the CSV export; the flag brings
    // them back in all three.
    let ids = |q: &OrderQuery| -> Vec<i64> {
        e.list_orders(q)
            .unwrap()
            .orders
            .iter()
            .map(|o| o.id)
            .collect()
    };
    let all = OrderQuery {
        include_archived: true,
        ..OrderQuery::default()
    };
    assert_eq!(ids(&OrderQuery::default()), vec![fresh.id]);
    assert_eq!(ids(&all), vec![fresh.id, old.id]);
    let total =
        |q: &OrderQuery| -> u64 { e.order_counts(q).unwrap().iter().map(|c| c.count).sum() };
    assert_eq!(total(&OrderQuery::default()), 1);
    assert_eq!(total(&all), 2);
    let old_status = OrderQuery {
        status: vec![e.order(old.id).unwrap().status, fresh.status],
        ..OrderQuery::default()
    };
    assert_eq!(ids(&old_status), vec![fresh.id]);
    assert_eq!(
        ids(&OrderQuery {
            include_archived: true,
            ..old_status
        }),
        vec![fresh.id, old.id]
    );
    let csv = |q: &OrderQuery| -> u64 { e.export_orders_csv(q, &mut Vec::new()).unwrap() };
    assert_eq!(csv(&OrderQuery::default()), 1);
    assert_eq!(csv(&all), 2);
    let mut saw = false;
    while let Ok(ev) = rx.try_recv() {
        saw |= ev == EngineEvent::OrdersChanged { ids: vec![old.id] };
    }
    assert!(saw);
    // A second run finds nothing more to do.
    let again = e.run_job(JobKind::Cleanup, None).await.unwrap();
    assert_eq!(
        again.summary.as_deref(),
        Some("cleanup: 0 API log rows pruned, 0 event details trimmed, 0 orders archived")
    );
}
