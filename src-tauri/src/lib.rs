//! smm-desk: the SMM Desk desktop app — a Tauri window over the engine.
//!
//! This crate stays thin: commands parse input, call the engine and map errors (design §1).

pub mod commands;
pub mod error;
pub mod settings;

use smm_engine::paths::AppPaths;

/// What every command can reach.
pub struct AppState {
    /// The data, config and log folders.
    pub paths: AppPaths,
}

/// The label of the main window (see `tauri.conf.json` and `capabilities/`).
pub const MAIN_WINDOW: &str = "main";

/// Opens the main window and runs the app until it is closed.
pub fn run(paths: AppPaths) -> tauri::Result<()> {
    let ipc = commands::builder();
    let webview_dir = paths.data_dir.join("webview");
    tauri::Builder::default()
        .invoke_handler(ipc.invoke_handler())
        .manage(AppState { paths })
        .setup(move |app| {
            ipc.mount_events(app);
            open_main_window(app, webview_dir.clone())?;
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// Creates the main window from its `tauri.conf.json` entry, with the webview's own storage
/// under the data folder so each data folder (and each test) is isolated.
fn open_main_window(app: &tauri::App, webview_dir: std::path::PathBuf) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
        .expect("tauri.conf.json declares the main window");
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(webview_dir)
        .build()?;
    Ok(())
}
