//! Checks on provider fields; each failure is its own error code, and nothing is written.

use std::net::IpAddr;

use rust_decimal::Decimal;
use url::{Host, Url};

use crate::error::{EngineError, Result};
use crate::secrets::ApiKey;

/// Longest provider name.
pub const NAME_MAX: usize = 40;
const DISPLAY_NAME_MAX: usize = 100;
const KEY_MAX: usize = 512;
const USER_AGENT_MAX: usize = 512;

/// A provider name: 1–40 lowercase ASCII letters, digits and dashes, not starting with a dash.
pub fn name(name: &str) -> Result<String> {
    let ok = !name.is_empty()
        && name.len() <= NAME_MAX
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(name.to_string())
    } else {
        Err(EngineError::ProviderNameInvalid(name.to_string()))
    }
}

/// A display name: trimmed, not empty, at most 100 characters.
pub fn display_name(text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > DISPLAY_NAME_MAX || t.chars().any(char::is_control) {
        return Err(EngineError::input(
            "display_name",
            "must be 1-100 printable characters",
        ));
    }
    Ok(t.to_string())
}

/// An API URL: https anywhere, plain http only on loopback (127.0.0.0/8, ::1, localhost).
pub fn api_url(text: &str) -> Result<String> {
    let text = text.trim();
    let url = Url::parse(text).map_err(|_| EngineError::UrlInvalid(text.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(EngineError::UrlScheme(url.scheme().to_string()));
    }
    let host = url
        .host()
        .ok_or_else(|| EngineError::UrlInvalid(text.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(EngineError::UrlInvalid(text.to_string()));
    }
    if url.scheme() == "http" && !is_loopback(&host) {
        return Err(EngineError::UrlInsecure(host.to_string()));
    }
    Ok(url.to_string())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

/// An API key: surrounding whitespace (a newline from stdin) dropped; not empty; no inner
/// whitespace or control characters; at most 512 characters.
pub fn key(key: &ApiKey) -> Result<ApiKey> {
    let t = key.expose().trim();
    if t.is_empty() {
        return Err(EngineError::KeyEmpty);
    }
    if t.len() > KEY_MAX || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EngineError::input(
            "key",
            "an API key is at most 512 characters without spaces",
        ));
    }
    Ok(ApiKey::new(t))
}

/// A user agent: empty means "the default"; else at most 512 printable characters.
pub fn user_agent(text: &str) -> Result<Option<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() > USER_AGENT_MAX || t.chars().any(char::is_control) {
        return Err(EngineError::input(
            "user_agent",
            "must be at most 512 printable characters",
        ));
    }
    Ok(Some(t.to_string()))
}

/// Priority: higher first; -1000..=1000.
pub fn priority(p: i64) -> Result<i64> {
    if (-1000..=1000).contains(&p) {
        Ok(p)
    } else {
        Err(EngineError::input(
            "priority",
            "must be between -1000 and 1000",
        ))
    }
}

/// Concurrent requests to one provider: 1..=64.
pub fn max_concurrency(n: u32) -> Result<u32> {
    if (1..=64).contains(&n) {
        Ok(n)
    } else {
        Err(EngineError::input(
            "max_concurrency",
            "must be between 1 and 64",
        ))
    }
}

/// Requests per minute to one provider: 1..=10000.
pub fn requests_per_minute(n: u32) -> Result<u32> {
    if (1..=10_000).contains(&n) {
        Ok(n)
    } else {
        Err(EngineError::input(
            "requests_per_minute",
            "must be between 1 and 10000",
        ))
    }
}

/// A low-balance threshold: zero or more.
pub fn threshold(amount: Decimal) -> Result<Decimal> {
    if amount.is_sign_negative() && !amount.is_zero() {
        Err(EngineError::input(
            "low_balance_threshold",
            "must not be negative",
        ))
    } else {
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugs() {
        for ok in ["jap", "smm-kings", "p1", "a"] {
            name(ok).unwrap();
        }
        for bad in ["", "JAP", "-x", "a b", "x_y", "ü", &"a".repeat(41)] {
            assert_eq!(
                name(bad).unwrap_err().code(),
                "provider.name_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn urls_are_https_or_loopback_http() {
        assert_eq!(
            api_url("https://justanotherpanel.com/api/v2").unwrap(),
            "https://justanotherpanel.com/api/v2"
        );
        for ok in [
            "http://127.0.0.1:8080/api/v2",
            "http://127.1.2.3/api/v2",
            "http://[::1]:9/api/v2",
            "http://localhost:3000/api/v2",
        ] {
            api_url(ok).unwrap();
        }
        let code = |u: &str| api_url(u).unwrap_err().code();
        assert_eq!(code("not a url"), "provider.url_invalid");
        assert_eq!(code("justanotherpanel.com/api/v2"), "provider.url_invalid");
        assert_eq!(code("https://user:pw@x.com/api/v2"), "provider.url_invalid");
        assert_eq!(code("ftp://x.com/api/v2"), "provider.url_scheme");
        assert_eq!(code("file:///etc/passwd"), "provider.url_scheme");
        assert_eq!(code("http://example.com/api/v2"), "provider.url_insecure");
        assert_eq!(code("http://10.0.0.1/api/v2"), "provider.url_insecure");
        assert_eq!(
            code("http://localhost.evil.com/api/v2"),
            "provider.url_insecure"
        );
    }

    #[test]
    fn keys_are_trimmed_and_not_empty() {
        assert_eq!(key(&ApiKey::new(" abc123\n")).unwrap().expose(), "abc123");
        assert_eq!(
            key(&ApiKey::new(" \n")).unwrap_err().code(),
            "provider.key_empty"
        );
        assert_eq!(
            key(&ApiKey::new("a b")).unwrap_err().code(),
            "input.invalid"
        );
    }
}
