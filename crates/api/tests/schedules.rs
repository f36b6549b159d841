//! `/api/smm/schedules` against a real server, SQLite file and the panel simulator: add,
//! list, read with runs (one placed through the engine's pass), pause, resume, delete, and bad
//! input named by field with nothing written.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn body(provider: serde_json::Value, link: &str) -> serde_json::Value {
    json!({
        "order": { "providerId": provider, "serviceId": "5001", "link": link, "quantity": 100,
                   "customer": "Acme Cafe", "salePrice": "2.5" },
        "rule": { "zone": "UTC", "repeat": { "kind": "days", "every": 1 }, "count": 2 },
        "missed": "latest"
    })
}

#[tokio::test]
async fn a_schedule_added_run_paused_resumed_and_deleted() {
    let a = api().await;
    let pid = a.add_sim().await;
    let (status, s) = a
        .post(
            "/api/smm/schedules",
            body(json!(pid), "https://instagram.com/p/api"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let id = s["id"].as_i64().unwrap();
    assert_eq!(
        (&s["provider"], &s["serviceId"], &s["missed"], &s["active"]),
        (
            &json!("sim"),
            &json!("5001"),
            &json!("latest"),
            &json!(true)
        )
    );
    assert_eq!(s["order"]["link"], "https://instagram.com/p/api");
    assert_eq!(s["order"]["customer"], "Acme Cafe");
    assert_eq!(s["order"]["salePrice"], "2.5");
    assert!(s["order"].get("idempotencyKey").is_none(), "{s}");
    assert_eq!(s["rule"]["repeat"]["kind"], "days");
    assert!(s["rule"]["start"].is_string(), "the start is fixed: {s}");
    assert!(
        s["description"].as_str().unwrap().contains("2 times"),
        "{s}"
    );

    // The first occurrence is this minute: the engine's pass places it.
    let report = a.engine.run_due_schedules().await.unwrap();
    assert_eq!(report.runs.len(), 1);
    assert_eq!(a.order_count(), 1);
    let (status, d) = a.get(&format!("/api/smm/schedules/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["schedule"]["placed"], 1);
    let run = &d["runs"][0];
    assert_eq!(run["state"], "placed");
    assert_eq!(run["orderStatus"], "pending");
    let oid = run["orderId"].as_i64().unwrap();
    let (_, order) = a.get(&format!("/api/smm/orders/{oid}")).await;
    assert_eq!(order["order"]["customer"], "Acme Cafe");
    assert_eq!(d["schedule"]["lastRun"]["orderId"], oid);
    assert!(d["schedule"]["nextAt"].is_string());

    let (status, list) = a.get("/api/smm/schedules").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);

    let (status, p) = a
        .post(&format!("/api/smm/schedules/{id}/pause"), json!({}))
        .await;
    assert_eq!((status, &p["active"]), (StatusCode::OK, &json!(false)));
    let (status, r) = a
        .post(&format!("/api/smm/schedules/{id}/resume"), json!({}))
        .await;
    assert_eq!((status, &r["active"]), (StatusCode::OK, &json!(true)));

    let (status, gone) = a
        .call(Method::DELETE, &format!("/api/smm/schedules/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert!(gone["deletedAt"].is_string());
    let (_, list) = a.get("/api/smm/schedules").await;
    assert_eq!(list, json!([]));
    let (_, all) = a.get("/api/smm/schedules?includeDeleted=true").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    // Deleted: no more pausing; its detail and orders stay readable.
    let (status, e) = a
        .post(&format!("/api/smm/schedules/{id}/pause"), json!({}))
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "schedule.not_found")
    );
    let (status, _) = a.get(&format!("/api/smm/schedules/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a.order_count(), 1);
}

#[tokio::test]
async fn bad_schedules_are_422_on_their_field_and_write_nothing() {
    let a = api().await;
    a.add_sim().await;
    let ok = || body(json!("sim"), "https://instagram.com/p/ok");
    let cases: Vec<(serde_json::Value, &str, &str)> = vec![
        (
            {
                let mut b = ok();
                b["rule"]["zone"] = json!("Mars/Olympus");
                b
            },
            "input.invalid",
            "zone",
        ),
        (
            {
                let mut b = ok();
                b["rule"]["repeat"] = json!({ "kind": "hours", "every": 0 });
                b
            },
            "input.invalid",
            "every",
        ),
        (
            {
                let mut b = ok();
                b["rule"]["repeat"] =
                    json!({ "kind": "weekdays", "days": ["funday"], "time": "09:00" });
                b
            },
            "input.invalid",
            "weekdays",
        ),
        (
            {
                let mut b = ok();
                b["rule"]["repeat"] = json!({ "kind": "once" });
                b["rule"]["start"] = json!("2020-01-01T09:00");
                b
            },
            "input.invalid",
            "start",
        ),
        (
            {
                let mut b = ok();
                b["rule"]["count"] = json!(0);
                b
            },
            "input.invalid",
            "count",
        ),
        (
            {
                let mut b = ok();
                b["missed"] = json!("sometimes");
                b
            },
            "input.invalid",
            "missed",
        ),
        (
            {
                let mut b = ok();
                b["order"]["quantity"] = json!(5);
                b
            },
            "order.quantity_below_min",
            "quantity",
        ),
        (
            {
                let mut b = ok();
                b["order"]["salePrice"] = json!("cheap");
                b
            },
            "input.invalid",
            "salePrice",
        ),
    ];
    for (b, code, field) in cases {
        let (status, e) = a.post("/api/smm/schedules", b).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {e}");
        assert_eq!(
            (Api::code(&e), e["error"]["field"].as_str()),
            (code, Some(field)),
            "{e}"
        );
    }
    let (status, e) = a
        .post(
            "/api/smm/schedules",
            json!({ "order": {}, "rule": {}, "extra": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, e) = a.get("/api/smm/schedules/99").await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "schedule.not_found")
    );
    let (status, _) = a.get("/api/smm/schedules/1?limit=0").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no schedule #1 either way");
    let (_, list) = a.get("/api/smm/schedules?includeDeleted=true").await;
    assert_eq!(list, json!([]));
    assert_eq!(a.order_count(), 0);
}
