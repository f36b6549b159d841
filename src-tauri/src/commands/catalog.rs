//! Catalog commands: sync, search, changes, categories and the cross-provider comparison.

use serde::{Deserialize, Serialize};
use smm_engine::catalog::{
    CatalogChange, ChangeKind, ChangeQuery, OfferGroup, OfferQuery, ServiceSort,
};
use smm_engine::{CatalogDiff, CatalogService, Platform, ServiceQuery};
use tauri::State;

use super::{blocking, money, parse_money, time};
use crate::error::IpcError;
use crate::AppState;

/// What a catalog sync found.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DiffView {
    /// The provider's name.
    pub provider: String,
    /// Services in the provider's catalog now.
    #[specta(type = u32)]
    pub total: u64,
    /// New services.
    #[specta(type = u32)]
    pub added: u64,
    /// Services gone upstream.
    #[specta(type = u32)]
    pub removed: u64,
    /// Services back after being gone.
    #[specta(type = u32)]
    pub restored: u64,
    /// Rate, min or max changed.
    #[specta(type = u32)]
    pub price_changed: u64,
    /// Name, category or flags changed.
    #[specta(type = u32)]
    pub details_changed: u64,
    /// Unchanged.
    #[specta(type = u32)]
    pub unchanged: u64,
}

impl From<&CatalogDiff> for DiffView {
    fn from(d: &CatalogDiff) -> Self {
        Self {
            provider: d.provider.clone(),
            total: d.total,
            added: d.added,
            removed: d.removed,
            restored: d.restored,
            price_changed: d.price_changed,
            details_changed: d.details_changed,
            unchanged: d.unchanged,
        }
    }
}

/// A catalog service as the UI shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    /// Local id (orders point at it).
    #[specta(type = u32)]
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// Name as the provider writes it.
    pub name: String,
    /// Type (`Default`, `Custom Comments`, …).
    pub service_type: String,
    /// Category as the provider writes it.
    pub category: String,
    /// Price per 1000 (a decimal string).
    pub rate: String,
    /// The provider's currency, when known.
    pub currency: Option<String>,
    /// Smallest quantity.
    #[specta(type = u32)]
    pub min: u64,
    /// Largest quantity.
    #[specta(type = u32)]
    pub max: u64,
    /// Refill available.
    pub refill: bool,
    /// Cancel available.
    pub cancel: bool,
    /// Drip-feed available.
    pub dripfeed: bool,
    /// The provider's description.
    pub description: Option<String>,
    /// Derived platform (`instagram`, …).
    pub platform: String,
    /// Derived kind (`followers`, …).
    pub kind: String,
    /// First seen (RFC 3339).
    pub first_seen: String,
}

impl From<CatalogService> for ServiceView {
    fn from(s: CatalogService) -> Self {
        Self {
            id: s.id,
            provider: s.provider,
            service_id: s.service_id,
            name: s.name,
            service_type: s.service_type,
            category: s.category,
            rate: money(s.rate),
            currency: s.currency,
            min: s.min,
            max: s.max,
            refill: s.refill,
            cancel: s.cancel,
            dripfeed: s.dripfeed,
            description: s.description,
            platform: s.platform.as_str().into(),
            kind: s.kind,
            first_seen: time(s.first_seen),
        }
    }
}

/// A catalog search; empty strings and nulls mean "any".
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceFilter {
    /// Only this provider.
    pub provider: Option<String>,
    /// Text in the service id, name or category.
    pub search: Option<String>,
    /// Exactly this category.
    pub category: Option<String>,
    /// Exactly this type.
    pub service_type: Option<String>,
    /// Only this platform.
    pub platform: Option<String>,
    /// Refill available.
    pub refill: Option<bool>,
    /// Cancel available.
    pub cancel: Option<bool>,
    /// Drip-feed available.
    pub dripfeed: Option<bool>,
    /// Rate per 1000 at least (a decimal string).
    pub min_rate: Option<String>,
    /// Rate per 1000 at most (a decimal string).
    pub max_rate: Option<String>,
    /// `price_asc` (default), `price_desc` or `provider`.
    pub sort: Option<String>,
    /// Page size (at most 1000).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: u32,
}

fn some(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

impl ServiceFilter {
    fn into_query(self) -> Result<ServiceQuery, IpcError> {
        let platform =
            match some(self.platform) {
                None => None,
                Some(p) => Some(Platform::parse(&p).ok_or_else(|| {
                    IpcError::input("platform", format!("unknown platform {p:?}"))
                })?),
            };
        Ok(ServiceQuery {
            provider: some(self.provider),
            search: some(self.search),
            category: some(self.category),
            service_type: some(self.service_type),
            platform,
            refill: self.refill,
            cancel: self.cancel,
            dripfeed: self.dripfeed,
            min_rate: some(self.min_rate)
                .map(|r| parse_money("minRate", &r))
                .transpose()?,
            max_rate: some(self.max_rate)
                .map(|r| parse_money("maxRate", &r))
                .transpose()?,
            include_removed: false,
            sort: match self.sort.as_deref() {
                Some("price_desc") => ServiceSort::PriceDesc,
                Some("provider") => ServiceSort::Provider,
                _ => ServiceSort::PriceAsc,
            },
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// One page of a catalog search.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePageView {
    /// Matching services in all pages.
    #[specta(type = u32)]
    pub total: u64,
    /// This page.
    pub services: Vec<ServiceView>,
    /// The selling rate of each service of the page, from the price list.
    pub prices: Vec<SaleRateView>,
}

/// A service's cost, selling rate and margin from the price list.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SaleRateView {
    /// The service's local id.
    #[specta(type = u32)]
    pub service: i64,
    /// The provider's rate per 1000 (a decimal string).
    pub cost_rate: String,
    /// The selling rate per 1000.
    pub sale_rate: String,
    /// `(sale − cost) ÷ sale` in percent (2 places); `null` for a free sale.
    pub margin_percent: Option<String>,
    /// The selling rate is the service's manual price.
    pub manual: bool,
    /// No rule applies (the selling rate is the cost).
    pub unpriced: bool,
}

impl From<smm_engine::pricing::SaleRate> for SaleRateView {
    fn from(r: smm_engine::pricing::SaleRate) -> Self {
        Self {
            service: r.service,
            cost_rate: money(r.cost_rate),
            sale_rate: money(r.sale_rate),
            margin_percent: r.margin_percent.map(money),
            manual: r.manual,
            unpriced: r.unpriced,
        }
    }
}

/// A recent catalog change, for the "new" and "price changed" badges.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    /// The service's local id.
    #[specta(type = u32)]
    pub service_ref: i64,
    /// `added`, `removed` or `price`.
    pub change: String,
    /// When it was seen (RFC 3339).
    pub at: String,
    /// The rate before a price change (a decimal string).
    pub old_rate: Option<String>,
    /// The rate after a price change.
    pub new_rate: Option<String>,
}

impl From<CatalogChange> for ChangeView {
    fn from(c: CatalogChange) -> Self {
        let (change, old_rate, new_rate) = match c.kind {
            ChangeKind::Added => ("added", None, None),
            ChangeKind::Removed => ("removed", None, None),
            ChangeKind::Price {
                old_rate, new_rate, ..
            } => ("price", Some(money(old_rate)), Some(money(new_rate))),
        };
        Self {
            service_ref: c.service_ref,
            change: change.into(),
            at: time(c.at),
            old_rate,
            new_rate,
        }
    }
}

/// A category and how many live services it has.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    /// The category as the provider writes it.
    pub category: String,
    /// Live services in it.
    #[specta(type = u32)]
    pub services: u64,
}

/// One provider's service in an offer group.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OfferView {
    /// The service's local id.
    #[specta(type = u32)]
    pub service_ref: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The name as this provider writes it.
    pub name: String,
    /// Price per 1000 (a decimal string).
    pub rate: String,
    /// The provider's currency.
    pub currency: Option<String>,
    /// Smallest quantity.
    #[specta(type = u32)]
    pub min: u64,
    /// Largest quantity.
    #[specta(type = u32)]
    pub max: u64,
    /// The cheapest of its group (per currency).
    pub cheapest: bool,
}

/// The same offer on several providers, cheapest first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OfferGroupView {
    /// The grouping key.
    pub key: String,
    /// Platform.
    pub platform: String,
    /// Kind.
    pub kind: String,
    /// The offers.
    pub offers: Vec<OfferView>,
}

impl From<OfferGroup> for OfferGroupView {
    fn from(g: OfferGroup) -> Self {
        Self {
            key: g.key,
            platform: g.platform.as_str().into(),
            kind: g.kind,
            offers: g
                .offers
                .into_iter()
                .map(|o| OfferView {
                    service_ref: o.service_ref,
                    provider: o.provider,
                    service_id: o.service_id,
                    name: o.name,
                    rate: money(o.rate),
                    currency: o.currency,
                    min: o.min,
                    max: o.max,
                    cheapest: o.cheapest,
                })
                .collect(),
        }
    }
}

/// "Sync now": fetches a provider's catalog and stores the diff.
#[tauri::command]
#[specta::specta]
pub async fn sync_catalog(state: State<'_, AppState>, name: String) -> Result<DiffView, IpcError> {
    let diff = state.engine()?.sync_catalog(&name).await?;
    Ok(DiffView::from(&diff))
}

/// Searches the catalog (one page).
#[tauri::command]
#[specta::specta]
pub async fn list_services(
    state: State<'_, AppState>,
    filter: ServiceFilter,
) -> Result<ServicePageView, IpcError> {
    let q = filter.into_query()?;
    let engine = state.engine()?;
    let (page, prices) = blocking(move || {
        let page = engine.list_services(&q)?;
        let prices = engine.sale_rates(&page.services)?;
        Ok((page, prices))
    })
    .await?;
    Ok(ServicePageView {
        total: page.total,
        services: page.services.into_iter().map(ServiceView::from).collect(),
        prices: prices.into_iter().map(SaleRateView::from).collect(),
    })
}

/// One service by its local id.
#[tauri::command]
#[specta::specta]
pub async fn get_service(state: State<'_, AppState>, id: i32) -> Result<ServiceView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.service(id.into())?))
        .await?
        .into())
}

/// The latest catalog changes (newest first, at most 1000).
#[tauri::command]
#[specta::specta]
pub async fn catalog_changes(state: State<'_, AppState>) -> Result<Vec<ChangeView>, IpcError> {
    let engine = state.engine()?;
    let changes = blocking(move || {
        Ok(engine.catalog_changes(&ChangeQuery {
            limit: Some(1000),
            ..ChangeQuery::default()
        })?)
    })
    .await?;
    Ok(changes.into_iter().map(ChangeView::from).collect())
}

/// The categories (of one provider, or all) with their service counts.
#[tauri::command]
#[specta::specta]
pub async fn catalog_categories(
    state: State<'_, AppState>,
    provider: Option<String>,
) -> Result<Vec<CategoryView>, IpcError> {
    let engine = state.engine()?;
    let cats = blocking(move || Ok(engine.catalog_categories(provider.as_deref())?)).await?;
    Ok(cats
        .into_iter()
        .map(|c| CategoryView {
            category: c.category,
            services: c.services,
        })
        .collect())
}

/// The same offer compared across providers, the cheapest marked.
#[tauri::command]
#[specta::specta]
pub async fn compare_offers(
    state: State<'_, AppState>,
    search: Option<String>,
    platform: Option<String>,
) -> Result<Vec<OfferGroupView>, IpcError> {
    let q = OfferQuery {
        platform: some(platform).as_deref().and_then(Platform::parse),
        kind: None,
        search: some(search),
        limit: Some(100),
    };
    let engine = state.engine()?;
    let groups = blocking(move || Ok(engine.compare_offers(&q)?)).await?;
    Ok(groups.into_iter().map(OfferGroupView::from).collect())
}
