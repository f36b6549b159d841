//! The UI's own preferences (language, theme), kept in `<config>/ui-settings.json`.
//!
//! They live in a file under the app's config folder rather than in the webview's
//! localStorage so that they follow `SMM_DESK_DATA_DIR` (one folder per test, per portable
//! install) and survive however the app was stopped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file name under the config folder.
pub const FILE_NAME: &str = "ui-settings.json";

/// The language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English, left to right.
    En,
    /// Arabic, right to left.
    Ar,
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Always light.
    Light,
    /// Always dark.
    Dark,
    /// Follow the operating system.
    System,
}

/// The digits numbers are written with, in either language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// 0123456789 — as on the providers' panels (the default).
    #[default]
    Latin,
    /// ٠١٢٣٤٥٦٧٨٩ — Arabic-Indic digits.
    Arabic,
}

/// The preferences the user chose in Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UiSettings {
    /// The interface language.
    pub language: Language,
    /// The colour theme.
    pub theme: Theme,
    /// The digits numbers, money and dates are written with (files saved before this setting
    /// existed read as Latin).
    #[serde(default)]
    pub digits: Digits,
}

/// Why the settings could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("cannot save settings to {path}: {source}")]
pub struct SettingsError {
    path: PathBuf,
    source: std::io::Error,
}

/// Reads the saved settings; `None` when nothing was saved yet or the file is unreadable
/// (a damaged file must not keep the app from starting; it is logged and replaced on save).
pub fn load(config_dir: &Path) -> Option<UiSettings> {
    let path = config_dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => {
            tracing::warn!(path = %path.display(), %err, "cannot read UI settings");
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(settings) => Some(settings),
        Err(err) => {
            tracing::warn!(path = %path.display(), %err, "ignoring damaged UI settings");
            None
        }
    }
}

/// Saves the settings atomically (a temporary file renamed over the old one).
pub fn save(config_dir: &Path, settings: &UiSettings) -> Result<(), SettingsError> {
    let path = config_dir.join(FILE_NAME);
    let tmp = config_dir.join(format!("{FILE_NAME}.tmp"));
    let err = |source| SettingsError {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(config_dir).map_err(err)?;
    let json = serde_json::to_vec_pretty(settings).expect("settings always serialize");
    std::fs::write(&tmp, json).map_err(err)?;
    std::fs::rename(&tmp, &path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_saved_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
    }

    #[test]
    fn saved_settings_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let chosen = UiSettings {
            language: Language::Ar,
            theme: Theme::Dark,
            digits: Digits::Arabic,
        };
        save(&config, &chosen).unwrap();
        assert_eq!(load(&config), Some(chosen));
        let text = std::fs::read_to_string(config.join(FILE_NAME)).unwrap();
        assert!(text.contains("\"language\": \"ar\""), "{text}");
    }

    #[test]
    fn settings_saved_before_digit_style_read_as_latin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"language":"ar","theme":"light"}"#,
        )
        .unwrap();
        let loaded = load(dir.path()).unwrap();
        assert_eq!(loaded.digits, Digits::Latin);
        assert_eq!(loaded.language, Language::Ar);
    }

    #[test]
    fn damaged_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{not json").unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
