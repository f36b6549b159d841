//! smm-panel: the SMM panel "API v2" client and a panel simulator.
//!
//! The protocol is the de-facto convention of Just Another Panel, SMM Kings, Secsers and the
//! PerfectPanel template (see `smm-api-v2.md`). This crate has no database and no Tauri.
//!
//! # Client
//!
//! - [`ProviderConfig`] (URL, [`ApiKey`], user agent, timeouts, [`RetryPolicy`]) →
//!   [`Client::new`]. `https` is required except for loopback hosts; redirects are never
//!   followed; a non-empty `User-Agent` is always sent.
//! - Actions: [`Client::services`], [`Client::balance`], [`Client::add`] (an [`OrderRequest`]
//!   built from [`OrderDetails`], one variant per [`ServiceType`]), [`Client::status`] /
//!   [`Client::statuses`], [`Client::refill`] / [`Client::refills`], [`Client::refill_status`] /
//!   [`Client::refill_statuses`], [`Client::cancel`]. Multi calls de-duplicate ids, send at most
//!   100 per call and merge the results into a [`BatchResult`] keyed by id, where each id has
//!   its own `Result<_, ItemError>`.
//! - Errors: [`PanelError`], classified by [`PanelError::delivery`] into [`Delivery::NeverSent`],
//!   [`Delivery::Rejected`] and [`Delivery::MaybeSent`]; provider messages map to a typed
//!   [`ProviderReason`]. Reads and `cancel` are retried (exponential backoff, full jitter,
//!   bounded, honouring `Retry-After`); `add` and `refill` only when never sent.
//! - Decoders: [`decode`] holds the tolerant, panic-free reply decoders (also used by fuzz tests
//!   and benchmarks).
//! - [`estimate_cost`]: the cost rule shared by the engine and the simulator.
//!
//! # Simulator
//!
//! With the default `sim` feature, [`sim::Simulator::start`] runs a panel on 127.0.0.1 and
//! returns a [`sim::SimHandle`]: its URL and key, request [`sim::Counters`], fault injection
//! ([`sim::Fault`]), dialects ([`sim::Dialect`]), a controllable clock and catalog mutation.

mod action;
mod client;
mod config;
pub mod decode;
mod error;
mod key;
mod loose;
mod order;
mod reason;
mod service;
mod status;

#[cfg(feature = "sim")]
pub mod sim;

pub use action::Action;
pub use client::{chunk_ids, BatchResult, Client, MAX_IDS_PER_CALL, MAX_REPLY_BYTES};
pub use config::{is_loopback, ProviderConfig, RetryPolicy, DEFAULT_USER_AGENT};
pub use error::{Delivery, ItemError, PanelError};
pub use key::ApiKey;
pub use order::{
    Device, DripFeed, ExpiryDate, OrderDetails, OrderRequest, TrafficSource, WebTraffic,
    MAX_ORDER_BYTES, SUBSCRIPTION_DELAYS,
};
pub use reason::ProviderReason;
pub use service::{estimate_cost, Service, ServiceType};
pub use status::{
    Balance, CancelAccepted, OrderState, OrderStatus, PlacedOrder, RefillAccepted, RefillState,
    RefillStatus,
};

/// The protocol name this crate speaks.
pub const PROTOCOL: &str = "SMM API v2";
