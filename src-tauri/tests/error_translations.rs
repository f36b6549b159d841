//! Every error code that can cross the IPC boundary has an English and an Arabic text in the
//! UI (`ui/src/i18n/{en,ar}.json`, under `errors.`), so the UI never falls back to a raw code.
//!
//! The engine's codes are read from `EngineError::code()` in `crates/engine/src/error/mod.rs` and
//! `OrderError::code()` in `crates/engine/src/error/order.rs` and `OrderFormError::code()` in
//! `crates/panel/src/order_form.rs` (every `=> "some.code"` arm),
//! the mass-order line codes from `crates/engine/src/orders/mass.rs` (`code: "…"`), the folder
//! codes from `PathsError::code()` in `crates/engine/src/paths.rs`, the webhook codes from
//! `WebhookError::code()` in `crates/engine/src/error/webhook.rs`, the app's
//! own from `smm_desk::error::codes`.

use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The dotted codes in `=> "..."` match arms of the engine's error modules.
fn engine_codes() -> Vec<String> {
    let mut codes = codes_in("crates/engine/src/error/mod.rs", "=> \"");
    codes.extend(codes_in("crates/engine/src/error/order.rs", "=> \""));
    codes.extend(codes_in("crates/panel/src/order_form.rs", "=> \""));
    codes.extend(codes_in("crates/engine/src/orders/mass.rs", "code: \""));
    codes.extend(codes_in("crates/engine/src/paths.rs", "=> \""));
    codes.extend(codes_in("crates/engine/src/error/webhook.rs", "=> \""));
    codes
}

/// The dotted codes that follow `marker` in a source file.
fn codes_in(file: &str, marker: &str) -> Vec<String> {
    let source = std::fs::read_to_string(repo().join(file)).unwrap();
    let mut codes = Vec::new();
    for arm in source.split(marker).skip(1) {
        let code = arm.split('"').next().unwrap_or_default();
        let is_code = code.contains('.')
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if is_code {
            codes.push(code.to_string());
        }
    }
    codes
}

fn translation(lang: &str, code: &str) -> Option<String> {
    let path = repo().join(format!("ui/src/i18n/{lang}.json"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut node = json.get("errors")?;
    for part in code.split('.') {
        node = node.get(part)?;
    }
    node.as_str().map(str::to_string)
}

#[test]
fn every_error_code_is_translated() {
    let mut codes = engine_codes();
    assert!(
        codes.len() >= 10,
        "found only {} codes in crates/engine/src/error/mod.rs; did EngineError::code() move? \
         Update this test to read it from its new place",
        codes.len()
    );
    codes.push(smm_desk::error::codes::SETTINGS_NOT_SAVED.to_string());
    codes.push(smm_desk::error::codes::TASK_FAILED.to_string());
    codes.push(smm_desk::error::codes::API_PORT_IN_USE.to_string());
    codes.push("ipc.failed".to_string()); // the UI's own, for Tauri's plain-string rejections
    let missing: Vec<String> = codes
        .iter()
        .flat_map(|code| {
            ["en", "ar"]
                .into_iter()
                .filter(|lang| translation(lang, code).is_none_or(|t| t.trim().is_empty()))
                .map(move |lang| format!("{lang}: errors.{code}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "error codes without a translation in ui/src/i18n: {missing:#?}"
    );
}
