//! Settings: string key/value pairs kept in the database (intervals, thresholds, language…).

use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::store::{get_setting, put_setting};

/// Longest setting key.
const KEY_MAX: usize = 100;
/// Largest setting value.
const VALUE_MAX: usize = 64 * 1024;
/// Keys the engine keeps for itself.
const RESERVED_PREFIX: &str = "secrets.";

impl Engine {
    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        check_key(key)?;
        self.store().read(|c| get_setting(c, key))
    }

    /// Sets a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        check_key(key)?;
        if value.len() > VALUE_MAX {
            return Err(EngineError::input("value", "a setting is at most 64 KiB"));
        }
        let now = self.now_ms();
        self.store().write(|tx| put_setting(tx, key, value, now))
    }
}

fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= KEY_MAX
        && !key.starts_with(RESERVED_PREFIX)
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(EngineError::input(
            "key",
            "a setting key is 1-100 letters, digits, '.', '_' or '-' (not secrets.*)",
        ))
    }
}
