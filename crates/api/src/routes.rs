//! The routes: thin handlers over the engine. SQLite work runs on the blocking pool; provider
//! calls run in their own task, so a client that hangs up (or a route timeout) never cuts a
//! placement, sync or refresh in half.

// utoipa's `path` macro writes `params(T)` types fully qualified.
#![allow(unused_qualifications)]

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use smm_engine::orders::OrderQuery;
use smm_engine::stats::StatsQuery;
use smm_engine::{
    ApiKey, Engine, EngineError, NewOrder, NewProvider, OrderFields, OrderStatus, ProviderUpdate,
    ServiceQuery,
};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::views::*;
use crate::ApiState;

/// The JSON body of a request, with errors in the API's shape (400 malformed, 413 too large,
/// 415 not JSON, 422 a field of the wrong type).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rejection) => {
                let status = rejection.status();
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "api.body_too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "api.not_json",
                    StatusCode::UNPROCESSABLE_ENTITY => "input.invalid",
                    _ => "api.body_invalid",
                };
                Err(ApiError::new(status, code, rejection.body_text()))
            }
        }
    }
}

/// Query parameters, with errors in the API's shape.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "input.invalid",
                    e.body_text(),
                )
            })
    }
}

/// Runs SQLite work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    engine: &Engine,
    work: impl FnOnce(&Engine) -> Result<T, EngineError> + Send + 'static,
) -> ApiResult<T> {
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || work(&engine))
        .await
        .map_err(|e| EngineError::Internal(format!("a blocking task failed: {e}")))?
        .map_err(ApiError::from)
}

/// Runs provider work in its own task: it finishes even when the client is gone.
pub(crate) async fn detached<T, F>(work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<T, EngineError>> + Send + 'static,
{
    tokio::spawn(work)
        .await
        .map_err(|e| EngineError::Internal(format!("a task failed: {e}")))?
        .map_err(ApiError::from)
}

/// A provider's name from its id (a live provider).
pub(crate) fn provider_name(engine: &Engine, id: i64) -> Result<String, EngineError> {
    let p = engine.provider_by_id(id)?;
    if p.removed_at.is_some() {
        return Err(EngineError::ProviderNotFound(format!("#{id}")));
    }
    Ok(p.name)
}

// ---------------------------------------------------------------------------------------------
// Health and document

/// Liveness (no token needed).
#[utoipa::path(get, path = "/api/health", responses((status = 200, body = HealthView)))]
pub async fn health() -> Json<HealthView> {
    Json(HealthView {
        status: "ok".into(),
        version: smm_engine::VERSION.into(),
    })
}

/// The OpenAPI 3.1 document of every route.
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "OpenAPI 3.1")))]
pub async fn openapi() -> Response {
    let doc = crate::doc::document();
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        doc,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Providers

/// A new provider.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderBody {
    /// Unique slug (lowercase letters, digits, dashes); a preset gives one.
    pub name: Option<String>,
    /// The name shown to people.
    pub display_name: Option<String>,
    /// The API v2 endpoint (https, or http to this computer).
    pub api_url: Option<String>,
    /// The API key (stored encrypted, never shown again).
    pub api_key: String,
    /// Higher first.
    pub priority: Option<i64>,
    /// `jap`, `smmkings` or `secsers`: name, display name and URL from the preset.
    pub preset: Option<String>,
}

/// Changes to a provider; omitted fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderUpdateBody {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new API URL.
    pub api_url: Option<String>,
    /// A new API key (replaces the old one).
    pub api_key: Option<String>,
    /// A new priority.
    pub priority: Option<i64>,
    /// Enable or disable.
    pub active: Option<bool>,
}

/// Every provider (never a key).
#[utoipa::path(get, path = "/api/smm/providers", security(("token" = [])),
    responses((status = 200, body = Vec<ProviderView>), (status = 401, body = ErrorBody)))]
pub async fn list_providers(State(s): State<ApiState>) -> ApiResult<Json<Vec<ProviderView>>> {
    let list = blocking(&s.engine, |e| e.list_providers()).await?;
    Ok(Json(list.into_iter().map(ProviderView::from).collect()))
}

/// Adds a provider.
#[utoipa::path(post, path = "/api/smm/providers", security(("token" = [])), request_body = ProviderBody,
    responses((status = 201, body = ProviderView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_provider(
    State(s): State<ApiState>,
    Body(b): Body<ProviderBody>,
) -> ApiResult<(StatusCode, Json<ProviderView>)> {
    let key = ApiKey::new(b.api_key);
    let mut new = match b.preset.as_deref() {
        Some(name) => {
            let preset = s
                .engine
                .presets()
                .iter()
                .find(|p| p.name == name.trim())
                .ok_or_else(|| EngineError::PresetUnknown(name.into()))?;
            let mut p = NewProvider::from_preset(preset, key);
            if let Some(n) = b.name {
                p.name = n;
            }
            if let Some(u) = b.api_url {
                p.api_url = u;
            }
            p
        }
        None => {
            let name = b
                .name
                .ok_or_else(|| ApiError::field("name", "name is required"))?;
            let url = b
                .api_url
                .ok_or_else(|| ApiError::field("apiUrl", "apiUrl is required"))?;
            NewProvider::new(name, url, key)
        }
    };
    if b.display_name.is_some() {
        new.display_name = b.display_name;
    }
    new.priority = b.priority.unwrap_or(0);
    let p = blocking(&s.engine, move |e| e.add_provider(new)).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// Changes a provider.
#[utoipa::path(put, path = "/api/smm/providers/{id}", security(("token" = [])), request_body = ProviderUpdateBody,
    params(("id" = i64, Path, description = "The provider's id")),
    responses((status = 200, body = ProviderView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_provider(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Body(b): Body<ProviderUpdateBody>,
) -> ApiResult<Json<ProviderView>> {
    let p = blocking(&s.engine, move |e| {
        let name = provider_name(e, id)?;
        let mut p = e.update_provider(
            &name,
            ProviderUpdate {
                display_name: b.display_name,
                api_url: b.api_url,
                api_key: b.api_key.map(ApiKey::new),
                priority: b.priority,
                ..ProviderUpdate::default()
            },
        )?;
        if let Some(active) = b.active {
            p = e.set_provider_active(&name, active)?;
        }
        Ok(p)
    })
    .await?;
    Ok(Json(p.into()))
}

/// Removes a provider: its orders and history stay readable, its key is erased.
#[utoipa::path(delete, path = "/api/smm/providers/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The provider's id")),
    responses((status = 200, body = ProviderView), (status = 404, body = ErrorBody)))]
pub async fn delete_provider(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProviderView>> {
    let p = blocking(&s.engine, move |e| {
        let name = provider_name(e, id)?;
        e.remove_provider(&name)
    })
    .await?;
    Ok(Json(p.into()))
}

/// Switches a provider on or off.
#[utoipa::path(patch, path = "/api/smm/providers/{id}/toggle", security(("token" = [])),
    params(("id" = i64, Path, description = "The provider's id")),
    responses((status = 200, body = ProviderView), (status = 404, body = ErrorBody)))]
pub async fn toggle_provider(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProviderView>> {
    let p = blocking(&s.engine, move |e| {
        let name = provider_name(e, id)?;
        let active = e.provider(&name)?.active;
        e.set_provider_active(&name, !active)
    })
    .await?;
    Ok(Json(p.into()))
}

/// Syncs a provider's catalog now; answers what changed.
#[utoipa::path(post, path = "/api/smm/providers/{id}/sync", security(("token" = [])),
    params(("id" = i64, Path, description = "The provider's id")),
    responses((status = 200, body = SyncView), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn sync_provider(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<SyncView>> {
    let name = blocking(&s.engine, move |e| provider_name(e, id)).await?;
    let engine = s.engine.clone();
    let diff = detached(async move { engine.sync_catalog(&name).await }).await?;
    Ok(Json(SyncView {
        diff: serde_json::to_value(diff).unwrap_or_default(),
    }))
}

/// Filters of a provider's services.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceParams {
    /// Text in the service id, name or category.
    pub search: Option<String>,
    /// Exactly this category.
    pub category: Option<String>,
    /// Exactly this type (`Default`, `Custom Comments`…).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub service_type: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Page size, 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

/// A provider's services.
#[utoipa::path(get, path = "/api/smm/providers/{id}/services", security(("token" = [])),
    params(("id" = i64, Path, description = "The provider's id"), ServiceParams),
    responses((status = 200, body = ServiceListView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_services(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Params(q): Params<ServiceParams>,
) -> ApiResult<Json<ServiceListView>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("{limit} is not between 1 and 1000"),
        ));
    }
    let page = page_number(q.page)?;
    let offset = (page - 1)
        .checked_mul(limit)
        .ok_or_else(|| ApiError::field("page", "page is too large"))?;
    let found = blocking(&s.engine, move |e| {
        let name = provider_name(e, id)?;
        e.list_services(&ServiceQuery {
            provider: Some(name),
            search: q.search,
            category: q.category,
            service_type: q.service_type,
            limit: Some(limit),
            offset,
            ..ServiceQuery::default()
        })
    })
    .await?;
    Ok(Json(ServiceListView {
        services: found.services.into_iter().map(ServiceView::from).collect(),
        page,
        limit,
        total: found.total,
    }))
}

fn page_number(page: Option<u32>) -> ApiResult<u32> {
    match page.unwrap_or(1) {
        0 => Err(ApiError::field("page", "pages start at 1")),
        p => Ok(p),
    }
}

// ---------------------------------------------------------------------------------------------
// Orders

/// A provider, by id (the original's) or by name.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ProviderRef {
    /// The provider's id.
    Id(i64),
    /// The provider's name.
    Name(String),
}

/// Comments: one string with one comment per line (the original's), or a list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Lines {
    /// One per line.
    Text(String),
    /// One per entry.
    List(Vec<String>),
}

impl Lines {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            Lines::Text(t) => t
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            Lines::List(v) => v,
        }
    }
}

/// A new order: where, and the fields of the service's type (`link`, `quantity`,
/// `customComments`, `usernames`, `runs`, `interval`…).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaceOrderBody {
    /// The provider (id or name); not with `group`.
    pub provider_id: Option<ProviderRef>,
    /// The provider's service id; not with `group`.
    #[schema(value_type = Option<String>)]
    pub service_id: Option<serde_json::Value>,
    /// Route the order through this offer group instead of one provider: the best member
    /// that can take it; the next one only when the first certainly did not place it.
    pub group: Option<String>,
    /// Custom comments (the original's name for `comments`).
    pub custom_comments: Option<Lines>,
    /// Place even when the estimated cost exceeds the last known balance.
    #[serde(default)]
    pub force: bool,
    /// The customer it is sold to, by name (added when new).
    pub customer: Option<String>,
    /// What the customer pays, a decimal string (default: the price list's price for the
    /// quantity).
    pub sale_price: Option<String>,
    /// The fields of the service's type.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: OrderFields,
}

pub(crate) fn service_id_text(v: &serde_json::Value) -> ApiResult<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        serde_json::Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        _ => Err(ApiError::field(
            "serviceId",
            "serviceId must be the provider's service id",
        )),
    }
}

/// Places an order. The `Idempotency-Key` header names it: the same key with the same body
/// answers the same order and sends nothing; with another body it is a 409.
#[utoipa::path(post, path = "/api/smm/orders", security(("token" = [])), request_body = PlaceOrderBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Names the order: retries with it never place twice")),
    responses(
        (status = 201, description = "placed (or rejected by the provider: see state)", body = PlacedView),
        (status = 200, description = "the key already named this order; nothing new was sent", body = PlacedView),
        (status = 202, description = "unknown outcome: resolve it, never resend", body = PlacedView),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn place_order(
    State(s): State<ApiState>,
    headers: HeaderMap,
    Body(b): Body<PlaceOrderBody>,
) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::field("Idempotency-Key", "the key must be visible ASCII"))?
                .to_string(),
        ),
    };
    let group = b.group.filter(|g| !g.trim().is_empty());
    let (provider_ref, service_id) = match (&group, b.provider_id, &b.service_id) {
        (Some(_), None, None) => (None, String::new()),
        (Some(_), _, _) => {
            return Err(ApiError::field(
                "group",
                "give group, or providerId and serviceId, not both",
            ))
        }
        (None, Some(p), Some(v)) => (Some(p), service_id_text(v)?),
        (None, None, _) => {
            return Err(ApiError::field(
                "providerId",
                "providerId (or group) is required",
            ))
        }
        (None, Some(_), None) => {
            return Err(ApiError::field(
                "serviceId",
                "serviceId must be the provider's service id",
            ))
        }
    };
    let mut fields = b.fields;
    if let Some(c) = b.custom_comments {
        if !fields.comments.is_empty() {
            return Err(ApiError::field(
                "customComments",
                "give customComments or comments, not both",
            ));
        }
        fields.comments = c.into_vec();
    }
    let provider = match provider_ref {
        None => String::new(),
        Some(ProviderRef::Name(n)) => n,
        Some(ProviderRef::Id(id)) => blocking(&s.engine, move |e| provider_name(e, id)).await?,
    };
    let sale_price = b
        .sale_price
        .as_deref()
        .map(|p| {
            p.trim().parse::<rust_decimal::Decimal>().map_err(|_| {
                ApiError::field(
                    "salePrice",
                    "salePrice must be a decimal string like \"2.50\"",
                )
            })
        })
        .transpose()?;
    let new = NewOrder {
        provider,
        service_id,
        fields,
        idempotency_key: key,
        force: b.force,
        customer: b.customer,
        sale_price,
    };
    if let Some(group) = group {
        return crate::routing::place_routed(&s, group, new).await;
    }
    let engine = s.engine.clone();
    let placed = detached(async move { engine.place_order_reported(new).await }).await?;
    let (code, view) = placement_answer(placed.order, placed.sent);
    Ok((code, Json(view)).into_response())
}

/// The HTTP status and view of a placement: 201 placed, rejected or not sent; 202 unknown;
/// 200 when the key already named it (and it is not unknown).
pub(crate) fn placement_answer(order: smm_engine::Order, sent: bool) -> (StatusCode, PlacedView) {
    let placed = smm_engine::orders::Placement { order, sent };
    let status = placed.order.status;
    let (code, state, next) = if status == OrderStatus::Unknown || status == OrderStatus::Submitting
    {
        (
            StatusCode::ACCEPTED,
            "unknown",
            Some(format!(
                "the provider may have taken this order: never resend it. Refresh it \
                 (POST /api/smm/orders/{}/refresh) or resolve it in SMM Desk",
                placed.order.id
            )),
        )
    } else if status == OrderStatus::NotSent {
        (
            StatusCode::CREATED,
            "not_sent",
            Some("nothing reached the provider; placing again with a new key is safe".into()),
        )
    } else if status.is_not_placed() {
        (StatusCode::CREATED, "rejected", None)
    } else {
        (StatusCode::CREATED, "placed", None)
    };
    // The key already named this order and nothing new was sent: 200, unless still unknown.
    let code = if !placed.sent && code != StatusCode::ACCEPTED {
        StatusCode::OK
    } else {
        code
    };
    let view = PlacedView {
        order: placed.order.into(),
        sent: placed.sent,
        state: state.into(),
        next,
        route: None,
    };
    (code, view)
}

/// Filters of the order list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderParams {
    /// A status, in the original's spelling (`Pending`, `In progress`…) or the engine's
    /// (`in_progress`); several separated by commas.
    pub status: Option<String>,
    /// Only this provider (id).
    pub provider_id: Option<i64>,
    /// Only this provider service id.
    pub service_id: Option<String>,
    /// Text the link contains.
    pub link: Option<String>,
    /// Only this customer's orders, by name (ignoring case and spacing).
    pub customer: Option<String>,
    /// Only this customer's orders, by id.
    pub customer_id: Option<i64>,
    /// Created at or after (RFC 3339).
    pub from: Option<String>,
    /// Created before (RFC 3339).
    pub to: Option<String>,
    /// Page, from 1 (pages reach 10,000 orders deep; use `after` beyond).
    pub page: Option<u32>,
    /// Page size, 1 to 1000 (default 10, as the original).
    pub limit: Option<u32>,
    /// Continue after this cursor (`next` of the previous page).
    pub after: Option<String>,
}

/// How deep `page` may reach; the cursor goes anywhere.
const MAX_PAGED_ROWS: u32 = 10_000;

/// A status in the original's spelling or the engine's.
pub fn parse_status(text: &str) -> ApiResult<OrderStatus> {
    let t = text.trim();
    let spelled = match t.to_ascii_lowercase().as_str() {
        "cancelled" => "canceled",
        "inprogress" => "in_progress",
        _ => t,
    };
    spelled.parse::<OrderStatus>().map_err(|_| {
        ApiError::field(
            "status",
            format!(
                "\"{t}\" is not an order status (Pending, Processing, In progress, Completed, \
                 Partial, Canceled, Refunded, Active, Unknown, Rejected, Not sent, …)"
            ),
        )
    })
}

fn parse_time(field: &str, text: Option<String>) -> ApiResult<Option<jiff::Timestamp>> {
    text.map(|t| {
        t.trim()
            .parse::<jiff::Timestamp>()
            .map_err(|e| ApiError::field(field, format!("\"{t}\" is not an RFC 3339 time: {e}")))
    })
    .transpose()
}

/// The orders, newest first, filtered; `page`/`limit` as the original, or the `after` cursor.
#[utoipa::path(get, path = "/api/smm/orders", security(("token" = [])), params(OrderParams),
    responses((status = 200, body = OrderListView), (status = 422, body = ErrorBody)))]
pub async fn list_orders(
    State(s): State<ApiState>,
    Params(q): Params<OrderParams>,
) -> ApiResult<Json<OrderListView>> {
    let limit = q.limit.unwrap_or(10);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("{limit} is not between 1 and 1000"),
        ));
    }
    let page = page_number(q.page)?;
    if q.after.is_some() && page != 1 {
        return Err(ApiError::field("page", "give page or after, not both"));
    }
    let skip = u64::from(page - 1) * u64::from(limit);
    if skip + u64::from(limit) > u64::from(MAX_PAGED_ROWS) {
        return Err(ApiError::field(
            "page",
            format!("pages reach {MAX_PAGED_ROWS} orders deep; follow `next` with `after` beyond"),
        ));
    }
    let status = match &q.status {
        None => Vec::new(),
        Some(t) => t.split(',').map(parse_status).collect::<ApiResult<_>>()?,
    };
    let from = parse_time("from", q.from)?;
    let to = parse_time("to", q.to)?;
    if q.customer.is_some() && q.customer_id.is_some() {
        return Err(ApiError::field(
            "customer",
            "give customer or customerId, not both",
        ));
    }
    let customer = match (q.customer.clone(), q.customer_id) {
        (Some(name), _) => Some(
            blocking(&s.engine, move |e| e.customer_named(&name))
                .await
                .map_err(|e| e.or_field("customer"))?
                .id,
        ),
        (None, Some(id)) => Some(
            blocking(&s.engine, move |e| e.customer(id))
                .await
                .map_err(|e| e.or_field("customerId"))?
                .id,
        ),
        (None, None) => None,
    };
    let (orders, total, next) = blocking(&s.engine, move |e| {
        let provider = q.provider_id.map(|id| provider_name(e, id)).transpose()?;
        let mut query = OrderQuery {
            status,
            provider,
            service_id: q.service_id,
            link_contains: q.link,
            customer,
            from,
            to,
            after: q.after,
            ..OrderQuery::default()
        };
        // The counts are per status, whatever the status filter: sum the ones asked for.
        let total = e
            .order_counts(&query)?
            .iter()
            .filter(|c| query.status.is_empty() || query.status.contains(&c.status))
            .map(|c| c.count)
            .sum::<u64>();
        // Pages past the first walk the keyset (at most MAX_PAGED_ROWS rows).
        let mut skip = skip;
        while skip > 0 {
            let step = skip.min(1000) as u32;
            query.limit = Some(step);
            let page = e.list_orders(&query)?;
            skip -= step as u64;
            match page.next {
                Some(n) => query.after = Some(n),
                None => return Ok((Vec::new(), total, None)),
            }
        }
        query.limit = Some(limit);
        let page = e.list_orders(&query)?;
        Ok((page.orders, total, page.next))
    })
    .await?;
    Ok(Json(OrderListView {
        orders: orders.into_iter().map(OrderView::from).collect(),
        page,
        limit,
        total,
        next,
    }))
}

fn detail(e: &Engine, id: i64) -> Result<OrderDetailView, EngineError> {
    let order = e.order(id)?;
    let timeline = e
        .order_events(id)?
        .into_iter()
        .map(EventView::from)
        .collect();
    let refills = e
        .order_refills(id)?
        .into_iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    let cancels = e
        .cancel_requests(id)?
        .into_iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    Ok(OrderDetailView {
        order: order.into(),
        timeline,
        refills,
        cancels,
    })
}

/// One order with its timeline, refills and cancel requests.
#[utoipa::path(get, path = "/api/smm/orders/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The order's id")),
    responses((status = 200, body = OrderDetailView), (status = 404, body = ErrorBody)))]
pub async fn get_order(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrderDetailView>> {
    Ok(Json(blocking(&s.engine, move |e| detail(e, id)).await?))
}

/// Asks the provider for the order's status now.
#[utoipa::path(post, path = "/api/smm/orders/{id}/refresh", security(("token" = [])),
    params(("id" = i64, Path, description = "The order's id")),
    responses((status = 200, body = OrderDetailView), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn refresh_order(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrderDetailView>> {
    let engine = s.engine.clone();
    detached(async move { engine.refresh_order(id).await }).await?;
    Ok(Json(blocking(&s.engine, move |e| detail(e, id)).await?))
}

/// The one outcome of a refill or cancel request for one order.
fn only_outcome<T: serde::Serialize>(mut outcomes: Vec<T>) -> ApiResult<Json<serde_json::Value>> {
    let outcome = outcomes
        .pop()
        .ok_or_else(|| EngineError::Internal("no outcome for the order".into()))?;
    Ok(Json(serde_json::to_value(outcome).unwrap_or_default()))
}

/// Asks the provider to refill the order.
#[utoipa::path(post, path = "/api/smm/orders/{id}/refill", security(("token" = [])),
    params(("id" = i64, Path, description = "The order's id")),
    responses((status = 200, description = "what the request did", body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn refill_order(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let engine = s.engine.clone();
    only_outcome(detached(async move { engine.request_refill(&[id]).await }).await?)
}

/// Asks the provider to cancel the order.
#[utoipa::path(post, path = "/api/smm/orders/{id}/cancel", security(("token" = [])),
    params(("id" = i64, Path, description = "The order's id")),
    responses((status = 200, description = "what the request did", body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_order(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let engine = s.engine.clone();
    only_outcome(detached(async move { engine.cancel_orders(&[id]).await }).await?)
}

// ---------------------------------------------------------------------------------------------
// Balances and stats

/// Every provider's balance with its recent readings.
#[utoipa::path(get, path = "/api/smm/balances", security(("token" = [])),
    responses((status = 200, body = Vec<BalanceView>)))]
pub async fn balances(State(s): State<ApiState>) -> ApiResult<Json<Vec<BalanceView>>> {
    let out = blocking(&s.engine, |e| {
        let mut out = Vec::new();
        for p in e.list_providers()? {
            let available = e.available_balance(&p)?;
            let history = e
                .balance_history(Some(&p.name), None, None, 30)?
                .into_iter()
                .map(|b| BalancePoint {
                    amount: b.amount.normalize().to_string(),
                    currency: b.currency,
                    at: b.taken_at.to_string(),
                })
                .collect();
            out.push(BalanceView {
                provider: p.name,
                balance: p.last_balance.map(|b| b.normalize().to_string()),
                available: available.map(|b| b.normalize().to_string()),
                currency: p.currency,
                checked_at: p.balance_checked_at.map(|t| t.to_string()),
                history,
            });
        }
        Ok(out)
    })
    .await?;
    Ok(Json(out))
}

/// The range of the stats.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// From (RFC 3339).
    pub from: Option<String>,
    /// To (RFC 3339).
    pub to: Option<String>,
}

/// The stats the dashboard shows (spend, outcomes, success rate), per currency.
#[utoipa::path(get, path = "/api/smm/stats", security(("token" = [])), params(StatsParams),
    responses((status = 200, description = "stats", body = Object), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<ApiState>,
    Params(q): Params<StatsParams>,
) -> ApiResult<Json<serde_json::Value>> {
    let from = parse_time("from", q.from)?;
    let to = parse_time("to", q.to)?;
    let stats = blocking(&s.engine, move |e| {
        e.stats(&StatsQuery {
            from,
            to,
            ..StatsQuery::default()
        })
    })
    .await?;
    Ok(Json(serde_json::to_value(stats).unwrap_or_default()))
}
