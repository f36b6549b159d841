//! smm-desk: the SMM Desk desktop app — a Tauri window over the engine.
//!
//! This crate stays thin: commands parse input, call the engine and map errors (design §1).

pub mod commands;
pub mod error;
pub mod settings;

use smm_engine::demo::{DemoPanel, DEFAULT_DEMO_SERVICES};
use smm_engine::paths::AppPaths;
use smm_engine::Engine;

use crate::error::IpcError;

/// What every command can reach.
pub struct AppState {
    /// The data, config and log folders.
    pub paths: AppPaths,
    /// The engine, or why it could not be opened (every engine command then returns it, and
    /// Settings still works).
    pub engine: Result<Engine, IpcError>,
    /// The running demo panel, if the user started it.
    pub demo: tokio::sync::Mutex<Option<DemoPanel>>,
    /// Services in the demo catalog (`SMM_DESK_DEMO_SERVICES`, for tests; default 300).
    pub demo_services: usize,
}

impl AppState {
    /// Opens the engine over `paths`.
    pub fn open(paths: AppPaths) -> Self {
        let engine = Engine::open(&paths).map_err(|err| {
            tracing::error!(%err, "cannot open the engine");
            IpcError::from(err)
        });
        let demo_services = std::env::var("SMM_DESK_DEMO_SERVICES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_DEMO_SERVICES);
        Self {
            paths,
            engine,
            demo: tokio::sync::Mutex::new(None),
            demo_services,
        }
    }

    /// The engine, or the error that kept it from opening.
    pub fn engine(&self) -> Result<Engine, IpcError> {
        self.engine.clone()
    }
}

/// The label of the main window (see `tauri.conf.json` and `capabilities/`).
pub const MAIN_WINDOW: &str = "main";

/// Opens the main window and runs the app until it is closed.
pub fn run(paths: AppPaths) -> tauri::Result<()> {
    let ipc = commands::builder();
    let webview_dir = paths.data_dir.join("webview");
    tauri::Builder::default()
        .invoke_handler(ipc.invoke_handler())
        .manage(AppState::open(paths))
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
