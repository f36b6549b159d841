//! Money in SQLite: exact decimals as canonical text, plus a sort key for ranges and ordering.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::{EngineError, Result};

/// The canonical text of an amount: no trailing zeros, no exponent ("0.9", "100.84292", "8").
pub fn to_text(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// Reads stored money text back; a malformed value is a store bug, reported as internal.
pub fn from_text(text: &str) -> Result<Decimal> {
    Decimal::from_str(text)
        .map_err(|e| EngineError::Internal(format!("stored amount {text:?} is not a decimal: {e}")))
}

/// Fixed-width text whose byte order equals the numeric order of non-negative amounts
/// (`rate_sort` columns). Negative amounts sort first. Exact: no rounding.
pub fn sort_key(amount: Decimal) -> String {
    if amount.is_sign_negative() && !amount.is_zero() {
        return format!("-{}", to_text(amount));
    }
    let text = to_text(amount);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    format!("{int:0>29}.{frac:0<28}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn canonical_text_keeps_every_digit() {
        assert_eq!(to_text(d("0.90")), "0.9");
        assert_eq!(to_text(d("100.0000")), "100");
        assert_eq!(to_text(d("0.0000001")), "0.0000001");
        assert_eq!(from_text("100.84292").unwrap(), d("100.84292"));
    }

    #[test]
    fn sort_key_orders_like_numbers() {
        let mut v = [
            "10",
            "9.5",
            "0.0000001",
            "250.00",
            "0",
            "1000000",
            "0.27819",
            "-1",
        ];
        v.sort_by_key(|s| sort_key(d(s)));
        assert_eq!(
            v,
            [
                "-1",
                "0",
                "0.0000001",
                "0.27819",
                "9.5",
                "10",
                "250.00",
                "1000000"
            ]
        );
    }
}
