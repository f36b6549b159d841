//! The API token: 256 random bits, shown once, stored only as its SHA-256 hash (engine setting
//! `api.token_sha256`). A request proves it holds the token with `Authorization: Bearer …`.

use sha2::{Digest, Sha256};
use smm_engine::{Engine, EngineError};

/// The setting holding the token's hash (lowercase hex).
pub const TOKEN_HASH_SETTING: &str = "api.token_sha256";

/// How a token starts, so a leaked one is recognisable in a scan.
const PREFIX: &str = "smmd_";

/// A new token: `smmd_` and 64 hex digits (256 bits from the OS).
fn generate() -> Result<String, EngineError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::Internal(format!("no randomness for the API token: {e}")))?;
    let mut token = String::with_capacity(PREFIX.len() + 64);
    token.push_str(PREFIX);
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

/// The hash stored for a token.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a token (replacing any earlier one, which stops working at once) and returns it:
/// the only time it is shown.
pub fn rotate(engine: &Engine) -> Result<String, EngineError> {
    let token = generate()?;
    engine.set_setting(TOKEN_HASH_SETTING, &hash(&token))?;
    Ok(token)
}

/// The stored hash, if a token was ever created.
pub fn stored_hash(engine: &Engine) -> Result<Option<String>, EngineError> {
    Ok(engine
        .setting(TOKEN_HASH_SETTING)?
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())))
}

/// Whether `presented` hashes to `expected`, compared in constant time.
pub fn matches(presented: &str, expected: &str) -> bool {
    let got = hash(presented);
    got.len() == expected.len()
        && got
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_only_their_hash_matches() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), PREFIX.len() + 64);
        let h = hash(&a);
        assert!(matches(&a, &h));
        assert!(!matches(&b, &h));
        assert!(!matches("", &h));
    }
}
