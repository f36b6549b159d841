//! Loosely typed JSON scalars: ids, money, counts and flags as panels really send them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// One JSON value seen as a scalar; arrays and objects collapse to `Nested`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    Null,
    Nested,
}

impl<'a> Scalar<'a> {
    /// Views a parsed JSON value as a scalar.
    pub(crate) fn of(value: &'a Value) -> Scalar<'a> {
        match value {
            Value::String(s) => Scalar::Str(Cow::Borrowed(s)),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    Scalar::U64(u)
                } else if let Some(i) = n.as_i64() {
                    Scalar::I64(i)
                } else {
                    n.as_f64().map_or(Scalar::Nested, Scalar::F64)
                }
            }
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Null => Scalar::Null,
            Value::Array(_) | Value::Object(_) => Scalar::Nested,
        }
    }

    /// An id: a non-empty trimmed string, or an integer (also a float without fraction).
    pub(crate) fn id(&self) -> Option<String> {
        match self {
            Scalar::Str(s) => {
                let s = s.trim();
                (!s.is_empty() && !s.contains(',')).then(|| s.to_owned())
            }
            Scalar::U64(u) => Some(u.to_string()),
            Scalar::I64(i) => Some(i.to_string()),
            Scalar::F64(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(format!("{f:.0}")),
            _ => None,
        }
    }

    /// An exact decimal from a string or a number (7+ decimal places survive).
    pub(crate) fn money(&self) -> Option<Decimal> {
        match self {
            Scalar::Str(s) => parse_decimal(s),
            Scalar::U64(u) => Some(Decimal::from(*u)),
            Scalar::I64(i) => Some(Decimal::from(*i)),
            // `Display` of an f64 is the shortest text that reads back to the same f64, so a
            // JSON number with up to 15 significant digits comes back digit for digit.
            Scalar::F64(f) if f.is_finite() => Decimal::from_str_exact(&f.to_string()).ok(),
            _ => None,
        }
    }

    /// A non-negative count from a string or a number; empty, null and "Unknown" are `None`.
    pub(crate) fn count(&self) -> Option<u64> {
        match self {
            Scalar::Str(s) => {
                let s = s.trim();
                if let Ok(u) = s.parse::<u64>() {
                    return Some(u);
                }
                let d = parse_decimal(s)?;
                (d.fract().is_zero() && !d.is_sign_negative())
                    .then(|| u64::try_from(d).ok())
                    .flatten()
            }
            Scalar::U64(u) => Some(*u),
            Scalar::I64(i) => u64::try_from(*i).ok(),
            Scalar::F64(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19 => Some(*f as u64),
            _ => None,
        }
    }

    /// A flag from a bool, 0/1 or their string forms; anything else is `None`.
    pub(crate) fn flag(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::U64(u) => Some(*u != 0),
            Scalar::I64(i) => Some(*i != 0),
            Scalar::F64(f) => Some(*f != 0.0),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Some(true),
                "0" | "false" | "no" | "off" | "" => Some(false),
                _ => None,
            },
            Scalar::Null | Scalar::Nested => None,
        }
    }

    /// Text from a string or a number; `None` for null, bools and nested values.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s.as_ref().to_owned()),
            Scalar::U64(u) => Some(u.to_string()),
            Scalar::I64(i) => Some(i.to_string()),
            Scalar::F64(f) => Some(f.to_string()),
            _ => None,
        }
    }

    /// Non-empty trimmed text.
    pub(crate) fn non_empty_text(&self) -> Option<String> {
        self.text()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    }
}

/// Parses decimal text such as `"0.90"`, `" 8 "`, `"+1.5"` or `"1e-7"`.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).ok();
    }
    Decimal::from_str_exact(t)
        .or_else(|_| Decimal::from_str(t))
        .ok()
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::F64(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Scalar<'_> {
        Scalar::Str(Cow::Borrowed(text))
    }

    #[test]
    fn money_keeps_every_digit() {
        assert_eq!(s("0.0000001").money(), Some(Decimal::new(1, 7)));
        assert_eq!(Scalar::F64(0.0000001).money(), Some(Decimal::new(1, 7)));
        assert_eq!(Scalar::F64(3.5).money(), Some(Decimal::new(35, 1)));
        assert_eq!(Scalar::U64(10000).money(), Some(Decimal::from(10000)));
        assert_eq!(s("100.84292").money(), Some(Decimal::new(10084292, 5)));
        assert_eq!(s("abc").money(), None);
        assert_eq!(Scalar::Null.money(), None);
    }

    #[test]
    fn counts_tolerate_every_spelling() {
        assert_eq!(s("3572").count(), Some(3572));
        assert_eq!(Scalar::U64(3572).count(), Some(3572));
        assert_eq!(s("").count(), None);
        assert_eq!(Scalar::Null.count(), None);
        assert_eq!(s("Unknown").count(), None);
        assert_eq!(Scalar::I64(-5).count(), None);
        assert_eq!(s("12.0").count(), Some(12));
    }

    #[test]
    fn flags_and_ids() {
        assert_eq!(Scalar::U64(1).flag(), Some(true));
        assert_eq!(s("0").flag(), Some(false));
        assert_eq!(Scalar::Bool(true).flag(), Some(true));
        assert_eq!(Scalar::U64(23501).id().as_deref(), Some("23501"));
        assert_eq!(s(" 23501 ").id().as_deref(), Some("23501"));
        assert_eq!(s("").id(), None);
        assert_eq!(Scalar::Nested.id(), None);
    }
}
