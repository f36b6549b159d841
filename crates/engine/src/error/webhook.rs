//! Why a webhook request was refused: one stable code per cause. Nothing was written when one
//! of these is returned, and no message carries a signing secret or URL credentials.
//! Re-exported as `webhooks::WebhookError`; it lives here so that the error layer names no
//! domain module.

use super::EngineError;

/// A refused webhook operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The URL does not parse as an absolute URL with a host.
    #[error("\"{0}\" is not a URL with a host (e.g. https://example.com/hooks/smm)")]
    UrlInvalid(String),
    /// The URL is not http or https.
    #[error("the webhook URL must start with https:// or http:// (got {0}://)")]
    UrlScheme(String),
    /// The URL carries a user name or password (they would be sent with every event).
    #[error("the webhook URL must not contain a user name or password; receivers verify the signature instead")]
    UrlCredentials,
    /// The URL is longer than `webhooks::URL_MAX` characters.
    #[error("the webhook URL is {0} characters long; at most 2048 are allowed")]
    UrlTooLong(usize),
    /// An event type nobody sends.
    #[error("unknown event type \"{0}\" (known: order.status_changed, balance.low)")]
    EventUnknown(String),
    /// The list of event types is empty.
    #[error("subscribe to at least one event type (order.status_changed, balance.low)")]
    EventsEmpty,
    /// No live webhook has that id.
    #[error("no webhook #{0}")]
    NotFound(i64),
    /// The webhook is disabled, so a test event would not be sent.
    #[error("webhook #{0} is disabled")]
    Inactive(i64),
}

impl WebhookError {
    /// The request field it is about (`url`, `events`), for forms and API errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::UrlInvalid(_)
            | Self::UrlScheme(_)
            | Self::UrlCredentials
            | Self::UrlTooLong(_) => Some("url"),
            Self::EventUnknown(_) | Self::EventsEmpty => Some("events"),
            Self::NotFound(_) | Self::Inactive(_) => None,
        }
    }

    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UrlInvalid(_) => "webhook.url_invalid",
            Self::UrlScheme(_) => "webhook.url_scheme",
            Self::UrlCredentials => "webhook.url_credentials",
            Self::UrlTooLong(_) => "webhook.url_too_long",
            Self::EventUnknown(_) => "webhook.event_unknown",
            Self::EventsEmpty => "webhook.events_empty",
            Self::NotFound(_) => "webhook.not_found",
            Self::Inactive(_) => "webhook.inactive",
        }
    }
}

impl From<WebhookError> for EngineError {
    fn from(e: WebhookError) -> Self {
        EngineError::Webhook(e)
    }
}
