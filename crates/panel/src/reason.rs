//! Provider error messages mapped to typed reasons (the texts real panels send).

use std::fmt;

/// Why a provider refused a request, parsed from its `error` text (plain English or key form).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProviderReason {
    /// The API key is wrong or its account cannot use the API ("Invalid API key", "Incorrect
    /// API key", "API is disable for this user or user not found").
    InvalidKey,
    /// The account balance cannot pay for the order.
    InsufficientFunds,
    /// The link was refused ("Incorrect link", "Bad link", `neworder.error.link`).
    BadLink,
    /// The quantity is below the service minimum; the minimum when the message carries it.
    QuantityBelowMin {
        /// The minimum quoted by the provider, if any.
        min: Option<u64>,
    },
    /// The quantity is above the service maximum; the maximum when the message carries it.
    QuantityAboveMax {
        /// The maximum quoted by the provider, if any.
        max: Option<u64>,
    },
    /// The quantity was refused without a bound ("Incorrect quantity").
    InvalidQuantity,
    /// The service id is unknown to the provider (re-sync the catalog).
    UnknownService,
    /// An order on the same link is still active at the provider.
    DuplicateActiveLink,
    /// The order id is unknown to the provider.
    UnknownOrder,
    /// The refill id is unknown to the provider ("Refill not found").
    UnknownRefill,
    /// The order cannot be refilled ("Order not eligible for refill.").
    RefillNotAllowed,
    /// The order cannot be canceled.
    CancelNotAllowed,
    /// The service does not accept drip-feed (`runs`/`interval`).
    DripFeedNotSupported,
    /// The provider is throttling this key or address.
    RateLimited,
    /// The provider did not understand the request ("Incorrect request").
    IncorrectRequest,
    /// Any other message, kept verbatim.
    Other(String),
}

impl ProviderReason {
    /// Maps a provider error message (plain or key form) to a reason.
    pub fn from_message(message: &str) -> ProviderReason {
        let m = message.trim().to_lowercase();
        let m = m.trim_end_matches(['.', '!', ' ']);
        let has = |s: &str| m.contains(s);
        // Key forms first: they are exact.
        match m {
            "error.incorrect_service_id" => return ProviderReason::UnknownService,
            "neworder.error.link" | "neworder.error.invalid_link" => {
                return ProviderReason::BadLink
            }
            "neworder.error.min_quantity" => return ProviderReason::QuantityBelowMin { min: None },
            "neworder.error.max_quantity" => return ProviderReason::QuantityAboveMax { max: None },
            "neworder.error.invalid_quantity" => return ProviderReason::InvalidQuantity,
            "neworder.error.not_enough_funds" => return ProviderReason::InsufficientFunds,
            "neworder.error.link_duplicate" => return ProviderReason::DuplicateActiveLink,
            "error.incorrect_order_id" => return ProviderReason::UnknownOrder,
            _ => {}
        }
        if let Some(rest) = m.strip_prefix("error.refill_") {
            return if rest.contains("not_found") {
                ProviderReason::UnknownRefill
            } else {
                ProviderReason::RefillNotAllowed
            };
        }
        if (has("api key") || has("api_key") || has("apikey"))
            && (has("invalid") || has("incorrect") || has("wrong") || has("not found"))
        {
            return ProviderReason::InvalidKey;
        }
        // SmartPanel-style panels: the key's user is unknown or has the API turned off. A bare
        // "user not found" counts only with "api" beside it or alone (a link's user is not the
        // key's).
        if has("api is disable")
            || has("api disabled")
            || (has("user not found") && (has("api") || m == "user not found"))
        {
            return ProviderReason::InvalidKey;
        }
        if has("rate limit") || has("too many requests") || has("slow down") {
            return ProviderReason::RateLimited;
        }
        if has("not enough funds") || has("insufficient") || has("low balance") {
            return ProviderReason::InsufficientFunds;
        }
        if has("active order with this link") || has("active order exists") {
            return ProviderReason::DuplicateActiveLink;
        }
        if has("dripfeed") || has("drip-feed") || has("drip feed") {
            return ProviderReason::DripFeedNotSupported;
        }
        if has("quantity") {
            if has("less than") || has("minimal") || has("minimum") || has("too small") {
                return ProviderReason::QuantityBelowMin {
                    min: trailing_number(m),
                };
            }
            if has("more than") || has("maximum") || has("maximal") || has("too large") {
                return ProviderReason::QuantityAboveMax {
                    max: trailing_number(m),
                };
            }
            if has("incorrect") || has("invalid") {
                return ProviderReason::InvalidQuantity;
            }
        }
        if (has("incorrect") || has("invalid") || has("unknown")) && has("service id") {
            return ProviderReason::UnknownService;
        }
        if has("service not found") {
            return ProviderReason::UnknownService;
        }
        if has("incorrect link") || has("bad link") || has("invalid link") {
            return ProviderReason::BadLink;
        }
        if has("refill not found") {
            return ProviderReason::UnknownRefill;
        }
        if has("refill")
            && (has("not eligible")
                || has("not allowed")
                || has("disabled")
                || has("not available"))
        {
            return ProviderReason::RefillNotAllowed;
        }
        if has("cancel")
            && (has("not eligible")
                || has("not allowed")
                || has("disabled")
                || has("not available"))
        {
            return ProviderReason::CancelNotAllowed;
        }
        if (has("incorrect") || has("invalid") || has("unknown")) && has("order id") {
            return ProviderReason::UnknownOrder;
        }
        if has("order not found") {
            return ProviderReason::UnknownOrder;
        }
        if matches!(
            m,
            "incorrect request"
                | "incorrect request or action"
                | "request invalid"
                | "invalid request"
                | "this action is invalid"
        ) {
            return ProviderReason::IncorrectRequest;
        }
        ProviderReason::Other(crate::error::snippet(
            message,
            crate::error::MAX_MESSAGE_CHARS,
        ))
    }

    /// A stable code for this reason, for the engine and the UI (`invalid_key`, `bad_link`…).
    pub fn code(&self) -> &'static str {
        match self {
            ProviderReason::InvalidKey => "invalid_key",
            ProviderReason::InsufficientFunds => "insufficient_funds",
            ProviderReason::BadLink => "bad_link",
            ProviderReason::QuantityBelowMin { .. } => "quantity_below_min",
            ProviderReason::QuantityAboveMax { .. } => "quantity_above_max",
            ProviderReason::InvalidQuantity => "invalid_quantity",
            ProviderReason::UnknownService => "unknown_service",
            ProviderReason::DuplicateActiveLink => "duplicate_active_link",
            ProviderReason::UnknownOrder => "unknown_order",
            ProviderReason::UnknownRefill => "unknown_refill",
            ProviderReason::RefillNotAllowed => "refill_not_allowed",
            ProviderReason::CancelNotAllowed => "cancel_not_allowed",
            ProviderReason::DripFeedNotSupported => "dripfeed_not_supported",
            ProviderReason::RateLimited => "rate_limited",
            ProviderReason::IncorrectRequest => "incorrect_request",
            ProviderReason::Other(_) => "other",
        }
    }
}

impl fmt::Display for ProviderReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProviderReason::InvalidKey => f.write_str("invalid API key"),
            ProviderReason::InsufficientFunds => f.write_str("not enough funds on balance"),
            ProviderReason::BadLink => f.write_str("the link was refused"),
            ProviderReason::QuantityBelowMin { min: Some(n) } => {
                write!(f, "quantity below the minimum of {n}")
            }
            ProviderReason::QuantityBelowMin { min: None } => {
                f.write_str("quantity below the minimum")
            }
            ProviderReason::QuantityAboveMax { max: Some(n) } => {
                write!(f, "quantity above the maximum of {n}")
            }
            ProviderReason::QuantityAboveMax { max: None } => {
                f.write_str("quantity above the maximum")
            }
            ProviderReason::InvalidQuantity => f.write_str("incorrect quantity"),
            ProviderReason::UnknownService => f.write_str("unknown service"),
            ProviderReason::DuplicateActiveLink => {
                f.write_str("an active order with this link exists")
            }
            ProviderReason::UnknownOrder => f.write_str("unknown order"),
            ProviderReason::UnknownRefill => f.write_str("unknown refill"),
            ProviderReason::RefillNotAllowed => f.write_str("refill not allowed"),
            ProviderReason::CancelNotAllowed => f.write_str("cancel not allowed"),
            ProviderReason::DripFeedNotSupported => {
                f.write_str("the service does not support drip-feed")
            }
            ProviderReason::RateLimited => f.write_str("rate limited"),
            ProviderReason::IncorrectRequest => f.write_str("incorrect request"),
            ProviderReason::Other(raw) => write!(f, "{raw}"),
        }
    }
}

/// The last run of ASCII digits in `text`, as a number.
fn trailing_number(text: &str) -> Option<u64> {
    let end = text.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = text[..end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    text[start..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::ProviderReason as R;
    use super::*;

    #[test]
    fn every_message_of_the_reference_table_maps_in_plain_and_key_form() {
        let table: &[(&str, R)] = &[
            ("Incorrect request", R::IncorrectRequest),
            ("Invalid API key", R::InvalidKey),
            ("Incorrect API key", R::InvalidKey),
            ("Invalid API key.", R::InvalidKey),
            (
                "API is disable for this user or user not found",
                R::InvalidKey,
            ),
            (
                "API is Disable for this user or User Not Found! Contact the Support",
                R::InvalidKey,
            ),
            ("API is disabled for this user", R::InvalidKey),
            ("API disabled", R::InvalidKey),
            ("User not found", R::InvalidKey),
            ("API user not found", R::InvalidKey),
            (
                "Instagram user not found",
                R::Other("Instagram user not found".into()),
            ),
            ("Request Invalid", R::IncorrectRequest),
            ("This action is Invalid", R::IncorrectRequest),
            ("Incorrect service ID", R::UnknownService),
            ("error.incorrect_service_id", R::UnknownService),
            ("Incorrect link", R::BadLink),
            ("Bad link", R::BadLink),
            ("Bad Link", R::BadLink),
            ("neworder.error.link", R::BadLink),
            ("neworder.error.invalid_link", R::BadLink),
            ("Incorrect quantity", R::InvalidQuantity),
            ("neworder.error.invalid_quantity", R::InvalidQuantity),
            (
                "Quantity less than minimal 200",
                R::QuantityBelowMin { min: Some(200) },
            ),
            (
                "Quantity more than maximum 1000",
                R::QuantityAboveMax { max: Some(1000) },
            ),
            (
                "neworder.error.min_quantity",
                R::QuantityBelowMin { min: None },
            ),
            (
                "neworder.error.max_quantity",
                R::QuantityAboveMax { max: None },
            ),
            ("Not enough funds on balance", R::InsufficientFunds),
            ("neworder.error.not_enough_funds", R::InsufficientFunds),
            (
                "You have active order with this link. Please wait until order being completed.",
                R::DuplicateActiveLink,
            ),
            ("Active order with this link exists", R::DuplicateActiveLink),
            ("neworder.error.link_duplicate", R::DuplicateActiveLink),
            ("Incorrect order ID", R::UnknownOrder),
            ("error.incorrect_order_id", R::UnknownOrder),
            ("Refill not found", R::UnknownRefill),
            ("Order not eligible for refill.", R::RefillNotAllowed),
            ("error.refill_not_allowed", R::RefillNotAllowed),
            ("error.refill_not_found", R::UnknownRefill),
            ("Rate limit exceeded. Slow down.", R::RateLimited),
            (
                "This services does not support Dripfeed feature!",
                R::DripFeedNotSupported,
            ),
            (
                "incorrect service type",
                R::Other("incorrect service type".into()),
            ),
            ("neworder.error", R::Other("neworder.error".into())),
        ];
        for (message, want) in table {
            assert_eq!(&R::from_message(message), want, "{message}");
        }
    }

    #[test]
    fn distinct_reasons_have_distinct_codes() {
        let reasons = [
            R::InvalidKey,
            R::InsufficientFunds,
            R::BadLink,
            R::QuantityBelowMin { min: None },
            R::QuantityAboveMax { max: None },
            R::InvalidQuantity,
            R::UnknownService,
            R::DuplicateActiveLink,
            R::UnknownOrder,
            R::UnknownRefill,
            R::RefillNotAllowed,
            R::CancelNotAllowed,
            R::DripFeedNotSupported,
            R::RateLimited,
            R::IncorrectRequest,
            R::Other(String::new()),
        ];
        let codes: std::collections::BTreeSet<&str> = reasons.iter().map(R::code).collect();
        assert_eq!(codes.len(), reasons.len());
        assert_eq!(trailing_number("quantity less than minimal 200"), Some(200));
        assert_eq!(trailing_number("no number"), None);
    }
}
