//! Build script: generates the Tauri context and the permissions for SMM Desk's own commands.
//!
//! Listing the commands in the app manifest makes each one need an explicit `allow-<command>`
//! permission in `capabilities/`, so the UI can call nothing that is not granted there.

/// Every command the app exposes; keep in step with `commands::builder()`.
const COMMANDS: &[&str] = &["app_info", "get_ui_settings", "set_ui_settings"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
