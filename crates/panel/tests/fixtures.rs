//! Conformance: every example in `tests/fixtures/smm-api-v2-examples.json`, field by field.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use smm_panel::{
    decode, CancelAccepted, Delivery, ItemError, OrderFields, OrderFormError, OrderStatus,
    PanelError, ProviderReason, RefillStatus, ServiceLimits, ServiceType,
};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/smm-api-v2-examples.json"
);

/// Every fixture, by id: (response body, the whole entry).
fn fixtures() -> BTreeMap<String, (String, Value)> {
    let text =
        std::fs::read_to_string(FIXTURES).unwrap_or_else(|e| panic!("cannot read {FIXTURES}: {e}"));
    let entries: Vec<Value> = serde_json::from_str(&text).expect("the fixture file is JSON");
    entries
        .into_iter()
        .map(|e| {
            let id = e["id"].as_str().expect("id").to_owned();
            let body = e["response"].as_str().expect("response").to_owned();
            (id, (body, e))
        })
        .collect()
}

fn body(id: &str) -> String {
    fixtures()
        .remove(id)
        .unwrap_or_else(|| panic!("fixture {id} missing"))
        .0
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn provider_reason(e: &PanelError) -> ProviderReason {
    e.reason()
        .unwrap_or_else(|| panic!("expected a provider error, got {e:?}"))
        .clone()
}

/// The ids this file asserts; a new fixture without a test fails `every_fixture_is_covered`.
const COVERED: &[&str] = &[
    "EX#1", "EX#2", "EX#3", "EX#4", "EX#5", "EX#6", "EX#7", "EX#8", "EX#9", "EX#10", "EX#11",
    "EX#12", "EX#13", "EX#14", "EX#15", "EX#16", "EX#17", "EX#18", "EX#21", "EX#22", "EX#25",
    "EX#26", "EX#27", "EX#29", "EX#32", "EX#33", "EX#34", "EX#35", "EX#36", "EX#37", "EX#38",
    "EX#40", "EX#41", "EX#42", "EX#43", "PHP#1", "PHP#2", "PHP#3", "PHP#4", "PHP#5", "PHP#6",
    "PHP#7", "PHP#8", "PHP#9",
];

#[test]
fn every_fixture_is_covered() {
    let in_file: BTreeSet<String> = fixtures().into_keys().collect();
    let covered: BTreeSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    assert_eq!(in_file, covered, "fixtures and tests differ");
}

#[test]
fn ex01_jap_services() {
    let s = decode::services(body("EX#1").as_bytes()).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].id, "1");
    assert_eq!(s[0].name, "Followers");
    assert_eq!(s[0].service_type, ServiceType::Default);
    assert_eq!(s[0].category, "First Category");
    assert_eq!(s[0].rate, dec("0.90"));
    assert_eq!((s[0].min, s[0].max), (50, 10000));
    assert!(s[0].refill && s[0].cancel && !s[0].dripfeed);
    assert_eq!(s[0].description, None);
    assert_eq!(s[1].id, "2");
    assert_eq!(s[1].name, "Comments");
    assert_eq!(s[1].service_type, ServiceType::CustomComments);
    assert_eq!(s[1].category, "Second Category");
    assert_eq!(s[1].rate, dec("8"));
    assert_eq!((s[1].min, s[1].max), (10, 1500));
    assert!(!s[1].refill && s[1].cancel);
}

#[test]
fn ex02_add_numeric_order_id() {
    assert_eq!(
        decode::placed_order(body("EX#2").as_bytes()).unwrap().id,
        "23501"
    );
}

#[test]
fn ex03_single_status() {
    let s = decode::order_state(body("EX#3").as_bytes()).unwrap();
    assert_eq!(s.charge, Some(dec("0.27819")));
    assert_eq!(s.start_count, Some(3572));
    assert_eq!(s.status, OrderStatus::Partial);
    assert_eq!(s.raw_status, "Partial");
    assert_eq!(s.remains, Some(157));
    assert_eq!(s.currency.as_deref(), Some("USD"));
    assert_eq!((s.runs, s.posts), (None, None));
    assert!(s.child_orders.is_empty());
}

#[test]
fn ex04_multi_status_keyed_by_id_with_item_error() {
    let r = decode::order_states(body("EX#4").as_bytes(), &ids(&["1", "10", "100"])).unwrap();
    assert_eq!(r.len(), 3);
    let one = r["1"].as_ref().unwrap();
    assert_eq!(one.status, OrderStatus::Partial);
    assert_eq!(one.charge, Some(dec("0.27819")));
    assert_eq!((one.start_count, one.remains), (Some(3572), Some(157)));
    assert_eq!(one.currency.as_deref(), Some("USD"));
    let ten = r["10"].as_ref().unwrap_err();
    assert_eq!(ten.reason(), Some(&ProviderReason::UnknownOrder));
    assert!(matches!(ten, ItemError::Provider { message, .. } if message == "Incorrect order ID"));
    let hundred = r["100"].as_ref().unwrap();
    assert_eq!(hundred.status, OrderStatus::InProgress);
    assert_eq!(hundred.raw_status, "In progress");
    assert_eq!(hundred.charge, Some(dec("1.44219")));
    assert_eq!(
        (hundred.start_count, hundred.remains),
        (Some(234), Some(10))
    );
}

#[test]
fn ex05_single_refill_id_as_string() {
    let r = decode::refill_accepted(body("EX#5").as_bytes()).unwrap();
    assert_eq!(r.id.as_deref(), Some("1"));
}

#[test]
fn ex06_multi_refill_error_under_refill() {
    let r = decode::refills_accepted(body("EX#6").as_bytes(), &ids(&["1", "2", "3"])).unwrap();
    assert_eq!(r["1"].as_ref().unwrap().id.as_deref(), Some("1"));
    assert_eq!(r["2"].as_ref().unwrap().id.as_deref(), Some("2"));
    assert_eq!(
        r["3"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
}

#[test]
fn ex07_single_refill_status() {
    let r = decode::refill_state(body("EX#7").as_bytes()).unwrap();
    assert_eq!(r.status, RefillStatus::Completed);
    assert_eq!(r.raw_status, "Completed");
}

#[test]
fn ex08_multi_refill_status_error_under_status() {
    let r = decode::refill_states(body("EX#8").as_bytes(), &ids(&["1", "2", "3"])).unwrap();
    assert_eq!(r["1"].as_ref().unwrap().status, RefillStatus::Completed);
    assert_eq!(r["2"].as_ref().unwrap().status, RefillStatus::Rejected);
    assert_eq!(
        r["3"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownRefill)
    );
}

#[test]
fn ex09_cancel_error_under_cancel() {
    let r = decode::cancels(body("EX#9").as_bytes(), &ids(&["9", "2"])).unwrap();
    assert_eq!(
        r["9"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
    assert_eq!(r["2"].as_ref().unwrap(), &CancelAccepted);
}

#[test]
fn ex10_and_ex14_balance() {
    for id in ["EX#10", "EX#14"] {
        let b = decode::balance(body(id).as_bytes()).unwrap();
        assert_eq!(b.amount, dec("100.84292"), "{id}");
        assert_eq!(b.currency.as_deref(), Some("USD"), "{id}");
    }
}

#[test]
fn ex11_dripfeed_flag() {
    let s = decode::services(body("EX#11").as_bytes()).unwrap();
    assert_eq!(s.len(), 2);
    assert!(s[0].dripfeed && s[0].refill && !s[0].cancel);
    assert_eq!(s[0].category, "First Category");
    assert!(!s[1].dripfeed && !s[1].refill && s[1].cancel);
    assert_eq!(s[1].max, 15000);
}

#[test]
fn ex12_string_ids_without_flags() {
    let s = decode::services(body("EX#12").as_bytes()).unwrap();
    assert_eq!(s[0].id, "1");
    assert_eq!(s[1].id, "2");
    assert!(!s[0].refill && !s[0].cancel && !s[0].dripfeed);
    assert_eq!(s[1].rate, dec("8"));
    assert_eq!(s[1].service_type, ServiceType::CustomComments);
}

#[test]
fn ex13_secsers_without_cancel() {
    let s = decode::services(body("EX#13").as_bytes()).unwrap();
    assert_eq!(s.len(), 2);
    assert!(s[0].refill && !s[0].cancel);
    assert!(!s[1].refill && !s[1].cancel);
    assert_eq!((s[1].min, s[1].max), (10, 1500));
}

#[test]
fn ex15_add_string_order_id() {
    assert_eq!(
        decode::placed_order(body("EX#15").as_bytes()).unwrap().id,
        "23501"
    );
}

#[test]
fn ex16_truncated_capture_is_a_clean_error_and_the_closed_array_parses() {
    let raw = body("EX#16");
    assert!(matches!(
        decode::services(raw.as_bytes()),
        Err(PanelError::NonJson { .. })
    ));
    let closed = format!("{raw}]");
    let s = decode::services(closed.as_bytes()).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].id, "694");
    assert!(s[0]
        .name
        .starts_with("Instagram Followers Real [Recommend]🔥"));
    assert_eq!(s[0].rate, dec("3.5"));
    assert_eq!(s[0].service_type, ServiceType::Default);
    assert_eq!(s[0].category, "Instagram Followers [ Guaranteed ]");
    assert_eq!((s[0].min, s[0].max), (50, 100000));
    assert_eq!(
        s[0].description.as_deref(),
        Some("R30 + Auto Refill\r\nRefill Button Activated\r\nBEST SERVICE\r\n10% drop Ratio\r\nInstant Start\r\nRecommend 🔥")
    );
    assert_eq!(s[1].id, "695");
    assert_eq!(s[1].rate, dec("4.5"));
    assert_eq!(s[1].max, 5000);
}

#[test]
fn ex17_refill_without_id() {
    let r = decode::refill_accepted(body("EX#17").as_bytes()).unwrap();
    assert_eq!(r.id, None);
}

#[test]
fn ex18_single_cancel_form() {
    let r = decode::cancels(body("EX#18").as_bytes(), &ids(&["23501"])).unwrap();
    assert_eq!(r["23501"].as_ref().unwrap(), &CancelAccepted);
}

#[test]
fn ex21_subscription_status_bag() {
    let s = decode::order_state(body("EX#21").as_bytes()).unwrap();
    assert_eq!(s.status, OrderStatus::Active);
    assert_eq!(s.posts, Some(12));
    assert_eq!((s.charge, s.remains, s.start_count), (None, None, None));
    assert_eq!(s.currency, None);
}

#[test]
fn ex22_dripfeed_status_bag() {
    let s = decode::order_state(body("EX#22").as_bytes()).unwrap();
    assert_eq!(s.status, OrderStatus::InProgress);
    assert_eq!(s.raw_status, "In Progress");
    assert_eq!(s.runs, Some(2));
}

#[test]
fn ex25_unknown_message_kept_raw() {
    let e = decode::placed_order(body("EX#25").as_bytes()).unwrap_err();
    assert_eq!(
        provider_reason(&e),
        ProviderReason::Other("incorrect service type".into())
    );
}

#[test]
fn ex26_trailing_comma_is_a_clean_error_and_the_corrected_form_parses() {
    let e = decode::balance(body("EX#26").as_bytes()).unwrap_err();
    assert!(matches!(e, PanelError::NonJson { .. }), "{e:?}");
    let b = decode::balance(br#"{"balance": 10000, "currency": "USD"}"#).unwrap();
    assert_eq!(b.amount, dec("10000"));
    assert_eq!(b.currency.as_deref(), Some("USD"));
}

#[test]
fn ex27_add_with_status_success() {
    assert_eq!(
        decode::placed_order(body("EX#27").as_bytes()).unwrap().id,
        "151"
    );
}

#[test]
fn ex29_funds_error() {
    let e = decode::placed_order(body("EX#29").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::InsufficientFunds);
}

#[test]
fn ex32_snake_case_status_and_opaque_id() {
    let s = decode::order_state(body("EX#32").as_bytes()).unwrap();
    assert_eq!(s.status, OrderStatus::InProgress);
    assert_eq!(s.raw_status, "in_progress");
    assert_eq!(s.charge, Some(dec("0.50")));
    assert_eq!((s.start_count, s.remains), (Some(1234), Some(650)));
    let r = decode::order_states(
        br#"{"ord_01HG9X7KJP4N":{"status":"in_progress","charge":"0.50"}}"#,
        &ids(&["ord_01HG9X7KJP4N"]),
    )
    .unwrap();
    assert!(r["ord_01HG9X7KJP4N"].is_ok());
}

#[test]
fn ex33_foreign_envelope() {
    let e = decode::balance(body("EX#33").as_bytes()).unwrap_err();
    assert!(matches!(e, PanelError::NonJson { .. }), "{e:?}");
    let corrected =
        br#"{ "data": null, "error": { "code": 405, "message": "Method not allowed" } }"#;
    for e in [
        decode::balance(corrected).unwrap_err(),
        decode::placed_order(corrected).unwrap_err(),
        decode::order_state(corrected).unwrap_err(),
        decode::order_states(corrected, &ids(&["1"])).unwrap_err(),
    ] {
        assert!(matches!(e, PanelError::UnsupportedFormat { .. }), "{e:?}");
    }
}

#[test]
fn ex34_key_style_cancel_item_error() {
    let r = decode::cancels(body("EX#34").as_bytes(), &ids(&["1"])).unwrap();
    assert!(matches!(
        r["1"].as_ref().unwrap_err(),
        ItemError::Provider { reason: ProviderReason::UnknownOrder, message } if message == "error.incorrect_order_id"
    ));
}

#[test]
fn ex35_cancel_success_item() {
    let r = decode::cancels(body("EX#35").as_bytes(), &ids(&["1"])).unwrap();
    assert!(r["1"].is_ok());
}

#[test]
fn ex36_multi_refill_success_item() {
    let r = decode::refills_accepted(body("EX#36").as_bytes(), &ids(&["1"])).unwrap();
    assert_eq!(r["1"].as_ref().unwrap().id.as_deref(), Some("123"));
}

#[test]
fn ex37_invalid_key_is_a_whole_call_error() {
    let e = decode::balance(body("EX#37").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::InvalidKey);
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[test]
fn ex38_rate_limit_text() {
    let e = decode::services(body("EX#38").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::RateLimited);
    assert!(e.is_rate_limited());
}

#[test]
fn ex40_string_ids_and_seo() {
    let s = decode::services(body("EX#40").as_bytes()).unwrap();
    assert_eq!(s[0].id, "3331");
    assert_eq!(s[1].id, "3332");
    assert_eq!(s[1].service_type, ServiceType::Seo);
    assert_eq!(s[1].category, "zzzzzzz");
    assert!(s[0].refill && !s[1].refill && !s[0].dripfeed);
    assert_eq!((s[0].min, s[0].max), (10, 100));
    assert_eq!(s[0].rate, dec("1.00"));
}

#[test]
fn ex41_cancel_mixed() {
    let r = decode::cancels(body("EX#41").as_bytes(), &ids(&["1", "2"])).unwrap();
    assert!(r["1"].is_ok());
    assert_eq!(
        r["2"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
}

#[test]
fn ex42_invalid_json_is_a_clean_error() {
    let e = decode::services(body("EX#42").as_bytes()).unwrap_err();
    match e {
        PanelError::NonJson { snippet, .. } => {
            assert!(snippet.chars().count() <= 200);
            assert!(snippet.starts_with('['));
        }
        other => panic!("expected NonJson, got {other:?}"),
    }
}

#[test]
fn ex43_incorrect_request() {
    let e = decode::placed_order(body("EX#43").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::IncorrectRequest);
}

#[test]
fn php01_user_not_found_is_an_invalid_key() {
    let e = decode::balance(body("PHP#1").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::InvalidKey);
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[test]
fn php02_notices_before_an_accepted_add_are_skipped() {
    let (text, entry) = fixtures().remove("PHP#2").unwrap();
    assert_eq!(entry["content_type"], "text/html; charset=UTF-8");
    let placed = decode::placed_order(text.as_bytes()).unwrap();
    assert_eq!(placed.id, "183");
    let notices = decode::php_notices(text.as_bytes()).expect("notices");
    assert_eq!(notices.count, 12);
    assert_eq!(notices.json, br#"{"order": 183}"#);
}

#[test]
fn php03_strings_everywhere_null_category_and_a_dripfeed_service() {
    let s = decode::services(body("PHP#3").as_bytes()).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].id.as_str(), s[1].id.as_str()), ("1", "2"));
    assert_eq!(s[0].category, "", "a null category is no category");
    assert_eq!(s[1].category, "Instagram");
    assert_eq!((s[0].rate, s[1].rate), (dec("0.8000"), dec("0.1200")));
    assert_eq!(
        (s[0].min, s[0].max, s[1].min, s[1].max),
        (100, 10000, 50, 5000)
    );
    assert_eq!(s[0].service_type, ServiceType::Default);
    assert!(!s[0].dripfeed && !s[0].refill && !s[0].cancel);
    assert!(s[1].dripfeed && s[1].refill && !s[1].cancel);
    assert_eq!(s[0].description, None);
    assert_eq!(s[1].description.as_deref(), Some("Needs runs and interval"));
    // The drip-feed service takes runs and interval together, and only it takes them.
    let limits = |i: usize| ServiceLimits {
        min: s[i].min,
        max: s[i].max,
        dripfeed: s[i].dripfeed,
        rate: s[i].rate,
    };
    let fields = |runs, interval| OrderFields {
        link: Some("https://instagram.com/p/drip".into()),
        quantity: Some(100),
        runs,
        interval,
        ..OrderFields::default()
    };
    let build = |i: usize, f: &OrderFields| f.build(&s[i].id, &s[i].service_type, &limits(i));
    assert_eq!(
        build(1, &fields(Some(5), None)).unwrap_err(),
        OrderFormError::DripFeedIncomplete
    );
    assert_eq!(
        build(1, &fields(None, Some(10))).unwrap_err(),
        OrderFormError::DripFeedIncomplete
    );
    assert_eq!(
        build(0, &fields(Some(5), Some(10))).unwrap_err(),
        OrderFormError::DripFeedUnsupported
    );
    let built = build(1, &fields(Some(5), Some(10))).unwrap();
    let params = built.request.form_params();
    for (k, v) in [("runs", "5"), ("interval", "10")] {
        assert!(params.contains(&(k.into(), v.into())), "{params:?}");
    }
}

#[test]
fn php04_dripfeed_without_interval_is_refused_in_the_panels_words() {
    let e = decode::placed_order(body("PHP#4").as_bytes()).unwrap_err();
    assert_eq!(
        provider_reason(&e),
        ProviderReason::Other("Interval time is required".into())
    );
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[test]
fn php05_status_with_strings_everywhere() {
    let s = decode::order_state(body("PHP#5").as_bytes()).unwrap();
    assert_eq!(s.status, OrderStatus::InProgress);
    assert_eq!(s.raw_status, "In progress");
    assert_eq!(s.charge, Some(dec("0.08")));
    assert_eq!((s.start_count, s.remains), (Some(0), Some(100)));
    assert_eq!(s.currency.as_deref(), Some("USD"));
}

#[test]
fn php06_dripfeed_status_with_runs_and_child_orders() {
    let s = decode::order_state(body("PHP#6").as_bytes()).unwrap();
    assert_eq!(s.status, OrderStatus::InProgress);
    assert_eq!(s.runs, Some(2));
    assert_eq!(s.child_orders, ids(&["185", "186"]));
}

#[test]
fn php07_balance_beside_status_success() {
    let b = decode::balance(body("PHP#7").as_bytes()).unwrap();
    assert_eq!(b.amount, dec("9.92"));
    assert_eq!(b.currency.as_deref(), Some("USD"));
}

#[test]
fn php08_and_php09_request_invalid_is_an_incorrect_request() {
    let e = decode::refill_accepted(body("PHP#8").as_bytes()).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::IncorrectRequest);
    let e = decode::refills_accepted(body("PHP#8").as_bytes(), &ids(&["183"])).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::IncorrectRequest);
    let e = decode::cancels(body("PHP#9").as_bytes(), &ids(&["183"])).unwrap_err();
    assert_eq!(provider_reason(&e), ProviderReason::IncorrectRequest);
    assert_eq!(e.delivery(), Delivery::Rejected);
}

#[test]
fn every_fixture_decodes_without_panic_through_every_decoder() {
    let requested = ids(&["1", "2", "3", "9", "10", "100"]);
    for (id, (body, _)) in fixtures() {
        let b = body.as_bytes();
        let _ = decode::services(b);
        let _ = decode::placed_order(b);
        let _ = decode::order_state(b);
        let _ = decode::order_states(b, &requested);
        let _ = decode::refill_accepted(b);
        let _ = decode::refills_accepted(b, &requested);
        let _ = decode::refill_state(b);
        let _ = decode::refill_states(b, &requested);
        let _ = decode::cancels(b, &requested);
        let _ = decode::balance(b);
        let _ = id;
    }
}
