//! `/api/smm/customers` and the orders' `customer` filter over real HTTP: customers added,
//! searched, their contact changed, their totals from the orders sold to them (a partial order
//! billed and charged for what was delivered), and bad input refused on its field with
//! nothing changed.

mod common;

use common::{api, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Places a sold order for `customer` and returns its local id and the provider's id.
async fn sell(
    a: &Api,
    provider: i64,
    link: &str,
    quantity: u64,
    customer: &str,
    sale: &str,
) -> (i64, String) {
    let (status, placed) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": provider, "serviceId": "5001", "link": link, "quantity": quantity,
                    "customer": customer, "salePrice": sale }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let order = &placed["order"];
    (
        order["id"].as_i64().unwrap(),
        order["externalId"].as_str().unwrap().to_string(),
    )
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn customers_are_added_searched_and_carry_their_orders_totals() {
    let a = api().await;
    let provider = a.add_sim().await;
    let (status, acme) = a
        .post(
            "/api/smm/customers",
            json!({ "name": "  Acme   Cafe ", "contact": "acme@example.com" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{acme}");
    assert_eq!(acme["name"], "Acme Cafe", "trimmed, inner spaces made one");
    assert_eq!(acme["contact"], "acme@example.com");
    assert_eq!(acme["orders"], 0);
    assert_eq!(acme["totals"], json!([]));
    let acme_id = acme["id"].as_i64().unwrap();

    // Orders name customers: Acme (added above, by another spelling), Sara (new), and none.
    let (partial, partial_ext) = sell(
        &a,
        provider,
        "https://instagram.com/p/c1",
        1000,
        "acme cafe",
        "9.5",
    )
    .await;
    let (open, _) = sell(
        &a,
        provider,
        "https://instagram.com/p/c2",
        100,
        "ACME CAFE",
        "1",
    )
    .await;
    let (sara_order, _) = sell(
        &a,
        provider,
        "https://instagram.com/p/c3",
        100,
        "متجر سارة",
        "2",
    )
    .await;
    let (status, _) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": provider, "serviceId": "5001", "link": "https://instagram.com/p/c4", "quantity": 100 }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // The provider delivers 400 of 1000: billed 9.5 × 0.4, charged 0.90 × 0.4.
    a.sim.finish_partial(&partial_ext, 400).unwrap();
    for id in [partial, open] {
        let (status, d) = a
            .post(&format!("/api/smm/orders/{id}/refresh"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{d}");
    }
    let (_, d) = a.get(&format!("/api/smm/orders/{partial}")).await;
    assert_eq!(d["order"]["status"], "partial");
    assert_eq!(
        (
            &d["order"]["billed"],
            &d["order"]["cost"],
            &d["order"]["profit"]
        ),
        (&json!("3.8"), &json!("0.36"), &json!("3.44"))
    );

    let (status, got) = a.get(&format!("/api/smm/customers/{acme_id}")).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["orders"], 2);
    assert!(got["lastOrderAt"].is_string());
    assert_eq!(
        got["totals"],
        json!([{ "currency": "USD", "orders": 2, "billed": "4.8", "cost": "0.45", "profit": "4.35",
                 "marginPercent": "90.63" }]),
        "the partial at what was delivered, the open one at its whole sale"
    );

    // The list: most recent order first; the search reads names and contacts.
    let (status, all) = a.get("/api/smm/customers").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["name"], "متجر سارة");
    assert_eq!(all[1]["id"], acme_id);
    let (_, found) = a.get("/api/smm/customers?search=EXAMPLE.com").await;
    assert_eq!(ids(&found), vec![acme_id]);
    let (_, found) = a
        .get("/api/smm/customers?search=%D8%B3%D8%A7%D8%B1%D8%A9")
        .await;
    assert_eq!(found[0]["name"], "متجر سارة");
    let (_, none) = a.get("/api/smm/customers?search=nobody&limit=5").await;
    assert_eq!(none, json!([]));

    // The contact changes; null removes it.
    let (status, c) = a
        .call(
            Method::PATCH,
            &format!("/api/smm/customers/{acme_id}"),
            Some(json!({ "contact": "@acme_cafe" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(
        (&c["contact"], &c["orders"]),
        (&json!("@acme_cafe"), &json!(2))
    );
    let (_, c) = a
        .call(
            Method::PATCH,
            &format!("/api/smm/customers/{acme_id}"),
            Some(json!({ "contact": null })),
        )
        .await;
    assert_eq!(c["contact"], Value::Null);

    // Orders filter by customer, by name (any spelling) or id.
    let (status, list) = a
        .get("/api/smm/orders?customer=acme%20%20CAFE&limit=50")
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2);
    let mut got: Vec<i64> = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, vec![partial, open]);
    let sara_id = all[0]["id"].as_i64().unwrap();
    let (_, list) = a
        .get(&format!("/api/smm/orders?customerId={sara_id}"))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["orders"][0]["id"], sara_order);
    let (_, list) = a
        .get(&format!(
            "/api/smm/orders?customerId={acme_id}&status=Partial"
        ))
        .await;
    assert_eq!(
        (list["total"].clone(), list["orders"][0]["id"].clone()),
        (json!(1), json!(partial))
    );
}

#[tokio::test]
async fn bad_customer_input_gets_a_specific_error_and_changes_nothing() {
    let a = api().await;
    let (status, acme) = a
        .post(
            "/api/smm/customers",
            json!({ "name": "Acme", "contact": "a@b.c" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{acme}");
    let id = acme["id"].as_i64().unwrap();

    let long_name = "n".repeat(101);
    let long_contact = "c".repeat(201);
    let cases: Vec<(Value, StatusCode, &str, &str)> = vec![
        (
            json!({ "name": "" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "name",
        ),
        (
            json!({ "name": "   " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "name",
        ),
        (
            json!({ "name": "x\u{202e}gnp.exe" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "name",
        ),
        (
            json!({ "name": "a\u{200b}b" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "name",
        ),
        (
            json!({ "name": long_name }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "name",
        ),
        (
            json!({ "name": "Ok", "contact": long_contact }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "contact",
        ),
        (
            json!({ "name": "  ACME " }),
            StatusCode::CONFLICT,
            "customer.name_taken",
            "name",
        ),
        (
            json!({ "contact": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
        (
            json!({ "name": "Ok", "email": "x" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
        (
            json!({ "name": 42 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
    ];
    for (body, status, code, field) in cases {
        let (got, e) = a.post("/api/smm/customers", body.clone()).await;
        assert_eq!(got, status, "{body} → {e}");
        assert_eq!(Api::code(&e), code, "{body} → {e}");
        if !field.is_empty() {
            assert_eq!(e["error"]["field"], field, "{body} → {e}");
        }
    }
    // A 10 MB name never reaches the engine.
    let res = a
        .http
        .post(format!("{}/api/smm/customers", a.base))
        .bearer_auth(&a.token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\":\"{}\"}}", "a".repeat(10 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Changes: a missing contact, too long, an unknown customer.
    let path = format!("/api/smm/customers/{id}");
    for (body, status, code, field) in [
        (
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "contact",
        ),
        (
            json!({ "contact": "c".repeat(201) }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "contact",
        ),
        (
            json!({ "contact": "tab\there" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "contact",
        ),
        (
            json!({ "contact": "x", "name": "New" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
    ] {
        let (got, e) = a.call(Method::PATCH, &path, Some(body.clone())).await;
        assert_eq!((got, Api::code(&e)), (status, code), "{body} → {e}");
        if !field.is_empty() {
            assert_eq!(e["error"]["field"], field, "{body} → {e}");
        }
    }
    let (status, e) = a
        .call(
            Method::PATCH,
            "/api/smm/customers/999",
            Some(json!({ "contact": "x" })),
        )
        .await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "customer.not_found")
    );
    let (status, e) = a.get("/api/smm/customers/999").await;
    assert_eq!(
        (status, Api::code(&e)),
        (StatusCode::NOT_FOUND, "customer.not_found")
    );

    // Lists and filters.
    for (path, status, code, field) in [
        (
            "/api/smm/customers?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "limit",
        ),
        (
            "/api/smm/customers?limit=501",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "limit",
        ),
        (
            "/api/smm/customers?limit=many",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
        (
            "/api/smm/customers?colour=red",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
        (
            "/api/smm/orders?customer=Nobody",
            StatusCode::NOT_FOUND,
            "customer.not_found",
            "customer",
        ),
        (
            "/api/smm/orders?customer=",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "customer",
        ),
        (
            "/api/smm/orders?customerId=999",
            StatusCode::NOT_FOUND,
            "customer.not_found",
            "customerId",
        ),
        (
            "/api/smm/orders?customerId=x",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "",
        ),
        (
            "/api/smm/orders?customer=Acme&customerId=1",
            StatusCode::UNPROCESSABLE_ENTITY,
            "input.invalid",
            "customer",
        ),
    ] {
        let (got, e) = a.get(path).await;
        assert_eq!((got, Api::code(&e)), (status, code), "{path} → {e}");
        if !field.is_empty() {
            assert_eq!(e["error"]["field"], field, "{path} → {e}");
        }
    }

    // Nothing changed.
    let (_, all) = a.get("/api/smm/customers").await;
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    assert_eq!(
        (&all[0]["name"], &all[0]["contact"]),
        (&json!("Acme"), &json!("a@b.c"))
    );
}
