//! What the provider reports about orders, refills and the account balance.

use std::fmt;

use rust_decimal::Decimal;

use crate::service::collapse;

/// A normalized order status; the raw text is kept beside it in [`OrderState`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// Accepted, not started.
    Pending,
    /// Being prepared by the provider.
    Processing,
    /// Delivery under way.
    InProgress,
    /// Fully delivered (terminal).
    Completed,
    /// Partly delivered, the rest refunded (terminal).
    Partial,
    /// Canceled and fully refunded (terminal; also "Cancelled").
    Canceled,
    /// Refunded (terminal).
    Refunded,
    /// A running subscription.
    Active,
    /// Any other status text, verbatim.
    Unknown(String),
}

impl OrderStatus {
    /// Normalizes a status string: case-insensitive after dropping `_`, `-` and spaces.
    pub fn parse(raw: &str) -> OrderStatus {
        match collapse(raw).as_str() {
            "pending" => OrderStatus::Pending,
            "processing" => OrderStatus::Processing,
            "inprogress" => OrderStatus::InProgress,
            "completed" | "complete" => OrderStatus::Completed,
            "partial" => OrderStatus::Partial,
            "canceled" | "cancelled" => OrderStatus::Canceled,
            "refunded" => OrderStatus::Refunded,
            "active" => OrderStatus::Active,
            _ => OrderStatus::Unknown(raw.trim().to_owned()),
        }
    }

    /// True for final states: Completed, Partial, Canceled, Refunded.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            OrderStatus::Completed
                | OrderStatus::Partial
                | OrderStatus::Canceled
                | OrderStatus::Refunded
        )
    }

    /// The template spelling of the status (`In progress`, `Canceled`…).
    pub fn as_str(&self) -> &str {
        match self {
            OrderStatus::Pending => "Pending",
            OrderStatus::Processing => "Processing",
            OrderStatus::InProgress => "In progress",
            OrderStatus::Completed => "Completed",
            OrderStatus::Partial => "Partial",
            OrderStatus::Canceled => "Canceled",
            OrderStatus::Refunded => "Refunded",
            OrderStatus::Active => "Active",
            OrderStatus::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An order as the provider reports it (`status`): a bag of optional fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState {
    /// The normalized status.
    pub status: OrderStatus,
    /// The status text exactly as the provider sent it.
    pub raw_status: String,
    /// What the provider charged, when reported.
    pub charge: Option<Decimal>,
    /// The counter on the target before delivery started.
    pub start_count: Option<u64>,
    /// Units not (yet) delivered.
    pub remains: Option<u64>,
    /// The account currency, when reported.
    pub currency: Option<String>,
    /// Drip-feed: runs done so far.
    pub runs: Option<u64>,
    /// Subscriptions: posts handled so far.
    pub posts: Option<u64>,
    /// Drip-feed and subscriptions: the child order ids, when reported.
    pub child_orders: Vec<String>,
}

/// A normalized refill status; the raw text is kept beside it in [`RefillState`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefillStatus {
    /// Accepted, waiting (also "Awaiting").
    Pending,
    /// Being refilled (also "Processing").
    InProgress,
    /// Done (also "Processed").
    Completed,
    /// Refused by the provider.
    Rejected,
    /// Canceled.
    Canceled,
    /// Failed at the provider ("Error", "Failed").
    Failed,
    /// Any other status text, verbatim.
    Unknown(String),
}

impl RefillStatus {
    /// Normalizes a refill status string like [`OrderStatus::parse`].
    pub fn parse(raw: &str) -> RefillStatus {
        match collapse(raw).as_str() {
            "pending" | "awaiting" => RefillStatus::Pending,
            "inprogress" | "processing" => RefillStatus::InProgress,
            "completed" | "complete" | "processed" => RefillStatus::Completed,
            "rejected" => RefillStatus::Rejected,
            "canceled" | "cancelled" => RefillStatus::Canceled,
            "error" | "failed" => RefillStatus::Failed,
            _ => RefillStatus::Unknown(raw.trim().to_owned()),
        }
    }

    /// True for final states: Completed, Rejected, Canceled, Failed.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            RefillStatus::Completed
                | RefillStatus::Rejected
                | RefillStatus::Canceled
                | RefillStatus::Failed
        )
    }

    /// The template spelling of the status.
    pub fn as_str(&self) -> &str {
        match self {
            RefillStatus::Pending => "Pending",
            RefillStatus::InProgress => "In progress",
            RefillStatus::Completed => "Completed",
            RefillStatus::Rejected => "Rejected",
            RefillStatus::Canceled => "Canceled",
            RefillStatus::Failed => "Error",
            RefillStatus::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for RefillStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refill as the provider reports it (`refill_status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefillState {
    /// The normalized status.
    pub status: RefillStatus,
    /// The status text exactly as the provider sent it.
    pub raw_status: String,
}

/// The account balance (`balance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The amount, exact.
    pub amount: Decimal,
    /// The account currency, when the provider says.
    pub currency: Option<String>,
}

/// The provider accepted an order (`add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOrder {
    /// The provider's order id (always a string).
    pub id: String,
}

/// The provider accepted a refill request (`refill`). Accepted is not done: poll its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefillAccepted {
    /// The refill id, when the provider returns one (some panels do not).
    pub id: Option<String>,
}

/// The provider accepted a cancel request (`cancel`). Accepted is not done: poll the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelAccepted;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_vocabulary_normalizes() {
        use OrderStatus::*;
        for (raw, want) in [
            ("Pending", Pending),
            ("Processing", Processing),
            ("processing", Processing),
            ("In progress", InProgress),
            ("In Progress", InProgress),
            ("in_progress", InProgress),
            ("in-progress", InProgress),
            ("Completed", Completed),
            ("Partial", Partial),
            ("Canceled", Canceled),
            ("Cancelled", Canceled),
            ("Refunded", Refunded),
            ("Active", Active),
        ] {
            assert_eq!(OrderStatus::parse(raw), want, "{raw}");
        }
        assert_eq!(OrderStatus::parse("Paused"), Unknown("Paused".to_owned()));
        assert!(Partial.is_terminal() && !Active.is_terminal());
    }

    #[test]
    fn refill_vocabulary_normalizes() {
        assert_eq!(RefillStatus::parse("Awaiting"), RefillStatus::Pending);
        assert_eq!(RefillStatus::parse("in progress"), RefillStatus::InProgress);
        assert_eq!(RefillStatus::parse("Processed"), RefillStatus::Completed);
        assert_eq!(RefillStatus::parse("Rejected"), RefillStatus::Rejected);
        assert_eq!(RefillStatus::parse("Error"), RefillStatus::Failed);
        assert_eq!(
            RefillStatus::parse("Queued"),
            RefillStatus::Unknown("Queued".into())
        );
    }
}
