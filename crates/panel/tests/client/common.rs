//! Shared test setup: a simulator, a client with short timeouts, and a scripted raw server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rust_decimal::Decimal;
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{Client, ProviderConfig, RetryPolicy, Service, ServiceType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Fast, seeded retries: 3 attempts, a few milliseconds apart.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        jitter_seed: Some(7),
    }
}

/// A simulator with a 200-service catalog and 1000 USD.
pub async fn sim() -> SimHandle {
    sim_with(SimConfig::default()).await
}

/// A simulator with `config`.
pub async fn sim_with(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

/// A client configuration for the simulator with short timeouts.
pub fn config_for(sim: &SimHandle) -> ProviderConfig {
    let mut config = ProviderConfig::new(sim.url(), sim.key());
    config.connect_timeout = Duration::from_secs(2);
    config.read_timeout = Duration::from_secs(5);
    config.services_read_timeout = Duration::from_secs(10);
    config.retry = fast_retry();
    config
}

/// A client for the simulator.
pub fn client(sim: &SimHandle) -> Client {
    Client::new(config_for(sim)).expect("client builds")
}

/// A client built from an edited configuration.
pub fn client_with(sim: &SimHandle, edit: impl FnOnce(&mut ProviderConfig)) -> Client {
    let mut config = config_for(sim);
    edit(&mut config);
    Client::new(config).expect("client builds")
}

/// The first service of the simulator's catalog matching `pick`.
pub fn service(sim: &SimHandle, pick: impl Fn(&Service) -> bool) -> Service {
    sim.catalog()
        .into_iter()
        .find(|s| pick(s))
        .expect("the catalog has a matching service")
}

/// A Default service with a rate of at most 4 decimal places.
pub fn default_service(sim: &SimHandle, pick: impl Fn(&Service) -> bool) -> Service {
    service(sim, |s| {
        s.service_type == ServiceType::Default && s.rate.scale() <= 4 && pick(s)
    })
}

/// A decimal from text.
pub fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// One raw HTTP request as a scripted server saw it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// Request line and headers.
    pub head: String,
    /// The body bytes, as text.
    pub body: String,
}

/// A one-shot-per-connection HTTP/1.1 server answering each request with `respond(request)`
/// (a full raw HTTP response). Returns its base URL and the log of requests.
pub async fn scripted(
    respond: impl Fn(&RawRequest) -> String + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<RawRequest>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v2", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let respond = Arc::new(respond);
    let server_log = log.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = server_log.clone();
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let request = loop {
                    let Ok(n) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let head = text[..end].to_owned();
                        let length = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())
                                    .flatten()
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + length {
                            let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length])
                                .to_string();
                            break RawRequest { head, body };
                        }
                    }
                };
                let reply = respond(&request);
                log.lock().unwrap().push(request);
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (url, log)
}

/// A raw HTTP response with a body.
pub fn http(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}
