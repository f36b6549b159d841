//! smm-desk: the SMM Desk desktop app — a Tauri window over the engine.
//!
//! This crate stays thin: commands parse input, call the engine and map errors
//! (docs/architecture.md §1).

pub mod background;
pub mod commands;
pub mod dialogs;
pub mod error;
pub mod events;
pub mod local_api;
pub mod settings;
pub mod window_state;

use smm_engine::demo::{DemoPanel, DEFAULT_DEMO_SERVICES};
use smm_engine::paths::{AppPaths, DataDirSource, PathsError};
use smm_engine::Engine;

use crate::error::IpcError;

/// What every command can reach.
pub struct AppState {
    /// The data, config and log folders.
    pub paths: AppPaths,
    /// Why the data folder is the one it is (a forced one cannot be changed in Settings).
    pub data_source: DataDirSource,
    /// The engine, or why it could not be opened (every engine command then returns it, and
    /// Settings still works).
    pub engine: Result<Engine, IpcError>,
    /// The running demo panel, if the user started it.
    pub demo: tokio::sync::Mutex<Option<DemoPanel>>,
    /// Services in the demo catalog (`SMM_DESK_DEMO_SERVICES`, for tests; default 300).
    pub demo_services: usize,
    /// The engine's scheduler while the app runs (stopped on exit).
    pub scheduler: tokio::sync::Mutex<Option<smm_engine::Scheduler>>,
    /// The local API, while Settings › Local API has it on.
    pub local_api: local_api::LocalApi,
}

impl AppState {
    /// Opens the engine over `paths`.
    pub fn open(paths: AppPaths) -> Self {
        // The folders the app resolves by itself (`main`) have a known source; folders given
        // some other way (tests) count as explicit, which cannot be changed.
        let data_source = match AppPaths::resolve_with_source(None) {
            Ok((resolved, source)) if resolved == paths => source,
            _ => DataDirSource::Explicit,
        };
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
            data_source,
            engine,
            demo: tokio::sync::Mutex::new(None),
            demo_services,
            scheduler: tokio::sync::Mutex::new(None),
            local_api: local_api::LocalApi::default(),
        }
    }

    /// No engine: the data folder the pointer file names cannot be used. Every engine command
    /// returns the problem; `startup_problem` shows it with a way out.
    pub fn unavailable(paths: AppPaths, err: PathsError) -> Self {
        Self {
            paths,
            data_source: DataDirSource::Default,
            engine: Err(IpcError::from(err)),
            demo: tokio::sync::Mutex::new(None),
            demo_services: DEFAULT_DEMO_SERVICES,
            scheduler: tokio::sync::Mutex::new(None),
            local_api: local_api::LocalApi::default(),
        }
    }

    /// Restarts the demo panel when the demo provider exists and is enabled (its simulator
    /// does not outlive the app); `true` when it was restarted.
    pub async fn resume_demo(&self) -> bool {
        let Ok(engine) = self.engine() else {
            return false;
        };
        match engine.provider(smm_engine::demo::DEMO_PROVIDER) {
            Ok(p) if p.is_demo && p.active => {}
            _ => return false,
        }
        let mut running = self.demo.lock().await;
        if running.is_some() {
            return false;
        }
        match engine.start_demo(self.demo_services).await {
            Ok(demo) => {
                tracing::info!(url = %demo.sim.url(), "demo panel resumed");
                *running = Some(demo);
                true
            }
            Err(err) => {
                tracing::warn!(%err, "cannot resume the demo panel");
                false
            }
        }
    }

    /// The engine, or the error that kept it from opening.
    pub fn engine(&self) -> Result<Engine, IpcError> {
        self.engine.clone()
    }
}

/// The label of the main window (see `tauri.conf.json` and `capabilities/`).
pub const MAIN_WINDOW: &str = "main";

/// Opens the main window and runs the app until it is closed: one instance at a time (a
/// second launch focuses the first), the window's size and place remembered, the scheduler
/// running while the window is open and stopped cleanly on exit.
/// `data_folder_problem`: the data folder chosen in Settings is unusable; the app then runs
/// without an engine and shows the problem (see [`AppState::unavailable`]).
pub fn run(paths: AppPaths, data_folder_problem: Option<PathsError>) -> tauri::Result<()> {
    let ipc = commands::builder();
    let webview_dir = paths.data_dir.join("webview");
    // Under the app's own config folder (so it follows SMM_DESK_DATA_DIR), not Tauri's.
    let window_state_file = paths.config_dir.join("window-state.json");
    // One instance per data folder: the D-Bus name carries a hash of the folder.
    let instance_id = format!("com.smmdesk.desk.i{:016x}", fnv1a(&paths.data_dir));
    let app = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id)
                .callback(|app, _args, _cwd| focus_main_window(app))
                .build(),
        )
        .plugin(window_state::plugin(&window_state_file))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(ipc.invoke_handler())
        .manage(match data_folder_problem {
            Some(err) => AppState::unavailable(paths, err),
            None => AppState::open(paths),
        })
        .setup(move |app| {
            ipc.mount_events(app);
            open_main_window(app, webview_dir.clone())?;
            background::start(app.handle());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                use tauri::Manager;
                use tauri_specta::Event;
                let state = handle.state::<AppState>();
                if let Ok(engine) = state.engine() {
                    state.local_api.resume(&engine).await;
                }
                if state.resume_demo().await {
                    let changed = events::ProvidersChanged {
                        reason: "demo_resumed".into(),
                    };
                    if let Err(err) = changed.emit(&handle) {
                        tracing::warn!(%err, "cannot tell the window the demo panel is back");
                    }
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            let state = handle.state::<AppState>();
            tauri::async_runtime::block_on(state.local_api.shutdown());
            background::stop(handle);
        }
    });
    Ok(())
}

/// Brings the main window to the front (a second launch of the app).
fn focus_main_window(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A stable 64-bit FNV-1a hash of a path (for the single-instance name).
fn fnv1a(path: &std::path::Path) -> u64 {
    path.to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Creates the main window from its `tauri.conf.json` entry, with the webview's own storage
/// under the data folder so each data folder (and each test) is isolated; the window-state
/// plugin gives it its size and place from the last run.
fn open_main_window(app: &tauri::App, webview_dir: std::path::PathBuf) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
        .expect("tauri.conf.json declares the main window");
    let window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(webview_dir)
        .build()?;
    window_state::save_when_settled(&window);
    Ok(())
}
