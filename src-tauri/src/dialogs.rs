//! Native file dialogs, opened from Rust so the webview needs no dialog permission.
//!
//! `SMM_DESK_DIALOG_DIR` (end-to-end tests only: a test cannot click a native dialog) skips
//! the dialog: a save dialog answers with the suggested file name inside that folder, an open
//! dialog with the newest file there that has one of the extensions (so a test restores the
//! backup it made last), a folder picker with the suggested sub-folder of it.

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

/// Asks for an existing file to open; `None` when the user cancelled.
pub async fn open_file(app: &AppHandle, filter_name: &str, extensions: &[&str]) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIALOG_DIR_ENV) {
        return newest_with_extension(&PathBuf::from(dir), extensions);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter(filter_name, extensions)
        .pick_file(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
    rx.await.ok().flatten()
}

/// Asks for a folder; `None` when the user cancelled.
pub async fn pick_folder(app: &AppHandle, suggested: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIALOG_DIR_ENV) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().pick_folder(move |path| {
        let _ = tx.send(path.and_then(|p| p.into_path().ok()));
    });
    rx.await.ok().flatten()
}

/// The most recently modified file in `dir` whose extension is one of `extensions`.
fn newest_with_extension(dir: &std::path::Path, extensions: &[&str]) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.contains(&x))
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}
