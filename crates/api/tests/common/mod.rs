//! What the local API's tests share: a real server on 127.0.0.1 over a real SQLite file, with
//! the panel simulator upstream, and a client holding the token.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use smm_api::{ApiConfig, Server, ServerHandle};
use smm_engine::paths::AppPaths;
use smm_engine::{Engine, EngineOptions, KeyStoreChoice};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{RetryPolicy, Service, ServiceType};

pub struct Api {
    pub _dir: tempfile::TempDir,
    pub engine: Engine,
    pub sim: SimHandle,
    pub base: String,
    pub token: String,
    pub http: Client,
    pub handle: ServerHandle,
    pub _stop: tokio::sync::oneshot::Sender<()>,
}

pub fn service(id: &str, kind: ServiceType, rate: &str, min: u64) -> Service {
    Service {
        id: id.into(),
        name: format!("Instagram service {id} 🔥"),
        service_type: kind,
        category: "Instagram Followers".into(),
        rate: rate.parse().unwrap(),
        min,
        max: 10_000,
        refill: true,
        cancel: true,
        dripfeed: false,
        description: None,
    }
}

pub async fn api_with(config: ApiConfig) -> Api {
    let sim = Simulator::start(SimConfig {
        services: 20,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.upsert_service(service("5001", ServiceType::Default, "0.90", 10));
    sim.upsert_service(service("5002", ServiceType::CustomComments, "12.5", 1));
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open_with(
        &AppPaths::under(dir.path().to_path_buf()),
        EngineOptions {
            key_store: KeyStoreChoice::File,
            retry: RetryPolicy {
                max_attempts: 2,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(1),
                jitter_seed: Some(7),
            },
            ..EngineOptions::default()
        },
    )
    .unwrap();
    let server = Server::bind(engine.clone(), &config).await.unwrap();
    let base = format!("http://{}", server.addr());
    let handle = server.handle();
    let token = handle.rotate_token().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    Api {
        _dir: dir,
        engine,
        sim,
        base,
        token,
        http: Client::new(),
        handle,
        _stop: stop,
    }
}

pub async fn api() -> Api {
    api_with(ApiConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..ApiConfig::default()
    })
    .await
}

impl Api {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    /// Adds the simulator as provider `sim` and syncs it; returns its id.
    pub async fn add_sim(&self) -> i64 {
        let (status, p) = self
            .post(
                "/api/smm/providers",
                json!({ "name": "sim", "displayName": "Sim panel", "apiUrl": self.sim.url(),
                        "apiKey": self.sim.key().expose(), "priority": 2 }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let id = p["id"].as_i64().unwrap();
        let (status, sync) = self
            .post(&format!("/api/smm/providers/{id}/sync"), json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{sync}");
        id
    }

    pub fn code(v: &Value) -> &str {
        v["error"]["code"].as_str().unwrap_or("")
    }

    pub fn order_count(&self) -> u64 {
        self.engine
            .order_counts(&Default::default())
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum()
    }
}
