//! Bad input for every webhook entry point gets its own code and changes nothing; the secret
//! is shown once and never again (lists, debug output, the database file).

use smm_engine::{DeliveryQuery, Engine, EngineError, NewWebhook};

use crate::support::*;

/// Everything a webhook call may write.
fn snapshot(engine: &Engine) -> Vec<i64> {
    [
        "SELECT count(*) FROM webhooks",
        "SELECT count(*) FROM webhooks WHERE active = 1 AND removed_at IS NULL",
        "SELECT count(*) FROM webhook_outbox",
        "SELECT count(*) FROM webhook_outbox WHERE next_attempt_at IS NOT NULL",
        "SELECT coalesce(sum(last_id), 0) FROM webhook_cursors",
    ]
    .iter()
    .map(|q| count(engine, q))
    .collect()
}

fn code<T: std::fmt::Debug>(r: Result<T, EngineError>) -> &'static str {
    r.unwrap_err().code()
}

fn new(url: &str, events: Option<&[&str]>) -> NewWebhook {
    NewWebhook {
        url: url.into(),
        events: events.map(|e| e.iter().map(|s| s.to_string()).collect()),
    }
}

#[test]
fn bad_input_gets_a_specific_code_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let long = format!("https://example.com/{}", "x".repeat(2100));
    let before = snapshot(&engine);
    let cases: Vec<(NewWebhook, &str)> = vec![
        (new("", None), "webhook.url_invalid"),
        (new("example.com/hook", None), "webhook.url_invalid"),
        (new("https://", None), "webhook.url_invalid"),
        (new("ftp://example.com/hook", None), "webhook.url_scheme"),
        (new("javascript:alert(1)", None), "webhook.url_scheme"),
        (
            new("https://me:pw@example.com/", None),
            "webhook.url_credentials",
        ),
        (new(&long, None), "webhook.url_too_long"),
        (
            new("https://example.com/", Some(&["order.created"])),
            "webhook.event_unknown",
        ),
        (
            new("https://example.com/", Some(&["balance.low", "nope"])),
            "webhook.event_unknown",
        ),
        (
            new("https://example.com/", Some(&[])),
            "webhook.events_empty",
        ),
    ];
    for (input, want) in cases {
        let shown = format!("{input:?}");
        let err = engine.add_webhook(input).unwrap_err();
        assert_eq!(err.code(), want, "{shown}: {err}");
        assert!(!err.to_string().contains(":pw@"), "{err}");
        assert_eq!(snapshot(&engine), before, "{shown} changed nothing");
    }
    for id in [0, 42, -1] {
        assert_eq!(code(engine.webhook(id)), "webhook.not_found");
        assert_eq!(code(engine.remove_webhook(id)), "webhook.not_found");
        assert_eq!(code(engine.test_webhook(id)), "webhook.not_found");
        assert_eq!(
            code(engine.set_webhook_active(id, false)),
            "webhook.not_found"
        );
        let q = DeliveryQuery {
            webhook_id: Some(id),
            ..DeliveryQuery::default()
        };
        assert_eq!(code(engine.webhook_deliveries(&q)), "webhook.not_found");
    }
    for limit in [0, 1001] {
        let q = DeliveryQuery {
            limit,
            ..DeliveryQuery::default()
        };
        assert_eq!(code(engine.webhook_deliveries(&q)), "input.invalid");
    }
    assert_eq!(snapshot(&engine), before);

    let hook = engine
        .add_webhook(new("https://example.com/hook", Some(&["balance.low"])))
        .unwrap()
        .webhook;
    engine.set_webhook_active(hook.id, false).unwrap();
    let after_add = snapshot(&engine);
    assert_eq!(code(engine.test_webhook(hook.id)), "webhook.inactive");
    assert_eq!(snapshot(&engine), after_add);
    engine.set_webhook_active(hook.id, true).unwrap();
    engine.test_webhook(hook.id).unwrap();
    let removed = engine.remove_webhook(hook.id).unwrap();
    assert_eq!(removed.pending, 1);
    let after_rm = snapshot(&engine);
    assert_eq!(code(engine.remove_webhook(hook.id)), "webhook.not_found");
    assert_eq!(code(engine.test_webhook(hook.id)), "webhook.not_found");
    assert_eq!(snapshot(&engine), after_rm);
    // Its deliveries stay readable; the waiting one was given up.
    let rows = engine
        .webhook_deliveries(&DeliveryQuery {
            webhook_id: Some(hook.id),
            ..DeliveryQuery::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].last_error.as_deref(),
        Some("the webhook was removed")
    );
    assert!(engine.list_webhooks().unwrap().is_empty());
}

#[test]
fn the_secret_is_shown_once_and_stored_only_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let created = engine
        .add_webhook(new("https://example.com/hook", None))
        .unwrap();
    let secret = created.secret.expose().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() > 30);
    let shown = serde_json::to_value(&created).unwrap();
    assert_eq!(shown["secret"], secret.as_str(), "shown once, at creation");
    assert_eq!(
        shown["webhook"]["events"],
        serde_json::json!(["order.status_changed", "balance.low"])
    );
    assert!(!format!("{created:?}").contains(&secret));
    let listed = serde_json::to_string(&engine.list_webhooks().unwrap()).unwrap();
    assert!(!listed.contains(&secret));
    assert!(!format!("{:?}", engine.webhook(created.webhook.id).unwrap()).contains(&secret));
    let key = secret.trim_start_matches("whsec_");
    drop(engine);
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(key), "the secret is not stored in the clear");
    }
    assert!(files >= 1, "the database file was read");
}
