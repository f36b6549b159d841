//! Routed orders and offer groups over HTTP: `POST /api/smm/orders` with `group`, and
//! `GET`/`POST /api/smm/groups` (the engine's `smm_engine::routing`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smm_engine::routing::{MemberRef, NewRouteGroup, RouteGroup, RouteRule};
use smm_engine::NewOrder;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::routes::{blocking, detached, placement_answer, Body};
use crate::views::RouteView;
use crate::ApiState;

/// Places `new` through offer group `group`: the answer is the last attempt's, as for one
/// provider (201, 202 unknown, 200 when the key already named this route), with `route`.
pub(crate) async fn place_routed(
    s: &ApiState,
    group: String,
    new: NewOrder,
) -> ApiResult<Response> {
    let engine = s.engine.clone();
    let placed = detached(async move { engine.place_routed_order(&group, new).await }).await?;
    let route = RouteView::from(&placed);
    let (code, mut view) = placement_answer(placed.order, placed.sent);
    if view.state == "unknown" && !route.remaining.is_empty() {
        let rest: Vec<String> = route
            .remaining
            .iter()
            .map(|m| format!("{}:{}", m.provider, m.service_id))
            .collect();
        view.next = Some(format!(
            "{} No other member was tried (not tried: {}).",
            view.next.unwrap_or_default(),
            rest.join(", ")
        ));
    }
    view.route = Some(route);
    Ok((code, Json(view)).into_response())
}

/// A saved offer group.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupView {
    /// Local id.
    pub id: i64,
    /// Its name (unique, ignoring case).
    pub name: String,
    /// `cheapest` or `preference`.
    pub rule: String,
    /// The members, in the user's order.
    pub members: Vec<GroupMemberView>,
}

/// A member of a group, with its service as the catalog has it now.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupMemberView {
    /// 1-based place in the user's order.
    pub position: u32,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The provider is enabled.
    pub active: bool,
    /// Price per 1000, a decimal string (absent when the service left the catalog).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    /// The provider's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Smallest quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// Largest quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

impl From<RouteGroup> for GroupView {
    fn from(g: RouteGroup) -> Self {
        GroupView {
            id: g.id,
            name: g.name,
            rule: g.rule.to_string(),
            members: g
                .members
                .into_iter()
                .map(|m| GroupMemberView {
                    position: m.position,
                    provider: m.provider,
                    service_id: m.service_id,
                    active: m.provider_active,
                    rate: m.rate.map(|r: Decimal| r.normalize().to_string()),
                    currency: m.currency,
                    min: m.min,
                    max: m.max,
                })
                .collect(),
        }
    }
}

/// A group to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupBody {
    /// Its name.
    pub name: String,
    /// `cheapest` (default) or `preference`.
    pub rule: Option<String>,
    /// The members, the preferred first: `{"provider": "jap", "serviceId": "1234"}`.
    pub members: Vec<MemberBody>,
}

/// One member to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberBody {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
}

/// The offer groups, by name.
#[utoipa::path(get, path = "/api/smm/groups", security(("token" = [])),
    responses((status = 200, body = Vec<GroupView>)))]
pub async fn list_groups(State(s): State<ApiState>) -> ApiResult<Json<Vec<GroupView>>> {
    let groups = blocking(&s.engine, |e| e.offer_groups()).await?;
    Ok(Json(groups.into_iter().map(GroupView::from).collect()))
}

/// Saves an offer group: every member a live provider's synced service, all of one type and
/// currency, none twice.
#[utoipa::path(post, path = "/api/smm/groups", security(("token" = [])), request_body = GroupBody,
    responses((status = 201, body = GroupView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_group(
    State(s): State<ApiState>,
    Body(b): Body<GroupBody>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    let rule = match b.rule.as_deref() {
        None => RouteRule::Cheapest,
        Some(r) => r.parse::<RouteRule>().map_err(ApiError::from)?,
    };
    let new = NewRouteGroup {
        name: b.name,
        rule,
        members: b
            .members
            .into_iter()
            .map(|m| MemberRef::new(m.provider, m.service_id))
            .collect(),
    };
    let g = blocking(&s.engine, move |e| e.add_offer_group(new)).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}
