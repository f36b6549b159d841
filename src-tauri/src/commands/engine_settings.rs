//! Settings kept by the engine (job intervals, alert thresholds, retention), where the
//! master key lives, and a backup of the database to a file the user picks.

use serde::Serialize;
use smm_engine::reconcile;
use smm_engine::scheduler::timing;
use smm_engine::AlertKind;
use tauri::State;

use super::blocking;
use crate::error::IpcError;
use crate::AppState;

/// A whole-number setting: its key, its default and its smallest value.
const NUMBERS: &[(&str, u64, u64)] = &[
    (timing::ORDER_STATUS_INTERVAL, 300, 1),
    (timing::CATALOG_SYNC_INTERVAL, 3600, 1),
    (timing::BALANCE_INTERVAL, 3600, 1),
    (timing::CLEANUP_INTERVAL, 604_800, 1),
    (smm_engine::alerts::ORDER_STUCK_AFTER, 43_200, 60),
    (smm_engine::alerts::PROVIDER_FAILING_CALLS, 5, 1),
    (timing::API_CALLS_RETENTION, 30, 1),
    (timing::EVENT_DETAIL_RETENTION, 90, 1),
    (timing::ORDER_ARCHIVE_AFTER, 90, 1),
];

/// One engine setting.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EngineSettingView {
    /// The key (`jobs.order_status.interval_secs`, `alerts.low_balance.enabled`…).
    pub key: String,
    /// The value now (the default when unset).
    pub value: String,
    /// The default.
    pub default: String,
    /// `number` (whole, at least `min`), `amount` (a decimal of at least 0, in each
    /// account's currency) or `switch` (`true`/`false`).
    pub kind: String,
    /// The smallest allowed number.
    pub min: u32,
}

fn all(engine: &smm_engine::Engine) -> Result<Vec<EngineSettingView>, IpcError> {
    let mut out = Vec::new();
    for (key, default, min) in NUMBERS {
        let value = engine
            .setting(key)?
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|v| v >= min)
            .unwrap_or(*default);
        out.push(EngineSettingView {
            key: (*key).into(),
            value: value.to_string(),
            default: default.to_string(),
            kind: "number".into(),
            min: u32::try_from(*min).unwrap_or(u32::MAX),
        });
    }
    out.push(EngineSettingView {
        key: reconcile::TOLERANCE.into(),
        value: super::money(engine.reconcile_tolerance()?),
        default: "0.01".into(),
        kind: "amount".into(),
        min: 0,
    });
    for kind in AlertKind::ALL {
        out.push(EngineSettingView {
            key: kind.setting(),
            value: engine.alert_enabled(kind)?.to_string(),
            default: "true".into(),
            kind: "switch".into(),
            min: 0,
        });
    }
    Ok(out)
}

/// The engine's settings with their defaults.
#[tauri::command]
#[specta::specta]
pub async fn engine_settings(
    state: State<'_, AppState>,
) -> Result<Vec<EngineSettingView>, IpcError> {
    let engine = state.engine()?;
    blocking(move || all(&engine)).await
}

/// Changes one engine setting (checked against its kind) and makes the scheduler re-read
/// its schedule; returns every setting.
#[tauri::command]
#[specta::specta]
pub async fn set_engine_setting(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Result<Vec<EngineSettingView>, IpcError> {
    let engine = state.engine()?;
    let value = value.trim();
    if key == reconcile::TOLERANCE {
        // The engine checks it (an `input.invalid` on `tolerance`).
        let value = value.to_string();
        return blocking(move || {
            let set = engine.set_reconcile_tolerance(&value)?;
            tracing::info!(%key, value = %set, "engine setting changed");
            all(&engine)
        })
        .await;
    }
    if let Some((_, _, min)) = NUMBERS.iter().find(|(k, _, _)| *k == key) {
        match value.parse::<u64>() {
            Ok(v) if v >= *min => {}
            _ => {
                return Err(IpcError::input(
                    "value",
                    format!("{key} takes a whole number of at least {min}"),
                ))
            }
        }
    } else if AlertKind::ALL.iter().any(|k| k.setting() == key) {
        if value != "true" && value != "false" {
            return Err(IpcError::input("value", format!("{key} is true or false")));
        }
    } else {
        return Err(IpcError::input("key", format!("{key:?} is not a setting")));
    }
    let value = value.to_string();
    blocking(move || {
        engine.set_setting(&key, &value)?;
        engine.reschedule_jobs();
        tracing::info!(%key, %value, "engine setting changed");
        all(&engine)
    })
    .await
}

/// Where the master key lives.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyStoreView {
    /// `keychain` or `key_file`.
    pub kind: String,
    /// The key file, when it is one.
    pub path: Option<String>,
    /// The key file is inside the data folder (a copy of the folder carries the key).
    pub in_data_folder: bool,
}

/// Where the master key that encrypts the API keys lives.
#[tauri::command]
#[specta::specta]
pub fn key_store(state: State<'_, AppState>) -> Result<KeyStoreView, IpcError> {
    Ok(match state.engine()?.key_store() {
        smm_engine::KeyStore::Keychain => KeyStoreView {
            kind: "keychain".into(),
            path: None,
            in_data_folder: false,
        },
        smm_engine::KeyStore::KeyFile(p) => KeyStoreView {
            kind: "key_file".into(),
            path: Some(p.display().to_string()),
            in_data_folder: p.starts_with(&state.paths.data_dir),
        },
    })
}

/// A backup that was written.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupView {
    /// The file written.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u32,
}

/// Writes a consistent copy of the database to a file the user picks; `null` when cancelled.
/// The copy holds the API keys encrypted: it opens only with this computer's master key.
#[tauri::command]
#[specta::specta]
pub async fn backup_database(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<BackupView>, IpcError> {
    let engine = state.engine()?;
    let name = format!(
        "smm-desk-backup-{}.sqlite3",
        jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S")
    );
    let Some(path) = crate::dialogs::save_file(&app, &name, "SQLite", &["sqlite3", "db"]).await
    else {
        return Ok(None);
    };
    if path.exists() {
        // VACUUM INTO refuses an existing file; the dialog already asked to replace it.
        std::fs::remove_file(&path)
            .map_err(|e| IpcError::new("io.failed", format!("replacing the backup file: {e}")))?;
    }
    let bytes = blocking({
        let path = path.clone();
        move || Ok(engine.store().backup_to(&path)?)
    })
    .await?;
    tracing::info!(bytes, path = %path.display(), "database backed up");
    Ok(Some(BackupView {
        path: path.display().to_string(),
        bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
    }))
}
