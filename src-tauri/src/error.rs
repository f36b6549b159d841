//! Errors at the IPC boundary: `{ code, message }` with a stable code the UI translates.
//!
//! The UI branches on `code` only and never parses `message`, which is English text for logs
//! and for the rare case where no translation exists yet.

use serde::Serialize;
use smm_engine::paths::PathsError;

use crate::settings::SettingsError;

/// A stable, machine-readable error code. Renaming a variant is a breaking change for the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Something went wrong that the user cannot fix; details are in the log.
    Internal,
    /// The OS reported no home folder and `SMM_DESK_DATA_DIR` is not set.
    NoHomeFolder,
    /// A data, config or log folder could not be created.
    FolderNotCreated,
    /// The settings file could not be written.
    SettingsNotSaved,
}

/// What a failed command returns to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct IpcError {
    /// The stable code the UI translates.
    pub code: ErrorCode,
    /// An English description for logs; never shown as the only explanation.
    pub message: String,
}

impl IpcError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<PathsError> for IpcError {
    fn from(err: PathsError) -> Self {
        let code = match err {
            PathsError::NoHome => ErrorCode::NoHomeFolder,
            PathsError::Create { .. } => ErrorCode::FolderNotCreated,
        };
        Self::new(code, err.to_string())
    }
}

impl From<SettingsError> for IpcError {
    fn from(err: SettingsError) -> Self {
        Self::new(ErrorCode::SettingsNotSaved, err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialize_as_code_and_message() {
        let err = IpcError::from(PathsError::NoHome);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "no_home_folder");
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("SMM_DESK_DATA_DIR"));
        assert_eq!(json.as_object().unwrap().len(), 2);
    }

    #[test]
    fn codes_are_stable() {
        let codes = [
            (ErrorCode::Internal, "internal"),
            (ErrorCode::NoHomeFolder, "no_home_folder"),
            (ErrorCode::FolderNotCreated, "folder_not_created"),
            (ErrorCode::SettingsNotSaved, "settings_not_saved"),
        ];
        for (code, text) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), text);
        }
    }
}
