//! Shared setup: an engine on the system clock (signatures carry real timestamps), a
//! simulator, receivers on 127.0.0.1 that record requests and answer as told, and an
//! independent Standard Webhooks verifier.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use smm_engine::clock::SystemClock;
use smm_engine::paths::AppPaths;
use smm_engine::scheduler::{JobKey, JobResult, JobRunner};
use smm_engine::{Engine, EngineOptions, KeyStoreChoice, NewProvider, SchedulerOptions};
use smm_engine::{WebhookOptions, WebhookSecret};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::RetryPolicy;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The service every test orders: Default, rate 0.9, 10..=100000.
pub const SVC: &str = "9001";

pub fn open(root: &Path) -> Engine {
    Engine::open_with(
        &AppPaths::under(root.to_path_buf()),
        EngineOptions {
            clock: Arc::new(SystemClock),
            key_store: KeyStoreChoice::File,
            retry: RetryPolicy {
                max_attempts: 2,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(20),
                max_retry_after: Duration::from_secs(1),
                jitter_seed: Some(7),
            },
        },
    )
    .unwrap()
}

/// A simulator with [`SVC`] and an engine with provider `sim` for it, catalog synced.
pub async fn desk(root: &Path) -> (Engine, SimHandle) {
    let sim = Simulator::start(SimConfig {
        services: 5,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.upsert_service(smm_panel::Service {
        id: SVC.into(),
        name: "Test followers".into(),
        service_type: smm_panel::ServiceType::Default,
        category: "Instagram Followers".into(),
        rate: "0.9".parse().unwrap(),
        min: 10,
        max: 100_000,
        refill: true,
        cancel: true,
        dripfeed: false,
        description: None,
    });
    let engine = open(root);
    let mut p = NewProvider::new("sim", sim.url(), sim.key());
    p.requests_per_minute = Some(10_000);
    engine.add_provider(p).unwrap();
    engine.sync_catalog("sim").await.unwrap();
    (engine, sim)
}

/// Fast delivery: a short timeout, retries `delays` apart, a short poll.
pub fn fast(timeout_ms: u64, delays_ms: &[u64]) -> WebhookOptions {
    WebhookOptions {
        timeout: Duration::from_millis(timeout_ms),
        retry_delays: delays_ms
            .iter()
            .map(|d| Duration::from_millis(*d))
            .collect(),
        poll_every: Duration::from_millis(200),
    }
}

/// A scheduler whose jobs do nothing (the tests call refresh and balance themselves), with
/// these webhook options.
pub fn run_scheduler(engine: &Engine, webhooks: WebhookOptions) -> smm_engine::Scheduler {
    let idle: JobRunner = Arc::new(|_: Engine, _: JobKey| {
        Box::pin(async { Ok("idle".to_string()) })
            as std::pin::Pin<Box<dyn std::future::Future<Output = JobResult> + Send>>
    });
    engine
        .start_scheduler(SchedulerOptions {
            seed: 1,
            stop_grace: Duration::from_secs(5),
            runner: Some(idle),
            webhooks,
        })
        .unwrap()
}

/// One request a receiver got.
#[derive(Debug, Clone)]
pub struct Request {
    pub headers: HashMap<String, String>,
    pub body: String,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    pub fn id(&self) -> String {
        self.header("webhook-id").to_string()
    }
}

#[derive(Default)]
struct Script {
    /// Statuses for the next requests, in order; then `status`.
    next: VecDeque<u16>,
    status: u16,
    delay: Duration,
}

/// An HTTP receiver on 127.0.0.1.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Request>>>,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    /// Answers `status` after `delay`.
    pub async fn start(status: u16, delay: Duration) -> Receiver {
        Self::on(
            TcpListener::bind("127.0.0.1:0").await.unwrap(),
            status,
            delay,
        )
    }

    /// Listens on `port` (a receiver that was down comes back up).
    pub async fn start_on(port: u16, status: u16) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        Self::on(listener, status, Duration::ZERO)
    }

    fn on(listener: TcpListener, status: u16, delay: Duration) -> Receiver {
        let port = listener.local_addr().unwrap().port();
        let r = Receiver {
            url: format!("http://127.0.0.1:{port}/hooks/smm?token=abc"),
            got: Arc::default(),
            script: Arc::new(Mutex::new(Script {
                status,
                delay,
                ..Script::default()
            })),
        };
        let (got, script) = (r.got.clone(), r.script.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (got, script) = (got.clone(), script.clone());
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    got.lock().unwrap().push(request);
                    let (status, delay) = {
                        let mut s = script.lock().unwrap();
                        (s.next.pop_front().unwrap_or(s.status), s.delay)
                    };
                    tokio::time::sleep(delay).await;
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        r
    }

    /// The next requests get these statuses, in order.
    pub fn then_answer(&self, statuses: &[u16]) {
        self.script.lock().unwrap().next.extend(statuses);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (at most `secs`) until `done` holds for the requests so far.
    pub async fn wait_for(&self, secs: u64, done: impl Fn(&[Request]) -> bool) -> Vec<Request> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.requests();
            if done(&got) {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "receiver still waiting after {secs} s; got {got:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut headers = HashMap::new();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_string();
    headers.insert(":request".to_string(), request_line);
    for line in lines.filter(|l| !l.is_empty()) {
        let (k, v) = line.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        headers,
        body: String::from_utf8(buf[head_end..head_end + len].to_vec()).ok()?,
        at: Instant::now(),
    })
}

/// Checks a request the way the Standard Webhooks spec says a receiver must: the signature
/// over `id.timestamp.body` with the base64-decoded key after `whsec_`, and a timestamp
/// within 5 minutes. Written from the spec, not with the engine's signing code.
pub fn verify(secret: &WebhookSecret, r: &Request) {
    let id = r.header("webhook-id");
    let ts = r.header("webhook-timestamp");
    assert!(id.starts_with("msg_"), "{r:?}");
    let ts_secs: i64 = ts.parse().unwrap();
    let now = jiff::Timestamp::now().as_second();
    assert!(
        (now - ts_secs).abs() <= 300,
        "timestamp {ts_secs} vs now {now}"
    );
    let key = STANDARD
        .decode(secret.expose().strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{ts}.{}", r.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    let signatures: Vec<&str> = r.header("webhook-signature").split(' ').collect();
    assert!(signatures.contains(&expected.as_str()), "{r:?}");
    assert_eq!(r.header("content-type"), "application/json");
    assert!(r
        .header(":request")
        .starts_with("POST /hooks/smm?token=abc "));
}

/// One integer from a query.
pub fn count(engine: &Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}
