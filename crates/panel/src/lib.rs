//! smm-panel: the SMM panel "API v2" client and a panel simulator.
//!
//! The protocol is the de-facto convention of Just Another Panel, SMM Kings, Secsers and the
//! PerfectPanel template (real replies in `tests/fixtures/`). This crate has no database
//! and no Tauri.
//!
//! # Client
//!
//! - [`ProviderConfig`] (URL, [`ApiKey`], user agent, connect/read timeouts with a longer one for
//!   `services`, [`RetryPolicy`]) → [`Client::new`]. `https` is required except for loopback
//!   hosts (127.0.0.0/8, ::1, localhost); redirects are never followed (they are reported as
//!   [`PanelError::Redirect`]); TLS verification is always on (rustls with ring); a non-empty
//!   `User-Agent` is always sent; requests are form-encoded POSTs.
//! - Actions: [`Client::services`] → `Vec<`[`Service`]`>`, [`Client::balance`] → [`Balance`],
//!   [`Client::add`] (an [`OrderRequest`] built from [`OrderDetails`], one variant per
//!   [`ServiceType`], validated before sending) → [`PlacedOrder`], [`Client::status`] →
//!   [`OrderState`] / [`Client::statuses`], [`Client::refill`] → [`RefillAccepted`] /
//!   [`Client::refills`], [`Client::refill_status`] → [`RefillState`] /
//!   [`Client::refill_statuses`], [`Client::cancel`] → [`CancelAccepted`]. Multi calls
//!   de-duplicate ids, send at most [`MAX_IDS_PER_CALL`] per call and merge the results into a
//!   [`BatchResult`] keyed by id, where each id has its own `Result<_, `[`ItemError`]`>`
//!   (`NotReturned` when the provider skipped it, `Call` when only its chunk failed). When every
//!   chunk fails the call returns the first error.
//! - Errors: [`PanelError`], classified by [`PanelError::delivery`] into [`Delivery::NeverSent`]
//!   (safe to resend), [`Delivery::Rejected`] (the provider refused; nothing placed) and
//!   [`Delivery::MaybeSent`] (timeout after sending, reset, 5xx, non-JSON, empty: never resend an
//!   `add`). Provider messages map to a typed [`ProviderReason`] (plain and key forms, with the
//!   min/max numbers), and [`PanelError::code`] gives a stable code.
//! - Retries: reads and `cancel` are retried (exponential backoff with full jitter, bounded,
//!   honouring `Retry-After` up to [`RetryPolicy::max_retry_after`]); `add` and `refill` only
//!   when the request provably never left.
//! - Decoding: [`decode`] holds the tolerant, panic-free reply decoders (ids → `String`, money
//!   → exact `Decimal`, counts → `Option<u64>`, flags from bools or 0/1, statuses normalized
//!   with the raw text kept: [`OrderStatus`], [`RefillStatus`]).
//! - [`estimate_cost`]: the cost rule shared by the engine and the simulator.
//! - The API key never appears in `Debug`, `Display`, errors or logs ([`ApiKey`] is redacting;
//!   reply snippets are scrubbed of it).
//!
//! ```no_run
//! # async fn demo() -> Result<(), smm_panel::PanelError> {
//! use smm_panel::{ApiKey, Client, Delivery, OrderRequest, ProviderConfig};
//!
//! let client = Client::new(ProviderConfig::new(
//!     "https://justanotherpanel.com/api/v2",
//!     ApiKey::new("secret"),
//! ))?;
//! let order = OrderRequest::default_type("1", "https://instagram.com/p/abc", 100)?;
//! match client.add(&order).await {
//!     Ok(placed) => println!("order {}", placed.id),
//!     Err(e) if e.delivery() == Delivery::MaybeSent => println!("unknown: {e}"),
//!     Err(e) => println!("not placed: {e}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # Simulator
//!
//! With the default `sim` feature, [`sim::Simulator::start`] runs a panel on 127.0.0.1 (random
//! port) inside the current tokio runtime and returns a [`sim::SimHandle`]: its URL and key,
//! request [`sim::Counters`] and log ([`sim::SimRequest`]), fault injection per action
//! ([`sim::Fault`]), wire quirks ([`sim::Dialect`]), a controllable clock
//! ([`sim::SimHandle::advance`], or a time scale), the balance, the orders, and catalog
//! mutation ([`sim::SimHandle::upsert_service`], [`sim::SimHandle::remove_service`]).
//! [`sim::generate_catalog`] and [`sim::services_body`] build catalogs without a server. The
//! `demo_panel` example runs one standalone.

mod action;
mod client;
mod config;
pub mod decode;
mod error;
mod key;
mod loose;
mod order;
mod order_form;
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
pub use order_form::{
    check_link, field_kinds, form_rules, order_forms, quantity_from, BuiltOrder, FieldKind,
    FieldRule, OrderField, OrderFields, OrderForm, OrderFormError, ServiceLimits, MAX_LINK_BYTES,
    MAX_LIST_ENTRIES,
};
pub use reason::ProviderReason;
pub use service::{estimate_cost, Service, ServiceType};
pub use status::{
    Balance, CancelAccepted, OrderState, OrderStatus, PlacedOrder, RefillAccepted, RefillState,
    RefillStatus,
};

/// The protocol name this crate speaks.
pub const PROTOCOL: &str = "SMM API v2";
