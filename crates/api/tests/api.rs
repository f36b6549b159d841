//! The local API over real HTTP on 127.0.0.1: a real server, a real SQLite file, the panel
//! simulator upstream. Every route, the original system's way of calling it, and bad input
//! for each entry point (a specific error, nothing changed).

mod common;

use common::{api, api_with, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use smm_api::ApiConfig;
use smm_panel::sim::Fault;
use smm_panel::Action;

#[tokio::test]
async fn providers_crud_never_shows_a_key() {
    let a = api().await;
    let id = a.add_sim().await;
    let (status, list) = a.get("/api/smm/providers").await;
    assert_eq!(status, StatusCode::OK);
    let text = list.to_string();
    assert!(!text.contains(a.sim.key().expose()), "no key in {text}");
    assert_eq!(list[0]["displayName"], "Sim panel");
    assert_eq!(list[0]["priority"], 2);
    assert_eq!(list[0]["health"], "ok");
    assert!(list[0]["keyHint"].as_str().unwrap().starts_with("••••"));

    let (status, p) = a
        .call(
            Method::PUT,
            &format!("/api/smm/providers/{id}"),
            Some(json!({ "priority": 5 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["priority"], 5);
    assert_eq!(p["displayName"], "Sim panel", "omitted fields unchanged");

    let (status, p) = a
        .call(
            Method::PATCH,
            &format!("/api/smm/providers/{id}/toggle"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["active"], false);
    let (_, p) = a
        .call(
            Method::PATCH,
            &format!("/api/smm/providers/{id}/toggle"),
            None,
        )
        .await;
    assert_eq!(p["active"], true);

    let (status, page) = a
        .get(&format!(
            "/api/smm/providers/{id}/services?search=service%205002&limit=5"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1);
    assert_eq!(page["services"][0]["serviceId"], "5002");
    assert_eq!(page["services"][0]["type"], "Custom Comments");
    assert_eq!(page["services"][0]["rate"], "12.5");
    assert!(page["services"][0]["name"].as_str().unwrap().contains('🔥'));

    let (status, gone) = a
        .call(Method::DELETE, &format!("/api/smm/providers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(gone["name"], "sim");
    let (status, e) = a
        .call(Method::DELETE, &format!("/api/smm/providers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(Api::code(&e), "provider.not_found");
}

#[tokio::test]
async fn an_order_placed_listed_and_tracked_the_original_way() {
    let a = api().await;
    let id = a.add_sim().await;
    let (status, placed) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": id, "serviceId": 5002, "link": "https://instagram.com/p/abc",
                    "customComments": "great post\nlove it\n🔥🔥" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["state"], "placed");
    assert_eq!(placed["sent"], true);
    let order = &placed["order"];
    assert_eq!(order["status"], "pending");
    assert_eq!(order["statusLabel"], "Pending");
    assert_eq!(order["quantity"], 3, "quantity from the comment lines");
    assert_eq!(order["estimatedCost"], "0.0375");
    let oid = order["id"].as_i64().unwrap();

    let (status, list) = a
        .get("/api/smm/orders?status=Pending&page=1&limit=10")
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["orders"][0]["id"], oid);
    let (_, none) = a.get("/api/smm/orders?status=In%20progress").await;
    assert_eq!(none["total"], 0);

    let (status, detail) = a
        .post(&format!("/api/smm/orders/{oid}/refresh"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert!(detail["timeline"].as_array().unwrap().len() >= 2);
    let (status, detail) = a.get(&format!("/api/smm/orders/{oid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["order"]["link"], "https://instagram.com/p/abc");

    let (status, cancel) = a
        .post(&format!("/api/smm/orders/{oid}/cancel"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancel}");
    let (status, balances) = a.get("/api/smm/balances").await;
    assert_eq!(status, StatusCode::OK, "{balances}");
    assert_eq!(balances[0]["provider"], "sim");
    let (status, stats) = a.get("/api/smm/stats?from=2020-01-01T00:00:00Z").await;
    assert_eq!(status, StatusCode::OK, "{stats}");

    // A sale: the customer and the price ride on the order, with the profit once settled.
    let (status, sold) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": id, "serviceId": "5001", "link": "https://instagram.com/p/sold",
                    "quantity": 1000, "customer": "Acme Cafe", "salePrice": "9.5" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sold}");
    assert_eq!(sold["order"]["customer"], "Acme Cafe");
    assert_eq!(sold["order"]["salePrice"], "9.5");
    assert_eq!(
        sold["order"]["billed"], "9.5",
        "open orders bill the whole sale"
    );
    assert!(sold["order"]["profit"].is_string(), "{sold}");
}

#[tokio::test]
async fn the_same_idempotency_key_never_places_twice() {
    let a = api().await;
    let id = a.add_sim().await;
    let body = json!({ "providerId": id, "serviceId": "5001", "link": "https://instagram.com/x",
                       "quantity": 100 });
    let send = |body: Value| {
        let http = a.http.clone();
        let url = format!("{}/api/smm/orders", a.base);
        let token = a.token.clone();
        async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "shop-order-42")
                .json(&body)
                .send()
                .await
                .unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    let (one, two) = tokio::join!(send(body.clone()), send(body.clone()));
    assert_eq!(
        one.1["order"]["id"], two.1["order"]["id"],
        "{one:?} {two:?}"
    );
    assert_eq!(a.sim.counters().get(Action::Add), 1, "one upstream add");
    let statuses = [one.0, two.0];
    assert!(statuses.contains(&StatusCode::CREATED), "{statuses:?}");

    let (status, again) = send(body.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["sent"], false);

    let mut other = body.clone();
    other["quantity"] = json!(200);
    let (status, conflict) = send(other).await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(Api::code(&conflict), "order.idempotency_conflict");
    assert_eq!(a.sim.counters().get(Action::Add), 1);
}

#[tokio::test]
async fn a_reset_after_accept_is_202_unknown_and_sent_once() {
    let a = api().await;
    let id = a.add_sim().await;
    a.sim.set_fault(Action::Add, Fault::ResetAfterAccept);
    let (status, placed) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": id, "serviceId": "5001", "link": "https://instagram.com/y",
                    "quantity": 50 }),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{placed}");
    assert_eq!(placed["state"], "unknown");
    assert!(placed["next"].as_str().unwrap().contains("never resend"));
    assert_eq!(a.sim.counters().get(Action::Add), 1);
}

#[tokio::test]
async fn bad_input_gets_a_specific_error_and_changes_nothing() {
    let a = api().await;
    let id = a.add_sim().await;
    let cases: Vec<(Value, StatusCode, &str, Option<&str>)> = vec![
        (
            json!({ "serviceId": "5001", "link": "https://x.y/z", "quantity": 100 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            None,
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": "lots" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            None,
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": 5 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order.quantity_below_min",
            Some("quantity"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": 99999999 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order.quantity_above_max",
            Some("quantity"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "quantity": 100 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order.link_missing",
            Some("link"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "javascript:alert(1)", "quantity": 100 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order.link_invalid",
            Some("link"),
        ),
        (
            json!({ "providerId": id, "serviceId": "9999999", "link": "https://x.y/z", "quantity": 100 }),
            StatusCode::NOT_FOUND,
            "order.service_not_found",
            None,
        ),
        (
            json!({ "providerId": 424242, "serviceId": "5001", "link": "https://x.y/z", "quantity": 100 }),
            StatusCode::NOT_FOUND,
            "provider.not_found",
            None,
        ),
        (
            json!({ "providerId": "x'; DROP TABLE orders;--", "serviceId": "5001", "link": "https://x.y/z", "quantity": 100 }),
            StatusCode::NOT_FOUND,
            "provider.not_found",
            None,
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/\u{200f}\u{200b}", "quantity": 100, "customComments": "a" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order.field_not_allowed",
            Some("comments"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": 100, "salePrice": "lots" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            Some("salePrice"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": 100, "salePrice": "-2" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            Some("salePrice"),
        ),
        (
            json!({ "providerId": id, "serviceId": "5001", "link": "https://x.y/z", "quantity": 100, "customer": "a\u{202e}b" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            Some("customer"),
        ),
        (
            json!({ "providerId": id, "serviceId": "", "link": "https://x.y/z", "quantity": 100 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            Some("serviceId"),
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, e) = a.post("/api/smm/orders", body.clone()).await;
        assert_eq!(got, status, "{body} → {e}");
        assert_eq!(Api::code(&e), code, "{body} → {e}");
        if let Some(f) = field {
            assert_eq!(e["error"]["field"], f, "{body} → {e}");
        }
    }
    // Bodies that are not JSON, or too large.
    let res = a
        .http
        .post(format!("{}/api/smm/orders", a.base))
        .bearer_auth(&a.token)
        .header("content-type", "application/json")
        .body("{\"providerId\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let big = format!("{{\"link\":\"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let res = a
        .http
        .post(format!("{}/api/smm/orders", a.base))
        .bearer_auth(&a.token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let e: Value = res.json().await.unwrap();
    assert_eq!(Api::code(&e), "api.body_too_large");

    // Lists and providers.
    for (path, code, field) in [
        ("/api/smm/orders?status=Sleeping", "input.invalid", "status"),
        ("/api/smm/orders?limit=0", "input.invalid", "limit"),
        ("/api/smm/orders?page=0", "input.invalid", "page"),
        (
            "/api/smm/orders?page=5000&limit=10",
            "input.invalid",
            "page",
        ),
        ("/api/smm/orders?from=yesterday", "input.invalid", "from"),
        (
            "/api/smm/orders?after=not-a-cursor",
            "order.cursor_invalid",
            "",
        ),
        ("/api/smm/stats?to=soon", "input.invalid", "to"),
    ] {
        let (status, e) = a.get(path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} → {e}");
        assert_eq!(Api::code(&e), code, "{path} → {e}");
        if !field.is_empty() {
            assert_eq!(e["error"]["field"], field, "{path} → {e}");
        }
    }
    let (status, e) = a.get("/api/smm/orders/77").await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "order.not_found")
    );
    let (status, e) = a.get("/api/smm/orders/abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    let (status, e) = a
        .post(
            "/api/smm/providers",
            json!({ "name": "Bad Name!", "apiUrl": "https://x.y/api/v2", "apiKey": "k" }),
        )
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "provider.name_invalid")
    );
    let (status, e) = a
        .post(
            "/api/smm/providers",
            json!({ "name": "plain", "apiUrl": "http://example.com/api/v2", "apiKey": "k" }),
        )
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, "provider.url_insecure")
    );
    assert_eq!(e["error"]["field"], "apiUrl");
    let (status, e) = a
        .post(
            "/api/smm/providers",
            json!({ "name": "sim", "apiUrl": a.sim.url(), "apiKey": "k" }),
        )
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::CONFLICT, "provider.name_taken")
    );
    let (status, e) = a
        .post(
            "/api/smm/providers",
            json!({ "name": "x", "apiUrl": a.sim.url(), "apiKey": "k", "colour": "red" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("colour"),
        "{e}"
    );

    assert_eq!(a.order_count(), 0, "no order journaled");
    assert_eq!(a.sim.counters().get(Action::Add), 0, "nothing sent");
    assert_eq!(a.engine.list_providers().unwrap().len(), 1);
}

#[tokio::test]
async fn tokens_hosts_and_rates_are_checked_before_any_route() {
    let a = api_with(ApiConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        rate_per_second: 1,
        rate_burst: 8,
        ..ApiConfig::default()
    })
    .await;
    let url = format!("{}/api/smm/providers", a.base);
    let res = a.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(Api::code(&res.json().await.unwrap()), "auth.missing");
    let res = a
        .http
        .get(&url)
        .bearer_auth("smmd_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(Api::code(&res.json().await.unwrap()), "auth.invalid");
    let res = a
        .http
        .get(&url)
        .bearer_auth(&a.token)
        .header("host", "evil.example:80")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(Api::code(&res.json().await.unwrap()), "api.host_refused");
    // Health needs no token.
    let res = a
        .http
        .get(format!("{}/api/health", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A rotated token replaces the old one at once.
    let old = a.token.clone();
    let new = a.handle.rotate_token().unwrap();
    let res = a.http.get(&url).bearer_auth(&old).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = a.http.get(&url).bearer_auth(&new).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let mut limited = None;
    for _ in 0..10 {
        let res = a.http.get(&url).bearer_auth(&new).send().await.unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the rate limit answers 429");
    assert!(res.headers().get("retry-after").is_some());
    let recent = a.handle.recent_requests();
    assert!(recent.iter().any(|r| r.status == 403), "{recent:?}");
    assert!(
        !format!("{recent:?}").contains(&new),
        "no token in the request list"
    );
}
