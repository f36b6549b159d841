//! The local API's routed orders: `POST /api/smm/orders` with `group`, and `/api/smm/groups`.

mod common;

use reqwest::StatusCode;
use serde_json::json;
use smm_engine::NewProvider;
use smm_panel::sim::{Fault, SimConfig, Simulator};
use smm_panel::{Action, ServiceType};

use common::{api, service, Api};

#[tokio::test]
async fn an_order_through_a_group_fails_over_and_bad_input_changes_nothing() {
    let a = api().await;
    a.add_sim().await;
    // A second, cheaper panel with the same offer.
    let cheap = Simulator::start(SimConfig {
        services: 20,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    cheap.upsert_service(service("5001", ServiceType::Default, "0.50", 10));
    a.engine
        .add_provider(NewProvider::new("cheap", cheap.url(), cheap.key()))
        .unwrap();
    a.engine.sync_catalog("cheap").await.unwrap();

    // Bad groups: 4xx on their field, nothing saved.
    let (status, e) = a
        .post("/api/smm/groups", json!({ "name": "g", "members": [] }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(Api::code(&e), "offer_group.empty");
    assert_eq!(e["error"]["field"], "members");
    let (status, e) = a
        .post(
            "/api/smm/groups",
            json!({ "name": "g", "members": [{ "provider": "sim", "serviceId": "5001" },
                                             { "provider": "sim", "serviceId": "5002" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(Api::code(&e), "offer_group.type_mismatch");
    let (status, e) = a
        .post(
            "/api/smm/groups",
            json!({ "name": "g", "rule": "fastest",
                    "members": [{ "provider": "sim", "serviceId": "5001" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "rule");
    let (_, list) = a.get("/api/smm/groups").await;
    assert_eq!(list, json!([]));

    let (status, g) = a
        .post(
            "/api/smm/groups",
            json!({ "name": "IG", "members": [{ "provider": "sim", "serviceId": "5001" },
                                              { "provider": "cheap", "serviceId": "5001" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    assert_eq!(g["members"][1]["rate"], "0.5");
    let (status, e) = a
        .post(
            "/api/smm/groups",
            json!({ "name": "ig", "members": [{ "provider": "sim", "serviceId": "5001" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert_eq!(Api::code(&e), "offer_group.name_taken");

    // The cheap panel refuses (no funds): the order goes to sim, both attempts named.
    cheap.set_balance("0.01".parse().unwrap());
    let body = json!({ "group": "ig", "link": "https://instagram.com/r", "quantity": 1000,
                       "customer": "Sara", "salePrice": "2" });
    let send = |body: serde_json::Value| {
        let (http, url, token) = (
            a.http.clone(),
            format!("{}/api/smm/orders", a.base),
            a.token.clone(),
        );
        async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "shop-route-1")
                .json(&body)
                .send()
                .await
                .unwrap();
            (res.status(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, placed) = send(body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["state"], "placed");
    assert_eq!(placed["order"]["provider"], "sim");
    assert_eq!(placed["route"]["attempts"][0]["provider"], "cheap");
    assert_eq!(placed["route"]["attempts"][0]["status"], "rejected");
    assert_eq!(placed["route"]["attempts"][1]["status"], "pending");
    let (status, again) = send(body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["sent"], false);
    assert_eq!(again["order"]["id"], placed["order"]["id"]);
    assert_eq!(
        (
            cheap.counters().get(Action::Add),
            a.sim.counters().get(Action::Add)
        ),
        (1, 1)
    );

    // Bad routed orders: a specific error on its field, nothing sent.
    let cases = [
        (
            json!({ "group": "nope", "link": "https://x.com/a", "quantity": 100 }),
            StatusCode::NOT_FOUND,
            "offer_group.not_found",
            "group",
        ),
        (
            json!({ "group": "ig", "link": "https://x.com/a", "quantity": 5 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "route.quantity_unaccepted",
            "quantity",
        ),
        (
            json!({ "group": "ig", "providerId": "sim", "serviceId": "5001",
                 "link": "https://x.com/a", "quantity": 100 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "group",
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, e) = a.post("/api/smm/orders", body).await;
        assert_eq!(
            (got, Api::code(&e).to_string()),
            (status, code.to_string()),
            "{e}"
        );
        assert_eq!(e["error"]["field"], field, "{e}");
    }

    // A reset after sim took the order: 202 unknown, cheap not asked again.
    cheap.set_balance("1000".parse().unwrap());
    cheap.set_fault(Action::Add, Fault::ResetAfterAccept);
    let (status, lost) = a
        .post(
            "/api/smm/orders",
            json!({ "group": "ig", "link": "https://instagram.com/l", "quantity": 100 }),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{lost}");
    assert_eq!(lost["state"], "unknown");
    assert_eq!(lost["route"]["remaining"][0]["provider"], "sim");
    assert!(lost["next"]
        .as_str()
        .unwrap()
        .contains("not tried: sim:5001"));
    assert_eq!(
        (
            cheap.counters().get(Action::Add),
            a.sim.counters().get(Action::Add)
        ),
        (2, 1)
    );
}
