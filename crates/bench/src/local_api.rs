//! Scenario 6, the local API: `GET /api/smm/orders` (first page) and `POST /api/smm/orders`
//! over HTTP on 127.0.0.1 against the same engine calls made directly, per request, and
//! requests per second (one client, one connection, one request at a time), on a
//! current-thread runtime as `smmdesk serve` runs it.

use std::net::SocketAddr;
use std::time::Instant;

use serde_json::json;
use smm_api::{ApiConfig, Server};
use smm_engine::orders::OrderQuery;
use smm_engine::{Engine, NewOrder};

use crate::desk::ORDER_SERVICE;
use crate::measure::percentile;
use crate::report::Figure;

const SCENARIO: &str = "6 local API";

/// The milliseconds `work` takes.
async fn timed_async(work: impl std::future::Future<Output = ()>) -> f64 {
    let start = Instant::now();
    work.await;
    start.elapsed().as_secs_f64() * 1000.0
}

async fn api_get(http: &reqwest::Client, base: &str, token: &str) {
    let reply = http
        .get(format!("{base}?limit=50"))
        .bearer_auth(token)
        .send()
        .await
        .expect("the API answers");
    assert!(
        reply.status().is_success(),
        "GET orders: {}",
        reply.status()
    );
    std::hint::black_box(reply.bytes().await.expect("the page arrives"));
}

/// What the route does: the counts (for `total`), then the page, on the blocking pool.
async fn direct_get(engine: &Engine) {
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || {
        let q = OrderQuery {
            limit: Some(50),
            ..OrderQuery::default()
        };
        std::hint::black_box(engine.order_counts(&q).expect("counts"));
        std::hint::black_box(engine.list_orders(&q).expect("the page"));
    })
    .await
    .expect("the blocking task runs");
}

async fn api_post(http: &reqwest::Client, base: &str, token: &str, i: usize) {
    let body = json!({
        "providerId": "alpha",
        "serviceId": ORDER_SERVICE,
        "link": format!("https://instagram.com/p/api{i}"),
        "quantity": 100
    });
    let reply = http
        .post(base)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the API answers");
    assert!(
        reply.status().is_success(),
        "POST orders: {}",
        reply.status()
    );
    std::hint::black_box(reply.bytes().await.expect("the order arrives"));
}

async fn direct_post(engine: &Engine, i: usize) {
    let new = NewOrder::new(
        "alpha",
        ORDER_SERVICE,
        format!("https://instagram.com/p/direct{i}"),
        100,
    );
    std::hint::black_box(engine.place_order_reported(new).await.expect("placed"));
}

fn overhead(name: String, api: &[f64], direct: &[f64]) -> Figure {
    let (api50, direct50) = (percentile(api, 50.0), percentile(direct, 50.0));
    let total_s: f64 = api.iter().sum::<f64>() / 1000.0;
    Figure::new(SCENARIO, name, api50, "ms p50")
        .against(direct50, "the same engine calls, direct")
        .raw("api_p99_ms", percentile(api, 99.0))
        .raw("direct_p99_ms", percentile(direct, 99.0))
        .raw("overhead_p50_ms", api50 - direct50)
        .raw("requests_per_s", api.len() as f64 / total_s)
        .raw("requests", api.len() as u64)
}

/// Serves the API over `engine` (which holds `orders` orders and provider `alpha` with
/// service 9001 synced) and measures `runs` requests of each kind.
pub async fn run(engine: &Engine, orders: u64, runs: usize) -> Vec<Figure> {
    let config = ApiConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        rate_per_second: 1_000_000,
        rate_burst: 1_000_000,
        cors_origins: Vec::new(),
    };
    let server = Server::bind(engine.clone(), &config)
        .await
        .expect("the API binds");
    let base = format!("http://{}/api/smm/orders", server.addr());
    let token = server.handle().rotate_token().expect("a token");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    // Each API request and its direct twin in turn, so drift (other work on the machine, the
    // page cache) falls on both alike.
    let (mut get, mut direct_get_ms, mut post, mut direct_post_ms) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    api_get(&http, &base, &token).await; // the connection, the caches
    direct_get(engine).await;
    for _ in 0..runs {
        get.push(timed_async(api_get(&http, &base, &token)).await);
        direct_get_ms.push(timed_async(direct_get(engine)).await);
    }
    for i in 0..runs {
        post.push(timed_async(api_post(&http, &base, &token, i)).await);
        direct_post_ms.push(timed_async(direct_post(engine, i)).await);
    }
    let _ = stop.send(());
    let _ = serving.await;
    vec![
        overhead(
            format!("GET orders page, {orders} orders"),
            &get,
            &direct_get_ms,
        ),
        overhead(
            format!("POST order, {orders} orders"),
            &post,
            &direct_post_ms,
        ),
    ]
}
