//! Restarts: messages queued while the receiver was down, and events recorded while no
//! delivery worker ran, are all delivered after the engine reopens the same database —
//! each exactly once, under the webhook-id it was queued with.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use smm_engine::orders::RefreshScope;
use smm_engine::{DeliveryQuery, DeliveryState, NewOrder, NewWebhook};

use crate::support::*;

fn msg_ids(engine: &smm_engine::Engine) -> BTreeSet<String> {
    engine
        .webhook_deliveries(&DeliveryQuery::default())
        .unwrap()
        .into_iter()
        .map(|d| d.msg_id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_or_doubled_across_a_restart_with_the_receiver_down() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, sim) = desk(dir.path()).await;
    // A port nobody listens on: the receiver is down.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let created = engine
        .add_webhook(NewWebhook {
            url: format!("http://127.0.0.1:{port}/hooks/smm?token=abc"),
            events: None,
        })
        .unwrap();
    let scheduler = run_scheduler(&engine, fast(500, &[300; 10]));
    engine.test_webhook(created.webhook.id).unwrap();
    let order = engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/restart",
            100,
        ))
        .await
        .unwrap();
    // Every message is tried once and fails: connection refused.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = engine
            .webhook_deliveries(&DeliveryQuery::default())
            .unwrap();
        if rows.len() >= 3
            && rows
                .iter()
                .all(|d| d.attempts >= 1 && d.last_error.is_some())
        {
            assert!(rows.iter().all(|d| d.state == DeliveryState::Pending));
            assert!(
                rows[0]
                    .last_error
                    .as_deref()
                    .unwrap()
                    .starts_with("could not connect"),
                "{rows:#?}"
            );
            assert!(!rows[0].last_error.as_deref().unwrap().contains("token=abc"));
            break;
        }
        assert!(Instant::now() < deadline, "{rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    scheduler.stop().await;
    // The order finishes while no delivery worker runs: only its timeline records it.
    sim.advance(Duration::from_secs(24 * 3600));
    engine.refresh_orders(RefreshScope::AllOpen).await.unwrap();
    let final_status = engine.order(order.id).unwrap().status;
    assert!(final_status.is_terminal());
    let queued = msg_ids(&engine);
    drop(engine);

    // The receiver is back; the engine reopens the same file.
    let receiver = Receiver::start_on(port, 200).await;
    let engine = open(dir.path());
    let scheduler = run_scheduler(&engine, fast(500, &[300; 10]));
    let deadline = Instant::now() + Duration::from_secs(10);
    let rows = loop {
        let rows = engine
            .webhook_deliveries(&DeliveryQuery::default())
            .unwrap();
        if rows.len() > queued.len() && rows.iter().all(|d| d.state == DeliveryState::Delivered) {
            break rows;
        }
        assert!(Instant::now() < deadline, "{rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    tokio::time::sleep(Duration::from_millis(700)).await;
    let got = receiver.requests();
    let got_ids: Vec<String> = got.iter().map(|r| r.id()).collect();
    let unique: BTreeSet<String> = got_ids.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        got_ids.len(),
        "each exactly once: {got_ids:?}"
    );
    assert_eq!(unique, msg_ids(&engine), "every queued message arrived");
    assert!(
        queued.is_subset(&unique),
        "under the ids queued before the restart"
    );
    assert_eq!(rows.len(), got.len());
    for r in &got {
        verify(&created.secret, r);
    }
    assert!(
        got.iter()
            .any(|r| r.json()["data"]["status"] == final_status.as_str()),
        "the change recorded while nothing delivered was sent after the restart"
    );
    scheduler.stop().await;
}

#[tokio::test]
async fn queueing_twice_queues_nothing_twice_and_old_events_stay_unsent() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _sim) = desk(dir.path()).await;
    engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/before",
            100,
        ))
        .await
        .unwrap();
    let receiver = Receiver::start(200, Duration::ZERO).await;
    let hooks: Vec<i64> = (0..2)
        .map(|_| {
            engine
                .add_webhook(NewWebhook {
                    url: receiver.url.clone(),
                    events: Some(vec!["order.status_changed".into()]),
                })
                .unwrap()
                .webhook
                .id
        })
        .collect();
    assert_eq!(
        engine.enqueue_webhook_events().unwrap(),
        0,
        "history is not sent"
    );
    engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/after",
            100,
        ))
        .await
        .unwrap();
    // submitting and pending, for each of the two webhooks.
    assert_eq!(engine.enqueue_webhook_events().unwrap(), 4);
    assert_eq!(engine.enqueue_webhook_events().unwrap(), 0);
    for id in hooks {
        let rows = engine
            .webhook_deliveries(&DeliveryQuery {
                webhook_id: Some(id),
                ..DeliveryQuery::default()
            })
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|d| d.event_type == "order.status_changed"));
    }
    assert_eq!(
        count(&engine, "SELECT count(DISTINCT msg_id) FROM webhook_outbox"),
        4
    );
}
