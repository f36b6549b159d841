//! SMM Desk's local API: the REST routes a reseller's own website, bot or spreadsheet script
//! calls to place and track orders through SMM Desk, with every safety the app has (the
//! journal, idempotency keys, unknown outcomes never resent, exact money, keys never shown).
//!
//! A thin layer over the engine, like `src-tauri`: `smmdesk serve` and the app both start it.
//! It listens on 127.0.0.1 by default, refuses a foreign `Host` (DNS rebinding), needs a bearer
//! token stored only as a hash, refuses bodies over 1 MiB, limits the request rate and the time
//! of each route. The OpenAPI 3.1 document is generated from the routes ([`doc`]).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::{get, patch, post, put};
use axum::Router;
use serde::Serialize;
use smm_engine::{Engine, EngineError};

pub mod customers;
pub mod doc;
pub mod error;
pub mod events;
mod guard;
pub mod routes;
pub mod routing;
pub mod schedules;
pub mod token;
pub mod views;
pub mod webhooks;

/// The default port.
pub const DEFAULT_PORT: u16 = 8765;
/// The largest request body.
pub const MAX_BODY: usize = 1024 * 1024;
/// Requests remembered for the app's "last requests" list.
const RECENT: usize = 50;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Where to listen (127.0.0.1 by default; another address only when the user says so).
    pub addr: SocketAddr,
    /// Requests a second, on average.
    pub rate_per_second: u32,
    /// Requests in a burst.
    pub rate_burst: u32,
    /// Web pages allowed to call the API from a browser (`https://shop.example`): without
    /// any, no CORS header is ever sent and browsers refuse cross-origin calls.
    pub cors_origins: Vec<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            rate_per_second: 20,
            rate_burst: 60,
            cors_origins: Vec::new(),
        }
    }
}

/// One request, for the "last requests" list (never a body, never a header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestNote {
    /// The method.
    pub method: String,
    /// The path (without the query).
    pub path: String,
    /// The HTTP status answered.
    pub status: u16,
    /// How long it took, milliseconds.
    pub millis: u64,
    /// When it finished (RFC 3339).
    pub at: String,
}

/// What every route shares.
#[derive(Clone)]
pub struct ApiState {
    engine: Engine,
    allowed_hosts: Arc<Vec<String>>,
    rate: Arc<guard::RateLimit>,
    token_hash: Arc<RwLock<Option<String>>>,
    recent: Arc<Mutex<VecDeque<RequestNote>>>,
    cors_origins: Arc<Vec<HeaderValue>>,
    /// Turns true when the server shuts down: event streams end, so shutdown never waits on them.
    stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

impl ApiState {
    fn token_hash(&self) -> Option<String> {
        self.token_hash
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn note_request(&self, method: &Method, path: &str, status: StatusCode, took: Duration) {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        if recent.len() == RECENT {
            recent.pop_back();
        }
        recent.push_front(RequestNote {
            method: method.to_string(),
            path: path.to_string(),
            status: status.as_u16(),
            millis: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            at: jiff::Timestamp::now().to_string(),
        });
    }
}

/// The hosts a request may name: the listening address, and `localhost` on loopback.
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![match addr {
        SocketAddr::V4(a) => format!("{}:{port}", a.ip()),
        SocketAddr::V6(a) => format!("[{}]:{port}", a.ip()),
    }];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{port}"));
    }
    hosts
}

/// A web origin as browsers send it: `http(s)://host[:port]`, nothing after.
fn cors_origin(text: &str) -> Result<HeaderValue, EngineError> {
    let invalid = |why: &str| {
        EngineError::Input {
        field: "cors_origin",
        message: format!("\"{text}\" is not a web origin ({why}); write it like https://shop.example or http://localhost:3000"),
    }
    };
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| invalid("it must start with https:// or http://"))?;
    // `[::1]:3000`, `localhost:3000`, `shop.example`.
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (ip, after) = v6
                .split_once(']')
                .ok_or_else(|| invalid("an IPv6 address needs its closing ]"))?;
            if ip.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(invalid("not an IPv6 address"));
            }
            match after {
                "" => ("ipv6", None),
                a => (
                    "ipv6",
                    Some(
                        a.strip_prefix(':')
                            .ok_or_else(|| invalid("nothing may follow the address but :port"))?,
                    ),
                ),
            }
        }
        None => match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        },
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    if !host_ok {
        return Err(invalid(
            "a host of letters, digits, dots and dashes, with no path, query or user",
        ));
    }
    if let Some(p) = port {
        if p.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(invalid("the port must be 1-65535"));
        }
    }
    HeaderValue::from_str(&text.to_ascii_lowercase()).map_err(|_| invalid("not a header value"))
}

/// The CORS layer for the origins the user listed (none: no layer, no CORS header).
fn cors(origins: &[HeaderValue]) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::header;
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static("idempotency-key"),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// Every route, behind the guard (and, when origins are listed, the CORS layer in front of it,
/// which answers browsers' preflight requests).
pub fn router(state: ApiState) -> Router {
    use routes::*;
    let cors = cors(&state.cors_origins);
    let router = Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/smm/providers", get(list_providers).post(add_provider))
        .route(
            "/api/smm/providers/{id}",
            put(update_provider).delete(delete_provider),
        )
        .route("/api/smm/providers/{id}/toggle", patch(toggle_provider))
        .route("/api/smm/providers/{id}/sync", post(sync_provider))
        .route("/api/smm/providers/{id}/services", get(list_services))
        .route("/api/smm/orders", get(list_orders).post(place_order))
        .route("/api/smm/orders/{id}", get(get_order))
        .route("/api/smm/orders/{id}/refresh", post(refresh_order))
        .route("/api/smm/orders/{id}/refill", post(refill_order))
        .route("/api/smm/orders/{id}/cancel", post(cancel_order))
        .route(
            "/api/smm/customers",
            get(customers::list_customers).post(customers::add_customer),
        )
        .route(
            "/api/smm/customers/{id}",
            get(customers::get_customer).patch(customers::update_customer),
        )
        .route(
            "/api/smm/groups",
            get(routing::list_groups).post(routing::add_group),
        )
        .route("/api/smm/balances", get(balances))
        .route("/api/smm/stats", get(stats))
        .route("/api/smm/events", get(events::events))
        .route(
            "/api/smm/webhooks",
            get(webhooks::list_webhooks).post(webhooks::add_webhook),
        )
        .route(
            "/api/smm/webhooks/{id}",
            patch(webhooks::update_webhook).delete(webhooks::delete_webhook),
        )
        .route("/api/smm/webhooks/{id}/test", post(webhooks::test_webhook))
        .route(
            "/api/smm/webhooks/{id}/deliveries",
            get(webhooks::list_deliveries),
        )
        .route(
            "/api/smm/schedules",
            get(schedules::list_schedules).post(schedules::add_schedule),
        )
        .route(
            "/api/smm/schedules/{id}",
            get(schedules::get_schedule).delete(schedules::delete_schedule),
        )
        .route(
            "/api/smm/schedules/{id}/pause",
            post(schedules::pause_schedule),
        )
        .route(
            "/api/smm/schedules/{id}/resume",
            post(schedules::resume_schedule),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state);
    match cors {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

async fn not_found() -> error::ApiError {
    error::ApiError::new(StatusCode::NOT_FOUND, "api.no_route", "no such route")
}

/// A bound server, not yet serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: ApiState,
}

impl Server {
    /// Binds the address. The token is read from the engine's settings (create one with
    /// [`token::rotate`]); without one every route but health answers 401.
    pub async fn bind(engine: Engine, config: &ApiConfig) -> Result<Server, EngineError> {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| EngineError::io(format!("listening on {}", config.addr), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| EngineError::io("reading the listening address", e))?;
        if !addr.ip().is_loopback() {
            tracing::warn!(%addr, "the local API listens beyond this computer: put a TLS reverse proxy in front");
        }
        let cors_origins = config
            .cors_origins
            .iter()
            .map(|o| cors_origin(o))
            .collect::<Result<Vec<_>, _>>()?;
        let token_hash = token::stored_hash(&engine)?;
        let state = ApiState {
            engine,
            allowed_hosts: Arc::new(allowed_hosts(addr)),
            rate: Arc::new(guard::RateLimit::new(
                config.rate_per_second,
                config.rate_burst,
            )),
            token_hash: Arc::new(RwLock::new(token_hash)),
            recent: Arc::default(),
            cors_origins: Arc::new(cors_origins),
            stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
        };
        Ok(Server { listener, state })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// A handle to reload the token and read the last requests while it serves.
    pub fn handle(&self) -> ServerHandle {
        ServerHandle {
            state: self.state.clone(),
        }
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), EngineError> {
        let addr = self.addr();
        tracing::info!(%addr, "local API serving");
        let stopping = self.state.stopping.clone();
        axum::serve(self.listener, router(self.state))
            .with_graceful_shutdown(async move {
                shutdown.await;
                stopping.send_replace(true);
            })
            .await
            .map_err(|e| EngineError::io(format!("serving on {addr}"), e))
    }
}

/// Reads and changes a running server.
#[derive(Clone)]
pub struct ServerHandle {
    state: ApiState,
}

impl ServerHandle {
    /// Creates a new token (the old one stops working at once) and returns it.
    pub fn rotate_token(&self) -> Result<String, EngineError> {
        let token = token::rotate(&self.state.engine)?;
        *self
            .state
            .token_hash
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(token::hash(&token));
        Ok(token)
    }

    /// The last requests, newest first.
    pub fn recent_requests(&self) -> Vec<RequestNote> {
        self.state
            .recent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}
