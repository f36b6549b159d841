//! Native file dialogs, opened from Rust so the webview needs no dialog permission.
//!
//! `SMM_DESK_DIALOG_DIR` (end-to-end tests only: a test cannot click a native dialog) skips
//! the dialog and answers with the suggested file name inside that folder.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The environment variable of the test seam.
pub const DIALOG_DIR_ENV: &str = "SMM_DESK_DIALOG_DIR";

/// Asks where to save a file; `None` when the user cancelled.
pub async fn save_file(
    app: &AppHandle,
    suggested: &str,
    filter_name: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIALOG_DIR_ENV) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(suggested)
        .add_filter(filter_name, extensions)
        .save_file(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
    rx.await.ok().flatten()
}
