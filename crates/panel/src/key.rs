//! The provider API key, held so that it never leaks into logs or errors.

use std::fmt;

/// A provider API key. `Debug` and `Display` print only `••••` and the last four characters.
///
/// The raw value is reachable only through [`ApiKey::expose`], which the client calls when it
/// builds a request body.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a raw key.
    pub fn new(raw: impl Into<String>) -> Self {
        ApiKey(raw.into())
    }

    /// The raw key, for building the request body only. Never log the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the key is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The redacted form shown to people: `••••` and the last four characters (only `••••` for
    /// keys shorter than 12 characters, so that a short key is not half revealed).
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "••••".to_owned();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("••••{tail}")
    }

    /// Replaces every occurrence of the raw key in `text` by its masked form.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 || !text.contains(&self.0) {
            return text.to_owned();
        }
        text.replace(&self.0, &self.masked())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_masked() {
        let key = ApiKey::new("abcdef0123456789SECRET42");
        assert_eq!(format!("{key}"), "••••ET42");
        assert_eq!(format!("{key:?}"), "ApiKey(••••ET42)");
        assert!(!format!("{key:?}{key}").contains("abcdef"));
        assert_eq!(key.expose(), "abcdef0123456789SECRET42");
    }

    #[test]
    fn short_keys_show_no_characters() {
        assert_eq!(ApiKey::new("abc123").masked(), "••••");
    }

    #[test]
    fn redact_replaces_the_key_in_text() {
        let key = ApiKey::new("abcdef0123456789SECRET42");
        assert_eq!(
            key.redact("echo abcdef0123456789SECRET42!"),
            "echo ••••ET42!"
        );
    }
}
