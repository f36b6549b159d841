//! The API's error: `{ "error": { "code", "message", "field"? } }` with the engine's stable
//! codes and the HTTP status that fits them. Messages never carry a key (the engine's never do).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use smm_engine::{EngineError, OrderError};
use utoipa::ToSchema;

/// What went wrong, as the body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code (`provider.not_found`, `order.quantity_below_min`, `auth.missing`…).
    pub code: String,
    /// What happened, in English.
    pub message: String,
    /// The request field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.into(),
                message: message.into(),
                field: None,
            },
            retry_after: None,
        }
    }

    /// A bad value of one request field (422).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "input.invalid", message);
        e.detail.field = Some(field.into());
        e
    }

    /// Too many requests: come back after `secs` (429 with `Retry-After`).
    pub fn rate_limited(secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "api.rate_limited",
            format!("too many requests; retry after {secs} s"),
        );
        e.retry_after = Some(secs);
        e
    }

    /// The same error naming the request field `to` where it named `from` (a route whose
    /// body calls a field otherwise than the engine does).
    pub fn rename_field(mut self, from: &str, to: &str) -> Self {
        if self.detail.field.as_deref() == Some(from) {
            self.detail.field = Some(to.into());
        }
        self
    }

    /// The same error naming the request field `field` when it named none.
    pub fn or_field(mut self, field: &str) -> Self {
        self.detail.field.get_or_insert_with(|| field.into());
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// The HTTP status of an engine error code.
fn status_of(code: &str) -> StatusCode {
    match code {
        c if c.ends_with(".not_found") || c == "order.service_not_found" => StatusCode::NOT_FOUND,
        "provider.name_taken"
        | "provider.inactive"
        | "order.idempotency_conflict"
        | "order.insufficient_balance"
        | "order.not_unknown"
        | "order.external_id_taken"
        | "order.not_resubmittable"
        | "order.no_external_id"
        | "order.refill_unsupported"
        | "order.refill_in_flight"
        | "order.cancel_unsupported"
        | "order.finished"
        | "webhook.inactive"
        | "customer.name_taken"
        | "offer_group.name_taken"
        | "route.no_provider"
        | "data.in_use" => StatusCode::CONFLICT,
        "store.busy" => StatusCode::SERVICE_UNAVAILABLE,
        c if c.starts_with("panel.connect") || c == "panel.timeout" => StatusCode::BAD_GATEWAY,
        c if c.starts_with("panel.") => StatusCode::BAD_GATEWAY,
        c if c.starts_with("input.")
            || c.starts_with("order.")
            || c.starts_with("mass_order.")
            || c.starts_with("provider.")
            || c.starts_with("webhook.")
            || c.starts_with("offer_group.")
            || c.starts_with("route.") =>
        {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The request field an engine error is about.
fn field_of(e: &EngineError) -> Option<String> {
    match e {
        EngineError::Input { field, .. } => Some(crate::views::camel(field)),
        EngineError::Order(OrderError::Form(f)) => f.field().map(|f| f.form_name().to_string()),
        EngineError::Order(OrderError::IdempotencyKeyInvalid) => Some("Idempotency-Key".into()),
        EngineError::ProviderNameInvalid(_) | EngineError::ProviderNameTaken(_) => {
            Some("name".into())
        }
        EngineError::UrlInvalid(_) | EngineError::UrlScheme(_) | EngineError::UrlInsecure(_) => {
            Some("apiUrl".into())
        }
        EngineError::KeyEmpty => Some("apiKey".into()),
        EngineError::CustomerNameTaken(_) => Some("customer".into()),
        EngineError::PresetUnknown(_) => Some("preset".into()),
        EngineError::Webhook(w) => w.field().map(str::to_string),
        EngineError::Route(r) => r.field().map(str::to_string),
        _ => None,
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        let body = e.to_body();
        let status = status_of(body.code);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(code = body.code, "local API: {}", body.message);
        }
        ApiError {
            status,
            detail: ErrorDetail {
                code: body.code.into(),
                message: body.message,
                field: field_of(&e),
            },
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(ErrorBody { error: self.detail })).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// The API's result type.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_fitting_statuses() {
        assert_eq!(status_of("provider.not_found"), StatusCode::NOT_FOUND);
        assert_eq!(status_of("order.not_found"), StatusCode::NOT_FOUND);
        assert_eq!(
            status_of("order.idempotency_conflict"),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of("order.quantity_below_min"),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of("panel.rejected.invalid_key"),
            StatusCode::BAD_GATEWAY
        );
        assert_eq!(status_of("store.busy"), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status_of("store.failed"), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
