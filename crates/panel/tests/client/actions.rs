//! Every action against the simulator.

use std::collections::BTreeSet;
use std::time::Duration;

use smm_panel::sim::{Dialect, SimConfig};
use smm_panel::{
    estimate_cost, Action, Delivery, DripFeed, ExpiryDate, ItemError, OrderDetails, OrderRequest,
    OrderStatus, PanelError, ProviderReason, RefillStatus, Service, ServiceType, TrafficSource,
    WebTraffic,
};

use crate::common::*;

fn rejected_reason(result: Result<impl std::fmt::Debug, PanelError>) -> ProviderReason {
    let e = result.expect_err("expected a provider error");
    assert_eq!(e.delivery(), Delivery::Rejected, "{e:?}");
    e.reason().cloned().expect("a reason")
}

#[tokio::test]
async fn services_match_the_catalog_in_every_dialect() {
    let sim = sim().await;
    let client = client(&sim);
    let catalog = sim.catalog();
    for dialect in [
        Dialect::default(),
        Dialect {
            string_ids: true,
            money_as_numbers: true,
            html_content_type: true,
            ..Dialect::default()
        },
    ] {
        sim.set_dialect(dialect.clone());
        let services = client.services().await.unwrap();
        assert_eq!(services, catalog, "{dialect:?}");
    }
    assert_eq!(sim.counters().get(Action::Services), 2);
}

#[tokio::test]
async fn catalog_changes_show_in_the_next_sync() {
    let sim = sim().await;
    let client = client(&sim);
    let mut changed = sim.catalog()[3].clone();
    changed.rate = dec("12.3456");
    changed.min = 77;
    changed.max = 7777;
    sim.upsert_service(changed.clone());
    let removed = sim.catalog()[5].id.clone();
    assert!(sim.remove_service(&removed));
    let added = Service {
        id: "999999".into(),
        name: "Threads Followers [New]".into(),
        service_type: ServiceType::Other("Story Poll".into()),
        category: "Threads".into(),
        rate: dec("0.0000001"),
        min: 1,
        max: 10,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    };
    sim.upsert_service(added.clone());
    let services = client.services().await.unwrap();
    assert!(services.contains(&changed));
    assert!(services.contains(&added));
    assert!(!services.iter().any(|s| s.id == removed));
}

#[tokio::test]
async fn balance_with_and_without_currency() {
    let sim = sim().await;
    let client = client(&sim);
    let b = client.balance().await.unwrap();
    assert_eq!(b.amount, dec("1000"));
    assert_eq!(b.currency.as_deref(), Some("USD"));
    sim.set_balance(dec("12.3456789"));
    sim.set_dialect(Dialect {
        omit_currency: true,
        money_as_numbers: true,
        ..Dialect::default()
    });
    let b = client.balance().await.unwrap();
    assert_eq!(b.amount, dec("12.3456789"));
    assert_eq!(b.currency, None);
}

#[tokio::test]
async fn add_charges_the_estimate_and_sends_exactly_the_default_params() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 100 && s.max >= 100);
    let order = OrderRequest::default_type(&s.id, "https://instagram.com/p/abc", 100).unwrap();
    let placed = client.add(&order).await.unwrap();
    assert_eq!(sim.counters().get(Action::Add), 1);
    let held = sim.order(&placed.id).expect("the order exists");
    let cost = estimate_cost(s.rate, &s.service_type, 100, None);
    assert_eq!(held.charge, cost);
    assert_eq!(sim.balance(), dec("1000") - cost);
    let sent = sim.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert!(sent.key_ok);
    assert_eq!(
        sent.params,
        vec![
            ("action".to_owned(), "add".to_owned()),
            ("service".to_owned(), s.id.clone()),
            ("link".to_owned(), "https://instagram.com/p/abc".to_owned()),
            ("quantity".to_owned(), "100".to_owned()),
        ]
    );
    assert_eq!(
        sent.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
}

/// Valid details for a service of each type.
fn details_for(s: &Service, link: &str) -> OrderDetails {
    let link = link.to_owned();
    let q = s.min.max(10).min(s.max);
    let list = |n: u64, prefix: &str| -> Vec<String> {
        (0..n)
            .map(|i| format!("{prefix} {i} ✨\r"))
            .map(|x| x.trim_end_matches('\r').to_owned())
            .collect()
    };
    match &s.service_type {
        ServiceType::Default => OrderDetails::Default {
            link,
            quantity: q,
            drip_feed: s.dripfeed.then_some(DripFeed {
                runs: 2,
                interval: 15,
            }),
        },
        ServiceType::Package => OrderDetails::Package { link },
        ServiceType::CustomComments => OrderDetails::CustomComments {
            link,
            comments: list(s.min, "Great post"),
        },
        ServiceType::CustomCommentsPackage => OrderDetails::CustomCommentsPackage {
            link,
            comments: list(3, "Nice"),
        },
        ServiceType::Seo => OrderDetails::Seo {
            link,
            quantity: q,
            keywords: vec!["smm panel".into(), "buy followers".into()],
        },
        ServiceType::Mentions => OrderDetails::Mentions {
            link,
            quantity: q,
            usernames: vec!["alice".into(), "bob".into()],
        },
        ServiceType::MentionsWithHashtags => OrderDetails::MentionsWithHashtags {
            link,
            quantity: q,
            usernames: vec!["alice".into()],
            hashtags: vec!["#sale".into(), "#new".into()],
        },
        ServiceType::MentionsCustomList => OrderDetails::MentionsCustomList {
            link,
            usernames: list(s.min, "user"),
        },
        ServiceType::MentionsHashtag => OrderDetails::MentionsHashtag {
            link,
            quantity: q,
            hashtag: "#travel".into(),
        },
        ServiceType::MentionsUserFollowers => OrderDetails::MentionsUserFollowers {
            link,
            quantity: q,
            username: "natgeo".into(),
        },
        ServiceType::MentionsMediaLikers => OrderDetails::MentionsMediaLikers {
            link,
            quantity: q,
            media: "http://example.com/p/Ds2kfEr24Dr".into(),
        },
        ServiceType::CommentLikes => OrderDetails::CommentLikes {
            link,
            quantity: q,
            username: "commenter".into(),
        },
        ServiceType::CommentReplies => OrderDetails::CommentReplies {
            link,
            username: "owner".into(),
            comments: list(s.min, "Reply"),
        },
        ServiceType::Poll => OrderDetails::Poll {
            link,
            quantity: q,
            answer_number: 7,
        },
        ServiceType::InvitesFromGroups => OrderDetails::InvitesFromGroups {
            link,
            quantity: q,
            groups: vec!["https://t.me/a".into(), "https://t.me/b".into()],
        },
        ServiceType::Subscriptions => OrderDetails::Subscriptions {
            username: "brand".into(),
            min: s.min,
            max: s.min * 2,
            posts: Some(5),
            old_posts: Some(0),
            delay: 30,
            expiry: Some(ExpiryDate::new(25, 12, 2027).unwrap()),
        },
        ServiceType::WebTraffic => OrderDetails::WebTraffic {
            link,
            quantity: q,
            drip_feed: None,
            options: WebTraffic {
                country: Some("US".into()),
                device: Some(smm_panel::Device::MixedAll),
                source: Some(TrafficSource::GoogleKeyword("smm desk".into())),
            },
        },
        ServiceType::Other(name) => OrderDetails::Other {
            type_name: name.clone(),
            params: vec![("link".into(), link), ("quantity".into(), q.to_string())],
        },
    }
}

fn expected_params(t: &ServiceType, dripfeed: bool) -> BTreeSet<&'static str> {
    let base: &[&str] = match t {
        ServiceType::Default if dripfeed => &["link", "quantity", "runs", "interval"],
        ServiceType::Default => &["link", "quantity"],
        ServiceType::Package => &["link"],
        ServiceType::CustomComments | ServiceType::CustomCommentsPackage => &["link", "comments"],
        ServiceType::Seo => &["link", "quantity", "keywords"],
        ServiceType::Mentions => &["link", "quantity", "usernames"],
        ServiceType::MentionsWithHashtags => &["link", "quantity", "usernames", "hashtags"],
        ServiceType::MentionsCustomList => &["link", "usernames"],
        ServiceType::MentionsHashtag => &["link", "quantity", "hashtag"],
        ServiceType::MentionsUserFollowers | ServiceType::CommentLikes => {
            &["link", "quantity", "username"]
        }
        ServiceType::MentionsMediaLikers => &["link", "quantity", "media"],
        ServiceType::CommentReplies => &["link", "username", "comments"],
        ServiceType::Poll => &["link", "quantity", "answer_number"],
        ServiceType::InvitesFromGroups => &["link", "quantity", "groups"],
        ServiceType::Subscriptions => &[
            "username",
            "min",
            "max",
            "posts",
            "old_posts",
            "delay",
            "expiry",
        ],
        ServiceType::WebTraffic => &[
            "link",
            "quantity",
            "country",
            "device",
            "type_of_traffic",
            "google_keyword",
        ],
        ServiceType::Other(_) => &["link", "quantity"],
    };
    base.iter().copied().chain(["action", "service"]).collect()
}

#[tokio::test]
async fn every_service_type_is_placed_with_exactly_its_params() {
    let sim = sim_with(SimConfig {
        balance: dec("100000"),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    for (n, t) in ServiceType::KNOWN.iter().enumerate() {
        let s = service(&sim, |s| &s.service_type == t);
        let details = details_for(&s, &format!("https://example.com/post/{n}"));
        let order = OrderRequest::new(&s.id, details).unwrap();
        let placed = client
            .add(&order)
            .await
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        assert!(sim.order(&placed.id).is_some(), "{t}");
        let sent = sim.requests().pop().unwrap();
        let names: BTreeSet<&str> = sent.params.iter().map(|(k, _)| k.as_str()).collect();
        let dripfeed = matches!(
            order.details(),
            OrderDetails::Default {
                drip_feed: Some(_),
                ..
            }
        );
        assert_eq!(names, expected_params(t, dripfeed), "{t}");
        if *t == ServiceType::Subscriptions {
            assert_eq!(sent.param("expiry"), Some("25/12/2027"));
            assert_eq!(sent.param("delay"), Some("30"));
        }
        if matches!(t, ServiceType::CustomComments) {
            let comments = sent.param("comments").unwrap();
            assert_eq!(
                comments.lines().count() as u64,
                s.min,
                "one comment per line"
            );
            assert!(comments.contains("✨"), "emoji survive the form encoding");
        }
    }
    assert_eq!(
        sim.counters().get(Action::Add),
        ServiceType::KNOWN.len() as u64
    );
}

#[tokio::test]
async fn provider_refusals_map_to_typed_reasons_in_plain_and_key_form() {
    for key_style in [false, true] {
        let sim = sim_with(SimConfig {
            dialect: Dialect {
                key_style_errors: key_style,
                ..Dialect::default()
            },
            ..SimConfig::default()
        })
        .await;
        let client = client(&sim);
        let s = default_service(&sim, |s| s.min >= 20 && s.max <= 1_000_000 && !s.dripfeed);
        let link = "https://instagram.com/p/one";
        let add = |q: u64, link: &str| OrderRequest::default_type(&s.id, link, q).unwrap();

        let below = rejected_reason(client.add(&add(s.min - 1, link)).await);
        let above = rejected_reason(client.add(&add(s.max + 1, link)).await);
        if key_style {
            assert_eq!(below, ProviderReason::QuantityBelowMin { min: None });
            assert_eq!(above, ProviderReason::QuantityAboveMax { max: None });
        } else {
            assert_eq!(below, ProviderReason::QuantityBelowMin { min: Some(s.min) });
            assert_eq!(above, ProviderReason::QuantityAboveMax { max: Some(s.max) });
        }
        assert_eq!(
            rejected_reason(client.add(&add(s.min, "not a link")).await),
            ProviderReason::BadLink
        );
        let unknown = OrderRequest::default_type("424242", link, 100).unwrap();
        assert_eq!(
            rejected_reason(client.add(&unknown).await),
            ProviderReason::UnknownService
        );
        client.add(&add(s.min, link)).await.unwrap();
        assert_eq!(
            rejected_reason(client.add(&add(s.min, link)).await),
            ProviderReason::DuplicateActiveLink
        );
        sim.set_balance(dec("0"));
        assert_eq!(
            rejected_reason(client.add(&add(s.min, "https://instagram.com/p/two")).await),
            ProviderReason::InsufficientFunds
        );
        let drip = OrderRequest::new(
            &s.id,
            OrderDetails::Default {
                link: "https://instagram.com/p/three".into(),
                quantity: s.min,
                drip_feed: Some(DripFeed {
                    runs: 2,
                    interval: 5,
                }),
            },
        )
        .unwrap();
        sim.set_balance(dec("1000"));
        assert_eq!(
            rejected_reason(client.add(&drip).await),
            ProviderReason::DripFeedNotSupported
        );
        assert_eq!(
            rejected_reason(client.status("99999999").await),
            ProviderReason::UnknownOrder
        );
        assert_eq!(sim.orders().len(), 1, "only the valid order was placed");
    }
}

#[tokio::test]
async fn a_wrong_key_is_a_whole_call_error_for_every_action() {
    let sim = sim().await;
    let client = client_with(&sim, |c| {
        c.key = smm_panel::ApiKey::new("wrong-key-0000000000")
    });
    let ids = vec!["1".to_owned(), "2".to_owned()];
    let errors = vec![
        client.services().await.unwrap_err(),
        client.balance().await.unwrap_err(),
        client.status("1").await.unwrap_err(),
        client.statuses(&ids).await.unwrap_err(),
        client.refill("1").await.unwrap_err(),
        client.refills(&ids).await.unwrap_err(),
        client.refill_status("1").await.unwrap_err(),
        client.refill_statuses(&ids).await.unwrap_err(),
        client.cancel(&ids).await.unwrap_err(),
    ];
    for e in errors {
        assert_eq!(e.reason(), Some(&ProviderReason::InvalidKey), "{e:?}");
        assert_eq!(e.delivery(), Delivery::Rejected);
    }
    // A refusal is not retried: one request per call.
    assert_eq!(sim.counters().total, 9);
}

#[tokio::test]
async fn orders_progress_to_completed_or_partial_and_partials_are_refunded() {
    let sim = sim_with(SimConfig {
        seed: 3,
        balance: dec("100000"),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 1000 && s.max >= 1000);
    let mut ids = Vec::new();
    for n in 0..30 {
        let order =
            OrderRequest::default_type(&s.id, format!("https://tiktok.com/@u/video/{n}"), 1000)
                .unwrap();
        ids.push(client.add(&order).await.unwrap().id);
    }
    let first = client.status(&ids[0]).await.unwrap();
    assert_eq!(first.status, OrderStatus::Pending);
    assert_eq!(first.remains, Some(1000));
    assert_eq!(first.currency.as_deref(), Some("USD"));
    assert!(first.start_count.is_some());

    sim.advance(Duration::from_secs(48 * 3600));
    let states = client.statuses(&ids).await.unwrap();
    let full = estimate_cost(s.rate, &s.service_type, 1000, None);
    let mut charged = dec("0");
    let mut partials = 0;
    for id in &ids {
        let st = states[id].as_ref().unwrap();
        let charge = st.charge.unwrap();
        charged += charge;
        match st.status {
            OrderStatus::Completed => {
                assert_eq!(st.remains, Some(0));
                assert_eq!(charge, full);
            }
            OrderStatus::Partial => {
                partials += 1;
                let remains = st.remains.unwrap();
                assert!(remains > 0 && remains < 1000);
                assert!(charge < full);
            }
            ref other => panic!("order {id} is {other:?} after 48 h"),
        }
    }
    assert!(partials > 0, "seed 3 gives at least one partial order");
    assert_eq!(sim.balance(), dec("100000") - charged);
}

#[tokio::test]
async fn in_progress_orders_report_progress() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 5000 && s.max >= 5000);
    let order = OrderRequest::default_type(&s.id, "https://youtube.com/watch?v=x", 5000).unwrap();
    let id = client.add(&order).await.unwrap().id;
    sim.advance(Duration::from_secs(11 * 60));
    let st = client.status(&id).await.unwrap();
    assert_eq!(st.status, OrderStatus::InProgress);
    assert_eq!(st.raw_status, "In progress");
    sim.set_dialect(Dialect {
        snake_case_statuses: true,
        ..Dialect::default()
    });
    let st = client.status(&id).await.unwrap();
    assert_eq!(st.status, OrderStatus::InProgress);
    assert_eq!(st.raw_status, "in_progress");
}

#[tokio::test]
async fn two_hundred_fifty_ids_take_three_status_calls_and_unknown_ids_are_item_errors() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 100 && s.max >= 100);
    let placed = client
        .add(&OrderRequest::default_type(&s.id, "https://x.com/a/status/1", 100).unwrap())
        .await
        .unwrap()
        .id;
    let mut ids: Vec<String> = (1..=249).map(|n| format!("{}", 50_000 + n)).collect();
    ids.push(placed.clone());
    ids.push(placed.clone()); // duplicates are sent once
    let before = sim.counters().get(Action::Status);
    let states = client.statuses(&ids).await.unwrap();
    assert_eq!(sim.counters().get(Action::Status) - before, 3);
    assert_eq!(states.len(), 250);
    assert!(states[&placed].is_ok());
    assert_eq!(
        states["50001"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
    let sizes: Vec<usize> = sim
        .requests()
        .iter()
        .filter(|r| r.action == Some(Action::Status))
        .map(|r| r.param("orders").unwrap().split(',').count())
        .collect();
    assert_eq!(sizes, vec![100, 100, 50]);
}

#[tokio::test]
async fn refills_and_their_statuses() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.refill && s.min <= 100 && s.max >= 100);
    let no_refill = default_service(&sim, |s| !s.refill && s.min <= 100 && s.max >= 100);
    let a = client
        .add(&OrderRequest::default_type(&s.id, "https://instagram.com/a", 100).unwrap())
        .await
        .unwrap()
        .id;
    let b = client
        .add(&OrderRequest::default_type(&no_refill.id, "https://instagram.com/b", 100).unwrap())
        .await
        .unwrap()
        .id;
    assert_eq!(
        rejected_reason(client.refill(&a).await),
        ProviderReason::RefillNotAllowed,
        "not finished yet"
    );
    sim.advance(Duration::from_secs(48 * 3600));
    let refill = client.refill(&a).await.unwrap().id.expect("a refill id");
    let state = client.refill_status(&refill).await.unwrap();
    assert_eq!(state.status, RefillStatus::Pending);

    let many = client
        .refills(&[a.clone(), b.clone(), "77777".into()])
        .await
        .unwrap();
    let second = many[&a].as_ref().unwrap().id.clone().unwrap();
    assert_eq!(
        many[&b].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::RefillNotAllowed)
    );
    assert_eq!(
        many["77777"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );

    sim.advance(Duration::from_secs(3600));
    let states = client
        .refill_statuses(&[refill.clone(), second.clone(), "31337".into()])
        .await
        .unwrap();
    for id in [&refill, &second] {
        let st = states[id].as_ref().unwrap();
        assert!(
            matches!(st.status, RefillStatus::Completed | RefillStatus::Rejected),
            "{st:?}"
        );
    }
    assert_eq!(
        states["31337"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownRefill)
    );
    assert_eq!(
        rejected_reason(client.refill_status("31337").await),
        ProviderReason::UnknownRefill
    );
}

#[tokio::test]
async fn cancels_refund_and_report_per_item() {
    let sim = sim_with(SimConfig {
        dialect: Dialect {
            cancelled_spelling: true,
            ..Dialect::default()
        },
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.cancel && s.min <= 100 && s.max >= 100);
    let fixed = default_service(&sim, |s| !s.cancel && s.min <= 100 && s.max >= 100);
    let a = client
        .add(&OrderRequest::default_type(&s.id, "https://t.me/c/1", 100).unwrap())
        .await
        .unwrap()
        .id;
    let b = client
        .add(&OrderRequest::default_type(&fixed.id, "https://t.me/c/2", 100).unwrap())
        .await
        .unwrap()
        .id;
    let before = sim.balance();
    let result = client
        .cancel(&[a.clone(), b.clone(), "123456".into()])
        .await
        .unwrap();
    assert!(result[&a].is_ok());
    assert_eq!(
        result[&b].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::CancelNotAllowed)
    );
    assert_eq!(
        result["123456"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
    let st = client.status(&a).await.unwrap();
    assert_eq!(st.status, OrderStatus::Canceled);
    assert_eq!(st.raw_status, "Cancelled");
    assert_eq!(st.charge, Some(dec("0")));
    assert_eq!(
        sim.balance(),
        before + estimate_cost(s.rate, &s.service_type, 100, None)
    );
}

#[tokio::test]
async fn batch_calls_reject_an_empty_id_list_before_sending() {
    let sim = sim().await;
    let client = client(&sim);
    let e = client.statuses(&[]).await.unwrap_err();
    assert!(matches!(e, PanelError::InvalidRequest(_)));
    assert_eq!(e.delivery(), Delivery::NeverSent);
    let e = client.cancel(&["1,2".to_owned()]).await.unwrap_err();
    assert!(matches!(e, PanelError::InvalidRequest(_)));
    assert_eq!(sim.counters().total, 0);
}

#[tokio::test]
async fn not_returned_ids_are_reported() {
    // A panel that answers only for some ids.
    let (url, _) = scripted(|_| {
        http(
            "200 OK",
            &[("Content-Type", "application/json")],
            r#"{"1":{"status":"Completed","charge":"1.5","remains":"0"}}"#,
        )
    })
    .await;
    let client = smm_panel::Client::new(smm_panel::ProviderConfig::new(
        url,
        smm_panel::ApiKey::new("k-0000000000000"),
    ))
    .unwrap();
    let r = client
        .statuses(&["1".to_owned(), "2".to_owned()])
        .await
        .unwrap();
    assert_eq!(r["1"].as_ref().unwrap().status, OrderStatus::Completed);
    assert!(matches!(r["2"], Err(ItemError::NotReturned)));
}

#[tokio::test]
async fn drip_feed_orders_charge_every_run_and_report_runs() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.dripfeed && s.min <= 100 && s.max >= 100);
    let order = OrderRequest::new(
        &s.id,
        OrderDetails::Default {
            link: "https://instagram.com/p/drip".into(),
            quantity: 100,
            drip_feed: Some(DripFeed {
                runs: 4,
                interval: 30,
            }),
        },
    )
    .unwrap();
    let id = client.add(&order).await.unwrap().id;
    let cost = estimate_cost(s.rate, &s.service_type, 100, Some(4));
    assert_eq!(sim.order(&id).unwrap().charge, cost);
    assert_eq!(sim.order(&id).unwrap().quantity, 400);
    sim.advance(Duration::from_secs(11 * 60 + 60 * 60));
    let st = client.status(&id).await.unwrap();
    assert_eq!(st.status, OrderStatus::InProgress);
    assert!(matches!(st.runs, Some(0..=3)), "{st:?}");
}

#[tokio::test]
async fn subscriptions_are_active_and_count_posts() {
    let sim = sim_with(SimConfig {
        balance: dec("1000000"),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let s = service(&sim, |s| s.service_type == ServiceType::Subscriptions);
    let order = OrderRequest::new(
        &s.id,
        OrderDetails::Subscriptions {
            username: "brand".into(),
            min: s.min,
            max: s.min,
            posts: Some(3),
            old_posts: None,
            delay: 0,
            expiry: None,
        },
    )
    .unwrap();
    let id = client.add(&order).await.unwrap().id;
    sim.advance(Duration::from_secs(11 * 60 + 2 * 3600));
    let st = client.status(&id).await.unwrap();
    assert_eq!(st.status, OrderStatus::Active);
    assert_eq!(st.posts, Some(2));
    sim.advance(Duration::from_secs(24 * 3600));
    let st = client.status(&id).await.unwrap();
    assert_eq!(st.status, OrderStatus::Completed);
    assert_eq!(st.posts, Some(3));
}

#[tokio::test]
async fn a_time_scale_moves_the_clock_without_advance() {
    let sim = sim_with(SimConfig {
        time_scale: 3600,
        ..SimConfig::default()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(sim.now() >= Duration::from_secs(72), "{:?}", sim.now());
    sim.set_time_scale(0);
    let frozen = sim.now();
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(sim.now(), frozen);
    sim.advance(Duration::from_secs(60));
    assert_eq!(sim.now(), frozen + Duration::from_secs(60));
}

#[tokio::test]
async fn the_simulator_counts_unknown_actions_and_refuses_them() {
    let sim = sim().await;
    let http = reqwest_free_post(
        &sim.url(),
        &format!("key={}&action=add-order", sim.key().expose()),
    )
    .await;
    assert!(http.contains("Incorrect request"), "{http}");
    assert_eq!(sim.counters().unknown, 1);
    assert_eq!(sim.counters().total, 1);
    sim.shutdown().await;
}

/// A minimal HTTP/1.1 POST over a raw socket; returns the whole reply.
async fn reqwest_free_post(url: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "POST /api/v2 HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    reply
}

#[tokio::test]
async fn an_order_finished_as_partial_or_canceled_by_the_handle_is_charged_its_share() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 1000 && s.max >= 1000);
    let full = estimate_cost(s.rate, &s.service_type, 1000, None);
    let a = client
        .add(&OrderRequest::default_type(&s.id, "https://t.me/c/p", 1000).unwrap())
        .await
        .unwrap()
        .id;
    let b = client
        .add(&OrderRequest::default_type(&s.id, "https://t.me/c/q", 1000).unwrap())
        .await
        .unwrap()
        .id;
    let before = sim.balance();

    let done = sim.finish_partial(&a, 400).unwrap();
    assert_eq!(
        (done.status.clone(), done.remains),
        (OrderStatus::Partial, 600)
    );
    let st = client.status(&a).await.unwrap();
    assert_eq!(st.status, OrderStatus::Partial);
    assert_eq!(st.remains, Some(600));
    let share = (full * dec("400") / dec("1000")).round_dp(5);
    assert_eq!(st.charge, Some(share));
    assert_eq!(sim.balance(), before + (full - share), "the rest refunded");

    let gone = sim.finish_canceled(&b).unwrap();
    assert_eq!(gone.status, OrderStatus::Canceled);
    assert_eq!(client.status(&b).await.unwrap().charge, Some(dec("0")));
    assert_eq!(sim.balance(), before + (full - share) + full);

    // Bad requests change nothing.
    use smm_panel::sim::FinishError;
    assert_eq!(
        sim.finish_partial(&a, 10),
        Err(FinishError::AlreadyFinished(OrderStatus::Partial))
    );
    assert!(matches!(
        sim.finish_canceled("424242"),
        Err(FinishError::UnknownOrder(_))
    ));
    let c = client
        .add(&OrderRequest::default_type(&s.id, "https://t.me/c/r", 1000).unwrap())
        .await
        .unwrap()
        .id;
    assert_eq!(
        sim.finish_partial(&c, 1000),
        Err(FinishError::TooMany {
            delivered: 1000,
            quantity: 1000
        })
    );
    assert_eq!(
        sim.finish_partial(&c, 0),
        Err(FinishError::NothingDelivered)
    );
    assert!(!client.status(&c).await.unwrap().status.is_terminal());
}
