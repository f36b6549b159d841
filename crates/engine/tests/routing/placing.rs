//! Routed orders: the member chosen, failover only when certainly not placed, replays.

use smm_engine::routing::RouteRule;
use smm_engine::{OrderStatus, ProviderUpdate};
use smm_panel::sim::Fault;
use smm_panel::Action;

use crate::support::*;

#[tokio::test]
async fn the_cheapest_member_takes_the_order_and_a_replay_sends_nothing() {
    let desk = desk().await;
    group(
        &desk.engine,
        "ig-followers",
        RouteRule::Cheapest,
        &["a", "b", "c"],
    );
    let mut new = routed("https://instagram.com/p/cheap", 1000, "shop-1");
    new.customer = Some("Acme Cafe".into());
    new.sale_price = Some(d("2.50"));
    let r = desk
        .engine
        .place_routed_order("IG-Followers", new.clone())
        .await
        .unwrap();
    assert!(r.sent);
    assert_eq!(r.order.provider, "b");
    assert_eq!(r.order.status, OrderStatus::Pending);
    assert_eq!(r.order.estimated_cost, d("0.8"));
    assert_eq!(r.order.customer.as_deref(), Some("Acme Cafe"));
    assert_eq!(r.order.sale_price, Some(d("2.5")));
    assert_eq!(r.attempts.len(), 1);
    assert_eq!(adds(&desk), (0, 1, 0));
    assert_eq!(
        event_kinds(&desk.engine, r.order.id),
        ["created", "routed", "accepted"]
    );
    let routed_event = &desk.engine.order_events(r.order.id).unwrap()[1];
    assert_eq!(routed_event.detail["group"], "ig-followers");
    assert_eq!(routed_event.detail["remaining"][0]["provider"], "a");
    // The same request again: the same order, nothing sent to anyone.
    let before = counts(&desk.engine);
    let again = desk
        .engine
        .place_routed_order("ig-followers", new.clone())
        .await
        .unwrap();
    assert!(!again.sent);
    assert_eq!(again.order.id, r.order.id);
    assert_eq!(adds(&desk), (0, 1, 0));
    assert_eq!(counts(&desk.engine), before);
    // The same key asking for something else is a conflict, and sends nothing.
    let mut other = new;
    other.fields.quantity = Some(2000);
    let err = desk
        .engine
        .place_routed_order("ig-followers", other)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "order.idempotency_conflict");
    assert!(err.to_string().contains("quantity"), "{err}");
    assert_eq!(adds(&desk), (0, 1, 0));
    assert_eq!(counts(&desk.engine), before);
}

#[tokio::test]
async fn the_preference_rule_follows_the_listed_order() {
    let desk = desk().await;
    group(
        &desk.engine,
        "pref",
        RouteRule::Preference,
        &["c", "a", "b"],
    );
    let r = desk
        .engine
        .place_routed_order("pref", routed("https://instagram.com/p/pref", 1000, "p-1"))
        .await
        .unwrap();
    assert_eq!(r.order.provider, "c");
    assert_eq!(adds(&desk), (0, 0, 1));
}

#[tokio::test]
async fn a_rejection_moves_to_the_next_member_and_every_attempt_is_on_the_timeline() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    // b (the cheapest) has no money: it answers {"error": "Not enough funds"}.
    desk.b.set_balance(d("0.01"));
    let r = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/rej", 1000, "rej-1"))
        .await
        .unwrap();
    assert_eq!(adds(&desk), (1, 1, 0));
    assert_eq!(r.order.provider, "a");
    assert_eq!(r.order.status, OrderStatus::Pending);
    let statuses: Vec<(String, OrderStatus)> = r
        .attempts
        .iter()
        .map(|a| (a.provider.clone(), a.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("b".to_string(), OrderStatus::Rejected),
            ("a".to_string(), OrderStatus::Pending)
        ]
    );
    assert_eq!(
        r.attempts[0].reject_reason.as_deref(),
        Some("insufficient_funds")
    );
    assert!(desk.b.orders().is_empty());
    let first = r.attempts[0].order_id;
    assert_eq!(
        event_kinds(&desk.engine, first),
        ["created", "routed", "rejected", "rerouted"]
    );
    let events = desk.engine.order_events(r.order.id).unwrap();
    assert_eq!(events[1].kind, "routed");
    assert_eq!(events[1].detail["attempt"], 2);
    assert_eq!(events[1].detail["previous"][0]["order_id"], first);
    assert_eq!(events[1].detail["previous"][0]["provider"], "b");
    assert_eq!(
        events[1].detail["previous"][0]["reason"],
        "insufficient_funds"
    );
    // A replay: the same two attempts, nobody called again.
    let again = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/rej", 1000, "rej-1"))
        .await
        .unwrap();
    assert!(!again.sent);
    assert_eq!(again.order.id, r.order.id);
    assert_eq!(again.attempts.len(), 2);
    assert_eq!(adds(&desk), (1, 1, 0));
}

#[tokio::test]
async fn a_connection_refused_before_sending_moves_to_the_next_member() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    desk.engine
        .update_provider(
            "b",
            ProviderUpdate {
                api_url: Some(format!("http://127.0.0.1:{port}/api/v2")),
                ..Default::default()
            },
        )
        .unwrap();
    let r = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/down", 1000, "down-1"))
        .await
        .unwrap();
    assert_eq!(r.attempts.len(), 2);
    assert_eq!(r.attempts[0].provider, "b");
    assert_eq!(r.attempts[0].status, OrderStatus::NotSent);
    assert_eq!(r.order.provider, "a");
    assert_eq!(r.order.status, OrderStatus::Pending);
    assert_eq!(adds(&desk), (1, 0, 0));
}

#[tokio::test]
async fn a_reset_after_accept_is_unknown_and_no_second_provider_is_called() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    desk.b.set_fault(Action::Add, Fault::ResetAfterAccept);
    let r = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/lost", 1000, "lost-1"))
        .await
        .unwrap();
    assert_eq!(r.order.provider, "b");
    assert_eq!(r.order.status, OrderStatus::Unknown);
    assert_eq!(r.attempts.len(), 1);
    // b took the order (it exists there); a and c were never asked.
    assert_eq!(desk.b.orders().len(), 1);
    assert_eq!(adds(&desk), (0, 1, 0));
    let remaining: Vec<&str> = r.remaining.iter().map(|m| m.provider.as_str()).collect();
    assert_eq!(remaining, ["a", "c"]);
    let events = desk.engine.order_events(r.order.id).unwrap();
    let stopped = events.iter().find(|e| e.kind == "route_stopped").unwrap();
    assert_eq!(stopped.detail["remaining"][0]["provider"], "a");
    assert_eq!(stopped.detail["remaining"][1]["provider"], "c");
    // Replaying the request (a script retrying) still calls nobody.
    desk.b.clear_faults();
    let again = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/lost", 1000, "lost-1"))
        .await
        .unwrap();
    assert!(!again.sent);
    assert_eq!(again.order.status, OrderStatus::Unknown);
    assert_eq!(adds(&desk), (0, 1, 0));
}

#[tokio::test]
async fn every_member_refusing_ends_with_the_last_refusal() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    for sim in [&desk.a, &desk.b, &desk.c] {
        sim.set_balance(d("0.01"));
    }
    let r = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/none", 1000, "none-1"))
        .await
        .unwrap();
    assert_eq!(adds(&desk), (1, 1, 1));
    let order: Vec<&str> = r.attempts.iter().map(|a| a.provider.as_str()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    assert!(r.attempts.iter().all(|a| a.status == OrderStatus::Rejected));
    assert_eq!(r.order.provider, "c");
    assert!(r.remaining.is_empty());
    assert!(event_kinds(&desk.engine, r.order.id).contains(&"route_exhausted".to_string()));
    let again = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/none", 1000, "none-1"))
        .await
        .unwrap();
    assert!(!again.sent);
    assert_eq!(adds(&desk), (1, 1, 1));
}

#[tokio::test]
async fn members_without_the_balance_or_the_quantity_range_are_passed_over() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    // Known balances: a can afford 1 (1000 units at 1.0), b and c 1000.
    desk.a.set_balance(d("1"));
    for p in ["a", "b", "c"] {
        desk.engine.test_provider(p).await.unwrap();
    }
    // 6000 units: above b's max (5000); a would cost 6, more than its balance: c it is.
    let r = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/big", 6000, "big-1"))
        .await
        .unwrap();
    assert_eq!(r.order.provider, "c");
    assert_eq!(r.order.estimated_cost, d("7.2"));
    let skipped: Vec<(&str, &str)> = r
        .skipped
        .iter()
        .map(|s| (s.provider.as_str(), s.code.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("a", "order.insufficient_balance"),
            ("b", "order.quantity_above_max")
        ]
    );
    assert_eq!(adds(&desk), (0, 0, 1));
    // 50 units: below c's min (100); b is the cheapest of a and b.
    let small = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/small", 50, "small-1"))
        .await
        .unwrap();
    assert_eq!(small.order.provider, "b");
    // A disabled provider is passed over too.
    desk.engine.set_provider_active("b", false).unwrap();
    let off = desk
        .engine
        .place_routed_order("g", routed("https://instagram.com/p/off", 50, "off-1"))
        .await
        .unwrap();
    assert_eq!(off.order.provider, "a");
    assert!(off
        .skipped
        .iter()
        .any(|s| s.provider == "b" && s.code == "provider.inactive"));
    assert_eq!(adds(&desk), (1, 1, 1));
}
