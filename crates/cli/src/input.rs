//! Reading what arguments cannot carry safely (the key) and parsing amounts and dates.

use std::io::{IsTerminal, Read};
use std::str::FromStr;

use jiff::{civil::Date, Timestamp, ToSpan};
use rust_decimal::Decimal;
use smm_engine::ApiKey;

use crate::error::CliError;

/// Most bytes read from stdin for a key.
const KEY_INPUT_MAX: u64 = 64 * 1024;

/// Reads the API key from stdin (a prompt on stderr when stdin is a terminal). Surrounding
/// whitespace is dropped; an empty key is left for the engine to refuse.
pub fn read_key() -> Result<ApiKey, CliError> {
    let stdin = std::io::stdin();
    let mut text = String::new();
    if stdin.is_terminal() {
        eprint!("API key (then Enter): ");
        stdin.read_line(&mut text).map_err(CliError::Stdin)?;
    } else {
        stdin
            .lock()
            .take(KEY_INPUT_MAX)
            .read_to_string(&mut text)
            .map_err(CliError::Stdin)?;
    }
    Ok(ApiKey::new(text.trim()))
}

/// An amount of money written plainly (`12.5`, `-3`; no exponent, no thousands separator).
pub fn amount(field: &'static str, text: &str) -> Result<Decimal, CliError> {
    let t = text.trim();
    let bad = || CliError::input(field, format!("\"{text}\" is not an amount (e.g. 12.50)"));
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return Err(bad());
    }
    Decimal::from_str(t).map_err(|_| bad())
}

/// A point in time: `2026-11-24` (midnight UTC), an RFC 3339 time, or `24h`/`7d`/`30m` ago.
pub fn since(text: &str, now: Timestamp) -> Result<Timestamp, CliError> {
    let t = text.trim();
    if let Ok(ts) = Timestamp::from_str(t) {
        return Ok(ts);
    }
    if let Ok(date) = Date::from_str(t) {
        if let Ok(ts) = Timestamp::from_str(&format!("{date}T00:00:00Z")) {
            return Ok(ts);
        }
    }
    let (number, unit) = t.split_at(t.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len());
    if let Ok(n) = number.parse::<i64>() {
        let span = match unit {
            "m" => Some(n.minutes()),
            "h" => Some(n.hours()),
            "d" => Some((n * 24).hours()),
            _ => None,
        };
        if let Some(ts) = span.and_then(|s| now.checked_sub(s).ok()) {
            return Ok(ts);
        }
    }
    Err(CliError::input(
        "since",
        format!("\"{text}\" is not a date (use 2026-11-24, 2026-11-24T10:00:00Z, 24h or 7d)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_three_forms() {
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        assert_eq!(
            since("2026-11-20", now).unwrap().to_string(),
            "2026-11-20T00:00:00Z"
        );
        assert_eq!(
            since("2026-11-24T10:00:00Z", now).unwrap().to_string(),
            "2026-11-24T10:00:00Z"
        );
        assert_eq!(
            since("2d", now).unwrap().to_string(),
            "2026-11-22T12:00:00Z"
        );
        assert_eq!(
            since("3h", now).unwrap().to_string(),
            "2026-11-24T09:00:00Z"
        );
        assert!(since("yesterday", now).is_err());
    }
}
