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
//! - The data folder ([`data`]): [`data::stage_restore`] (checked, applied on the next open,
//!   the previous database kept), [`Engine::move_data_folder`]; backups with
//!   [`store::Store::backup_to`].
//! - Every error is an [`EngineError`] with a stable [`EngineError::code`].
//!
//! Store conventions (for every module that adds tables): times are INTEGER unix
//! milliseconds (UTC); money is TEXT holding a canonical decimal ([`money::to_text`]), never
//! REAL; writes go through [`store::Store::write`] (`BEGIN IMMEDIATE`, all or nothing); new
//! tables come as a new file in `store/migrations/`.

pub mod alerts;
pub mod balances;
pub mod catalog;
pub mod clock;
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
pub mod provider_call;
pub mod providers;
pub mod scheduler;
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
