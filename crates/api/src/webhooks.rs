//! `/api/smm/webhooks`: the webhooks a reseller's site receives (Standard Webhooks signed POSTs
//! of order status changes and low balances, delivered from the engine's persisted outbox).
//!
//! The signing secret is answered once, by the `POST` that creates the webhook; every other
//! answer shows the webhook without it.

// utoipa's `path` macro writes `params(T)` types fully qualified.
#![allow(unused_qualifications)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use smm_engine::{Delivery, DeliveryQuery, NewWebhook, Webhook};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiResult, ErrorBody};
use crate::routes::{blocking, Body, Params};
use crate::ApiState;

/// A webhook (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    /// Local id.
    pub id: i64,
    /// Where events are POSTed.
    pub url: String,
    /// The event types it receives (`order.status_changed`, `balance.low`).
    pub events: Vec<String>,
    /// Whether events are sent to it.
    pub active: bool,
    /// When it was added.
    pub created_at: String,
    /// Messages waiting to be sent (including retries).
    pub pending: u64,
    /// Messages the receiver accepted.
    pub delivered: u64,
    /// Messages given up on after every retry failed.
    pub failed: u64,
}

impl From<Webhook> for WebhookView {
    fn from(w: Webhook) -> Self {
        WebhookView {
            id: w.id,
            url: w.url,
            events: w.events.iter().map(|e| e.as_str().to_string()).collect(),
            active: w.active,
            created_at: w.created_at.to_string(),
            pending: w.pending,
            delivered: w.delivered,
            failed: w.failed,
        }
    }
}

/// A webhook just added, with its signing secret: the only answer that carries it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhookView {
    /// The webhook.
    pub webhook: WebhookView,
    /// The `whsec_` secret the receiver verifies signatures with. Store it now: it is never
    /// shown again.
    pub secret: String,
}

/// One message to a webhook.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// The outbox row's id (newest first; page with `before`).
    pub id: i64,
    /// The `webhook-id` header, the same on every attempt (receivers deduplicate on it).
    pub msg_id: String,
    /// The webhook it goes to.
    pub webhook_id: i64,
    /// `order.status_changed`, `balance.low` or `webhook.test`.
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: String,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<String>,
    /// When the last attempt started.
    pub last_attempt_at: Option<String>,
    /// When the receiver accepted it.
    pub delivered_at: Option<String>,
    /// When it was given up on.
    pub given_up_at: Option<String>,
    /// The receiver's last HTTP status.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The body sent: `{"type", "timestamp", "data"}`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        let text = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string());
        DeliveryView {
            id: d.id,
            msg_id: d.msg_id,
            webhook_id: d.webhook_id,
            event_type: d.event_type,
            state: serde_json::to_value(d.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            attempts: d.attempts,
            created_at: d.created_at.to_string(),
            next_attempt_at: text(d.next_attempt_at),
            last_attempt_at: text(d.last_attempt_at),
            delivered_at: text(d.delivered_at),
            given_up_at: text(d.given_up_at),
            last_status: d.last_status,
            last_error: d.last_error,
            payload: d.payload,
        }
    }
}

/// A webhook to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookBody {
    /// Where to POST: http(s), a host, no user name or password, at most 2048 characters.
    pub url: String,
    /// Event types to receive (`order.status_changed`, `balance.low`); omitted: all of them.
    pub events: Option<Vec<String>>,
}

/// A change to a webhook.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookUpdateBody {
    /// Whether events are sent to it. While off, no message is queued for it.
    pub active: bool,
}

/// Which deliveries to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryParams {
    /// Only messages older than this delivery id (the last id of the previous page).
    pub before: Option<i64>,
    /// Page size, 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

/// The webhooks.
#[utoipa::path(get, path = "/api/smm/webhooks", security(("token" = [])),
    responses((status = 200, body = Vec<WebhookView>)))]
pub async fn list_webhooks(State(s): State<ApiState>) -> ApiResult<Json<Vec<WebhookView>>> {
    let list = blocking(&s.engine, |e| e.list_webhooks()).await?;
    Ok(Json(list.into_iter().map(WebhookView::from).collect()))
}

/// Adds a webhook; the answer carries its signing secret, once.
#[utoipa::path(post, path = "/api/smm/webhooks", security(("token" = [])), request_body = WebhookBody,
    responses((status = 201, body = CreatedWebhookView), (status = 422, body = ErrorBody)))]
pub async fn add_webhook(
    State(s): State<ApiState>,
    Body(body): Body<WebhookBody>,
) -> ApiResult<(StatusCode, Json<CreatedWebhookView>)> {
    let created = blocking(&s.engine, move |e| {
        e.add_webhook(NewWebhook {
            url: body.url,
            events: body.events,
        })
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhookView {
            secret: created.secret.expose().to_string(),
            webhook: created.webhook.into(),
        }),
    ))
}

/// Switches a webhook on or off.
#[utoipa::path(patch, path = "/api/smm/webhooks/{id}", security(("token" = [])), request_body = WebhookUpdateBody,
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 200, body = WebhookView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_webhook(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Body(body): Body<WebhookUpdateBody>,
) -> ApiResult<Json<WebhookView>> {
    let w = blocking(&s.engine, move |e| e.set_webhook_active(id, body.active)).await?;
    Ok(Json(w.into()))
}

/// Removes a webhook; its messages still waiting are given up.
#[utoipa::path(delete, path = "/api/smm/webhooks/{id}", security(("token" = [])),
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 200, body = WebhookView), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<WebhookView>> {
    let w = blocking(&s.engine, move |e| e.remove_webhook(id)).await?;
    Ok(Json(w.into()))
}

/// Queues a signed `webhook.test` message to the webhook (sent within seconds).
#[utoipa::path(post, path = "/api/smm/webhooks/{id}/test", security(("token" = [])),
    params(("id" = i64, Path, description = "The webhook's id")),
    responses((status = 202, body = DeliveryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn test_webhook(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let d = blocking(&s.engine, move |e| e.test_webhook(id)).await?;
    Ok((StatusCode::ACCEPTED, Json(d.into())))
}

/// A webhook's messages, newest first, with each one's attempts and last answer.
#[utoipa::path(get, path = "/api/smm/webhooks/{id}/deliveries", security(("token" = [])),
    params(("id" = i64, Path, description = "The webhook's id"), DeliveryParams),
    responses((status = 200, body = Vec<DeliveryView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_deliveries(
    State(s): State<ApiState>,
    Path(id): Path<i64>,
    Params(p): Params<DeliveryParams>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    let list = blocking(&s.engine, move |e| {
        e.webhook_deliveries(&DeliveryQuery {
            webhook_id: Some(id),
            before_id: p.before,
            limit: p.limit.unwrap_or(100),
        })
    })
    .await?;
    Ok(Json(list.into_iter().map(DeliveryView::from).collect()))
}
