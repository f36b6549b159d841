//! The crate's error type, classified by whether the request may have reached the provider.

use std::time::Duration;

use crate::reason::ProviderReason;

/// Whether a failed request may have reached the provider (docs/architecture.md §3, step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// The request provably never left (bad config, DNS, refused connection, TLS failure): safe
    /// to retry, nothing was charged.
    NeverSent,
    /// The provider answered and refused (an `error` body, HTTP 429, a 4xx page): nothing was
    /// placed or charged.
    Rejected,
    /// The request may have been processed (timeout after sending, reset, 5xx, non-JSON or empty
    /// reply): never resend an `add` or `refill` automatically.
    MaybeSent,
}

/// An error from the panel client. `Display` and `Debug` never contain the API key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PanelError {
    /// The provider configuration is unusable (bad URL, plain http to a non-loopback host…).
    #[error("invalid provider configuration: {0}")]
    Config(String),
    /// The request was refused locally before sending (bad id list, invalid order fields…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No connection could be made (DNS, refused, TLS, connect timeout); nothing was sent.
    #[error("could not connect to the provider: {0}")]
    Connect(String),
    /// The provider answered with an error message.
    #[error("the provider refused the request: {reason} ({message})")]
    Provider {
        /// The typed reason parsed from the message.
        reason: ProviderReason,
        /// The provider's message, verbatim (key redacted).
        message: String,
        /// The HTTP status of the reply.
        http_status: u16,
        /// How long the provider asked us to wait (`Retry-After`), when it said.
        retry_after: Option<Duration>,
    },
    /// The request was sent but no reply came in time.
    #[error("the provider did not answer in time after the request was sent")]
    Timeout,
    /// The connection failed after the request may have been sent (reset, closed, broken body).
    #[error("the connection failed after the request was sent: {0}")]
    Transport(String),
    /// A non-success HTTP status without a JSON error body.
    #[error("the provider answered HTTP {status}: {snippet}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first characters of the body (at most 200).
        snippet: String,
    },
    /// The provider answered with a redirect, which is never followed (the key is in the body).
    #[error("the provider answered with a redirect (HTTP {status}) to {location}; redirects are not followed")]
    Redirect {
        /// The HTTP status code.
        status: u16,
        /// The `Location` header, if any.
        location: String,
    },
    /// The reply was not JSON (an HTML page, a PHP warning, a Cloudflare challenge…).
    #[error("the provider reply is not JSON: {snippet}")]
    NonJson {
        /// The HTTP status of the reply.
        http_status: u16,
        /// The first characters of the body (at most 200).
        snippet: String,
    },
    /// The reply body was empty.
    #[error("the provider sent an empty reply (HTTP {http_status})")]
    EmptyBody {
        /// The HTTP status of the reply.
        http_status: u16,
    },
    /// The reply was JSON but not the shape this action returns (e.g. `{}` for `add`).
    #[error("unexpected reply from the provider: {detail}: {snippet}")]
    UnexpectedReply {
        /// What was expected.
        detail: String,
        /// The first characters of the body (at most 200).
        snippet: String,
    },
    /// The reply uses an envelope this client does not speak (e.g. `{"data":…,"error":…}`).
    #[error("unsupported provider format: {snippet}")]
    UnsupportedFormat {
        /// The first characters of the body (at most 200).
        snippet: String,
    },
}

impl PanelError {
    /// Whether the failed request may have reached the provider.
    pub fn delivery(&self) -> Delivery {
        match self {
            PanelError::Config(_) | PanelError::InvalidRequest(_) | PanelError::Connect(_) => {
                Delivery::NeverSent
            }
            PanelError::Provider { .. } => Delivery::Rejected,
            PanelError::Http { status, .. } if (400..500).contains(status) && *status != 408 => {
                Delivery::Rejected
            }
            PanelError::Timeout
            | PanelError::Transport(_)
            | PanelError::Http { .. }
            | PanelError::Redirect { .. }
            | PanelError::NonJson { .. }
            | PanelError::EmptyBody { .. }
            | PanelError::UnexpectedReply { .. }
            | PanelError::UnsupportedFormat { .. } => Delivery::MaybeSent,
        }
    }

    /// The provider's typed reason, when the provider refused the request.
    pub fn reason(&self) -> Option<&ProviderReason> {
        match self {
            PanelError::Provider { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// True when the provider is throttling us (HTTP 429 or rate-limit text).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.reason(), Some(ProviderReason::RateLimited))
    }

    /// How long the provider asked us to wait before the next request, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            PanelError::Provider { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A stable machine code for this error (`provider.invalid_key`, `timeout`, `non_json`…).
    pub fn code(&self) -> String {
        match self {
            PanelError::Config(_) => "config".into(),
            PanelError::InvalidRequest(_) => "invalid_request".into(),
            PanelError::Connect(_) => "connect".into(),
            PanelError::Provider { reason, .. } => format!("provider.{}", reason.code()),
            PanelError::Timeout => "timeout".into(),
            PanelError::Transport(_) => "transport".into(),
            PanelError::Http { .. } => "http".into(),
            PanelError::Redirect { .. } => "redirect".into(),
            PanelError::NonJson { .. } => "non_json".into(),
            PanelError::EmptyBody { .. } => "empty_body".into(),
            PanelError::UnexpectedReply { .. } => "unexpected_reply".into(),
            PanelError::UnsupportedFormat { .. } => "unsupported_format".into(),
        }
    }

    /// A provider refusal built from its message text.
    pub(crate) fn provider(message: &str, http_status: u16) -> PanelError {
        let message = snippet(message, MAX_MESSAGE_CHARS);
        PanelError::Provider {
            reason: ProviderReason::from_message(&message),
            message,
            http_status,
            retry_after: None,
        }
    }
}

/// Why one id of a batch call (multi status, refill, refill status, cancel) has no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ItemError {
    /// The provider reported an error for this id.
    #[error("{reason} ({message})")]
    Provider {
        /// The typed reason parsed from the message.
        reason: ProviderReason,
        /// The provider's message, verbatim.
        message: String,
    },
    /// The provider's reply did not mention this id.
    #[error("the provider did not return this id")]
    NotReturned,
    /// The provider's item for this id could not be understood.
    #[error("unreadable item: {0}")]
    Malformed(String),
    /// The call carrying this id failed as a whole (other chunks succeeded).
    #[error("the call failed: {0}")]
    Call(Box<PanelError>),
}

impl ItemError {
    /// A per-item provider error built from its message text.
    pub(crate) fn provider(message: &str) -> ItemError {
        let message = snippet(message, MAX_MESSAGE_CHARS);
        ItemError::Provider {
            reason: ProviderReason::from_message(&message),
            message,
        }
    }

    /// The provider's typed reason, when the provider reported one for this item.
    pub fn reason(&self) -> Option<&ProviderReason> {
        match self {
            ItemError::Provider { reason, .. } => Some(reason),
            ItemError::Call(e) => e.reason(),
            _ => None,
        }
    }
}

/// Longest provider message kept in an error.
pub(crate) const MAX_MESSAGE_CHARS: usize = 300;

/// At most `max` characters of `text`, trimmed, for error messages.
pub(crate) fn snippet(text: &str, max: usize) -> String {
    let t = text.trim();
    match t.char_indices().nth(max) {
        Some((i, _)) => t[..i].to_owned(),
        None => t.to_owned(),
    }
}
