//! smm-engine: everything SMM Desk does, without a user interface.
//!
//! The desktop app (`src-tauri`) and the command line (`crates/cli`) are thin faces over the
//! public functions of this crate, all reached through one [`Engine`] (`Send + Sync`, cheap to
//! clone). Store work is synchronous; provider calls are `async` (tokio) and `Send`.
//!
//! - [`Engine::open`] / [`Engine::open_with`]: folders from [`paths::AppPaths`], the SQLite
//!   store ([`store`]), the master key ([`secrets`]).
//! - Providers ([`providers`]): add, list, update, enable/disable, remove (soft), presets,
//!   [`Engine::test_provider`].
//! - Catalog ([`catalog`]): [`Engine::sync_catalog`], [`Engine::sync_all_catalogs`],
//!   [`Engine::list_services`], [`Engine::catalog_changes`], [`Engine::compare_offers`].
//! - Background work ([`scheduler`]): [`Engine::start_scheduler`], [`Engine::wake_job`],
//!   [`Engine::job_health`]; alerts ([`alerts`]): [`Engine::list_alerts`]; change events
//!   ([`events`]): [`Engine::subscribe`].
//! - Orders ([`orders`], architecture.md §3): [`Engine::place_order`] (journal first, idempotency
//!   key, outcome classes), [`Engine::resolve_order`], [`Engine::refresh_orders`],
//!   [`Engine::request_refill`], [`Engine::cancel_orders`], [`Engine::list_orders`],
//!   [`Engine::export_orders_csv`], [`Engine::place_mass_order`]; balances ([`balances`]) and
//!   [`Engine::stats`] ([`stats`]).
//! - Webhooks ([`webhooks`]): [`Engine::add_webhook`], [`Engine::list_webhooks`],
//!   [`Engine::remove_webhook`], [`Engine::test_webhook`], [`Engine::webhook_deliveries`];
//!   delivered by the scheduler's worker (Standard Webhooks 1.0 signatures).
//! - Scheduled orders ([`schedules`]): [`Engine::add_schedule`], [`Engine::list_schedules`],
//!   [`Engine::schedule`], [`Engine::schedule_runs`], [`Engine::pause_schedule`],
//!   [`Engine::resume_schedule`], [`Engine::remove_schedule`], [`Engine::run_due_schedules`];
//!   each occurrence claimed once and placed through [`Engine::place_order`]'s path.
//! - Selling prices ([`pricing`]): [`Engine::set_price_rule`], [`Engine::price_rules`],
//!   [`Engine::remove_price_rule`], [`Engine::price_quote`]; customers ([`customers`]):
//!   [`Engine::add_customer`], [`Engine::customers`]; the sale on each order
//!   ([`orders::settle`]) and [`Engine::profit`] ([`profit`]).
//! - The data folder ([`data`]): [`data::stage_restore`] (checked, applied on the next open,
//!   the previous database kept), [`Engine::move_data_folder`]; backups with
//!   [`store::Store::backup_to`].
//! - Every error is an [`EngineError`] with a stable [`EngineError::code`].
//!
//! Store conventions (for every module that adds tables): times are INTEGER unix
//! milliseconds (UTC); money is TEXT holding a canonical decimal ([`money::to_text`]), never
//! REAL; writes go through [`store::Store::write`] (`BEGIN IMMEDIATE`, all or nothing); new
//! tables come as a new file in `store/migrations/`.
//!
//! # Layers
//!
//! Bottom first; a module names only its own layer and those below it. `tests/layers.rs`
//! fails the build's tests when a lower layer names a module above it (or the `Engine`).
//!
//! | Layer | Modules | May use |
//! |-------|---------|---------|
//! | foundation | [`clock`], `hex`, [`paths`] | nothing in the crate |
//! | error | [`error`] (with the refusals [`OrderError`], [`WebhookError`], [`RouteError`]) | foundation |
//! | store | [`store`], [`money`] | error, foundation |
//! | secrets | [`secrets`] (the master key and its key check) | store, error, foundation |
//! | provider call | [`provider_call`]: permits ([`scheduler::limits`]), timing, the API log ([`api_log`]) | error, foundation |
//! | domain | [`providers`], [`catalog`], [`orders`], [`balances`], [`stats`], [`alerts`], [`events`], [`webhooks`], [`pricing`], [`customers`], [`profit`], [`reconcile`], [`routing`], [`schedules`], [`scheduler`], [`data`], [`demo`], `settings` | the layers below, each other, the facade |
//! | facade | `engine.rs`: [`Engine`], [`EngineOptions`], [`Engine::open_with`] | everything |
//!
//! The facade holds the shared state (store, master key, clock, the scheduler's shared parts,
//! the data folder lock) and opens it; it names `data` (the restore and folder lock on open),
//! `orders` (crash recovery on open) and `scheduler` (its shared parts) and nothing else of the
//! domain. Each domain module adds its own methods to the facade in its own `impl Engine`
//! block (about 32 blocks in 29 files): that is the intended shape, so the public API stays one
//! handle while the code of a feature lives in its module. The one loop left in the module
//! graph is therefore facade ⇄ domain; without the facade the graph is acyclic.

pub mod alerts;
pub mod balances;
pub mod catalog;
pub mod clock;
pub mod customers;
pub mod data;
pub mod demo;
mod engine;
pub mod error;
pub mod events;
mod hex;
pub mod logging;
pub mod money;
pub mod orders;
pub mod paths;
pub mod pricing;
pub mod profit;
pub mod provider_call;
pub mod providers;
pub mod reconcile;
pub mod routing;
pub mod scheduler;
pub mod schedules;
pub mod secrets;
mod settings;
pub mod stats;
pub mod store;
pub mod webhooks;

/// The API call log, part of the provider-call path ([`provider_call`]).
pub use provider_call::log as api_log;

pub use alerts::{Alert, AlertKind, AlertQuery};
pub use catalog::{CatalogDiff, CatalogService, Platform, ServicePage, ServiceQuery};
pub use engine::{Engine, EngineOptions};
pub use error::{EngineError, ErrorBody, Result};
pub use events::{ChangeSet, EngineEvent};
pub use orders::{NewOrder, Order, OrderError, OrderEvent, OrderQuery, OrderStatus};
pub use providers::{BalanceCheck, NewProvider, Preset, Provider, ProviderUpdate};
pub use scheduler::{
    JobHealth, JobKind, JobRun, JobState, ProviderHealth, Scheduler, SchedulerOptions,
};
pub use schedules::{
    MissedPolicy, NewSchedule, Repeat, RunState, Schedule, ScheduleReport, ScheduleRule,
    ScheduleRun,
};
pub use secrets::{ApiKey, KeyStore, KeyStoreChoice};
/// The order definition (smm-panel's): the fields an order carries and the rules per type.
pub use smm_panel::{
    field_kinds, order_forms, FieldKind, FieldRule, OrderField, OrderFields, OrderForm,
    OrderFormError,
};
pub use webhooks::{
    CreatedWebhook, Delivery, DeliveryQuery, DeliveryState, NewWebhook, Webhook, WebhookError,
    WebhookEvent, WebhookOptions, WebhookSecret,
};

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_set() {
        assert!(!super::VERSION.is_empty());
    }
}
