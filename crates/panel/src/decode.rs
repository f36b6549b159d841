//! Tolerant decoders of provider replies. Every function takes raw bytes and never panics.

use crate::client::BatchResult;
use crate::error::PanelError;
use crate::service::Service;
use crate::status::{
    Balance, CancelAccepted, OrderState, PlacedOrder, RefillAccepted, RefillState,
};

fn todo_reply() -> PanelError {
    PanelError::UnexpectedReply {
        detail: "decoder not implemented yet".into(),
        snippet: String::new(),
    }
}

/// Decodes a `services` reply.
pub fn services(_body: &[u8]) -> Result<Vec<Service>, PanelError> {
    Err(todo_reply())
}

/// Decodes an `add` reply.
pub fn placed_order(_body: &[u8]) -> Result<PlacedOrder, PanelError> {
    Err(todo_reply())
}

/// Decodes a single `status` reply.
pub fn order_state(_body: &[u8]) -> Result<OrderState, PanelError> {
    Err(todo_reply())
}

/// Decodes a multi `status` reply for the `requested` ids.
pub fn order_states(
    _body: &[u8],
    _requested: &[String],
) -> Result<BatchResult<OrderState>, PanelError> {
    Err(todo_reply())
}

/// Decodes a single `refill` reply.
pub fn refill_accepted(_body: &[u8]) -> Result<RefillAccepted, PanelError> {
    Err(todo_reply())
}

/// Decodes a multi `refill` reply for the `requested` order ids.
pub fn refills_accepted(
    _body: &[u8],
    _requested: &[String],
) -> Result<BatchResult<RefillAccepted>, PanelError> {
    Err(todo_reply())
}

/// Decodes a single `refill_status` reply.
pub fn refill_state(_body: &[u8]) -> Result<RefillState, PanelError> {
    Err(todo_reply())
}

/// Decodes a multi `refill_status` reply for the `requested` refill ids.
pub fn refill_states(
    _body: &[u8],
    _requested: &[String],
) -> Result<BatchResult<RefillState>, PanelError> {
    Err(todo_reply())
}

/// Decodes a `cancel` reply for the `requested` order ids.
pub fn cancels(
    _body: &[u8],
    _requested: &[String],
) -> Result<BatchResult<CancelAccepted>, PanelError> {
    Err(todo_reply())
}

/// Decodes a `balance` reply.
pub fn balance(_body: &[u8]) -> Result<Balance, PanelError> {
    Err(todo_reply())
}

/// The message of a body that is exactly `{"error": "…"}`, if it is one.
pub(crate) fn sole_error_message(_body: &[u8]) -> Option<String> {
    None
}
