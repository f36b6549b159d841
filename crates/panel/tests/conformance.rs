//! The protocol's conformance cases at the decoder level, `case_NN` as the protocol notes
//! number them. (Transport cases 1, 6, 7, 16–19 and 21 are in `tests/client`; fixture shapes
//! in `tests/fixtures.rs`.)

use std::str::FromStr;

use rust_decimal::Decimal;
use smm_panel::{
    decode, CancelAccepted, Delivery, ItemError, OrderStatus, PanelError, ProviderReason,
    ServiceType,
};

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn case_02_empty_catalog_unknown_type_and_unknown_keys() {
    assert_eq!(decode::services(b"[]").unwrap(), vec![]);
    assert_eq!(decode::services(b" \r\n[ ]\n").unwrap(), vec![]);
    let s = decode::services(
        br#"[{"service":"77","name":"X","type":"Story Poll Votes","category":"C","rate":"1","min":"1","max":"2","extra":{"a":[1,2]},"rate [Other currency Separate Ticket request]":"x"}]"#,
    )
    .unwrap();
    assert_eq!(
        s[0].service_type,
        ServiceType::Other("Story Poll Votes".into())
    );
    assert_eq!(s[0].id, "77");
    // A bad row is skipped; the rest of the catalog survives.
    let s = decode::services(
        br#"[{"service":1,"rate":"abc","min":"1","max":"2"},"junk",{"service":2,"rate":"0.5","min":"1","max":"2","name":"ok"}]"#,
    )
    .unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].id, "2");
}

#[test]
fn case_03_money_keeps_full_precision() {
    for (body, want) in [
        (r#"{"balance":"0.0000001"}"#, "0.0000001"),
        (r#"{"balance":0.0000001}"#, "0.0000001"),
        (r#"{"balance":3.5}"#, "3.5"),
        (r#"{"balance":10000}"#, "10000"),
        (r#"{"balance":"100.84292"}"#, "100.84292"),
        (r#"{"balance":"1234567.1234567"}"#, "1234567.1234567"),
    ] {
        assert_eq!(
            decode::balance(body.as_bytes()).unwrap().amount,
            dec(want),
            "{body}"
        );
    }
    let s = decode::services(
        br#"[{"service":1,"rate":"0.0000001","min":"1","max":"2"},{"service":2,"rate":3.5,"min":1,"max":2}]"#,
    )
    .unwrap();
    assert_eq!(s[0].rate, dec("0.0000001"));
    assert_eq!(s[1].rate, dec("3.5"));
    let st = decode::order_state(br#"{"status":"Completed","charge":0.0000001}"#).unwrap();
    assert_eq!(st.charge, Some(dec("0.0000001")));
}

#[test]
fn case_04_add_success_shapes_and_empty_object() {
    for body in [
        r#"{"order":23501}"#,
        r#"{"order":"23501"}"#,
        r#"{"order":" 23501 "}"#,
    ] {
        assert_eq!(decode::placed_order(body.as_bytes()).unwrap().id, "23501");
    }
    assert_eq!(
        decode::placed_order(br#"{"status":"success","order":151}"#)
            .unwrap()
            .id,
        "151"
    );
    let e = decode::placed_order(b"{}").unwrap_err();
    assert!(matches!(e, PanelError::UnexpectedReply { .. }), "{e:?}");
    assert_eq!(e.delivery(), Delivery::MaybeSent);
    assert!(decode::placed_order(br#"{"order":null}"#).is_err());
    assert!(decode::placed_order(br#"[23501]"#).is_err());
}

#[test]
fn case_05_add_errors_are_typed_and_distinct() {
    let reason = |msg: &str| {
        let body = serde_json::json!({ "error": msg }).to_string();
        decode::placed_order(body.as_bytes())
            .unwrap_err()
            .reason()
            .cloned()
            .unwrap()
    };
    let funds = reason("Not enough funds on balance");
    let duplicate = reason("neworder.error.link_duplicate");
    let service = reason("error.incorrect_service_id");
    let quantity = reason("Quantity less than minimal 200");
    let key = reason("Invalid API key");
    assert_eq!(funds, ProviderReason::InsufficientFunds);
    assert_eq!(duplicate, ProviderReason::DuplicateActiveLink);
    assert_eq!(service, ProviderReason::UnknownService);
    assert_eq!(
        quantity,
        ProviderReason::QuantityBelowMin { min: Some(200) }
    );
    assert_eq!(key, ProviderReason::InvalidKey);
    let all = [funds, duplicate, service, quantity, key];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert_eq!(
        reason("Something odd happened"),
        ProviderReason::Other("Something odd happened".into())
    );
    // An error beside other keys is still an error.
    let e = decode::placed_order(br#"{"status":"error","error":"Incorrect link"}"#).unwrap_err();
    assert_eq!(e.reason(), Some(&ProviderReason::BadLink));
}

#[test]
fn case_08_start_count_spellings() {
    for (raw, want) in [
        (r#""3572""#, Some(3572)),
        ("3572", Some(3572)),
        (r#""""#, None),
        ("null", None),
        (r#""Unknown""#, None),
    ] {
        let body = format!(
            r#"{{"status":"In progress","start_count":{raw},"remains":{raw},"charge":"0.1"}}"#
        );
        let st = decode::order_state(body.as_bytes()).unwrap();
        assert_eq!(st.start_count, want, "{raw}");
        assert_eq!(st.remains, want, "{raw}");
    }
}

#[test]
fn case_09_multi_status_item_shapes() {
    let r = decode::order_states(
        br#"{"1":{"status":"Completed","charge":"1","remains":"0"},"2":"Incorrect order ID","3":{"error":"Incorrect order ID"},"4":42}"#,
        &ids(&["1", "2", "3", "4", "5"]),
    )
    .unwrap();
    assert_eq!(r["1"].as_ref().unwrap().status, OrderStatus::Completed);
    assert_eq!(
        r["2"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder),
        "the SmartPanel bare string"
    );
    assert_eq!(
        r["3"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
    assert!(matches!(r["4"], Err(ItemError::Malformed(_))));
    assert!(matches!(r["5"], Err(ItemError::NotReturned)));
    // Keys in any order, ids as numbers or strings in array form.
    let r = decode::order_states(
        br#"[{"order":2,"status":"Pending"},{"order":"1","status":"Partial"}]"#,
        &ids(&["1", "2"]),
    )
    .unwrap();
    assert_eq!(r["1"].as_ref().unwrap().status, OrderStatus::Partial);
    assert_eq!(r["2"].as_ref().unwrap().status, OrderStatus::Pending);
}

#[test]
fn case_10_top_level_error_in_a_multi_reply_is_a_whole_call_failure() {
    let body = br#"{"error":"Invalid API key"}"#;
    let requested = ids(&["1", "2"]);
    for e in [
        decode::order_states(body, &requested).unwrap_err(),
        decode::refills_accepted(body, &requested).unwrap_err(),
        decode::refill_states(body, &requested).unwrap_err(),
        decode::cancels(body, &requested).unwrap_err(),
    ] {
        assert_eq!(e.reason(), Some(&ProviderReason::InvalidKey));
    }
}

#[test]
fn case_11_batches_dedupe_refuse_empty_and_split() {
    let list: Vec<String> = (0..250).map(|n| n.to_string()).collect();
    let twice: Vec<String> = list.iter().chain(list.iter()).cloned().collect();
    let chunks = smm_panel::chunk_ids(&twice).unwrap();
    assert_eq!(chunks.len(), 3);
    assert!(chunks.iter().all(|c| c.len() <= 100));
    assert_eq!(chunks.concat(), list);
    assert!(smm_panel::chunk_ids(&[]).is_err());
}

#[test]
fn case_12_refill_variants() {
    assert_eq!(
        decode::refill_accepted(br#"{"refill":"1"}"#)
            .unwrap()
            .id
            .as_deref(),
        Some("1")
    );
    assert_eq!(
        decode::refill_accepted(br#"{"success":"Refill request added","refill":12345}"#)
            .unwrap()
            .id
            .as_deref(),
        Some("12345")
    );
    assert_eq!(
        decode::refill_accepted(br#"{"status":"success","message":"queued"}"#)
            .unwrap()
            .id,
        None
    );
    let e = decode::refill_accepted(br#"{"refill":{"error":"Order not eligible for refill."}}"#)
        .unwrap_err();
    assert_eq!(e.reason(), Some(&ProviderReason::RefillNotAllowed));
    assert!(decode::refill_accepted(b"{}").is_err());
}

#[test]
fn case_13_cancel_acceptance_spellings_and_keyed_objects() {
    let r = decode::cancels(
        br#"[{"order":1,"cancel":1},{"order":2,"cancel":"1"},{"order":3,"cancel":"requested"},{"order":4,"cancel":true},{"order":5,"cancel":0}]"#,
        &ids(&["1", "2", "3", "4", "5"]),
    )
    .unwrap();
    for id in ["1", "2", "3", "4"] {
        assert_eq!(r[id].as_ref().unwrap(), &CancelAccepted, "{id}");
    }
    assert!(r["5"].is_err());
    // sns-panel: keyed by order.
    let r = decode::cancels(
        br#"{"7":{"cancel":1},"8":{"error":"Incorrect order ID"},"9":1}"#,
        &ids(&["7", "8", "9"]),
    )
    .unwrap();
    assert!(r["7"].is_ok() && r["9"].is_ok());
    assert_eq!(
        r["8"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
}

#[test]
fn case_20_balance_variants() {
    let b = decode::balance(br#"{"status":"success","balance":12.3,"currency":"EUR"}"#).unwrap();
    assert_eq!(b.amount, dec("12.3"));
    assert_eq!(b.currency.as_deref(), Some("EUR"));
    let b = decode::balance(br#"{"balance":10000}"#).unwrap();
    assert_eq!(b.amount, dec("10000"));
    assert_eq!(b.currency, None);
    let b = decode::balance(br#"{"balance":"5","currency":""}"#).unwrap();
    assert_eq!(b.currency, None);
    assert!(decode::balance(br#"{"currency":"USD"}"#).is_err());
}

#[test]
fn case_22_dripfeed_and_subscription_bags_with_child_orders() {
    let st = decode::order_state(br#"{"status":"In progress","runs":"2","orders":[101,"102"]}"#)
        .unwrap();
    assert_eq!(st.runs, Some(2));
    assert_eq!(st.child_orders, vec!["101".to_owned(), "102".to_owned()]);
    let st = decode::order_state(br#"{"status":"Active","expiry":false,"posts":3,"orders":[5]}"#)
        .unwrap();
    assert_eq!(st.status, OrderStatus::Active);
    assert_eq!(st.posts, Some(3));
    assert_eq!(st.child_orders, vec!["5".to_owned()]);
}

#[test]
fn case_15_non_json_bodies_are_clean_errors_with_short_snippets() {
    let cloudflare = format!(
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    for body in [
        cloudflare.as_str(),
        "<br />\n<b>Warning</b>: oops<br />\n{\"order\":1}",
        "502 Bad Gateway",
        "\u{FEFF}garbage",
    ] {
        match decode::placed_order(body.as_bytes()) {
            Err(PanelError::NonJson { snippet, .. }) => {
                assert!(snippet.chars().count() <= 200, "{snippet}")
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    assert!(matches!(
        decode::placed_order(b"  \n "),
        Err(PanelError::EmptyBody { .. })
    ));
    // A byte-order mark before valid JSON is tolerated.
    assert_eq!(
        decode::placed_order("\u{FEFF}{\"order\":1}".as_bytes())
            .unwrap()
            .id,
        "1"
    );
}
