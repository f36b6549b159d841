//! Offer groups: saving, listing, suggestions from the catalog's compare, and bad input
//! (saving or ordering) that changes nothing.

use smm_engine::catalog::OfferQuery;
use smm_engine::routing::{MemberRef, NewRouteGroup, RouteRule};
use smm_engine::NewOrder;

use crate::support::*;

#[tokio::test]
async fn a_group_is_saved_listed_shown_and_removed() {
    let desk = desk().await;
    let g = desk
        .engine
        .add_offer_group(NewRouteGroup {
            name: " IG Followers ".into(),
            rule: RouteRule::Preference,
            members: vec![MemberRef::new("c", SVC), MemberRef::new("a", SVC)],
        })
        .unwrap();
    assert_eq!(g.name, "IG Followers");
    assert_eq!(g.rule, RouteRule::Preference);
    let members: Vec<(u32, &str, Option<rust_decimal::Decimal>)> = g
        .members
        .iter()
        .map(|m| (m.position, m.provider.as_str(), m.rate))
        .collect();
    assert_eq!(
        members,
        [(1, "c", Some(d("1.2"))), (2, "a", Some(d("1.0")))]
    );
    assert_eq!(desk.engine.offer_group("ig followers").unwrap(), g);
    assert_eq!(desk.engine.offer_groups().unwrap(), vec![g.clone()]);
    // An order routed through it stays when the group goes; its replay still answers.
    let r = desk
        .engine
        .place_routed_order(
            "IG Followers",
            routed("https://instagram.com/p/x", 500, "k-1"),
        )
        .await
        .unwrap();
    desk.engine.remove_offer_group("ig followers").unwrap();
    assert!(desk.engine.offer_groups().unwrap().is_empty());
    assert_eq!(desk.engine.order(r.order.id).unwrap().provider, "c");
    let again = desk
        .engine
        .place_routed_order(
            "IG Followers",
            routed("https://instagram.com/p/x", 500, "k-1"),
        )
        .await
        .unwrap();
    assert!(!again.sent);
    assert_eq!(again.order.id, r.order.id);
    assert_eq!(adds(&desk), (0, 0, 1));
}

#[tokio::test]
async fn suggestions_come_from_the_catalog_compare() {
    let desk = desk().await;
    let found = desk
        .engine
        .suggest_offer_groups(&OfferQuery {
            search: Some("Real HQ".into()),
            ..OfferQuery::default()
        })
        .unwrap();
    let ours = found
        .iter()
        .find(|s| s.members.iter().any(|m| m.service_id == SVC))
        .expect("the shared offer is suggested");
    let providers: Vec<&str> = ours.members.iter().map(|m| m.provider.as_str()).collect();
    assert_eq!(providers, ["b", "a", "c"], "cheapest first");
    assert_eq!(ours.saved_as, None);
    group(&desk.engine, "saved", RouteRule::Cheapest, &["a", "b", "c"]);
    let again = desk
        .engine
        .suggest_offer_groups(&OfferQuery {
            search: Some("Real HQ".into()),
            ..OfferQuery::default()
        })
        .unwrap();
    let ours = again
        .iter()
        .find(|s| s.members.iter().any(|m| m.service_id == SVC))
        .unwrap();
    assert_eq!(ours.saved_as.as_deref(), Some("saved"));
}

#[tokio::test]
async fn bad_groups_are_refused_with_a_specific_error_and_change_nothing() {
    let desk = desk().await;
    group(&desk.engine, "taken", RouteRule::Cheapest, &["a"]);
    let before = counts(&desk.engine);
    let add = |name: &str, members: Vec<MemberRef>| {
        desk.engine
            .add_offer_group(NewRouteGroup {
                name: name.into(),
                rule: RouteRule::Cheapest,
                members,
            })
            .unwrap_err()
    };
    let cases = [
        (add("empty", vec![]), "offer_group.empty"),
        (
            add("  ", vec![MemberRef::new("a", SVC)]),
            "offer_group.name_invalid",
        ),
        (
            add("TAKEN", vec![MemberRef::new("a", SVC)]),
            "offer_group.name_taken",
        ),
        (
            add(
                "dup",
                vec![
                    MemberRef::new("a", SVC),
                    MemberRef::new("a", format!(" {SVC}")),
                ],
            ),
            "offer_group.duplicate_member",
        ),
        (
            add(
                "types",
                vec![MemberRef::new("a", SVC), MemberRef::new("c", COMMENTS)],
            ),
            "offer_group.type_mismatch",
        ),
        (
            add("ghost", vec![MemberRef::new("zz", SVC)]),
            "provider.not_found",
        ),
        (
            add("gone", vec![MemberRef::new("a", "999999")]),
            "order.service_not_found",
        ),
        (
            add("many", (0..21).map(|_| MemberRef::new("a", SVC)).collect()),
            "offer_group.too_many_members",
        ),
    ];
    for (err, code) in cases {
        assert_eq!(err.code(), code, "{err}");
    }
    assert_eq!(
        "fastest".parse::<RouteRule>().unwrap_err().code(),
        "offer_group.rule_invalid"
    );
    assert_eq!(
        desk.engine.remove_offer_group("nope").unwrap_err().code(),
        "offer_group.not_found"
    );
    assert_eq!(counts(&desk.engine), before);
}

#[tokio::test]
async fn bad_routed_orders_are_refused_with_a_specific_error_and_change_nothing() {
    let desk = desk().await;
    group(&desk.engine, "g", RouteRule::Cheapest, &["a", "b", "c"]);
    let before = counts(&desk.engine);
    let place = |group: &'static str, new: NewOrder| {
        let engine = desk.engine.clone();
        async move { engine.place_routed_order(group, new).await.unwrap_err() }
    };
    // No member accepts 5 units (every min is 10 or more), nor 30000 (every max is below).
    let e = place("g", routed("https://instagram.com/p/q", 5, "q-1")).await;
    assert_eq!(e.code(), "route.quantity_unaccepted");
    assert!(e.to_string().contains("below"), "{e}");
    let e = place("g", routed("https://instagram.com/p/q", 30_000, "q-2")).await;
    assert_eq!(e.code(), "route.quantity_unaccepted");
    let e = place("nope", routed("https://instagram.com/p/q", 100, "q-3")).await;
    assert_eq!(e.code(), "offer_group.not_found");
    // A bad link is the order's own error, once, not one per member.
    let e = place("g", routed("not a link", 100, "q-4")).await;
    assert_eq!(e.code(), "order.link_invalid");
    let mut both = routed("https://instagram.com/p/q", 100, "q-5");
    both.provider = "a".into();
    both.service_id = SVC.into();
    let e = place("g", both).await;
    assert_eq!(e.code(), "input.invalid");
    let mut neg = routed("https://instagram.com/p/q", 100, "q-6");
    neg.sale_price = Some(d("-1"));
    assert_eq!(place("g", neg).await.code(), "input.invalid");
    // Every member disabled: no provider, each one's reason named.
    for p in ["a", "b", "c"] {
        desk.engine.set_provider_active(p, false).unwrap();
    }
    let e = place("g", routed("https://instagram.com/p/q", 100, "q-7")).await;
    assert_eq!(e.code(), "route.no_provider");
    assert!(e.to_string().contains("disabled"), "{e}");
    assert_eq!(counts(&desk.engine), before);
    assert_eq!(adds(&desk), (0, 0, 0));
}
