//! The panel simulator: a real SMM API v2 server on 127.0.0.1 for tests, benchmarks, the CLI
//! and the app's demo mode.

mod catalog;
mod panel;
mod server;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::action::Action;
use crate::key::ApiKey;
use crate::service::Service;
use crate::status::OrderStatus;

pub use catalog::generate_catalog;
pub use panel::FinishError;
use panel::Panel;

/// How the simulated panel starts.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seed of the catalog and of every random choice (same seed, same panel).
    pub seed: u64,
    /// Number of services in the generated catalog (50 to 50,000).
    pub services: usize,
    /// The API key the panel accepts.
    pub key: String,
    /// The starting balance.
    pub balance: Decimal,
    /// The account currency.
    pub currency: String,
    /// Wire quirks.
    pub dialect: Dialect,
    /// Simulated seconds per real second (0: the clock moves only by [`SimHandle::advance`]).
    pub time_scale: u32,
    /// Delay before every reply.
    pub latency: Duration,
    /// The id of the first order placed (ids count up from it). A panel restarted over the
    /// same client data starts above the ids it handed out before, as a real one would.
    pub first_order_id: u64,
    /// The id of the first refill requested.
    pub first_refill_id: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            services: 200,
            key: "sim-key-0000000000000000000000000000".to_owned(),
            balance: Decimal::from(1000),
            currency: "USD".to_owned(),
            dialect: Dialect::default(),
            time_scale: 0,
            latency: Duration::ZERO,
            first_order_id: 10_001,
            first_refill_id: 501,
        }
    }
}

/// Wire quirks of real panels the simulator can reproduce (see `tests/fixtures/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dialect {
    /// Ids as JSON strings (`"23501"`) instead of numbers.
    pub string_ids: bool,
    /// Spell the canceled status "Cancelled".
    pub cancelled_spelling: bool,
    /// Money as JSON numbers instead of strings.
    pub money_as_numbers: bool,
    /// Leave `currency` out of `balance` and `status`.
    pub omit_currency: bool,
    /// Error messages in key form (`neworder.error.not_enough_funds`).
    pub key_style_errors: bool,
    /// Send `Content-Type: text/html` on JSON replies.
    pub html_content_type: bool,
    /// Statuses in snake case (`in_progress`).
    pub snake_case_statuses: bool,
    /// Answer a wrong key as SmartPanel-style panels do:
    /// `{"error":"API is disable for this user or user not found"}`.
    pub user_not_found_key_error: bool,
    /// A panel without `refill`, `refill_status` and `cancel`: they answer
    /// `{"error":"Request Invalid"}` (unprocessed).
    pub without_refill_and_cancel: bool,
}

/// A fault the simulator injects into the replies of one action.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Never answer (the client times out); the request is not processed.
    Hang,
    /// Process the request (the order exists), then close the connection without a reply.
    ResetAfterAccept,
    /// Close the connection without processing the request or replying.
    ResetBeforeProcess,
    /// Answer 200 with an HTML page (unprocessed).
    Html200,
    /// Answer 200 with broken JSON (unprocessed).
    MalformedJson,
    /// Answer 200 with a PHP warning before the JSON (processed).
    PhpWarningBeforeJson,
    /// Answer 200 with this many PHP notices (Notice, Warning, Deprecated in turn) before the
    /// JSON, as a panel showing PHP errors does (processed).
    PhpNotices(u32),
    /// Answer 200 with a PHP notice whose text holds JSON, then the reply (processed): which
    /// JSON is the reply cannot be told.
    PhpNoticeHoldingJson,
    /// Answer this 5xx status with an HTML page (unprocessed).
    ServerError(u16),
    /// Answer 429, with `Retry-After` seconds when given (unprocessed).
    TooManyRequests {
        /// The `Retry-After` header value, in seconds.
        retry_after_secs: Option<u64>,
    },
    /// Answer 200 `{"error":"Rate limit exceeded. Slow down."}` (unprocessed).
    RateLimitText,
    /// Answer 200 with an empty body (processed).
    EmptyBody,
    /// Answer 302 to this location (unprocessed).
    Redirect(String),
}

/// Requests received, by action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests per known action.
    pub by_action: BTreeMap<Action, u64>,
    /// Requests with an unknown or missing action.
    pub unknown: u64,
    /// Every request.
    pub total: u64,
}

impl Counters {
    /// Requests received for `action`.
    pub fn get(&self, action: Action) -> u64 {
        self.by_action.get(&action).copied().unwrap_or(0)
    }
}

/// One request as the simulator received it (the key itself is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimRequest {
    /// The HTTP method.
    pub method: String,
    /// The `action` parameter, parsed.
    pub action: Option<Action>,
    /// Form parameters other than `key`, in order.
    pub params: Vec<(String, String)>,
    /// Whether the right key was sent.
    pub key_ok: bool,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
}

impl SimRequest {
    /// The value of a form parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An order as the simulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOrder {
    /// The order id.
    pub id: String,
    /// The service id.
    pub service: String,
    /// The link, when the type has one.
    pub link: Option<String>,
    /// Units ordered (all runs).
    pub quantity: u64,
    /// The charge after refunds.
    pub charge: Decimal,
    /// The status now.
    pub status: OrderStatus,
    /// Units not delivered.
    pub remains: u64,
    /// The start count.
    pub start_count: u64,
    /// When it was placed, on the simulator clock.
    pub placed_at: Duration,
}

/// The `services` reply body a simulated panel sends for `services` in `dialect`.
pub fn services_body(services: &[Service], dialect: &Dialect) -> Vec<u8> {
    serde_json::to_vec(&panel::services_value(services, dialect)).unwrap_or_default()
}

/// Most requests kept in the request log (the counters count them all).
const MAX_LOGGED_REQUESTS: usize = 10_000;

/// The simulator clock: a manual offset plus, with a time scale, scaled real time.
struct Clock {
    offset: Duration,
    scale: u32,
    started: Instant,
}

impl Clock {
    fn now(&self) -> Duration {
        self.offset + self.started.elapsed().saturating_mul(self.scale)
    }
}

/// A fault and how many more requests it applies to (`None`: all).
struct FaultPlan {
    fault: Fault,
    remaining: Option<u32>,
}

/// Everything the server and the handle share.
struct State {
    panel: Panel,
    clock: Clock,
    dialect: Dialect,
    faults: HashMap<Action, FaultPlan>,
    counters: Counters,
    requests: Vec<SimRequest>,
}

struct Shared {
    state: Mutex<State>,
    latency: Duration,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Starts simulated panels.
pub struct Simulator;

impl Simulator {
    /// Starts a panel on 127.0.0.1 (random port) inside the current tokio runtime. The server
    /// runs until the handle is shut down or dropped.
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let catalog = generate_catalog(config.seed, config.services);
        let panel = Panel::new(
            config.seed,
            config.key.clone(),
            config.currency.clone(),
            config.balance,
            catalog,
        );
        let panel = panel.starting_ids(config.first_order_id, config.first_refill_id);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                panel,
                clock: Clock {
                    offset: Duration::ZERO,
                    scale: config.time_scale,
                    started: Instant::now(),
                },
                dialect: config.dialect.clone(),
                faults: HashMap::new(),
                counters: Counters::default(),
                requests: Vec::new(),
            }),
            latency: config.latency,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(SimHandle {
            addr,
            key: config.key,
            shared,
            stop,
            task: Some(task),
        })
    }
}

/// A running simulated panel; dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    key: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .field("key", &ApiKey::new(self.key.clone()))
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// The API URL (`http://127.0.0.1:PORT/api/v2`).
    pub fn url(&self) -> String {
        format!("http://{}/api/v2", self.addr)
    }

    /// The socket address the panel listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The key the panel accepts.
    pub fn key(&self) -> ApiKey {
        ApiKey::new(self.key.clone())
    }

    /// Requests received so far, by action.
    pub fn counters(&self) -> Counters {
        self.shared.lock().counters.clone()
    }

    /// Every request received so far, oldest first (the last 10,000).
    pub fn requests(&self) -> Vec<SimRequest> {
        self.shared.lock().requests.clone()
    }

    /// Forgets the counters and the request log.
    pub fn reset_counters(&self) {
        let mut state = self.shared.lock();
        state.counters = Counters::default();
        state.requests.clear();
    }

    /// Injects `fault` into every following request of `action`.
    pub fn set_fault(&self, action: Action, fault: Fault) {
        self.shared.lock().faults.insert(
            action,
            FaultPlan {
                fault,
                remaining: None,
            },
        );
    }

    /// Injects `fault` into the next `times` requests of `action`.
    pub fn set_fault_times(&self, action: Action, fault: Fault, times: u32) {
        self.shared.lock().faults.insert(
            action,
            FaultPlan {
                fault,
                remaining: Some(times),
            },
        );
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Moves the simulator clock forward.
    pub fn advance(&self, by: Duration) {
        let mut state = self.shared.lock();
        state.clock.offset += by;
        let now = state.clock.now();
        state.panel.settle(now);
    }

    /// The simulator clock: time since start.
    pub fn now(&self) -> Duration {
        self.shared.lock().clock.now()
    }

    /// Sets simulated seconds per real second (0: only [`SimHandle::advance`] moves time).
    pub fn set_time_scale(&self, scale: u32) {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state.clock = Clock {
            offset: now,
            scale,
            started: Instant::now(),
        };
    }

    /// Switches the wire quirks.
    pub fn set_dialect(&self, dialect: Dialect) {
        self.shared.lock().dialect = dialect;
    }

    /// The balance now.
    pub fn balance(&self) -> Decimal {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state.panel.settle(now);
        state.panel.balance
    }

    /// Sets the balance.
    pub fn set_balance(&self, amount: Decimal) {
        self.shared.lock().panel.balance = amount;
    }

    /// The catalog now.
    pub fn catalog(&self) -> Vec<Service> {
        self.shared.lock().panel.catalog()
    }

    /// Adds a service, or replaces the one with the same id (price, min, max changes).
    pub fn upsert_service(&self, service: Service) {
        self.shared.lock().panel.upsert_service(service);
    }

    /// Removes a service; true when it existed.
    pub fn remove_service(&self, id: &str) -> bool {
        self.shared.lock().panel.remove_service(id)
    }

    /// Every order, oldest first.
    pub fn orders(&self) -> Vec<SimOrder> {
        let state = self.shared.lock();
        state.panel.orders(state.clock.now())
    }

    /// One order.
    pub fn order(&self, id: &str) -> Option<SimOrder> {
        let state = self.shared.lock();
        state.panel.order(id, state.clock.now())
    }

    /// Finishes an open order now as partial, `delivered` units of its quantity delivered
    /// (at least 1, fewer than ordered); the charge becomes the delivered share and the rest is
    /// refunded to the balance at once. The next `status` answers `Partial`.
    pub fn finish_partial(&self, id: &str, delivered: u64) -> Result<SimOrder, FinishError> {
        if delivered == 0 {
            return Err(FinishError::NothingDelivered);
        }
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state.panel.finish(id, delivered, now)
    }

    /// Finishes an open order now as canceled with nothing delivered: charge 0, the whole
    /// charge refunded. The next `status` answers `Canceled`.
    pub fn finish_canceled(&self, id: &str) -> Result<SimOrder, FinishError> {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state.panel.finish(id, 0, now)
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
