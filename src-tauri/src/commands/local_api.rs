//! Settings › Local API: the switch, the port, the token and the last requests
//! (the server itself is [`crate::local_api`]).

use serde::Serialize;
use tauri::State;

use crate::error::IpcError;
use crate::local_api::LocalApiView;
use crate::AppState;

/// The local API's switch, port, address, problem and token state.
#[tauri::command]
#[specta::specta]
pub async fn local_api_status(state: State<'_, AppState>) -> Result<LocalApiView, IpcError> {
    let engine = state.engine()?;
    state.local_api.status(&engine).await
}

/// Switches the local API on (creating the token on the first start) or off.
#[tauri::command]
#[specta::specta]
pub async fn set_local_api_enabled(
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<LocalApiView, IpcError> {
    let engine = state.engine()?;
    state.local_api.set_enabled(&engine, enabled).await
}

/// Changes the port (1024–65535); a running API moves to it, or stays if it is taken.
#[tauri::command]
#[specta::specta]
pub async fn set_local_api_port(
    state: State<'_, AppState>,
    port: u32,
) -> Result<LocalApiView, IpcError> {
    let engine = state.engine()?;
    state.local_api.set_port(&engine, port).await
}

/// The token created or rotated during this run, to show or copy; `null` when it was
/// created earlier (only its hash is kept).
#[tauri::command]
#[specta::specta]
pub async fn local_api_token(state: State<'_, AppState>) -> Result<Option<String>, IpcError> {
    let engine = state.engine()?;
    state.local_api.session_token(&engine).await
}

/// Replaces the token (the old one stops working at once); returns the new one.
#[tauri::command]
#[specta::specta]
pub async fn rotate_local_api_token(state: State<'_, AppState>) -> Result<String, IpcError> {
    let engine = state.engine()?;
    state.local_api.rotate_token(&engine).await
}

/// One request the local API answered (never a body or a header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiRequestView {
    /// `GET`, `POST`…
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The HTTP status answered.
    pub status: u16,
    /// How long it took, milliseconds.
    pub millis: u32,
    /// When it finished (RFC 3339).
    pub at: String,
}

/// The local API's last requests, newest first.
#[tauri::command]
#[specta::specta]
pub async fn local_api_requests(
    state: State<'_, AppState>,
) -> Result<Vec<ApiRequestView>, IpcError> {
    Ok(state
        .local_api
        .recent_requests()
        .await
        .into_iter()
        .map(|r| ApiRequestView {
            method: r.method,
            path: r.path,
            status: r.status,
            millis: u32::try_from(r.millis).unwrap_or(u32::MAX),
            at: r.at,
        })
        .collect())
}
