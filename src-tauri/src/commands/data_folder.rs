//! The data folder as a whole (issue #8): where it is and why, moving it, and restoring a
//! backup. The engine does the work and the checks ([`smm_engine::data`]); these commands
//! add the native dialogs and the restart. The backup itself is
//! [`super::engine_settings::backup_database`].

use serde::Serialize;
use smm_engine::data::{self, MoveMode};
use smm_engine::paths::{AppPaths, DataDirSource};
use smm_engine::KeyStoreChoice;
use tauri::{Manager, State};

use super::blocking;
use crate::error::IpcError;
use crate::AppState;

/// Where the data is, why, and what a restore is doing.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DataFolderView {
    /// The data folder in use.
    pub data_dir: String,
    /// `default`, `pointer` (chosen in Settings), `env` (SMM_DESK_DATA_DIR) or `explicit`.
    pub source: String,
    /// Whether it can be changed here (not forced from outside).
    pub changeable: bool,
    /// A restore is staged and is applied on the next start.
    pub restore_pending: bool,
    /// A staged restore could not be applied at this start (another program has the folder).
    pub restore_blocked: bool,
    /// When a restore was applied at this start: where the replaced database is kept.
    pub restored_previous: Option<String>,
}

fn view(state: &AppState) -> DataFolderView {
    let engine = state.engine().ok();
    DataFolderView {
        data_dir: state.paths.data_dir.display().to_string(),
        source: match state.data_source {
            DataDirSource::Explicit => "explicit",
            DataDirSource::Env => "env",
            DataDirSource::Pointer(_) => "pointer",
            DataDirSource::Default => "default",
        }
        .into(),
        changeable: !state.data_source.is_forced(),
        restore_pending: data::pending_restore(&state.paths).is_some(),
        restore_blocked: engine.as_ref().is_some_and(|e| e.restore_blocked()),
        restored_previous: engine
            .as_ref()
            .and_then(|e| e.applied_restore())
            .map(|r| r.previous.display().to_string()),
    }
}

/// [`view`] on the blocking pool (it looks on disk for a staged restore).
async fn view_off_main(app: &tauri::AppHandle) -> Result<DataFolderView, IpcError> {
    let app = app.clone();
    blocking(move || Ok(view(&app.state::<AppState>()))).await
}

/// The data folder, why it is the one it is, and the state of a restore.
#[tauri::command]
#[specta::specta]
pub async fn data_folder(app: tauri::AppHandle) -> Result<DataFolderView, IpcError> {
    view_off_main(&app).await
}

/// A backup file that passed every check, shown in the confirmation.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupCheckView {
    /// The file.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u32,
    /// Live providers in it.
    pub providers: u32,
    /// Orders in it.
    pub orders: u32,
    /// The folder where the current database is kept when the restore is applied.
    pub keep_folder: String,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Asks for a backup file and checks it (nothing is changed); `null` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<BackupCheckView>, IpcError> {
    let Some(path) = crate::dialogs::open_file(&app, "SQLite", &["sqlite3", "db"]).await else {
        return Ok(None);
    };
    let paths = state.paths.clone();
    let summary = blocking(move || {
        Ok(data::inspect_backup(
            &paths,
            KeyStoreChoice::from_env(),
            &path,
        )?)
    })
    .await?;
    Ok(Some(BackupCheckView {
        path: summary.path.display().to_string(),
        bytes: u32::try_from(summary.bytes).unwrap_or(u32::MAX),
        providers: count(summary.providers),
        orders: count(summary.orders),
        keep_folder: state.paths.data_dir.display().to_string(),
    }))
}

/// Checks the backup again and stages it; it replaces the data on the next start (the
/// window then offers to restart). Nothing changes when a check fails.
#[tauri::command]
#[specta::specta]
pub async fn restore_database(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<DataFolderView, IpcError> {
    let paths = state.paths.clone();
    let file = std::path::PathBuf::from(path);
    blocking(move || {
        Ok(data::stage_restore(
            &paths,
            KeyStoreChoice::from_env(),
            &file,
        )?)
    })
    .await?;
    view_off_main(&app).await
}

/// Drops a staged restore.
#[tauri::command]
#[specta::specta]
pub async fn cancel_restore(app: tauri::AppHandle) -> Result<DataFolderView, IpcError> {
    let paths = app.state::<AppState>().paths.clone();
    blocking(move || Ok(data::cancel_restore(&paths)?)).await?;
    view_off_main(&app).await
}

/// End-to-end tests only: `restart_app` quits instead of starting the app again (a relaunched
/// app would escape the WebDriver; the test starts the next session itself).
pub const NO_RELAUNCH_ENV: &str = "SMM_DESK_NO_RELAUNCH";

/// Restarts the app (the scheduler stops cleanly first); a staged restore or a new data
/// folder takes effect.
#[tauri::command]
#[specta::specta]
pub fn restart_app(app: tauri::AppHandle) {
    if std::env::var_os(NO_RELAUNCH_ENV).is_some() {
        tracing::info!("quitting instead of restarting ({NO_RELAUNCH_ENV})");
        app.exit(0);
        return;
    }
    tracing::info!("restarting at the user's request");
    app.request_restart();
}

/// A folder the user picked for the data.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FolderChoiceView {
    /// The folder.
    pub path: String,
    /// It already holds SMM Desk data (then only "use the data there" is possible).
    pub holds_data: bool,
}

/// Asks for a folder for the data; `null` when cancelled. Nothing is changed yet.
#[tauri::command]
#[specta::specta]
pub async fn choose_data_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<FolderChoiceView>, IpcError> {
    if state.data_source.is_forced() {
        return Err(forced(&state.data_source));
    }
    let Some(path) = crate::dialogs::pick_folder(&app, "smm-desk-data").await else {
        return Ok(None);
    };
    let under = AppPaths::under(path.clone());
    let holds_data = blocking(move || {
        Ok(under.database_file().exists()
            || under
                .config_dir
                .join(smm_engine::secrets::KEY_FILE_NAME)
                .exists())
    })
    .await?;
    Ok(Some(FolderChoiceView {
        path: path.display().to_string(),
        holds_data,
    }))
}

fn forced(source: &DataDirSource) -> IpcError {
    let by = match source {
        DataDirSource::Env => smm_engine::paths::DATA_DIR_ENV,
        _ => "--data-dir",
    };
    smm_engine::EngineError::DataDirForced(by.into()).into()
}

/// A data folder change, effective from the next start.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MovedView {
    /// The folder in use until the restart, left as it was.
    pub old_dir: String,
    /// The folder used from the next start on.
    pub new_dir: String,
    /// The data was copied (`false`: the data already there is used).
    pub copied: bool,
}

/// Moves the data to `path` (a checked copy; or, with `use_existing`, the SMM Desk data
/// already there, checked) and records the choice; it takes effect on the next start.
#[tauri::command]
#[specta::specta]
pub async fn change_data_folder(
    state: State<'_, AppState>,
    path: String,
    use_existing: bool,
) -> Result<MovedView, IpcError> {
    if state.data_source.is_forced() {
        return Err(forced(&state.data_source));
    }
    let engine = state.engine()?;
    let source = state.data_source.clone();
    let pointer = match &source {
        DataDirSource::Pointer(p) => Some(p.clone()),
        _ => AppPaths::pointer_file(),
    }
    .ok_or_else(|| IpcError::from(smm_engine::paths::PathsError::NoHome))?;
    let mode = if use_existing {
        MoveMode::UseExisting
    } else {
        MoveMode::Copy
    };
    let target = std::path::PathBuf::from(path);
    let moved =
        blocking(move || Ok(engine.move_data_folder(&source, &pointer, &target, mode)?)).await?;
    Ok(MovedView {
        old_dir: moved.old_dir.display().to_string(),
        new_dir: moved.new_dir.display().to_string(),
        copied: moved.copied,
    })
}

/// Why the app started without its data, for a full-window notice.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StartupProblemView {
    /// The error (code for the translated text, message for the log).
    pub error: IpcError,
    /// The data folder the app tried to use (for a pointer problem: the folder the pointer names
    /// is in the message; this is the default folder).
    pub data_dir: String,
    /// The problem is the data folder chosen in Settings: going back to the default folder
    /// ([`use_default_data_folder`]) is a way out.
    pub folder_choice: bool,
    /// The file that records the chosen folder.
    pub pointer_file: Option<String>,
    /// The folder chosen in Settings, as that file records it (for a folder-choice problem).
    pub chosen_folder: Option<String>,
}

/// Why the engine could not be opened, or `null` when it was.
#[tauri::command]
#[specta::specta]
pub async fn startup_problem(
    state: State<'_, AppState>,
) -> Result<Option<StartupProblemView>, IpcError> {
    let Err(error) = state.engine() else {
        return Ok(None);
    };
    let data_dir = state.paths.data_dir.display().to_string();
    blocking(move || {
        let folder_choice = error.code.starts_with("data_dir.pointer_");
        let pointer = AppPaths::pointer_file();
        let chosen_folder = pointer
            .as_ref()
            .filter(|_| folder_choice)
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty());
        Ok(Some(StartupProblemView {
            folder_choice,
            data_dir,
            pointer_file: pointer.map(|p| p.display().to_string()),
            chosen_folder,
            error,
        }))
    })
    .await
}

/// Forgets the data folder chosen in Settings (deletes the pointer file; the folder itself is
/// left as it is) and restarts over the default folder. Only while that choice is the problem.
#[tauri::command]
#[specta::specta]
pub async fn use_default_data_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<(), IpcError> {
    let chosen_folder_is_the_problem = state
        .engine()
        .err()
        .is_some_and(|e| e.code.starts_with("data_dir.pointer_"));
    if !chosen_folder_is_the_problem {
        return Err(IpcError::input(
            "folder",
            "the data folder is usable; change it in Settings instead",
        ));
    }
    blocking(forget_chosen_folder).await?;
    restart_app(app);
    Ok(())
}

/// Deletes the pointer file (a missing one is fine).
fn forget_chosen_folder() -> Result<(), IpcError> {
    let Some(pointer) = AppPaths::pointer_file() else {
        return Ok(());
    };
    match std::fs::remove_file(&pointer) {
        Ok(()) => {
            tracing::warn!(pointer = %pointer.display(), "chosen data folder forgotten: back to the default folder");
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(IpcError::from(smm_engine::paths::PathsError::Pointer {
            file: pointer,
            source,
        })),
    }
}
