//! Routing commands (issue #16): offer groups (list, add, remove, suggestions from the
//! catalog's compare) and routed orders (preview, place one, place a mass order), each placed
//! at the best member of a group with failover only when the attempt was certainly not placed.

use serde::Serialize;
use smm_engine::catalog::OfferQuery;
use smm_engine::routing::{
    GroupSuggestion, MemberSkip, NewRouteGroup, RouteAttempt, RouteGroup, RouteMember,
    RoutePreview, RouteRule, RoutedLineResult, RoutedMassOrder, RoutedMassReport, RoutedPlacement,
};
use smm_engine::{NewOrder, OrderStatus, Platform};
use tauri::ipc::Channel;
use tauri::State;

use super::catalog::OfferView;
use super::orders::{LineErrorView, OrderView};
use super::{blocking, money, parse_money, time};
use crate::error::IpcError;
use crate::AppState;

/// One member of a saved offer group, with its service as the catalog has it now.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RouteMemberView {
    /// 1-based place in the user's order.
    pub position: u32,
    /// The provider's name.
    pub provider: String,
    /// The provider is enabled.
    pub provider_active: bool,
    /// The provider's currency.
    pub currency: Option<String>,
    /// The provider's service id.
    pub service_id: String,
    /// The service name (`null`: no longer offered).
    pub service_name: Option<String>,
    /// The service type.
    pub service_type: Option<String>,
    /// Price per 1000 (a decimal string).
    pub rate: Option<String>,
    /// Smallest quantity.
    #[specta(type = Option<u32>)]
    pub min: Option<u64>,
    /// Largest quantity.
    #[specta(type = Option<u32>)]
    pub max: Option<u64>,
}

impl From<RouteMember> for RouteMemberView {
    fn from(m: RouteMember) -> Self {
        Self {
            position: m.position,
            provider: m.provider,
            provider_active: m.provider_active,
            currency: m.currency,
            service_id: m.service_id,
            service_name: m.service_name,
            service_type: m.service_type,
            rate: m.rate.map(money),
            min: m.min,
            max: m.max,
        }
    }
}

/// A saved offer group.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RouteGroupView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Cheapest or preference.
    pub rule: RouteRule,
    /// The members, in the user's order.
    pub members: Vec<RouteMemberView>,
    /// When saved (RFC 3339).
    pub created_at: String,
}

impl From<RouteGroup> for RouteGroupView {
    fn from(g: RouteGroup) -> Self {
        Self {
            id: g.id,
            name: g.name,
            rule: g.rule,
            members: g.members.into_iter().map(RouteMemberView::from).collect(),
            created_at: time(g.created_at),
        }
    }
}

/// A group the catalog suggests: the same offer on several providers, cheapest first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupSuggestionView {
    /// A name for it (the cheapest offer's).
    pub name: String,
    /// Platform.
    pub platform: String,
    /// Kind.
    pub kind: String,
    /// The members to save, cheapest first.
    pub members: Vec<OfferView>,
    /// The saved group with exactly these members, if any.
    pub saved_as: Option<String>,
}

impl From<GroupSuggestion> for GroupSuggestionView {
    fn from(s: GroupSuggestion) -> Self {
        Self {
            name: s.name,
            platform: s.platform.as_str().into(),
            kind: s.kind,
            members: s
                .members
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
            saved_as: s.saved_as,
        }
    }
}

/// A member passed over, and why.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberSkipView {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// A stable code (`provider.inactive`, `order.insufficient_balance`…).
    pub code: String,
    /// Why, in English (the UI words it from `code`).
    pub message: String,
}

impl From<MemberSkip> for MemberSkipView {
    fn from(s: MemberSkip) -> Self {
        Self {
            provider: s.provider,
            service_id: s.service_id,
            code: s.code,
            message: s.message,
        }
    }
}

/// A member that can take the order, in the order it would be tried.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RouteChoiceView {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// Estimated cost there (a decimal string).
    pub estimated_cost: String,
    /// The provider's currency.
    pub currency: Option<String>,
}

/// Where a routed order would go now and the members passed over.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoutePreviewView {
    /// The group.
    pub group: String,
    /// Its rule.
    pub rule: RouteRule,
    /// The members that can take it, best first (the first is where it goes).
    pub candidates: Vec<RouteChoiceView>,
    /// The members that cannot, and why.
    pub skipped: Vec<MemberSkipView>,
}

impl From<RoutePreview> for RoutePreviewView {
    fn from(p: RoutePreview) -> Self {
        Self {
            group: p.group,
            rule: p.rule,
            candidates: p
                .candidates
                .into_iter()
                .map(|c| RouteChoiceView {
                    provider: c.provider,
                    service_id: c.service_id,
                    estimated_cost: money(c.estimated_cost),
                    currency: c.currency,
                })
                .collect(),
            skipped: p.skipped.into_iter().map(MemberSkipView::from).collect(),
        }
    }
}

/// One attempt of a routed order: an order at one member.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RouteAttemptView {
    /// 1-based attempt number.
    pub attempt: u32,
    /// The order (local id).
    #[specta(type = u32)]
    pub order_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// Where that order stands.
    pub status: OrderStatus,
    /// The typed reason when the provider refused it.
    pub reject_reason: Option<String>,
    /// Estimated cost (a decimal string).
    pub estimated_cost: String,
}

impl From<RouteAttempt> for RouteAttemptView {
    fn from(a: RouteAttempt) -> Self {
        Self {
            attempt: a.attempt,
            order_id: a.order_id,
            provider: a.provider,
            service_id: a.service_id,
            status: a.status,
            reject_reason: a.reject_reason,
            estimated_cost: money(a.estimated_cost),
        }
    }
}

/// One member by name (provider and service id).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberRefView {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
}

/// What a routed order did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoutedPlacementView {
    /// The routed request's idempotency key.
    pub route_key: String,
    /// The offer group.
    pub group: String,
    /// The last attempt (accepted, unknown, or refused when every member refused).
    pub order: OrderView,
    /// Every attempt, first first.
    pub attempts: Vec<RouteAttemptView>,
    /// The members passed over, and why.
    pub skipped: Vec<MemberSkipView>,
    /// The members not tried (where an `unknown` order could still go once resolved).
    pub remaining: Vec<MemberRefView>,
    /// Whether this call sent anything (false: the key already named this route).
    pub sent: bool,
}

impl From<RoutedPlacement> for RoutedPlacementView {
    fn from(p: RoutedPlacement) -> Self {
        Self {
            route_key: p.route_key,
            group: p.group,
            order: p.order.into(),
            attempts: p.attempts.into_iter().map(RouteAttemptView::from).collect(),
            skipped: p.skipped.into_iter().map(MemberSkipView::from).collect(),
            remaining: p
                .remaining
                .into_iter()
                .map(|m| MemberRefView {
                    provider: m.provider,
                    service_id: m.service_id,
                })
                .collect(),
            sent: p.sent,
        }
    }
}

/// One line of a routed mass order.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoutedLineView {
    /// 1-based line number.
    #[specta(type = u32)]
    pub line: usize,
    /// What the line's routed order did, when it was routed.
    pub placement: Option<RoutedPlacementView>,
    /// The error code when the line failed before an order existed.
    pub error_code: Option<String>,
}

impl From<RoutedLineResult> for RoutedLineView {
    fn from(r: RoutedLineResult) -> Self {
        Self {
            line: r.line,
            placement: r.placement.map(RoutedPlacementView::from),
            error_code: r.error.map(|e| e.code.to_string()),
        }
    }
}

/// What a routed mass order did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoutedMassReportView {
    /// The batch's key.
    pub batch_key: String,
    /// The offer group.
    pub group: String,
    /// Per line, in line order.
    pub results: Vec<RoutedLineView>,
    /// Invalid lines that were skipped.
    pub skipped: Vec<LineErrorView>,
    /// Lines accepted.
    #[specta(type = u32)]
    pub accepted: usize,
    /// Lines refused at every member or failed before sending.
    #[specta(type = u32)]
    pub failed: usize,
    /// Lines whose outcome is unknown.
    #[specta(type = u32)]
    pub unknown: usize,
    /// Lines an earlier run of the same batch placed.
    #[specta(type = u32)]
    pub already_placed: usize,
}

impl From<RoutedMassReport> for RoutedMassReportView {
    fn from(r: RoutedMassReport) -> Self {
        Self {
            batch_key: r.batch_key,
            group: r.group,
            results: r.results.into_iter().map(RoutedLineView::from).collect(),
            skipped: r.skipped.into_iter().map(LineErrorView::from).collect(),
            accepted: r.accepted,
            failed: r.failed,
            unknown: r.unknown,
            already_placed: r.already_placed,
        }
    }
}

/// The saved offer groups, by name.
#[tauri::command]
#[specta::specta]
pub async fn list_offer_groups(
    state: State<'_, AppState>,
) -> Result<Vec<RouteGroupView>, IpcError> {
    let engine = state.engine()?;
    let list = blocking(move || Ok(engine.offer_groups()?)).await?;
    Ok(list.into_iter().map(RouteGroupView::from).collect())
}

/// Saves an offer group; bad input is an `offer_group.*` error on `name` or `members`.
#[tauri::command]
#[specta::specta]
pub async fn add_offer_group(
    state: State<'_, AppState>,
    group: NewRouteGroup,
) -> Result<RouteGroupView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.add_offer_group(group)?))
        .await?
        .into())
}

/// Removes an offer group (its orders stay).
#[tauri::command]
#[specta::specta]
pub async fn remove_offer_group(
    state: State<'_, AppState>,
    name: String,
) -> Result<RouteGroupView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.remove_offer_group(&name)?))
        .await?
        .into())
}

/// Groups the catalog suggests (the same offer on several providers), cheapest first.
#[tauri::command]
#[specta::specta]
pub async fn suggest_offer_groups(
    state: State<'_, AppState>,
    search: Option<String>,
    platform: Option<String>,
) -> Result<Vec<GroupSuggestionView>, IpcError> {
    let some = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let q = OfferQuery {
        platform: some(platform).as_deref().and_then(Platform::parse),
        kind: None,
        search: some(search),
        limit: Some(100),
    };
    let engine = state.engine()?;
    let list = blocking(move || Ok(engine.suggest_offer_groups(&q)?)).await?;
    Ok(list.into_iter().map(GroupSuggestionView::from).collect())
}

/// Where an order on `group` would go now, and why the other members are passed over;
/// writes nothing, sends nothing. `order` leaves provider and service empty.
#[tauri::command]
#[specta::specta]
pub async fn preview_routed_order(
    state: State<'_, AppState>,
    group: String,
    order: NewOrder,
) -> Result<RoutePreviewView, IpcError> {
    let engine = state.engine()?;
    Ok(
        blocking(move || Ok(engine.preview_routed_order(&group, &order)?))
            .await?
            .into(),
    )
}

/// Places an order on `group` (provider and service left empty): at the best member, the
/// next only after a definite rejection; the same idempotency key answers the same route.
#[tauri::command]
#[specta::specta]
pub async fn place_routed_order(
    state: State<'_, AppState>,
    group: String,
    order: NewOrder,
) -> Result<RoutedPlacementView, IpcError> {
    Ok(state
        .engine()?
        .place_routed_order(&group, order)
        .await?
        .into())
}

/// Places a mass order (`link|quantity` lines) on `group`, reporting each line on `progress`.
#[tauri::command]
#[specta::specta]
pub async fn place_routed_mass_order(
    state: State<'_, AppState>,
    group: String,
    text: String,
    batch_key: String,
    customer: Option<String>,
    sale_price: Option<String>,
    progress: Channel<RoutedLineView>,
) -> Result<RoutedMassReportView, IpcError> {
    let customer = customer.filter(|c| !c.trim().is_empty());
    let sale_price = sale_price
        .filter(|p| !p.trim().is_empty())
        .map(|p| parse_money("salePrice", &p))
        .transpose()?;
    let order = RoutedMassOrder {
        group,
        text,
        customer,
        sale_price,
        batch_key: Some(batch_key),
        valid_only: true,
        force: false,
    };
    let report = state
        .engine()?
        .place_routed_mass_order(order, &move |r: &RoutedLineResult| {
            // A closed window cannot take progress; the report still comes back.
            let _ = progress.send(RoutedLineView::from(r.clone()));
        })
        .await?;
    Ok(report.into())
}
