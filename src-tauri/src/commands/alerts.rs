//! The Alerts inbox: list, unread count, mark read.

use serde::Serialize;
use smm_engine::{Alert, AlertKind, AlertQuery};
use tauri::State;

use super::{blocking, time};
use crate::error::IpcError;
use crate::AppState;

/// One alert.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    /// The alert's id.
    #[specta(type = u32)]
    pub id: i64,
    /// What it is about.
    pub kind: AlertKind,
    /// The provider's name, when it concerns one.
    pub provider: Option<String>,
    /// The order's local id, when it concerns one.
    #[specta(type = Option<u32>)]
    pub order_id: Option<i64>,
    /// The catalog row's id, when it concerns a service.
    #[specta(type = Option<u32>)]
    pub service_ref: Option<i64>,
    /// The message's parameters as JSON text (amounts as decimal strings).
    pub params: String,
    /// The engine's English one-liner (the UI builds its own text from kind and params).
    pub message: String,
    /// When raised (RFC 3339).
    pub created_at: String,
    /// When read (RFC 3339).
    pub read_at: Option<String>,
    /// When its condition went away (RFC 3339).
    pub cleared_at: Option<String>,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        Self {
            id: a.id,
            kind: a.kind,
            provider: a.provider,
            order_id: a.order_id,
            service_ref: a.service_ref,
            params: a.params.to_string(),
            message: a.message,
            created_at: time(a.created_at),
            read_at: a.read_at.map(time),
            cleared_at: a.cleared_at.map(time),
        }
    }
}

/// The inbox, newest first (`before_id` pages on).
#[tauri::command]
#[specta::specta]
pub async fn list_alerts(
    state: State<'_, AppState>,
    unread_only: bool,
    before_id: Option<u32>,
    limit: Option<u32>,
) -> Result<Vec<AlertView>, IpcError> {
    let q = AlertQuery {
        unread_only,
        before_id: before_id.map(i64::from),
        limit: limit.unwrap_or(100),
    };
    let engine = state.engine()?;
    blocking(move || {
        let alerts = engine.list_alerts(&q)?;
        Ok(alerts.into_iter().map(AlertView::from).collect())
    })
    .await
}

/// How many alerts are unread.
#[tauri::command]
#[specta::specta]
pub async fn unread_alert_count(state: State<'_, AppState>) -> Result<u32, IpcError> {
    let engine = state.engine()?;
    let n = blocking(move || Ok(engine.unread_alert_count()?)).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks alerts read (all unread ones when `ids` is empty); returns how many changed.
#[tauri::command]
#[specta::specta]
pub async fn mark_alerts_read(state: State<'_, AppState>, ids: Vec<u32>) -> Result<u32, IpcError> {
    let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
    let engine = state.engine()?;
    let n = blocking(move || Ok(engine.mark_alerts_read(&ids)?)).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
