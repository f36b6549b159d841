//! Why an order, refill, cancel or mass order was refused: one stable code per cause.
//! Re-exported as `orders::OrderError`; it lives here so that the error layer names no domain
//! module.

use rust_decimal::Decimal;
use serde::Serialize;
use smm_panel::OrderFormError;

use super::EngineError;

/// One invalid line of a mass order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    /// 1-based line number in the text given.
    pub line: usize,
    /// The stable code of the problem (`order.link_invalid`, `mass_order.line_format`…).
    pub code: &'static str,
    /// What is wrong, in English.
    pub message: String,
}

/// A refused order operation. Nothing was written when one of these is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// The provider has no live service with that id in the synced catalog.
    #[error("provider \"{provider}\" has no service {service_id} in the synced catalog (sync the catalog?)")]
    ServiceNotFound {
        /// The provider's name.
        provider: String,
        /// The service id asked for.
        service_id: String,
    },
    /// The order's fields break a rule of the order definition (missing link, quantity out of
    /// range, a field the type does not take…).
    #[error(transparent)]
    Form(#[from] OrderFormError),
    /// The idempotency key already names an order with other details; nothing was sent.
    #[error("idempotency key \"{key}\" already names order #{order}, which differs in: {}; nothing was sent (a new order needs a new key)", .differs.join(", "))]
    IdempotencyConflict {
        /// The key.
        key: String,
        /// The order it names.
        order: i64,
        /// What the new request asks differently (`link`, `quantity`, `comments`…).
        differs: Vec<String>,
    },
    /// The idempotency key is empty, too long or has control characters.
    #[error("the idempotency key must be 1-200 printable characters")]
    IdempotencyKeyInvalid,
    /// The estimated cost exceeds the balance available: the provider's last known balance less
    /// the orders placed since it was read (use force to place anyway).
    #[error("the estimated cost {cost} {currency} exceeds the available balance {balance} {currency}: the last known balance less orders placed since it was read (force to place anyway)")]
    InsufficientBalance {
        /// The estimated cost.
        cost: Decimal,
        /// The last known balance.
        balance: Decimal,
        /// The account currency ("" when unknown).
        currency: String,
    },
    /// The client refused the request for a reason the checks above did not catch.
    #[error("the order is not valid: {0}")]
    RequestInvalid(String),
    /// No order has that id.
    #[error("no order #{0}")]
    NotFound(i64),
    /// Only orders in state `unknown` can be resolved.
    #[error("order #{id} is {status}; only orders in state unknown can be resolved")]
    NotUnknown {
        /// The order.
        id: i64,
        /// Its state.
        status: String,
    },
    /// Another local order already has this external id at this provider.
    #[error("order #{other} already has external id {external_id} at this provider")]
    ExternalIdTaken {
        /// The external id.
        external_id: String,
        /// The local order holding it.
        other: i64,
    },
    /// The provider does not know this order id.
    #[error("the provider does not know order {0}")]
    ExternalIdUnknown(String),
    /// The external id is empty or malformed.
    #[error("\"{0}\" is not an order id")]
    ExternalIdInvalid(String),
    /// Only orders that were certainly not placed can be submitted again.
    #[error("order #{id} is {status}; only orders that were not placed (not_placed, not_sent, rejected) can be submitted again")]
    NotResubmittable {
        /// The order.
        id: i64,
        /// Its state.
        status: String,
    },
    /// The order has no provider order id yet (not placed, or unknown).
    #[error("order #{0} has no provider order id")]
    NoExternalId(i64),
    /// The service does not offer refills.
    #[error("order #{0}: the service does not offer refills")]
    RefillUnsupported(i64),
    /// A refill request for this order is still in flight or unresolved.
    #[error("order #{0}: a refill request is still in flight")]
    RefillInFlight(i64),
    /// The service does not accept cancel requests.
    #[error("order #{0}: the service does not accept cancel requests")]
    CancelUnsupported(i64),
    /// The order is already finished.
    #[error("order #{id} is already {status}")]
    Finished {
        /// The order.
        id: i64,
        /// Its state.
        status: String,
    },
    /// The list cursor is malformed.
    #[error("\"{0}\" is not a list cursor")]
    CursorInvalid(String),
    /// A mass order has invalid lines; nothing was placed.
    #[error("{} line(s) of the mass order are invalid; nothing was placed (first: line {}: {})", .0.len(), .0.first().map_or(0, |e| e.line), .0.first().map_or("", |e| e.message.as_str()))]
    MassOrderInvalid(Vec<LineError>),
    /// A mass order has no lines.
    #[error("the mass order has no lines")]
    MassOrderEmpty,
    /// A mass order is larger than allowed.
    #[error("the mass order has {0} lines; the limit is {1}")]
    MassOrderTooLarge(usize, usize),
}

impl OrderError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ServiceNotFound { .. } => "order.service_not_found",
            Self::Form(e) => e.code(),
            Self::IdempotencyKeyInvalid => "order.idempotency_key_invalid",
            Self::IdempotencyConflict { .. } => "order.idempotency_conflict",
            Self::InsufficientBalance { .. } => "order.insufficient_balance",
            Self::RequestInvalid(_) => "order.request_invalid",
            Self::NotFound(_) => "order.not_found",
            Self::NotUnknown { .. } => "order.not_unknown",
            Self::ExternalIdTaken { .. } => "order.external_id_taken",
            Self::ExternalIdUnknown(_) => "order.external_id_unknown",
            Self::ExternalIdInvalid(_) => "order.external_id_invalid",
            Self::NotResubmittable { .. } => "order.not_resubmittable",
            Self::NoExternalId(_) => "order.no_external_id",
            Self::RefillUnsupported(_) => "order.refill_unsupported",
            Self::RefillInFlight(_) => "order.refill_in_flight",
            Self::CancelUnsupported(_) => "order.cancel_unsupported",
            Self::Finished { .. } => "order.finished",
            Self::CursorInvalid(_) => "order.cursor_invalid",
            Self::MassOrderInvalid(_) => "mass_order.invalid",
            Self::MassOrderEmpty => "mass_order.empty",
            Self::MassOrderTooLarge(..) => "mass_order.too_large",
        }
    }
}

impl From<OrderError> for EngineError {
    fn from(e: OrderError) -> Self {
        EngineError::Order(e)
    }
}
