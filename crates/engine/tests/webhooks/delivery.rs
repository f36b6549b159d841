//! Delivery: a real status refresh and a low-balance alert reach a receiver signed; a slow
//! receiver delays only itself; failures are retried with backoff, then given up; a 2xx
//! after failures ends the retries.

use std::time::{Duration, Instant};

use smm_engine::orders::RefreshScope;
use smm_engine::{DeliveryQuery, DeliveryState, NewOrder, NewWebhook, ProviderUpdate};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_refresh_and_a_low_balance_alert_arrive_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, sim) = desk(dir.path()).await;
    // An order placed before the webhook existed is not announced to it.
    let early = engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/early",
            100,
        ))
        .await
        .unwrap();
    let receiver = Receiver::start(200, Duration::ZERO).await;
    let created = engine
        .add_webhook(NewWebhook {
            url: receiver.url.clone(),
            events: None,
        })
        .unwrap();
    let secret = created.secret.clone();
    let scheduler = run_scheduler(&engine, fast(2000, &[100, 200]));

    let order = engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/hook",
            100,
        ))
        .await
        .unwrap();
    // The simulator's orders progress with its clock; a real refresh picks the change up.
    sim.advance(Duration::from_secs(24 * 3600));
    let report = engine.refresh_orders(RefreshScope::AllOpen).await.unwrap();
    assert!(report.changed >= 2, "{report:?}");
    let refreshed = engine.order(order.id).unwrap();
    assert!(refreshed.status.is_terminal(), "{refreshed:?}");

    engine
        .update_provider(
            "sim",
            ProviderUpdate {
                low_balance_threshold: Some(Some("500".parse().unwrap())),
                ..ProviderUpdate::default()
            },
        )
        .unwrap();
    sim.set_balance("120.5".parse().unwrap());
    engine.check_balance("sim").await.unwrap();

    let got = receiver
        .wait_for(10, |r| {
            r.iter().any(|r| r.json()["type"] == "balance.low")
                && r.iter().any(|r| {
                    r.json()["data"]["order_id"] == order.id
                        && r.json()["data"]["status"] == refreshed.status.as_str()
                })
        })
        .await;
    for r in &got {
        verify(&secret, r);
    }
    let bodies: Vec<serde_json::Value> = got.iter().map(|r| r.json()).collect();
    // The early order: its placement came before the webhook, its completion after.
    let early_path: Vec<&str> = bodies
        .iter()
        .filter(|b| b["data"]["order_id"] == early.id)
        .map(|b| b["data"]["previous_status"].as_str().unwrap())
        .collect();
    assert_eq!(early_path, ["pending"], "{bodies:#?}");
    // The order's whole path, in order: submitting → pending → … → final, each once.
    let path: Vec<(String, String)> = bodies
        .iter()
        .filter(|b| b["type"] == "order.status_changed" && b["data"]["order_id"] == order.id)
        .map(|b| {
            (
                b["data"]["previous_status"]
                    .as_str()
                    .unwrap_or("-")
                    .to_string(),
                b["data"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(path[0], ("-".into(), "submitting".into()), "{path:?}");
    assert_eq!(path[1], ("submitting".into(), "pending".into()), "{path:?}");
    assert_eq!(path.last().unwrap().1, refreshed.status.as_str());
    for pair in path.windows(2) {
        assert_eq!(pair[0].1, pair[1].0, "no gap in {path:?}");
    }
    let last = bodies
        .iter()
        .rfind(|b| b["data"]["order_id"] == order.id)
        .unwrap();
    assert_eq!(last["data"]["provider"], "sim");
    assert_eq!(
        last["data"]["external_id"].as_str(),
        refreshed.external_id.as_deref()
    );
    assert_eq!(
        last["data"]["charge"].as_str(),
        refreshed.charge.map(|c| c.to_string()).as_deref(),
        "money as an exact decimal string"
    );
    assert_eq!(
        last["data"]["remains"],
        serde_json::json!(refreshed.remains)
    );
    assert!(last["timestamp"].as_str().unwrap().ends_with('Z'));
    let low = bodies.iter().find(|b| b["type"] == "balance.low").unwrap();
    assert_eq!(low["data"]["provider"], "sim");
    assert_eq!(low["data"]["balance"], "120.5");
    assert_eq!(low["data"]["threshold"], "500");
    assert_eq!(low["data"]["currency"], "USD");
    // Each message once, and the outbox says so.
    let mut ids: Vec<String> = got.iter().map(|r| r.id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "no message delivered twice");
    let deliveries = engine
        .webhook_deliveries(&DeliveryQuery::default())
        .unwrap();
    assert_eq!(deliveries.len(), got.len());
    assert!(deliveries
        .iter()
        .all(|d| d.state == DeliveryState::Delivered
            && d.attempts == 1
            && d.last_status == Some(200)));
    let listed = engine.list_webhooks().unwrap();
    assert_eq!(listed[0].delivered as usize, got.len());
    assert!(!serde_json::to_string(&listed)
        .unwrap()
        .contains(secret.expose()));
    scheduler.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_receiver_delays_neither_other_webhooks_nor_order_refreshes() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, sim) = desk(dir.path()).await;
    // Holds every request 3 s, far beyond the 300 ms timeout.
    let slow = Receiver::start(200, Duration::from_secs(3)).await;
    let fast_rx = Receiver::start(204, Duration::ZERO).await;
    let add = |url: &str| {
        engine
            .add_webhook(NewWebhook {
                url: url.to_string(),
                events: None,
            })
            .unwrap()
            .webhook
            .id
    };
    let (slow_id, fast_id) = (add(&slow.url), add(&fast_rx.url));
    let scheduler = run_scheduler(&engine, fast(300, &[200, 200]));
    for _ in 0..3 {
        engine.test_webhook(slow_id).unwrap();
    }
    slow.wait_for(5, |r| !r.is_empty()).await;
    // While the slow receiver holds a request, the other webhook and the engine go on.
    let started = Instant::now();
    let order = engine
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/slow",
            100,
        ))
        .await
        .unwrap();
    sim.advance(Duration::from_secs(3600));
    engine
        .refresh_orders(RefreshScope::Orders(vec![order.id]))
        .await
        .unwrap();
    engine.test_webhook(fast_id).unwrap();
    fast_rx
        .wait_for(5, |r| {
            r.iter().any(|r| r.json()["type"] == "webhook.test")
                && r.iter().any(|r| r.json()["data"]["order_id"] == order.id)
        })
        .await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "order, refresh and the other webhook took {took:?}"
    );

    // The slow one: every attempt times out; 3 attempts per message, then given up.
    let deadline = Instant::now() + Duration::from_secs(20);
    let slow_rows = loop {
        let rows = engine
            .webhook_deliveries(&DeliveryQuery {
                webhook_id: Some(slow_id),
                ..DeliveryQuery::default()
            })
            .unwrap();
        if rows.iter().all(|d| d.state == DeliveryState::Failed) {
            break rows;
        }
        assert!(Instant::now() < deadline, "{rows:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(slow_rows.len() >= 3);
    for d in &slow_rows {
        assert_eq!(d.attempts, 3, "{d:?}");
        assert_eq!(d.last_error.as_deref(), Some("no answer within 300 ms"));
        assert!(d.next_attempt_at.is_none() && d.given_up_at.is_some());
    }
    // One in flight at a time for the slow webhook: its requests never overlapped.
    let starts: Vec<Instant> = slow.requests().iter().map(|r| r.at).collect();
    for pair in starts.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(290),
            "{starts:?}"
        );
    }
    scheduler.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_with_backoff_and_a_2xx_ends_the_retries() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let flaky = Receiver::start(200, Duration::ZERO).await;
    flaky.then_answer(&[500, 503]);
    let dead = Receiver::start(410, Duration::ZERO).await;
    let flaky_hook = engine
        .add_webhook(NewWebhook {
            url: flaky.url.clone(),
            events: None,
        })
        .unwrap();
    let dead_id = engine
        .add_webhook(NewWebhook {
            url: dead.url.clone(),
            events: None,
        })
        .unwrap()
        .webhook
        .id;
    let scheduler = run_scheduler(&engine, fast(1000, &[300, 600, 600]));
    let queued = engine.test_webhook(flaky_hook.webhook.id).unwrap();
    engine.test_webhook(dead_id).unwrap();
    assert_eq!(queued.state, DeliveryState::Pending);

    let got = flaky.wait_for(10, |r| r.len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_later = flaky.requests();
    assert_eq!(got_later.len(), 3, "a 2xx ends the retries: {got_later:#?}");
    // The same message each time (same id and body), freshly signed.
    assert!(got
        .iter()
        .all(|r| r.id() == queued.msg_id && r.body == got[0].body));
    for r in &got {
        verify(&flaky_hook.secret, r);
    }
    let gaps: Vec<Duration> = got.windows(2).map(|p| p[1].at - p[0].at).collect();
    assert!(gaps[0] >= Duration::from_millis(290), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(590), "{gaps:?}");
    let row = &engine
        .webhook_deliveries(&DeliveryQuery {
            webhook_id: Some(flaky_hook.webhook.id),
            ..DeliveryQuery::default()
        })
        .unwrap()[0];
    assert_eq!(
        (
            row.state,
            row.attempts,
            row.last_status,
            row.last_error.as_deref()
        ),
        (DeliveryState::Delivered, 3, Some(200), None)
    );

    // The receiver that always says 410: 1 + 3 retries, then given up and kept.
    let requests = dead.wait_for(10, |r| r.len() >= 4).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let row = loop {
        let row = engine
            .webhook_deliveries(&DeliveryQuery {
                webhook_id: Some(dead_id),
                ..DeliveryQuery::default()
            })
            .unwrap()
            .remove(0);
        if row.state != DeliveryState::Pending || Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(row.state, DeliveryState::Failed, "{row:?}");
    assert_eq!(
        (row.attempts, row.last_status, row.last_error.as_deref()),
        (4, Some(410), Some("HTTP 410"))
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        dead.requests().len(),
        requests.len(),
        "no attempt after giving up"
    );
    assert_eq!(engine.list_webhooks().unwrap()[1].failed, 1);
    scheduler.stop().await;
}
