//! `/api/smm/webhooks` over real HTTP on 127.0.0.1: add (the secret answered once), list, switch
//! off and on, test, the deliveries of one webhook, remove; bad input for each route answers a
//! specific error and changes nothing. Delivery itself is tested in the engine's tests.

mod common;

use common::{api, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn add(a: &Api, body: Value) -> (StatusCode, Value) {
    a.post("/api/smm/webhooks", body).await
}

#[tokio::test]
async fn a_webhook_is_added_listed_tested_and_removed_and_its_secret_shown_once() {
    let a = api().await;
    let (status, created) = add(
        &a,
        json!({ "url": "https://bot.example.com/hooks/smm", "events": ["order.status_changed"] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let id = created["webhook"]["id"].as_i64().unwrap();
    assert_eq!(
        created["webhook"]["events"],
        json!(["order.status_changed"])
    );
    assert_eq!(created["webhook"]["active"], true);

    // All events by default.
    let (status, second) = add(&a, json!({ "url": "http://127.0.0.1:9/h" })).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(
        second["webhook"]["events"],
        json!(["order.status_changed", "balance.low"])
    );

    let (status, list) = a.get("/api/smm/webhooks").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["url"], "https://bot.example.com/hooks/smm");
    assert_eq!(list[0]["pending"], 0);
    assert!(!list.to_string().contains(&secret), "no secret in {list}");
    assert!(!list.to_string().contains("whsec_"), "no secret in {list}");

    // A test message is queued (202) and listed among the webhook's deliveries.
    let (status, d) = a
        .post(&format!("/api/smm/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{d}");
    assert_eq!(d["eventType"], "webhook.test");
    assert_eq!(d["state"], "pending");
    assert_eq!(d["payload"]["type"], "webhook.test");
    let msg = d["msgId"].as_str().unwrap().to_string();
    assert!(msg.starts_with("msg_"), "{msg}");
    let (status, ds) = a
        .get(&format!("/api/smm/webhooks/{id}/deliveries?limit=10"))
        .await;
    assert_eq!(status, StatusCode::OK, "{ds}");
    assert_eq!(ds.as_array().unwrap().len(), 1);
    assert_eq!(ds[0]["msgId"], msg.as_str());
    assert!(!ds.to_string().contains(&secret));
    let (_, older) = a
        .get(&format!(
            "/api/smm/webhooks/{id}/deliveries?before={}",
            ds[0]["id"]
        ))
        .await;
    assert_eq!(older, json!([]), "nothing older than the first message");

    // Off: a test is refused (409) and nothing is queued; on again: it works.
    let path = format!("/api/smm/webhooks/{id}");
    let (status, off) = a
        .call(Method::PATCH, &path, Some(json!({ "active": false })))
        .await;
    assert_eq!(status, StatusCode::OK, "{off}");
    assert_eq!(off["active"], false);
    let (status, e) = a
        .post(&format!("/api/smm/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert_eq!(Api::code(&e), "webhook.inactive");
    let (status, on) = a
        .call(Method::PATCH, &path, Some(json!({ "active": true })))
        .await;
    assert_eq!(status, StatusCode::OK, "{on}");
    assert_eq!(on["active"], true);

    let (status, gone) = a.call(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert_eq!(gone["id"], id);
    let (status, e) = a.call(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(Api::code(&e), "webhook.not_found");
    let (_, list) = a.get("/api/smm/webhooks").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_webhook_input_answers_a_specific_error_and_adds_nothing() {
    let a = api().await;
    let cases = [
        (
            json!({ "url": "not a url" }),
            422,
            "webhook.url_invalid",
            Some("url"),
        ),
        (
            json!({ "url": "ftp://example.com/h" }),
            422,
            "webhook.url_scheme",
            Some("url"),
        ),
        (
            json!({ "url": "https://me:pw@example.com/h" }),
            422,
            "webhook.url_credentials",
            Some("url"),
        ),
        (
            json!({ "url": format!("https://example.com/{}", "a".repeat(2100)) }),
            422,
            "webhook.url_too_long",
            Some("url"),
        ),
        (
            json!({ "url": "https://example.com/h", "events": ["order.created"] }),
            422,
            "webhook.event_unknown",
            Some("events"),
        ),
        (
            json!({ "url": "https://example.com/h", "events": [] }),
            422,
            "webhook.events_empty",
            Some("events"),
        ),
        (json!({}), 422, "input.invalid", None),
        (json!({ "url": 5 }), 422, "input.invalid", None),
        (
            json!({ "url": "https://example.com/h", "secret": "whsec_x" }),
            422,
            "input.invalid",
            None,
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, e) = add(&a, body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body}: {e}");
        assert_eq!(Api::code(&e), code, "{body}: {e}");
        if let Some(f) = field {
            assert_eq!(e["error"]["field"], f, "{body}: {e}");
        }
        assert!(
            !e["error"]["message"].as_str().unwrap().contains("pw@"),
            "{e}"
        );
    }
    let (_, list) = a.get("/api/smm/webhooks").await;
    assert_eq!(list, json!([]), "nothing was added");

    // Unknown ids, a bad body or query on the others.
    let (status, e) = a.post("/api/smm/webhooks/77/test", json!({})).await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "webhook.not_found")
    );
    let (status, e) = a.get("/api/smm/webhooks/77/deliveries").await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "webhook.not_found")
    );
    let (status, e) = a
        .call(
            Method::PATCH,
            "/api/smm/webhooks/77",
            Some(json!({ "active": false })),
        )
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "webhook.not_found")
    );

    let (_, created) = add(&a, json!({ "url": "https://example.com/h" })).await;
    let id = created["webhook"]["id"].as_i64().unwrap();
    for q in ["limit=0", "limit=1001", "limit=x", "before=x", "page=2"] {
        let (status, e) = a
            .get(&format!("/api/smm/webhooks/{id}/deliveries?{q}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {e}");
        assert_eq!(Api::code(&e), "input.invalid", "{q}: {e}");
    }
    for body in [
        json!({}),
        json!({ "active": "no" }),
        json!({ "url": "https://x.example" }),
    ] {
        let (status, e) = a
            .call(
                Method::PATCH,
                &format!("/api/smm/webhooks/{id}"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
    }
    let (_, list) = a.get("/api/smm/webhooks").await;
    assert_eq!(list[0]["active"], true, "still on");
    assert_eq!(list[0]["url"], "https://example.com/h", "unchanged");
}

#[tokio::test]
async fn webhooks_need_the_token() {
    let a = api().await;
    let res = a
        .http
        .post(format!("{}/api/smm/webhooks", a.base))
        .json(&json!({ "url": "https://example.com/h" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(a.engine.list_webhooks().unwrap().is_empty());
}
