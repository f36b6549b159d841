//! The API as its clients meet it: a Node.js `fetch` script written the way the original
//! system's users call it, browsers (CORS only for origins the user lists), and the OpenAPI
//! document, which must name exactly the routes the server answers.

mod common;

use std::collections::BTreeSet;

use common::{api, api_with, Api};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use smm_api::{ApiConfig, Server};
use smm_panel::Action;

#[tokio::test]
async fn a_node_fetch_script_adds_syncs_places_and_lists() {
    let a = api().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flow.mjs");
    let out = tokio::process::Command::new("node")
        .arg(script)
        .env("SMM_API", &a.base)
        .env("SMM_TOKEN", &a.token)
        .env("SIM_URL", a.sim.url())
        .env("SIM_KEY", a.sim.key().expose())
        .output()
        .await
        .expect("node runs (it is installed with the UI's tools)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "flow.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(seen["cost"], "0.0375", "3 comments at 12.5 per 1000");
    assert_eq!(
        a.sim.counters().get(Action::Add),
        1,
        "one add for two requests with one key"
    );
    assert_eq!(a.order_count(), 1);
    let recent = format!("{:?}", a.handle.recent_requests());
    assert!(!recent.contains(&a.token) && !recent.contains(a.sim.key().expose()));
}

async fn preflight(a: &Api, origin: &str) -> reqwest::Response {
    a.http
        .request(Method::OPTIONS, format!("{}/api/smm/orders", a.base))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,idempotency-key",
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn browsers_get_cors_headers_only_for_the_listed_origins() {
    // By default no CORS header at all: browsers refuse every cross-origin call.
    let a = api().await;
    let res = preflight(&a, "http://localhost:3000").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = a
        .http
        .get(format!("{}/api/smm/providers", a.base))
        .bearer_auth(&a.token)
        .header("origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());

    let shop = "https://shop.example";
    let a = api_with(ApiConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        cors_origins: vec![shop.into(), "http://localhost:3000".into()],
        ..ApiConfig::default()
    })
    .await;
    let res = preflight(&a, shop).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], shop);
    let allowed = res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("idempotency-key") && allowed.contains("authorization"));
    let res = preflight(&a, "https://evil.example").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = a
        .http
        .get(format!("{}/api/smm/providers", a.base))
        .bearer_auth(&a.token)
        .header("origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    // The token is still needed: CORS only lets the page read the answer.
    let res = a
        .http
        .get(format!("{}/api/smm/providers", a.base))
        .header("origin", shop)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_origin_that_is_not_an_origin_is_refused_at_start() {
    let a = api().await;
    for bad in [
        "shop.example",
        "ftp://shop.example",
        "https://shop.example/",
        "https://shop.example/path",
        "https://user@shop.example",
        "https://shop.example?x=1",
        "http://localhost:0",
        "http://localhost:99999",
        "https://[::1",
        "https://[zz]:80",
        "https://",
        "https://shop\u{200b}.example",
    ] {
        let err = Server::bind(
            a.engine.clone(),
            &ApiConfig {
                addr: "127.0.0.1:0".parse().unwrap(),
                cors_origins: vec![bad.into()],
                ..ApiConfig::default()
            },
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("{bad:?} was accepted"));
        assert_eq!(err.code(), "input.invalid", "{bad}");
        assert!(err.to_string().contains("web origin"), "{bad}: {err}");
    }
    for good in [
        "https://shop.example",
        "http://localhost:3000",
        "http://[::1]:8080",
    ] {
        Server::bind(
            a.engine.clone(),
            &ApiConfig {
                addr: "127.0.0.1:0".parse().unwrap(),
                cors_origins: vec![good.into()],
                ..ApiConfig::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

/// The paths the router serves, read from its source (`.route("…"`).
fn routed_paths() -> BTreeSet<String> {
    let source = include_str!("../src/lib.rs");
    source
        .split(".route(")
        .skip(1)
        .map(|rest| {
            let rest = rest.trim_start().strip_prefix('"').expect("a path literal");
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    // 75 requests in a row: above the default rate limit, which is not what is tested here.
    let a = api_with(ApiConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        rate_per_second: 1000,
        rate_burst: 1000,
        ..ApiConfig::default()
    })
    .await;
    let (status, doc) = a.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<String> = paths.keys().cloned().collect();
    assert_eq!(
        documented,
        routed_paths(),
        "documented paths = routed paths"
    );
    assert_eq!(documented.len(), 26);

    // Every documented operation reaches its handler; every other method is 405.
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    let mut operations = 0;
    for (path, item) in paths {
        let url = format!("{}{}", a.base, path.replace("{id}", "999999"));
        for m in &methods {
            let documented = item.get(m.as_str().to_ascii_lowercase()).is_some();
            let mut req = a.http.request(m.clone(), &url).bearer_auth(&a.token);
            if *m != Method::GET && *m != Method::DELETE {
                req = req.json(&json!({}));
            }
            let res = req.send().await.unwrap();
            let status = res.status();
            if documented {
                operations += 1;
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{m} {path}");
                if status == StatusCode::NOT_FOUND {
                    let body: Value = res.json().await.unwrap();
                    assert_ne!(Api::code(&body), "api.no_route", "{m} {path}");
                }
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} is not documented"
                );
            }
        }
    }
    assert_eq!(operations, 36, "documented operations");
    assert_eq!(a.order_count(), 0, "probing changed nothing");
    assert_eq!(a.sim.counters().get(Action::Add), 0);
}
