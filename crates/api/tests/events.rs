//! `GET /api/smm/events` over real HTTP: what a bot following the stream sees when orders
//! change, when it falls behind, and when the server stops.

mod common;

use std::time::Duration;

use common::{api, Api};
use reqwest::StatusCode;
use serde_json::{json, Value};
use smm_engine::EngineEvent;

/// One Server-Sent Events client reading a live response.
struct Stream {
    res: reqwest::Response,
    buf: String,
}

impl Stream {
    async fn open(a: &Api) -> Stream {
        let res = a
            .http
            .get(format!("{}/api/smm/events", a.base))
            .bearer_auth(&a.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            res,
            buf: String::new(),
        }
    }

    /// The next event `(name, id, data)`; `None` when the stream ended.
    async fn next(&mut self) -> Option<(String, u64, Value)> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let (mut name, mut id, mut data) = (String::new(), 0, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event: ") {
                        name = v.into();
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        id = v.parse().unwrap();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data.push_str(v);
                    }
                }
                if name.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some((name, id, serde_json::from_str(&data).unwrap()));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.res.chunk())
                .await
                .expect("an event within 10 s")
                .unwrap()?;
            self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// Skips events until one named `name` whose data satisfies `want`.
    async fn until(&mut self, name: &str, want: impl Fn(&Value) -> bool) -> (u64, Value) {
        loop {
            let (n, id, data) = self.next().await.expect("the stream goes on");
            if n == name && want(&data) {
                return (id, data);
            }
        }
    }
}

#[tokio::test]
async fn order_changes_arrive_as_events_and_the_stream_ends_with_the_server() {
    let a = api().await;
    let res = a
        .http
        .get(format!("{}/api/smm/events", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the stream needs the token"
    );

    let pid = a.add_sim().await;
    let mut events = Stream::open(&a).await;
    let (name, id, _) = events.next().await.unwrap();
    assert_eq!((name.as_str(), id), ("ready", 1));

    let (status, placed) = a
        .post(
            "/api/smm/orders",
            json!({ "providerId": pid, "serviceId": 5001, "link": "https://instagram.com/p/ev", "quantity": 100 }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let oid = placed["order"]["id"].as_i64().unwrap();
    let (first, order) = events.until("order", |o| o["id"] == oid).await;
    assert_eq!(order["status"], "pending");
    assert_eq!(order["statusLabel"], "Pending");
    assert_eq!(order["estimatedCost"], "0.09", "money as a decimal string");

    // A provider's balance reading is a `provider` event (never its key).
    a.engine.emit(EngineEvent::BalanceChanged {
        provider: "sim".into(),
    });
    let (later, p) = events.until("provider", |p| p["name"] == "sim").await;
    assert!(later > first, "ids count up within a stream");
    assert!(p.get("apiKey").is_none() && p["keyHint"].as_str().unwrap().starts_with('•'));

    // Shutting down ends the stream instead of waiting for the client forever.
    let Api { _stop, .. } = a;
    drop(_stop);
    tokio::time::timeout(Duration::from_secs(5), async {
        while events.next().await.is_some() {}
    })
    .await
    .expect("the stream ends when the server stops");
}

#[tokio::test]
async fn a_reader_that_falls_behind_is_told_to_refetch() {
    let a = api().await;
    let mut events = Stream::open(&a).await;
    assert_eq!(events.next().await.unwrap().0, "ready");

    // A status refresh of thousands of orders: one `resync` rather than thousands of reads.
    a.engine.emit(EngineEvent::OrdersChanged {
        ids: (1..=501).collect(),
    });
    let (_, r) = events.until("resync", |_| true).await;
    assert_eq!(r, json!({ "reason": "many_orders", "orders": 501 }));

    // More events than the engine keeps, sent while the stream cannot read (this test's
    // runtime has one thread): the reader lagged, so it refetches.
    for _ in 0..2_000 {
        a.engine.emit(EngineEvent::CatalogChanged {
            provider: "sim".into(),
        });
    }
    let (_, r) = events.until("resync", |_| true).await;
    assert_eq!(r["reason"], "lagged");
    // And it goes on following afterwards.
    a.engine.emit(EngineEvent::CatalogChanged {
        provider: "after".into(),
    });
    events.until("catalog", |c| c["provider"] == "after").await;
}
