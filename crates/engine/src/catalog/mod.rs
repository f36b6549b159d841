//! The catalog: every provider's services in one store, synced and diffed, searchable, and
//! compared across providers.

mod compare;
pub mod platform;
mod query;
mod sync;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;

pub use compare::{Offer, OfferGroup, OfferQuery};
pub use platform::Platform;
pub use query::{
    CatalogChange, CategoryCount, ChangeKind, ChangeQuery, ServicePage, ServiceQuery, ServiceSort,
};
pub use sync::{CatalogDiff, SyncOutcome};

/// A catalog item as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogService {
    /// Local id (orders point at it).
    pub id: i64,
    /// The provider's local id.
    pub provider_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id (what is sent in `add`).
    pub service_id: String,
    /// Name as the provider writes it.
    pub name: String,
    /// Type as the provider writes it (`Default`, `Custom Comments`, …).
    pub service_type: String,
    /// Category as the provider writes it.
    pub category: String,
    /// Price per 1000, in the provider's currency.
    pub rate: Decimal,
    /// The provider's account currency, when known.
    pub currency: Option<String>,
    /// Smallest quantity.
    pub min: u64,
    /// Largest quantity.
    pub max: u64,
    /// Refill available.
    pub refill: bool,
    /// Cancel available.
    pub cancel: bool,
    /// Drip-feed available.
    pub dripfeed: bool,
    /// The provider's description.
    pub description: Option<String>,
    /// Derived platform.
    pub platform: Platform,
    /// Derived kind (followers, likes, views, …).
    pub kind: String,
    /// First seen in a sync.
    pub first_seen: Timestamp,
    /// Last seen: the provider's last sync for live services.
    pub last_seen: Timestamp,
    /// When it disappeared upstream (kept for old orders).
    pub removed_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests;
