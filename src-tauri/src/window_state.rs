//! The window's size and place across launches.
//!
//! `tauri-plugin-window-state` restores them when the main window is created and writes them
//! when the app exits normally. An app that is killed, crashes or loses its session never
//! exits normally, so the state is also written shortly after the user stops resizing or
//! moving the window (one write per gesture, not per event).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::{Manager, Runtime, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered: everything the plugin knows (size, place, maximized, full screen…).
pub const FLAGS: StateFlags = StateFlags::all();

/// How long the window must stay still before its state is written.
const SETTLE: Duration = Duration::from_millis(400);

/// The plugin, writing to `file` (an absolute path).
pub fn plugin<R: Runtime>(file: &std::path::Path) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_filename(file.to_string_lossy())
        .with_state_flags(FLAGS)
        .build()
}

/// Writes the window state [`SETTLE`] after the last resize or move of `window`.
pub fn save_when_settled<R: Runtime>(window: &WebviewWindow<R>) {
    let changes = Arc::new(AtomicU64::new(0));
    let app = window.app_handle().clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
            return;
        }
        let this = changes.fetch_add(1, Ordering::SeqCst) + 1;
        let (changes, app) = (changes.clone(), app.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            if changes.load(Ordering::SeqCst) != this {
                return; // a later change writes it
            }
            // Reads the window (a round trip to the window's thread) and writes a small file.
            let saved =
                tauri::async_runtime::spawn_blocking(move || app.save_window_state(FLAGS)).await;
            match saved {
                Ok(Ok(())) => tracing::debug!("window size and place saved"),
                Ok(Err(err)) => tracing::warn!(%err, "cannot save the window's size and place"),
                Err(err) => tracing::warn!(%err, "saving the window's size and place failed"),
            }
        });
    });
}
