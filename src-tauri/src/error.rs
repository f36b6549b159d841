//! Errors at the IPC boundary: `{ code, message }` with a stable code the UI translates.
//!
//! Codes are the engine's (`EngineError::code()`, e.g. `provider.not_found`) plus the few
//! this crate adds (see [`codes`]). The UI branches on `code` only and never parses `message`,
//! which is English text for logs.

use serde::Serialize;
use smm_engine::paths::PathsError;
use smm_engine::{EngineError, OrderError, OrderField};

use crate::settings::SettingsError;

/// Codes for failures that happen in the desktop app itself rather than in the engine.
pub mod codes {
    /// The settings file could not be written.
    pub const SETTINGS_NOT_SAVED: &str = "settings.not_saved";
    /// A background task of a command failed (it panicked or was cancelled).
    pub const TASK_FAILED: &str = "app.task_failed";
    /// The local API's port is taken by another program.
    pub const API_PORT_IN_USE: &str = "api.port_in_use";
}

/// What a failed command returns to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    /// The stable, dotted code the UI translates, e.g. `provider.not_found`.
    pub code: String,
    /// An English description for logs; the UI shows its own translation of `code`.
    pub message: String,
    /// The form field the error is about, when it is about one (`link`, `quantity`,
    /// `apiUrl`…), so the UI can show it in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IpcError {
    /// An error with a code and a message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            field: None,
        }
    }

    /// Bad input in one field (`input.invalid`).
    pub fn input(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_string()),
            ..Self::new("input.invalid", message)
        }
    }
}

impl From<EngineError> for IpcError {
    fn from(err: EngineError) -> Self {
        let body = err.to_body();
        Self {
            field: field_of(&err),
            ..Self::new(body.code, body.message)
        }
    }
}

/// The form field an engine error is about, in the UI's (camelCase) names.
fn field_of(err: &EngineError) -> Option<String> {
    let field = match err {
        EngineError::Input { field, .. } => match *field {
            "sale_price" => "salePrice",
            "min_margin" => "minMargin",
            other => other,
        },
        EngineError::CustomerNameTaken(_) => "customer",
        EngineError::ProviderNameTaken(_) | EngineError::ProviderNameInvalid(_) => "name",
        EngineError::UrlInvalid(_) | EngineError::UrlScheme(_) | EngineError::UrlInsecure(_) => {
            "apiUrl"
        }
        EngineError::KeyEmpty | EngineError::Decrypt => "apiKey",
        EngineError::Order(e) => return order_field(e).map(str::to_string),
        EngineError::Webhook(e) => return e.field().map(str::to_string),
        EngineError::Route(e) => return e.field().map(str::to_string),
        _ => return None,
    };
    Some(field.to_string())
}

/// The New order form field an order error is about, in the form's names.
fn order_field(e: &OrderError) -> Option<&'static str> {
    match e {
        OrderError::ServiceNotFound { .. } => Some("serviceId"),
        OrderError::Form(e) => e.field().map(OrderField::form_name),
        _ => None,
    }
}

impl From<PathsError> for IpcError {
    fn from(err: PathsError) -> Self {
        EngineError::from(err).into()
    }
}

impl From<SettingsError> for IpcError {
    fn from(err: SettingsError) -> Self {
        Self::new(codes::SETTINGS_NOT_SAVED, err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_code_and_message() {
        let err = IpcError::from(EngineError::ProviderNotFound("jap".into()));
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "provider.not_found");
        assert_eq!(json["message"], "no provider named \"jap\"");
        assert_eq!(json.as_object().unwrap().len(), 2, "only code and message");
    }

    #[test]
    fn sale_fields_map_to_the_forms_names() {
        let field = |e: EngineError| IpcError::from(e).field;
        let input = |field: &'static str| EngineError::Input {
            field,
            message: "bad".into(),
        };
        assert_eq!(field(input("sale_price")).as_deref(), Some("salePrice"));
        assert_eq!(field(input("customer")).as_deref(), Some("customer"));
        assert_eq!(field(input("min_margin")).as_deref(), Some("minMargin"));
        assert_eq!(
            field(EngineError::CustomerNameTaken("Sara".into())).as_deref(),
            Some("customer")
        );
    }

    #[test]
    fn folder_errors_map_to_the_engine_code() {
        let err = IpcError::from(PathsError::NoHome);
        assert_eq!(err.code, "paths.failed");
        assert!(err.message.contains("SMM_DESK_DATA_DIR"), "{}", err.message);
    }

    #[test]
    fn settings_errors_have_their_own_code() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the config folder should be: saving must fail.
        let blocked = dir.path().join("config");
        std::fs::write(&blocked, "").unwrap();
        let err = crate::settings::save(
            &blocked,
            &crate::settings::UiSettings {
                language: crate::settings::Language::En,
                theme: crate::settings::Theme::System,
                digits: crate::settings::Digits::Latin,
            },
        )
        .unwrap_err();
        assert_eq!(IpcError::from(err).code, "settings.not_saved");
    }
}
