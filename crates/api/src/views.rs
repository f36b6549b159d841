//! What the routes answer: camelCase JSON with the original system's field names, money as
//! exact decimal strings, times as RFC 3339. Never a key: a provider shows only its hint.

use serde::Serialize;
use smm_engine::alerts::Alert;
use smm_engine::{CatalogService, Order, OrderEvent, Provider};
use utoipa::ToSchema;

/// `snake_case` → `camelCase` (field names in errors).
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn text(t: jiff::Timestamp) -> String {
    t.to_string()
}

/// A provider (never its key).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderView {
    /// Local id.
    pub id: i64,
    /// Unique slug.
    pub name: String,
    /// The name shown to people.
    pub display_name: String,
    /// The API v2 endpoint.
    pub api_url: String,
    /// `••••` and the key's last 4 characters.
    pub key_hint: String,
    /// Whether syncs and orders use it.
    pub active: bool,
    /// Higher first.
    pub priority: i64,
    /// The last known balance (decimal string).
    pub balance: Option<String>,
    /// The account currency.
    pub currency: Option<String>,
    /// When the balance was checked.
    pub balance_checked_at: Option<String>,
    /// `ok`, or `failing` when the last test or sync failed.
    pub health: String,
    /// The last failed test or sync.
    pub last_error: Option<String>,
    /// Replies that carried PHP notices before their JSON.
    pub noisy_replies: u64,
    /// A demo (simulator) provider.
    pub is_demo: bool,
    /// When the catalog was last synced.
    pub catalog_synced_at: Option<String>,
}

impl From<Provider> for ProviderView {
    fn from(p: Provider) -> Self {
        ProviderView {
            id: p.id,
            name: p.name,
            display_name: p.display_name,
            api_url: p.api_url,
            key_hint: p.key_hint,
            active: p.active,
            priority: p.priority,
            balance: p.last_balance.map(|b| b.normalize().to_string()),
            currency: p.currency,
            balance_checked_at: p.balance_checked_at.map(text),
            health: if p.last_error.is_some() {
                "failing"
            } else {
                "ok"
            }
            .into(),
            last_error: p.last_error,
            noisy_replies: p.noisy_replies,
            is_demo: p.is_demo,
            catalog_synced_at: p.catalog_synced_at.map(text),
        }
    }
}

/// One catalog service.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    /// Local catalog id.
    pub id: i64,
    /// The provider's service id (what orders name).
    pub service_id: String,
    /// The provider's name.
    pub provider: String,
    /// The service name as the provider wrote it.
    pub name: String,
    /// The API v2 type (`Default`, `Custom Comments`…).
    #[serde(rename = "type")]
    pub service_type: String,
    /// The category.
    pub category: String,
    /// Price per 1000 (decimal string).
    pub rate: String,
    /// The account currency.
    pub currency: Option<String>,
    /// Smallest quantity.
    pub min: u64,
    /// Largest quantity.
    pub max: u64,
    /// Refill offered.
    pub refill: bool,
    /// Cancel offered.
    pub cancel: bool,
    /// Drip-feed offered.
    pub dripfeed: bool,
    /// The platform detected from the name.
    pub platform: String,
    /// Gone upstream (still listed when asked for).
    pub removed: bool,
}

impl From<CatalogService> for ServiceView {
    fn from(s: CatalogService) -> Self {
        ServiceView {
            id: s.id,
            service_id: s.service_id,
            provider: s.provider,
            name: s.name,
            service_type: s.service_type,
            category: s.category,
            rate: s.rate.normalize().to_string(),
            currency: s.currency,
            min: s.min,
            max: s.max,
            refill: s.refill,
            cancel: s.cancel,
            dripfeed: s.dripfeed,
            platform: s.platform.label().into(),
            removed: s.removed_at.is_some(),
        }
    }
}

/// An order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    /// Local id.
    pub id: i64,
    /// Where it stands: `pending`, `in_progress`, `completed`, `partial`, `canceled`,
    /// `unknown` (the outcome must be resolved: never resend), …
    pub status: String,
    /// The original system's spelling of the status (`Pending`, `In progress`…).
    pub status_label: String,
    /// The provider's local id.
    pub provider_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service name when ordered.
    pub service_name: String,
    /// The service type when ordered.
    pub service_type: String,
    /// Target link.
    pub link: Option<String>,
    /// Units.
    pub quantity: Option<u64>,
    /// The type's other fields as sent (comments, usernames, runs…).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// Estimated cost (decimal string).
    pub estimated_cost: String,
    /// What the provider charged (decimal string).
    pub charge: Option<String>,
    /// The account currency.
    pub currency: Option<String>,
    /// The customer it was sold to, when any.
    pub customer: Option<String>,
    /// What the customer pays (decimal string); `null` when not sold.
    pub sale_price: Option<String>,
    /// What the customer is billed once the outcome is settled (a partial order: what was
    /// delivered; canceled: 0), decimal string.
    pub billed: Option<String>,
    /// The provider's real charge for a settled sold order, decimal string.
    pub cost: Option<String>,
    /// `billed − cost`, decimal string.
    pub profit: Option<String>,
    /// The counter before delivery.
    pub start_count: Option<u64>,
    /// Units not delivered.
    pub remains: Option<u64>,
    /// The provider's order id.
    pub external_id: Option<String>,
    /// The idempotency key: the same key always means this order.
    pub idempotency_key: String,
    /// The last error (never a key).
    pub last_error: Option<String>,
    /// When journaled.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    /// When it finished.
    pub finished_at: Option<String>,
}

/// The original system's spelling of a status.
pub fn status_label(status: smm_engine::OrderStatus) -> &'static str {
    use smm_engine::OrderStatus as S;
    match status {
        S::Submitting => "Submitting",
        S::Unknown => "Unknown",
        S::NotSent => "Not sent",
        S::Rejected => "Rejected",
        S::NotPlaced => "Not placed",
        S::Pending => "Pending",
        S::Processing => "Processing",
        S::InProgress => "In progress",
        S::Active => "Active",
        S::Completed => "Completed",
        S::Partial => "Partial",
        S::Canceled => "Canceled",
        S::Refunded => "Refunded",
    }
}

impl From<Order> for OrderView {
    fn from(o: Order) -> Self {
        OrderView {
            id: o.id,
            status: o.status.as_str().into(),
            status_label: status_label(o.status).into(),
            provider_id: o.provider_id,
            provider: o.provider,
            service_id: o.service_id,
            service_name: o.service_name,
            service_type: o.service_type,
            link: o.link,
            quantity: o.quantity,
            params: o.params,
            estimated_cost: o.estimated_cost.normalize().to_string(),
            charge: o.charge.map(|c| c.normalize().to_string()),
            currency: o.currency,
            customer: o.customer,
            sale_price: o.sale_price.map(|p| p.normalize().to_string()),
            billed: o.settlement.map(|s| s.billed.to_string()),
            cost: o.settlement.map(|s| s.cost.to_string()),
            profit: o.settlement.map(|s| s.profit.to_string()),
            start_count: o.start_count,
            remains: o.remains,
            external_id: o.external_id,
            idempotency_key: o.idempotency_key,
            last_error: o.last_error,
            created_at: text(o.created_at),
            updated_at: text(o.updated_at),
            finished_at: o.finished_at.map(text),
        }
    }
}

/// The answer to placing an order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlacedView {
    /// The order.
    pub order: OrderView,
    /// Whether this request sent the `add` (false: the `Idempotency-Key` already named this
    /// order; nothing new was sent).
    pub sent: bool,
    /// `placed`, `rejected`, `not_sent` or `unknown` (202: the provider may have taken it;
    /// resolve it, never resend).
    pub state: String,
    /// What to do next, for `unknown` and `not_sent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// For an order placed through an offer group (`group`): every attempt and what was
    /// passed over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteView>,
}

/// How a routed order went: its attempts, one member after another.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    /// The offer group.
    pub group: String,
    /// Every attempt, first first; the last one is `order`.
    pub attempts: Vec<RouteAttemptView>,
    /// The members passed over, and why.
    pub skipped: Vec<MemberSkipView>,
    /// The members not tried (for an unknown order: where it could still go once it is
    /// resolved as not placed).
    pub remaining: Vec<MemberView>,
}

/// One attempt of a routed order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteAttemptView {
    /// 1-based.
    pub attempt: u32,
    /// The order (GET /api/smm/orders/{id}).
    pub order_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The engine's status (`rejected`, `not_sent`, `pending`, `unknown`…).
    pub status: String,
    /// Why the provider refused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
}

/// A member passed over.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberSkipView {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The error code (`provider.inactive`, `order.insufficient_balance`…).
    pub code: String,
    /// Why, in English.
    pub message: String,
}

/// A group member: one provider's service.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
}

impl From<&smm_engine::routing::RoutedPlacement> for RouteView {
    fn from(p: &smm_engine::routing::RoutedPlacement) -> Self {
        RouteView {
            group: p.group.clone(),
            attempts: p
                .attempts
                .iter()
                .map(|a| RouteAttemptView {
                    attempt: a.attempt,
                    order_id: a.order_id,
                    provider: a.provider.clone(),
                    service_id: a.service_id.clone(),
                    status: a.status.to_string(),
                    reject_reason: a.reject_reason.clone(),
                })
                .collect(),
            skipped: p
                .skipped
                .iter()
                .map(|s| MemberSkipView {
                    provider: s.provider.clone(),
                    service_id: s.service_id.clone(),
                    code: s.code.clone(),
                    message: s.message.clone(),
                })
                .collect(),
            remaining: p
                .remaining
                .iter()
                .map(|m| MemberView {
                    provider: m.provider.clone(),
                    service_id: m.service_id.clone(),
                })
                .collect(),
        }
    }
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    /// When.
    pub at: String,
    /// What (`created`, `accepted`, `status`, `refill_requested`…).
    pub kind: String,
    /// The status after it.
    pub status: Option<String>,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<OrderEvent> for EventView {
    fn from(e: OrderEvent) -> Self {
        EventView {
            at: text(e.at),
            kind: e.kind,
            status: e.status,
            detail: e.detail,
        }
    }
}

/// One order with its timeline, refills and cancel requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetailView {
    /// The order.
    pub order: OrderView,
    /// Its timeline, oldest first.
    pub timeline: Vec<EventView>,
    /// Its refills.
    #[schema(value_type = Vec<Object>)]
    pub refills: Vec<serde_json::Value>,
    /// Its cancel requests.
    #[schema(value_type = Vec<Object>)]
    pub cancels: Vec<serde_json::Value>,
}

/// A page of orders.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderListView {
    /// The orders, newest first.
    pub orders: Vec<OrderView>,
    /// The page asked for (1 when the cursor was used).
    pub page: u32,
    /// The page size.
    pub limit: u32,
    /// Orders matching the filters.
    pub total: u64,
    /// Pass as `after` for the next page (keyset: fast at any depth).
    pub next: Option<String>,
}

/// A page of services.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceListView {
    /// The services.
    pub services: Vec<ServiceView>,
    /// The page.
    pub page: u32,
    /// The page size.
    pub limit: u32,
    /// Services matching the filters.
    pub total: u64,
}

/// What a catalog sync changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    /// The diff (added, changed, removed, unchanged counts…).
    #[schema(value_type = Object)]
    pub diff: serde_json::Value,
}

/// A provider's balance with its history.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceView {
    /// The provider's name.
    pub provider: String,
    /// The last known balance (decimal string).
    pub balance: Option<String>,
    /// The balance less the estimated cost of orders not charged yet.
    pub available: Option<String>,
    /// The account currency.
    pub currency: Option<String>,
    /// When checked.
    pub checked_at: Option<String>,
    /// Recent readings, newest first.
    pub history: Vec<BalancePoint>,
}

/// One balance reading.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalancePoint {
    /// The amount (decimal string).
    pub amount: String,
    /// The currency.
    pub currency: String,
    /// When.
    pub at: String,
}

/// Liveness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthView {
    /// `ok`.
    pub status: String,
    /// The SMM Desk version.
    pub version: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn camel_case() {
        assert_eq!(super::camel("service_id"), "serviceId");
        assert_eq!(super::camel("limit"), "limit");
    }
}

/// An alert (low balance, order finished or stuck, provider failing, key refused, service
/// changed or removed).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    /// The alert's id.
    pub id: i64,
    /// `low_balance`, `order_finished`, `order_stuck`, `provider_failing`, `key_rejected`,
    /// `service_changed` or `service_removed`.
    pub kind: String,
    /// The provider's name, when it concerns one.
    pub provider: Option<String>,
    /// The order's local id, when it concerns one.
    pub order_id: Option<i64>,
    /// Details (amounts as decimal strings).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// An English one-liner.
    pub message: String,
    /// When it was raised.
    pub created_at: String,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        AlertView {
            id: a.id,
            kind: serde_json::to_value(a.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            provider: a.provider,
            order_id: a.order_id,
            params: a.params,
            message: a.message,
            created_at: text(a.created_at),
        }
    }
}
