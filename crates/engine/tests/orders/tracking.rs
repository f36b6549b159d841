//! Tracking: multi-status batches, charges and remains of partial and canceled orders,
//! refills and cancels, mass orders.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use smm_engine::orders::{MassOrder, RefreshScope};
use smm_engine::{NewOrder, OrderStatus};
use smm_panel::sim::Fault;
use smm_panel::{Action, OrderStatus as SimStatus};

use crate::support::*;

fn mass_text(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("{DEFAULT_SVC}|https://instagram.com/p/{tag}{i}|100\n"))
        .collect()
}

#[tokio::test]
async fn refreshing_250_open_orders_takes_3_multi_status_calls() {
    let desk = desk().await;
    let progress = AtomicUsize::new(0);
    let report = desk
        .engine
        .place_mass_order(
            MassOrder {
                provider: "sim".into(),
                text: mass_text(250, "m"),
                ..MassOrder::default()
            },
            &|p| {
                progress.fetch_max(p.done, Ordering::SeqCst);
            },
        )
        .await
        .unwrap();
    assert_eq!(
        report.accepted,
        250,
        "{:?}",
        report.results.iter().find(|r| r.error.is_some())
    );
    assert_eq!(progress.load(Ordering::SeqCst), 250);
    assert_eq!(desk.sim.counters().get(Action::Add), 250);
    // A failing provider: the refresh reports it and changes nothing.
    desk.sim.set_fault(Action::Status, Fault::ServerError(503));
    let before = counts(&desk.engine);
    let failed = desk
        .engine
        .refresh_orders(RefreshScope::Provider("sim".into()))
        .await
        .unwrap();
    assert_eq!(failed.errors.len(), 1);
    assert_eq!(failed.errors[0].error.code, "panel.http");
    assert_eq!(failed.checked, 0);
    let after = counts(&desk.engine);
    assert_eq!(after[..4], before[..4], "only the API log grew");
    desk.sim.clear_faults();
    desk.sim.reset_counters();
    desk.sim.advance(Duration::from_secs(3600));
    let r = desk
        .engine
        .refresh_orders(RefreshScope::AllOpen)
        .await
        .unwrap();
    assert_eq!(r.calls, 3);
    assert_eq!(r.checked, 250);
    assert_eq!(desk.sim.counters().get(Action::Status), 3);
    assert!(r.changed > 0);
    // Every local order now matches the provider exactly.
    for line in &report.results {
        let o = desk.engine.order(line.order.as_ref().unwrap().id).unwrap();
        let s = desk.sim.order(o.external_id.as_deref().unwrap()).unwrap();
        assert_eq!(o.charge, Some(s.charge));
        assert_eq!(o.remains, Some(s.remains));
        assert_eq!(o.start_count, Some(s.start_count));
        assert_eq!(o.raw_status.as_deref(), Some(s.status.as_str()));
    }
    // Running the same batch again places nothing twice.
    let again = desk
        .engine
        .place_mass_order(
            MassOrder {
                provider: "sim".into(),
                text: mass_text(250, "m"),
                ..MassOrder::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(again.batch_key, report.batch_key);
    assert_eq!(desk.sim.counters().get(Action::Add), 0);
}

#[tokio::test]
async fn a_resumed_mass_order_needs_only_what_its_remaining_lines_cost() {
    let desk = desk().await;
    desk.sim
        .set_balance(smm_engine::money::from_text("1").unwrap());
    desk.engine.test_provider("sim").await.unwrap();
    desk.clock.advance_millis(1_000);
    // 10 lines at 0.09: 0.90 in all. Lines 1-5 were journaled before an interruption (their
    // keys are the batch's), so 0.55 is left and the other 0.45 fits.
    let text = mass_text(10, "resume");
    for line in 1..=5 {
        let mut o = NewOrder::new(
            "sim",
            DEFAULT_SVC,
            format!("https://instagram.com/p/resume{}", line - 1),
            100,
        );
        o.idempotency_key = Some(format!("batch-r:{line}"));
        desk.engine.place_order(o).await.unwrap();
    }
    let mass = |key: &str| MassOrder {
        provider: "sim".into(),
        text: text.clone(),
        batch_key: Some(key.into()),
        ..MassOrder::default()
    };
    // The same lines as a new batch would need 0.90 of the 0.55 left: refused, nothing sent.
    let e = desk
        .engine
        .place_mass_order(mass("batch-other"), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order.insufficient_balance");
    assert_eq!(desk.sim.counters().get(Action::Add), 5);
    let report = desk
        .engine
        .place_mass_order(mass("batch-r"), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.accepted, 10);
    assert_eq!(
        desk.sim.counters().get(Action::Add),
        10,
        "the first five were not sent again"
    );
}

#[tokio::test]
async fn invalid_mass_order_places_nothing_unless_valid_only() {
    let desk = desk().await;
    let text = format!(
        "{DEFAULT_SVC}|https://instagram.com/p/x1|100\n\
         {DEFAULT_SVC}|not a link|100\n\
         # a comment\n\
         {DEFAULT_SVC}|https://instagram.com/p/x2|5\n\
         424242|https://instagram.com/p/x3|100\n\
         {DEFAULT_SVC}|https://instagram.com/p/x4\n\
         {DEFAULT_SVC}|https://instagram.com/p/x5|100\n"
    );
    let before = counts(&desk.engine);
    let e = desk
        .engine
        .place_mass_order(
            MassOrder {
                provider: "sim".into(),
                text: text.clone(),
                ..MassOrder::default()
            },
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "mass_order.invalid");
    let smm_engine::EngineError::Order(smm_engine::OrderError::MassOrderInvalid(lines)) = &e else {
        panic!("{e:?}")
    };
    let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.line, l.code)).collect();
    assert_eq!(
        got,
        vec![
            (2, "order.link_invalid"),
            (4, "order.quantity_below_min"),
            (5, "order.service_not_found"),
            (6, "mass_order.line_format")
        ]
    );
    assert_eq!(counts(&desk.engine), before);
    let report = desk
        .engine
        .place_mass_order(
            MassOrder {
                provider: "sim".into(),
                text,
                valid_only: true,
                ..MassOrder::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.accepted, 2);
    assert_eq!(report.skipped.len(), 4);
    assert_eq!(
        report.results.iter().map(|r| r.line).collect::<Vec<_>>(),
        vec![1, 7]
    );
    let keys: Vec<String> = report
        .results
        .iter()
        .map(|r| r.order.as_ref().unwrap().idempotency_key.clone())
        .collect();
    assert_eq!(
        keys,
        vec![
            format!("{}:1", report.batch_key),
            format!("{}:7", report.batch_key)
        ]
    );
}

#[tokio::test]
async fn partial_and_canceled_orders_get_the_providers_charge_and_remains() {
    let desk = desk().await;
    let place = |link: &str| {
        desk.engine
            .place_order(NewOrder::new("sim", DEFAULT_SVC, link, 10_000))
    };
    let a = place("https://instagram.com/p/part").await.unwrap();
    let b = place("https://instagram.com/p/cancel").await.unwrap();
    // `b` is canceled before it starts; `a` after part of it was delivered.
    let out = desk.engine.cancel_orders(&[b.id]).await.unwrap();
    assert_eq!(out[0].status.as_deref(), Some("accepted"));
    desk.sim.advance(Duration::from_secs(910));
    let out = desk.engine.cancel_orders(&[a.id]).await.unwrap();
    assert_eq!(out[0].status.as_deref(), Some("accepted"));
    // Accepted is not canceled: the local state waits for the status poll.
    assert_eq!(
        desk.engine.order(a.id).unwrap().status,
        OrderStatus::Pending
    );
    let r = desk
        .engine
        .refresh_orders(RefreshScope::Orders(vec![a.id, b.id]))
        .await
        .unwrap();
    assert_eq!(r.finished, 2);
    let a = desk.engine.order(a.id).unwrap();
    let b = desk.engine.order(b.id).unwrap();
    let sa = desk.sim.order(a.external_id.as_deref().unwrap()).unwrap();
    assert_eq!(sa.status, SimStatus::Partial);
    assert_eq!(a.status, OrderStatus::Partial);
    assert_eq!(a.charge, Some(sa.charge));
    assert_eq!(a.remains, Some(sa.remains));
    assert!(sa.remains > 0 && sa.remains < 10_000);
    assert!(a.charge.unwrap() < a.estimated_cost);
    assert_eq!(b.status, OrderStatus::Canceled);
    assert_eq!(b.charge, Some(d("0")));
    assert_eq!(b.remains, Some(10_000));
    assert!(a.finished_at.is_some());
    // Finished orders are no longer polled or cancelable.
    let again = desk
        .engine
        .refresh_orders(RefreshScope::AllOpen)
        .await
        .unwrap();
    assert_eq!(again.calls, 0);
    let out = desk.engine.cancel_orders(&[a.id]).await.unwrap();
    assert_eq!(out[0].error.as_ref().unwrap().code, "order.finished");
    let kinds = event_kinds(&desk.engine, a.id);
    assert_eq!(
        kinds,
        [
            "created",
            "accepted",
            "cancel_requested",
            "cancel",
            "status"
        ]
    );
}

#[tokio::test]
async fn refills_are_requested_once_and_tracked() {
    let desk = desk().await;
    let a = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/r",
            100,
        ))
        .await
        .unwrap();
    let plain = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            PLAIN_SVC,
            "https://instagram.com/p/plain",
            100,
        ))
        .await
        .unwrap();
    // The plain service takes no cancels either: refused before anything is journaled or sent.
    let before = counts(&desk.engine);
    let out = desk.engine.cancel_orders(&[plain.id]).await.unwrap();
    assert_eq!(
        out[0].error.as_ref().unwrap().code,
        "order.cancel_unsupported"
    );
    assert_eq!(counts(&desk.engine), before);
    assert_eq!(desk.sim.counters().get(Action::Cancel), 0);
    desk.sim.advance(Duration::from_secs(2 * 24 * 3600));
    desk.engine
        .refresh_orders(RefreshScope::AllOpen)
        .await
        .unwrap();
    assert!(desk.engine.order(a.id).unwrap().status.is_terminal());
    let before = counts(&desk.engine);
    let out = desk.engine.request_refill(&[plain.id, 999]).await.unwrap();
    assert_eq!(
        out[0].error.as_ref().unwrap().code,
        "order.refill_unsupported"
    );
    assert_eq!(out[1].error.as_ref().unwrap().code, "order.not_found");
    assert_eq!(counts(&desk.engine), before);
    let out = desk.engine.request_refill(&[a.id]).await.unwrap();
    let refill = out[0].refill.clone().unwrap();
    assert_eq!(refill.status, "pending");
    assert!(refill.external_refill_id.is_some());
    assert_eq!(desk.sim.counters().get(Action::Refill), 1);
    desk.sim.advance(Duration::from_secs(2000));
    let r = desk.engine.refresh_refills(None).await.unwrap();
    assert_eq!((r.calls, r.checked, r.changed), (1, 1, 1));
    let refills = desk.engine.order_refills(a.id).unwrap();
    assert!(
        ["completed", "rejected"].contains(&refills[0].status.as_str()),
        "{refills:?}"
    );
    // A refill whose answer was lost is unknown and not resent.
    desk.sim
        .set_fault_times(Action::Refill, Fault::ResetAfterAccept, 1);
    let out = desk.engine.request_refill(&[a.id]).await.unwrap();
    assert_eq!(out[0].refill.as_ref().unwrap().status, "unknown");
    assert_eq!(desk.sim.counters().get(Action::Refill), 2);
}

#[tokio::test]
async fn refill_and_cancel_answer_the_same_failures_alike() {
    use smm_engine::orders::{CancelStatus, RefillStatus};
    let desk = desk().await;
    let place = |link: &str| {
        desk.engine
            .place_order(NewOrder::new("sim", DEFAULT_SVC, link, 1000))
    };
    let a = place("https://instagram.com/p/alike-a").await.unwrap();
    let b = place("https://instagram.com/p/alike-b").await.unwrap();
    let ext_a = a.external_id.clone().unwrap();

    // An order named twice is one request, sent once.
    desk.sim.reset_counters();
    assert_eq!(
        desk.engine
            .request_refill(&[a.id, a.id])
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        desk.engine
            .cancel_orders(&[a.id, a.id])
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(desk.engine.order_refills(a.id).unwrap().len(), 1);
    assert_eq!(desk.engine.cancel_requests(a.id).unwrap().len(), 1);
    let cancel = desk
        .sim
        .requests()
        .into_iter()
        .rfind(|r| r.action == Some(Action::Cancel))
        .unwrap();
    assert_eq!(cancel.param("orders"), Some(ext_a.as_str()));

    // The provider refuses the whole call: both requests are rejected in its own words,
    // whether one order or several were asked.
    desk.sim.set_fault(Action::Refill, Fault::RateLimitText);
    desk.sim.set_fault(Action::Cancel, Fault::RateLimitText);
    let refills = desk.engine.request_refill(&[b.id]).await.unwrap();
    let several = desk.engine.request_refill(&[a.id, b.id]).await.unwrap();
    let cancels = desk.engine.cancel_orders(&[b.id]).await.unwrap();
    for r in refills.iter().chain(&several) {
        assert_eq!(r.refill.as_ref().unwrap().status, RefillStatus::Rejected);
        let e = r.error.as_ref().unwrap();
        assert_eq!(e.code, "refill.rejected");
        assert_eq!(e.message, "Rate limit exceeded. Slow down.");
    }
    assert_eq!(cancels[0].status, Some(CancelStatus::Rejected));
    let e = cancels[0].error.as_ref().unwrap();
    assert_eq!(e.code, "cancel.rejected");
    assert_eq!(e.message, "Rate limit exceeded. Slow down.");

    // The answer is lost (an HTML page): both are unknown, with the same message.
    desk.sim.set_fault(Action::Refill, Fault::Html200);
    desk.sim.set_fault(Action::Cancel, Fault::Html200);
    let refill = desk.engine.request_refill(&[b.id]).await.unwrap().remove(0);
    let cancel = desk.engine.cancel_orders(&[b.id]).await.unwrap().remove(0);
    let refill_row = refill.refill.unwrap();
    assert_eq!(refill_row.status, RefillStatus::Unknown);
    assert_eq!(cancel.status, Some(CancelStatus::Unknown));
    let (re, ce) = (refill.error.unwrap(), cancel.error.unwrap());
    assert_eq!((re.code, ce.code), ("refill.unknown", "cancel.unknown"));
    assert!(
        re.message.starts_with("the provider reply is not JSON"),
        "{}",
        re.message
    );
    assert_eq!(ce.message, re.message);
    assert_eq!(refill_row.last_error.as_deref(), Some(re.message.as_str()));
    let stored = desk.engine.cancel_requests(b.id).unwrap().pop().unwrap();
    assert_eq!(stored.status, CancelStatus::Unknown);
    assert_eq!(stored.last_error.as_deref(), Some(ce.message.as_str()));
}
