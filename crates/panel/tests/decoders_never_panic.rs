//! Property tests: arbitrary bytes, arbitrary JSON, mutated fixtures and PHP notices before
//! any of them into every decoder never panic, and every error is short.

use proptest::prelude::*;
use smm_panel::{decode, PanelError};

fn check(result: Result<impl Sized, PanelError>) {
    if let Err(e) = result {
        // Errors are bounded: the snippet is at most 200 characters.
        assert!(e.to_string().chars().count() < 800, "{e}");
    }
}

fn every_decoder(bytes: &[u8]) {
    let requested: Vec<String> = vec!["1".into(), "2".into(), "10".into()];
    check(decode::services(bytes));
    check(decode::placed_order(bytes));
    check(decode::order_state(bytes));
    check(decode::order_states(bytes, &requested));
    check(decode::refill_accepted(bytes));
    check(decode::refills_accepted(bytes, &requested));
    check(decode::refill_state(bytes));
    check(decode::refill_states(bytes, &requested));
    check(decode::cancels(bytes, &requested));
    check(decode::balance(bytes));
}

/// Arbitrary JSON values, biased towards the shapes panels send.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-zA-Z0-9 ._-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("Unknown"),
            Just(""),
            Just("0.0000001"),
            Just("In progress"),
            Just("Incorrect order ID"),
            Just("-5"),
            Just("1e400"),
            Just("99999999999999999999999")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop_oneof![
        Just("service"),
        Just("name"),
        Just("type"),
        Just("rate"),
        Just("min"),
        Just("max"),
        Just("refill"),
        Just("cancel"),
        Just("dripfeed"),
        Just("order"),
        Just("orders"),
        Just("status"),
        Just("charge"),
        Just("remains"),
        Just("start_count"),
        Just("currency"),
        Just("balance"),
        Just("error"),
        Just("data"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("desc"),
        Just("runs"),
        Just("posts")
    ]
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// One PHP notice as panels print it (HTML or plain), with an arbitrary message and line.
fn php_notice() -> impl Strategy<Value = String> {
    let level = prop_oneof![
        Just("Notice"),
        Just("Warning"),
        Just("Deprecated"),
        Just("Strict Standards"),
        Just("Fatal error"),
        Just("Parse error"),
    ];
    let message = prop_oneof![
        "[a-zA-Z0-9 $:._\"-]{0,40}",
        Just("Undefined index: {\"order\":1}".to_owned()),
        Just("Array [0]".to_owned()),
    ];
    (level, message, "[a-z/._]{1,30}", 0u32..100_000, any::<bool>()).prop_map(
        |(level, message, file, line, html)| {
            if html {
                format!("<br />\n<b>{level}</b>:  {message} in <b>{file}</b> on line <b>{line}</b><br />\n")
            } else {
                format!("\n{level}: {message} in {file} on line {line}\n")
            }
        },
    )
}

/// Valid replies of several actions.
const CLEAN: [&str; 4] = [
    r#"[{"service":1,"name":"Followers","type":"Default","category":"A","rate":"0.90","min":"50","max":"10000"}]"#,
    r#"{"order":23501}"#,
    r#"{"balance":"100.84292","currency":"USD"}"#,
    r#"{"error":"Incorrect order ID"}"#,
];

/// Notices that let the script go on, with a message free of JSON: the reply after them counts.
fn harmless_notice() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("Notice"), Just("Warning"), Just("Deprecated")],
        "[a-zA-Z0-9 $:._\"-]{0,40}".prop_filter("a message without the line marker", |m| {
            !m.contains(" on line ")
        }),
        0u32..100_000,
    )
        .prop_map(|(level, message, line)| {
            format!("<br />\n<b>{level}</b>:  {message} in <b>/var/www/api.php</b> on line <b>{line}</b><br />\n")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_decoder(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        every_decoder(value.to_string().as_bytes());
    }

    #[test]
    fn mutated_fixtures_never_panic(
        pick in 0usize..8,
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let bodies: [&[u8]; 8] = [
            br#"[{"service":1,"name":"Followers","type":"Default","category":"A","rate":"0.90","min":"50","max":"10000","refill":true,"cancel":true}]"#,
            br#"{"order":23501}"#,
            br#"{"charge":"0.27819","start_count":"3572","status":"Partial","remains":"157","currency":"USD"}"#,
            br#"{"1":{"charge":"0.27819","status":"Partial"},"10":{"error":"Incorrect order ID"}}"#,
            br#"[{"order":1,"refill":1},{"order":3,"refill":{"error":"Incorrect order ID"}}]"#,
            br#"[{"refill":1,"status":"Completed"},{"refill":3,"status":{"error":"Refill not found"}}]"#,
            br#"[{"order":9,"cancel":{"error":"Incorrect order ID"}},{"order":2,"cancel":1}]"#,
            br#"{"balance":"100.84292","currency":"USD"}"#,
        ];
        let mut body = bodies[pick].to_vec();
        let i = flip.index(body.len());
        body[i] = byte;
        let end = cut.index(body.len() + 1);
        every_decoder(&body[..end]);
        every_decoder(&body);
    }

    #[test]
    fn php_notices_before_anything_never_panic(
        notices in prop::collection::vec(php_notice(), 0..40),
        value in json_value(),
        pick in 0usize..CLEAN.len(),
        cut in any::<prop::sample::Index>(),
        tail in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let prefix = notices.concat();
        every_decoder(format!("{prefix}{value}").as_bytes());
        let clean = format!("{prefix}{}", CLEAN[pick]);
        every_decoder(clean.as_bytes());
        let end = cut.index(clean.len() + 1);
        every_decoder(&clean.as_bytes()[..end]);
        let mut noisy = clean.into_bytes();
        noisy.extend(tail);
        every_decoder(&noisy);
    }

    #[test]
    fn harmless_notices_do_not_change_what_a_reply_says(
        notices in prop::collection::vec(harmless_notice(), 1..40),
        pick in 0usize..CLEAN.len(),
    ) {
        let clean = CLEAN[pick];
        let noisy = format!("{}{clean}", notices.concat());
        let (clean, noisy) = (clean.as_bytes(), noisy.as_bytes());
        prop_assert_eq!(decode::services(noisy), decode::services(clean));
        prop_assert_eq!(decode::placed_order(noisy), decode::placed_order(clean));
        prop_assert_eq!(decode::balance(noisy), decode::balance(clean));
        prop_assert_eq!(
            decode::cancels(noisy, &["1".to_owned()]),
            decode::cancels(clean, &["1".to_owned()])
        );
        prop_assert_eq!(decode::php_notices(noisy).map(|n| n.count), Some(notices.len()));
    }

    #[test]
    fn money_survives_from_strings_and_numbers(units in 0i64..=999_999_999_999_999_999, scale in 0u32..=7) {
        let d = rust_decimal::Decimal::new(units, scale);
        let text = format!(r#"{{"balance":"{d}"}}"#);
        prop_assert_eq!(decode::balance(text.as_bytes()).unwrap().amount, d);
        let number = format!(r#"{{"balance":{d}}}"#);
        let amount = decode::balance(number.as_bytes()).unwrap().amount;
        // JSON numbers keep every digit up to 15 significant digits (f64's exact range).
        if d.mantissa().unsigned_abs() < 1_000_000_000_000_000 / 1_000 {
            prop_assert_eq!(amount, d);
        }
    }
}
