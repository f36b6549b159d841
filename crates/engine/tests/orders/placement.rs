//! Placing orders: every outcome class, idempotency, retries only when never sent, crash
//! recovery, resolution, and bad input that writes nothing.

use std::time::Duration;

use smm_engine::orders::Resolution;
use smm_engine::OrderFields;
use smm_engine::{NewOrder, OrderStatus};
use smm_panel::sim::Fault;
use smm_panel::Action;

use crate::support::*;

fn default_order(link: &str, quantity: u64) -> NewOrder {
    NewOrder::new("sim", DEFAULT_SVC, link, quantity)
}

#[tokio::test]
async fn accepted_order_is_pending_with_the_provider_id_and_a_timeline() {
    let desk = desk().await;
    let order = desk
        .engine
        .place_order(default_order("https://instagram.com/p/a", 1000))
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(order.estimated_cost, d("0.9"));
    assert_eq!(order.service_name, "Test service 9001");
    assert_eq!(order.service_rate, d("0.9"));
    let ext = order.external_id.clone().unwrap();
    assert!(desk.sim.order(&ext).is_some());
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(event_kinds(&desk.engine, order.id), ["created", "accepted"]);
    let calls = desk.engine.recent_api_calls(None, 10).unwrap();
    assert!(calls.iter().any(|c| c.action == "add" && c.outcome == "ok"));
}

#[tokio::test]
async fn drip_feed_and_custom_comments_cost_what_the_provider_charges() {
    let desk = desk().await;
    let mut drip = default_order("https://instagram.com/p/drip", 100);
    drip.fields.runs = Some(5);
    drip.fields.interval = Some(10);
    let o = desk.engine.place_order(drip).await.unwrap();
    assert_eq!(o.estimated_cost, d("0.45"));
    let comments = NewOrder {
        provider: "sim".into(),
        service_id: COMMENTS_SVC.into(),
        fields: OrderFields {
            link: Some("https://instagram.com/p/c".into()),
            comments: vec!["great".into(), "love it 😍".into(), "wow".into()],
            ..OrderFields::default()
        },
        ..NewOrder::default()
    };
    let c = desk.engine.place_order(comments).await.unwrap();
    assert_eq!(c.status, OrderStatus::Pending);
    assert_eq!(c.quantity, Some(3));
    assert_eq!(c.estimated_cost, d("0.0075"));
    let sim_order = desk.sim.order(c.external_id.as_deref().unwrap()).unwrap();
    assert_eq!(sim_order.charge, c.estimated_cost);
}

#[tokio::test]
async fn provider_refusal_is_rejected_with_a_typed_reason_and_not_charged() {
    let desk = desk().await;
    desk.sim.set_balance(d("0.1"));
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/b", 1000))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Rejected);
    assert_eq!(o.reject_reason.as_deref(), Some("insufficient_funds"));
    assert!(o.last_error.unwrap().contains("Not enough funds"));
    assert_eq!(o.external_id, None);
    assert_eq!(desk.sim.balance(), d("0.1"));
    assert!(desk.sim.orders().is_empty());
    let events = desk.engine.order_events(o.id).unwrap();
    assert_eq!(events[1].kind, "rejected");
    assert_eq!(events[1].detail["message"], "Not enough funds on balance");
}

#[tokio::test]
async fn resolve_help_counts_every_order_placed_since_the_before_balance() {
    let desk = desk().await;
    desk.engine.test_provider("sim").await.unwrap();
    let before = desk.sim.balance();
    // An accepted order placed after that balance check, then one whose request is lost
    // before the provider processed it: its "before" balance predates the first order.
    desk.clock.advance_millis(1_000);
    let first = desk
        .engine
        .place_order(default_order("https://instagram.com/p/first", 1000))
        .await
        .unwrap();
    desk.clock.advance_millis(1_000);
    desk.sim
        .set_fault_times(Action::Add, Fault::ResetBeforeProcess, 1);
    let lost = desk
        .engine
        .place_order(default_order("https://instagram.com/p/lost-before", 500))
        .await
        .unwrap();
    assert_eq!(lost.status, OrderStatus::Unknown);
    assert_eq!(lost.balance_before, Some(before));
    let help = desk.engine.resolve_help(lost.id).await.unwrap();
    // The drop is exactly the first order's charge, and the help says so: the earlier order
    // counts because it was placed after the "before" balance was fetched.
    assert_eq!(help.balance_change, Some(-first.estimated_cost));
    assert_eq!(help.later_orders, 1);
    assert_eq!(help.later_orders_cost, first.estimated_cost);
    assert_eq!(
        desk.sim.orders().len(),
        1,
        "the lost order never reached the provider"
    );
}

#[tokio::test]
async fn reset_after_accept_is_unknown_never_resent_and_resolvable() {
    let desk = desk().await;
    desk.sim
        .set_fault_times(Action::Add, Fault::ResetAfterAccept, 1);
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/lost", 500))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Unknown);
    assert_eq!(desk.sim.counters().get(Action::Add), 1, "never resent");
    let placed = desk.sim.orders();
    assert_eq!(placed.len(), 1, "the provider has the order");
    // Refreshing does not touch an unknown order; resubmitting is refused.
    let r = desk
        .engine
        .refresh_orders(smm_engine::orders::RefreshScope::Orders(vec![o.id]))
        .await
        .unwrap();
    assert_eq!(r.skipped, vec![o.id]);
    let e = desk.engine.resubmit_order(o.id, false).await.unwrap_err();
    assert_eq!(e.code(), "order.not_resubmittable");
    // The help shows the balance moved by the expected charge.
    desk.engine.test_provider("sim").await.unwrap();
    let help = desk.engine.resolve_help(o.id).await.unwrap();
    assert_eq!(help.expected_charge, d("0.45"));
    assert_eq!(help.balance_now, Some(desk.sim.balance()));
    // An id the provider does not know is refused; the real one is attached and tracked.
    let e = desk
        .engine
        .resolve_order(o.id, Resolution::ExternalId("999999".into()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order.external_id_unknown");
    let resolved = desk
        .engine
        .resolve_order(o.id, Resolution::ExternalId(placed[0].id.clone()))
        .await
        .unwrap();
    assert_eq!(resolved.status, OrderStatus::Pending);
    assert_eq!(resolved.raw_status.as_deref(), Some("Pending"));
    assert_eq!(resolved.charge, Some(d("0.45")));
    assert_eq!(
        event_kinds(&desk.engine, o.id),
        ["created", "unknown", "resolved", "status"]
    );
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
}

#[tokio::test]
async fn not_placed_resolution_allows_one_linked_resubmission() {
    let desk = desk().await;
    desk.sim.set_fault_times(Action::Add, Fault::Html200, 1);
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/html", 200))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Unknown);
    assert!(desk.sim.orders().is_empty());
    let r = desk
        .engine
        .resolve_order(o.id, Resolution::NotPlaced)
        .await
        .unwrap();
    assert_eq!(r.status, OrderStatus::NotPlaced);
    let again = desk.engine.resolve_order(o.id, Resolution::NotPlaced).await;
    assert_eq!(again.unwrap_err().code(), "order.not_unknown");
    let retry = desk.engine.resubmit_order(o.id, false).await.unwrap();
    assert_eq!(retry.parent_order_id, Some(o.id));
    assert_eq!(retry.status, OrderStatus::Pending);
    let same = desk.engine.resubmit_order(o.id, false).await.unwrap();
    assert_eq!(same.id, retry.id, "resubmitting twice is one attempt");
    assert_eq!(desk.sim.counters().get(Action::Add), 2);
    // The original's timeline names its one resubmission.
    let events = desk.engine.order_events(o.id).unwrap();
    let resubmitted: Vec<_> = events.iter().filter(|e| e.kind == "resubmitted").collect();
    assert_eq!(resubmitted.len(), 1);
    assert_eq!(resubmitted[0].detail["new_order_id"], retry.id);
    assert_eq!(events.last().unwrap().kind, "resubmitted");
}

#[tokio::test]
async fn a_resubmission_takes_corrected_fields_and_checks_them_first() {
    let desk = desk().await;
    desk.sim.set_fault_times(Action::Add, Fault::Html200, 1);
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/typo", 200))
        .await
        .unwrap();
    desk.engine
        .resolve_order(o.id, Resolution::NotPlaced)
        .await
        .unwrap();
    // A bad correction is refused before anything is written or sent.
    let bad = OrderFields {
        quantity: Some(1),
        ..OrderFields::default()
    };
    let e = desk.engine.resubmit_order_with(o.id, &bad, false).await;
    assert_eq!(e.unwrap_err().code(), "order.quantity_below_min");
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    // The quote of a resubmission shows the new fields; the stored ones fill the rest.
    let fix = OrderFields {
        link: Some("https://instagram.com/p/fixed".into()),
        ..OrderFields::default()
    };
    let next = desk.engine.resubmission(o.id, &fix, false).unwrap();
    assert_eq!(
        next.fields.link.as_deref(),
        Some("https://instagram.com/p/fixed")
    );
    assert_eq!(next.fields.quantity, Some(200));
    let retry = desk
        .engine
        .resubmit_order_with(o.id, &fix, false)
        .await
        .unwrap();
    assert_eq!(retry.parent_order_id, Some(o.id));
    assert_eq!(retry.link.as_deref(), Some("https://instagram.com/p/fixed"));
    assert_eq!(retry.quantity, Some(200));
    assert_eq!(desk.sim.counters().get(Action::Add), 2);
}

#[tokio::test]
async fn same_idempotency_key_is_one_order_and_one_add_even_concurrently() {
    let desk = desk().await;
    let mut o = default_order("https://instagram.com/p/key", 100);
    o.idempotency_key = Some("client-key-1".into());
    let first = desk.engine.place_order(o.clone()).await.unwrap();
    let second = desk.engine.place_order(o.clone()).await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(desk.sim.counters().get(Action::Add), 1);

    // Two calls at once with a slow provider: one journal row, one add.
    desk.sim
        .set_fault(Action::Add, Fault::Latency(Duration::from_millis(150)));
    o.idempotency_key = Some("client-key-2".into());
    o.fields.link = Some("https://instagram.com/p/key2".into());
    let (a, b) = tokio::join!(
        desk.engine.place_order(o.clone()),
        desk.engine.place_order(o.clone())
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id);
    assert_eq!(desk.sim.counters().get(Action::Add), 2);
    let n: i64 = desk
        .engine
        .store()
        .read(|c| Ok(c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(n, 2);
}

/// A TCP forwarder on a fixed port that starts listening only after `delay`: the first
/// attempts are refused (never sent), a later one gets through.
async fn late_proxy(target: std::net::SocketAddr, delay: Duration) -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        loop {
            let (mut inbound, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn never_sent_is_retried_and_placed_once() {
    let desk = desk().await;
    let port = late_proxy(desk.sim.addr(), Duration::from_millis(40)).await;
    desk.engine
        .update_provider(
            "sim",
            smm_engine::ProviderUpdate {
                api_url: Some(format!("http://127.0.0.1:{port}/api/v2")),
                ..Default::default()
            },
        )
        .unwrap();
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/retry", 100))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Pending, "{:?}", o.last_error);
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(desk.sim.orders().len(), 1);
}

#[tokio::test]
async fn never_sent_after_every_retry_is_not_sent_and_safe_to_resubmit() {
    let desk = desk().await;
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let real = desk.sim.url();
    desk.engine
        .update_provider(
            "sim",
            smm_engine::ProviderUpdate {
                api_url: Some(format!("http://127.0.0.1:{port}/api/v2")),
                ..Default::default()
            },
        )
        .unwrap();
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/down", 100))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::NotSent);
    assert_eq!(desk.sim.counters().get(Action::Add), 0);
    desk.engine
        .update_provider(
            "sim",
            smm_engine::ProviderUpdate {
                api_url: Some(real),
                ..Default::default()
            },
        )
        .unwrap();
    let again = desk.engine.resubmit_order(o.id, false).await.unwrap();
    assert_eq!(again.status, OrderStatus::Pending);
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
}

#[tokio::test]
async fn interrupted_submission_becomes_unknown_on_open() {
    let desk = desk().await;
    let o = desk
        .engine
        .place_order(default_order("https://instagram.com/p/crash", 100))
        .await
        .unwrap();
    // Simulate a crash between journal and answer.
    desk.engine
        .store()
        .write(|tx| {
            tx.execute(
                "UPDATE orders SET status = 'submitting', external_id = NULL WHERE id = ?1",
                [o.id],
            )?;
            Ok(())
        })
        .unwrap();
    let Desk {
        dir, engine, clock, ..
    } = desk;
    drop(engine); // the program that was sending it is gone
    let reopened = open_in(dir.path(), &clock);
    let after = reopened.order(o.id).unwrap();
    assert_eq!(after.status, OrderStatus::Unknown);
    assert_eq!(
        event_kinds(&reopened, o.id),
        ["created", "accepted", "recovered"]
    );
}

#[tokio::test]
async fn a_second_program_on_the_folder_leaves_orders_in_flight_to_the_first() {
    let desk = desk().await;
    desk.sim
        .set_fault_times(Action::Add, Fault::Latency(Duration::from_millis(1_500)), 1);
    let engine = desk.engine.clone();
    let sending = tokio::spawn(async move {
        engine
            .place_order(default_order("https://instagram.com/p/in-flight", 100))
            .await
    });
    // Wait until the order is journaled and its request is on the way.
    let id = loop {
        let found = count(
            &desk.engine,
            "SELECT COUNT(*) FROM orders WHERE status = 'submitting'",
        );
        if found == 1 {
            break count(
                &desk.engine,
                "SELECT id FROM orders WHERE status = 'submitting'",
            );
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // `smmdesk` opens the same folder meanwhile: it must not call the order interrupted.
    let second = open_in(desk.dir.path(), &desk.clock);
    assert_eq!(second.order(id).unwrap().status, OrderStatus::Submitting);
    let placed = sending.await.unwrap().unwrap();
    assert_eq!(placed.status, OrderStatus::Pending);
    assert_eq!(event_kinds(&second, id), ["created", "accepted"]);
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
}

#[tokio::test]
async fn estimated_cost_over_the_known_balance_is_refused_unless_forced() {
    let desk = desk().await;
    desk.sim.set_balance(d("1"));
    desk.engine.test_provider("sim").await.unwrap();
    let before = counts(&desk.engine);
    let e = desk
        .engine
        .place_order(default_order("https://instagram.com/p/big", 2000))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "order.insufficient_balance");
    assert_eq!(counts(&desk.engine), before);
    let mut forced = default_order("https://instagram.com/p/big", 2000);
    forced.force = true;
    let o = desk.engine.place_order(forced).await.unwrap();
    assert_eq!(o.status, OrderStatus::Rejected, "the provider says no");
    assert_eq!(o.balance_before, Some(d("1")));
}

#[tokio::test]
async fn orders_placed_since_the_balance_was_read_count_against_it() {
    let desk = desk().await;
    desk.sim.set_balance(d("2"));
    desk.engine.test_provider("sim").await.unwrap();
    desk.clock.advance_millis(1_000);
    // 0.9 each: two fit in 2.00, the third would not (0.20 left) though the last balance
    // read still says 2.00.
    for i in 0..2 {
        let o = desk
            .engine
            .place_order(default_order(
                &format!("https://instagram.com/p/run{i}"),
                1000,
            ))
            .await
            .unwrap();
        assert_eq!(o.status, OrderStatus::Pending);
    }
    let third = default_order("https://instagram.com/p/run2", 1000);
    let quote = desk.engine.quote_order(&third).unwrap();
    assert_eq!(quote.balance, Some(d("0.2")));
    assert!(quote.exceeds_balance);
    let before = counts(&desk.engine);
    let e = desk.engine.place_order(third.clone()).await.unwrap_err();
    assert_eq!(e.code(), "order.insufficient_balance");
    assert!(e.to_string().contains("available balance 0.2"), "{e}");
    assert_eq!(counts(&desk.engine), before);
    assert_eq!(desk.sim.counters().get(Action::Add), 2);
    // A fresh balance read already has the two orders in it: they are not subtracted twice.
    desk.clock.advance_millis(1_000);
    desk.engine.test_provider("sim").await.unwrap();
    assert_eq!(desk.sim.balance(), d("0.2"));
    let provider = desk.engine.provider("sim").unwrap();
    assert_eq!(
        desk.engine.available_balance(&provider).unwrap(),
        Some(d("0.2"))
    );
    desk.sim.set_balance(d("5"));
    desk.clock.advance_millis(1_000);
    desk.engine.test_provider("sim").await.unwrap();
    let o = desk.engine.place_order(third).await.unwrap();
    assert_eq!(o.status, OrderStatus::Pending);
}

#[tokio::test]
async fn every_bad_input_has_its_own_code_and_writes_nothing() {
    let desk = desk().await;
    let base = default_order("https://instagram.com/p/ok", 100);
    let comments = |n: usize, line: &str| NewOrder {
        provider: "sim".into(),
        service_id: COMMENTS_SVC.into(),
        fields: OrderFields {
            link: Some("https://instagram.com/p/c".into()),
            comments: vec![line.to_string(); n],
            ..OrderFields::default()
        },
        ..NewOrder::default()
    };
    let cases: Vec<(&str, NewOrder)> = vec![
        (
            "provider.not_found",
            NewOrder {
                provider: "nope".into(),
                ..base.clone()
            },
        ),
        (
            "order.service_not_found",
            NewOrder {
                service_id: "424242".into(),
                ..base.clone()
            },
        ),
        (
            "order.link_missing",
            NewOrder {
                fields: OrderFields {
                    link: None,
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.link_invalid",
            NewOrder {
                fields: OrderFields {
                    link: Some("not a link".into()),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.link_invalid",
            NewOrder {
                fields: OrderFields {
                    link: Some("ftp://x.com/a".into()),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.quantity_missing",
            NewOrder {
                fields: OrderFields {
                    quantity: None,
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.quantity_below_min",
            NewOrder {
                fields: OrderFields {
                    quantity: Some(9),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.quantity_above_max",
            NewOrder {
                fields: OrderFields {
                    quantity: Some(100_001),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.dripfeed_incomplete",
            NewOrder {
                fields: OrderFields {
                    runs: Some(3),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.dripfeed_incomplete",
            NewOrder {
                fields: OrderFields {
                    runs: Some(0),
                    interval: Some(5),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.dripfeed_unsupported",
            NewOrder {
                service_id: PLAIN_SVC.into(),
                fields: OrderFields {
                    runs: Some(2),
                    interval: Some(5),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.field_not_allowed",
            NewOrder {
                fields: OrderFields {
                    comments: vec!["x".into()],
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.field_missing",
            NewOrder {
                service_id: COMMENTS_SVC.into(),
                fields: OrderFields {
                    quantity: None,
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.quantity_mismatch",
            NewOrder {
                fields: OrderFields {
                    quantity: Some(5),
                    ..comments(3, "hi").fields.clone()
                },
                ..comments(3, "hi")
            },
        ),
        ("order.too_large", comments(10_001, "hi")),
        ("order.too_large", comments(1000, &"x".repeat(11 * 1024))),
        ("order.list_entry_invalid", comments(2, " ")),
        ("order.quantity_above_max", comments(1001, "hi")),
        (
            "order.field_missing",
            NewOrder {
                service_id: POLL_SVC.into(),
                ..base.clone()
            },
        ),
        (
            "order.answer_number_invalid",
            NewOrder {
                service_id: POLL_SVC.into(),
                fields: OrderFields {
                    answer_number: Some(0),
                    ..base.fields.clone()
                },
                ..base.clone()
            },
        ),
        (
            "order.field_not_allowed",
            NewOrder {
                service_id: SUBS_SVC.into(),
                ..base.clone()
            },
        ),
        (
            "order.subscription_invalid",
            NewOrder {
                service_id: SUBS_SVC.into(),
                fields: OrderFields {
                    link: None,
                    quantity: None,
                    username: Some("someone".into()),
                    sub_min: Some(50),
                    sub_max: Some(100),
                    delay: Some(7),
                    ..OrderFields::default()
                },
                ..NewOrder::default()
            }
            .with_provider(),
        ),
        (
            "order.expiry_invalid",
            NewOrder {
                service_id: SUBS_SVC.into(),
                fields: OrderFields {
                    username: Some("someone".into()),
                    sub_min: Some(50),
                    sub_max: Some(100),
                    delay: Some(30),
                    expiry: Some("31/02/2027".into()),
                    ..OrderFields::default()
                },
                ..NewOrder::default()
            }
            .with_provider(),
        ),
        (
            "order.idempotency_key_invalid",
            NewOrder {
                idempotency_key: Some(" ".into()),
                ..base.clone()
            },
        ),
        (
            "order.idempotency_key_invalid",
            NewOrder {
                idempotency_key: Some("k".repeat(201)),
                ..base.clone()
            },
        ),
    ];
    let before = counts(&desk.engine);
    let adds = desk.sim.counters().get(Action::Add);
    for (code, order) in cases {
        let e = desk.engine.place_order(order.clone()).await.unwrap_err();
        assert_eq!(e.code(), code, "{order:?}: {e}");
        assert_eq!(counts(&desk.engine), before, "{code} wrote something");
    }
    assert_eq!(desk.sim.counters().get(Action::Add), adds);
    // The same kind of order, valid, goes through.
    let ok = desk
        .engine
        .place_order(NewOrder {
            service_id: POLL_SVC.into(),
            fields: OrderFields {
                answer_number: Some(2),
                ..base.fields.clone()
            },
            ..base
        })
        .await
        .unwrap();
    assert_eq!(ok.status, OrderStatus::Pending);
}

trait WithProvider {
    fn with_provider(self) -> Self;
}

impl WithProvider for NewOrder {
    fn with_provider(mut self) -> Self {
        self.provider = "sim".into();
        self
    }
}

#[tokio::test]
async fn user_actions_on_orders_tell_listeners_which_orders_changed() {
    use smm_engine::events::EngineEvent;
    let desk = desk().await;
    let mut events = desk.engine.subscribe();
    let placed = desk
        .engine
        .place_order(default_order("https://instagram.com/p/evt", 1000))
        .await
        .unwrap();
    assert_eq!(
        events.try_recv().unwrap(),
        EngineEvent::OrdersChanged {
            ids: vec![placed.id]
        }
    );
    desk.sim
        .set_fault_times(Action::Add, Fault::ResetAfterAccept, 1);
    let lost = desk
        .engine
        .place_order(default_order("https://instagram.com/p/evt2", 1000))
        .await
        .unwrap();
    let _ = events.try_recv();
    desk.engine
        .resolve_order(lost.id, Resolution::NotPlaced)
        .await
        .unwrap();
    assert_eq!(
        events.try_recv().unwrap(),
        EngineEvent::OrdersChanged { ids: vec![lost.id] }
    );
    desk.engine.cancel_orders(&[placed.id]).await.unwrap();
    assert_eq!(
        events.try_recv().unwrap(),
        EngineEvent::OrdersChanged {
            ids: vec![placed.id]
        }
    );
}

#[tokio::test]
async fn status_counts_follow_the_filters_and_cancel_requests_are_listed() {
    use smm_engine::OrderQuery;
    let desk = desk().await;
    let a = desk
        .engine
        .place_order(default_order("https://instagram.com/p/c1", 1000))
        .await
        .unwrap();
    desk.sim
        .set_fault_times(Action::Add, Fault::ResetAfterAccept, 1);
    desk.engine
        .place_order(default_order("https://tiktok.com/@c2", 1000))
        .await
        .unwrap();
    let all = desk.engine.order_counts(&OrderQuery::default()).unwrap();
    let pairs: Vec<(String, u64)> = all
        .iter()
        .map(|c| (c.status.to_string(), c.count))
        .collect();
    assert_eq!(
        pairs,
        [("pending".to_string(), 1), ("unknown".to_string(), 1)]
    );
    let tiktok = OrderQuery {
        link_contains: Some("tiktok".into()),
        status: vec![OrderStatus::Pending],
        ..OrderQuery::default()
    };
    let only = desk.engine.order_counts(&tiktok).unwrap();
    assert_eq!(
        only.len(),
        1,
        "the status filter is ignored, the link filter is not"
    );
    assert_eq!(only[0].status, OrderStatus::Unknown);
    assert!(desk.engine.cancel_requests(a.id).unwrap().is_empty());
    desk.engine.cancel_orders(&[a.id]).await.unwrap();
    let requests = desk.engine.cancel_requests(a.id).unwrap();
    assert_eq!(requests.len(), 1);
}
