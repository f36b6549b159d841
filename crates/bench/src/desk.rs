//! The desk under test: an engine over a real SQLite file in a folder of its own, simulated
//! panels on 127.0.0.1 served by a runtime of their own (so their CPU is not counted as SMM
//! Desk's), and orders seeded with one SQL insert.

use std::path::Path;
use std::time::Duration;

use rust_decimal::Decimal;
use smm_engine::paths::AppPaths;
use smm_engine::{ApiKey, Engine, EngineOptions, KeyStoreChoice, NewProvider};
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{RetryPolicy, Service, ServiceType};

/// The prefix of the simulator's thread names.
pub const SIM_THREADS: &str = "sim";
/// The service every seeded and placed order uses.
pub const ORDER_SERVICE: &str = "9001";

/// Where the simulated panels run: a current-thread runtime driven by a thread of its own,
/// named `sim`, until this is dropped.
pub struct Panels {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Panels {
    /// Starts the simulator's thread.
    pub fn new() -> Panels {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .thread_name(SIM_THREADS)
            .enable_all()
            .build()
            .expect("the simulator's runtime starts");
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(SIM_THREADS.to_owned())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })
            .expect("the simulator's thread starts");
        Panels {
            handle,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Starts a panel with `services` generated services plus [`ORDER_SERVICE`], a large
    /// balance and `latency` before every reply.
    pub async fn start(&self, seed: u64, services: usize, latency: Duration) -> SimHandle {
        let config = SimConfig {
            seed,
            services: services.max(50),
            balance: Decimal::from(1_000_000_000u64),
            latency,
            first_order_id: FIRST_PANEL_ORDER,
            ..SimConfig::default()
        };
        let sim = self
            .handle
            .spawn(Simulator::start(config))
            .await
            .expect("the simulator task runs")
            .expect("the simulator binds 127.0.0.1");
        sim.upsert_service(order_service());
        sim
    }
}

impl Drop for Panels {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A Default-type service: rate 0.9, 10..=100,000.
fn order_service() -> Service {
    Service {
        id: ORDER_SERVICE.into(),
        name: "Instagram Followers [Bench]".into(),
        service_type: ServiceType::Default,
        category: "Instagram Followers".into(),
        rate: Decimal::new(9, 1),
        min: 10,
        max: 100_000,
        refill: true,
        cancel: true,
        dripfeed: false,
        description: None,
    }
}

/// An engine over a fresh data folder `dir` (emptied first), keys in a file.
pub fn open(dir: &Path) -> Engine {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the bench folder is writable");
    Engine::open_with(
        &AppPaths::under(dir.to_path_buf()),
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
    .expect("the engine opens")
}

/// Adds provider `name` pointing at `sim`, with these limits (`None`: the defaults).
pub fn add_provider(
    engine: &Engine,
    name: &str,
    sim: &SimHandle,
    max_concurrency: Option<u32>,
    requests_per_minute: Option<u32>,
) {
    let mut new = NewProvider::new(name, sim.url(), ApiKey::new(sim.key().expose()));
    new.max_concurrency = max_concurrency;
    new.requests_per_minute = requests_per_minute;
    engine.add_provider(new).expect("the provider is added");
}

/// How seeded orders look.
#[derive(Debug, Clone, Copy)]
pub struct Seed {
    /// Orders to insert.
    pub orders: u64,
    /// Every order open (`pending`); otherwise 1% open (every 100th), the rest mostly finished.
    pub all_open: bool,
}

/// Providers the seeded orders are spread over (ids 1..=3, round robin). The open orders'
/// provider ids then count up densely per provider from [`FIRST_PANEL_ORDER`], as a
/// simulated panel hands them out (this needs 100 % 3 = 1 % 3 = 1).
pub const SEEDED_PROVIDERS: u64 = 3;
/// The first order id a simulated panel hands out.
pub const FIRST_PANEL_ORDER: u64 = 10_001;

/// Open orders per provider among `seed`'s orders.
pub fn open_per_provider(seed: Seed) -> Vec<u64> {
    let open = if seed.all_open {
        seed.orders
    } else {
        seed.orders.div_ceil(100)
    };
    (0..SEEDED_PROVIDERS)
        .map(|p| open / SEEDED_PROVIDERS + u64::from(p < open % SEEDED_PROVIDERS))
        .collect()
}

/// Inserts `seed.orders` orders in one transaction with one statement, created over the year
/// up to now (newest last), links `https://instagram.com/p/post{i}`.
pub fn seed_orders(engine: &Engine, seed: Seed) {
    let now = jiff::Timestamp::now().as_millisecond();
    let year_ms: i64 = 365 * 86_400_000;
    let step = (year_ms / seed.orders.max(1) as i64).max(1);
    let every = if seed.all_open { 1 } else { 100 };
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
         INSERT INTO orders (idempotency_key, provider_id, service_ref, service_id, service_name,
           service_type, service_rate, link, quantity, estimated_cost, charge, currency, status,
           external_id, created_at, submitted_at, updated_at, last_checked_at)
         SELECT 'seed' || i, 1 + i % ?2, NULL, '{ORDER_SERVICE}', 'Instagram Followers [Bench]',
           'Default', '0.9', 'https://instagram.com/p/post' || i, 1000, '0.9', '0.9', 'USD',
           CASE WHEN i % {every} = 0 THEN 'pending' WHEN i % 97 = 0 THEN 'rejected'
             WHEN i % 89 = 0 THEN 'unknown' WHEN i % 7 = 0 THEN 'partial' ELSE 'completed' END,
           CASE WHEN i % {every} = 0 THEN CAST(?3 + i / {every} / ?2 AS TEXT) ELSE 'x' || i END,
           ?4 + i * ?5, ?4 + i * ?5, ?4 + i * ?5,
           CASE WHEN i % 3 = 0 THEN NULL ELSE ?4 + i * ?5 END
         FROM n"
    );
    let params = rusqlite::params![
        seed.orders as i64,
        SEEDED_PROVIDERS as i64,
        FIRST_PANEL_ORDER as i64,
        now - year_ms,
        step
    ];
    engine
        .store()
        .write(|tx| {
            tx.execute(&sql, params)?;
            Ok(())
        })
        .expect("the orders are seeded");
    engine
        .store()
        .write(|tx| Ok(tx.execute_batch("ANALYZE")?))
        .expect("ANALYZE runs");
}
