//! Settings › Local API › Webhooks: the URLs that receive signed order and balance events
//! (delivered by the engine's outbox while the app runs). The signing secret is returned once,
//! by [`add_webhook`]; nothing else ever carries it.

use serde::Serialize;
use smm_engine::{Delivery, DeliveryQuery, NewWebhook, Webhook};
use tauri::State;

use super::{blocking, time};
use crate::error::IpcError;
use crate::AppState;

/// How many deliveries the settings list shows.
const DELIVERIES_SHOWN: u32 = 20;

/// A webhook (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// Where events are POSTed.
    pub url: String,
    /// The event types it receives (`order.status_changed`, `balance.low`).
    pub events: Vec<String>,
    /// Whether events are sent to it.
    pub active: bool,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// Messages waiting (including retries).
    pub pending: u32,
    /// Messages the receiver accepted.
    pub delivered: u32,
    /// Messages given up on.
    pub failed: u32,
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<Webhook> for WebhookView {
    fn from(w: Webhook) -> Self {
        WebhookView {
            id: w.id,
            url: w.url,
            events: w.events.iter().map(|e| e.as_str().to_string()).collect(),
            active: w.active,
            created_at: time(w.created_at),
            pending: count(w.pending),
            delivered: count(w.delivered),
            failed: count(w.failed),
        }
    }
}

/// A webhook just added and its `whsec_` secret: shown once, to copy into the receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhookView {
    /// The webhook.
    pub webhook: WebhookView,
    /// The signing secret.
    pub secret: String,
}

/// One message to a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// The outbox row's id.
    #[specta(type = u32)]
    pub id: i64,
    /// `order.status_changed`, `balance.low` or `webhook.test`.
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: String,
    /// When the last attempt started.
    pub last_attempt_at: Option<String>,
    /// The receiver's last HTTP status.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event_type: d.event_type,
            state: serde_json::to_value(d.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            attempts: d.attempts,
            created_at: time(d.created_at),
            last_attempt_at: d.last_attempt_at.map(time),
            last_status: d.last_status,
            last_error: d.last_error,
        }
    }
}

/// The webhooks.
#[tauri::command]
#[specta::specta]
pub async fn list_webhooks(state: State<'_, AppState>) -> Result<Vec<WebhookView>, IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        Ok(engine
            .list_webhooks()?
            .into_iter()
            .map(WebhookView::from)
            .collect())
    })
    .await
}

/// Adds a webhook receiving `events` (all of them when `null`); answers its secret, once.
#[tauri::command]
#[specta::specta]
pub async fn add_webhook(
    state: State<'_, AppState>,
    url: String,
    events: Option<Vec<String>>,
) -> Result<CreatedWebhookView, IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        let created = engine.add_webhook(NewWebhook { url, events })?;
        Ok(CreatedWebhookView {
            secret: created.secret.expose().to_string(),
            webhook: created.webhook.into(),
        })
    })
    .await
}

/// Switches a webhook on or off.
#[tauri::command]
#[specta::specta]
pub async fn set_webhook_active(
    state: State<'_, AppState>,
    id: i32,
    active: bool,
) -> Result<WebhookView, IpcError> {
    let engine = state.engine()?;
    blocking(move || Ok(engine.set_webhook_active(id.into(), active)?.into())).await
}

/// Removes a webhook (its waiting messages are given up).
#[tauri::command]
#[specta::specta]
pub async fn remove_webhook(state: State<'_, AppState>, id: i32) -> Result<WebhookView, IpcError> {
    let engine = state.engine()?;
    blocking(move || Ok(engine.remove_webhook(id.into())?.into())).await
}

/// Queues a signed `webhook.test` message to the webhook.
#[tauri::command]
#[specta::specta]
pub async fn test_webhook(state: State<'_, AppState>, id: i32) -> Result<DeliveryView, IpcError> {
    let engine = state.engine()?;
    blocking(move || Ok(engine.test_webhook(id.into())?.into())).await
}

/// A webhook's latest messages, newest first.
#[tauri::command]
#[specta::specta]
pub async fn webhook_deliveries(
    state: State<'_, AppState>,
    id: i32,
) -> Result<Vec<DeliveryView>, IpcError> {
    let engine = state.engine()?;
    blocking(move || {
        Ok(engine
            .webhook_deliveries(&DeliveryQuery {
                webhook_id: Some(id.into()),
                before_id: None,
                limit: DELIVERIES_SHOWN,
            })?
            .into_iter()
            .map(DeliveryView::from)
            .collect())
    })
    .await
}
