//! Webhooks: order status changes and low-balance alerts delivered as signed POSTs following
//! Standard Webhooks 1.0, from a persisted outbox with retries and backoff.
//!
//! - The user adds a URL ([`Engine::add_webhook`]); its `whsec_` secret is shown once and kept
//!   encrypted under the master key like provider API keys.
//! - Events come from the durable timelines (`order_events`, `alerts`): [`outbox`] turns the
//!   rows after a persisted cursor into one message per subscribed webhook, in the same
//!   transaction that moves the cursor, so a crash anywhere neither loses nor doubles one.
//! - [`deliver`] runs beside the scheduler: one request in flight per webhook, many webhooks
//!   in parallel, a short timeout, the spec's retry schedule, then "failed" (kept, visible).
//!   A slow or dead receiver delays only its own messages.
//! - Headers: `webhook-id` (`msg_…`, the same on every retry), `webhook-timestamp` (unix
//!   seconds of the attempt), `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
//!   `id.timestamp.body`, see [`sign`]); the body is `{"type", "timestamp", "data"}`.

pub mod deliver;
pub mod outbox;
pub mod sign;

use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::Result;

pub use crate::error::WebhookError;
pub use sign::WebhookSecret;

/// Longest webhook URL, in characters.
pub const URL_MAX: usize = 2048;

/// What a message is about (the payload's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookEvent {
    /// An order's status changed (`order.status_changed`).
    OrderStatusChanged,
    /// A provider's balance fell below its low-balance threshold (`balance.low`).
    BalanceLow,
    /// A test sent on request ([`Engine::test_webhook`]); always sent, never subscribed to.
    WebhookTest,
}

impl WebhookEvent {
    /// The types a webhook can subscribe to (the default: all of them).
    pub const SUBSCRIBABLE: [WebhookEvent; 2] =
        [WebhookEvent::OrderStatusChanged, WebhookEvent::BalanceLow];

    /// The name in payloads and settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderStatusChanged => "order.status_changed",
            Self::BalanceLow => "balance.low",
            Self::WebhookTest => "webhook.test",
        }
    }

    /// A subscribable type by name.
    pub fn parse(text: &str) -> std::result::Result<Self, WebhookError> {
        Self::SUBSCRIBABLE
            .into_iter()
            .find(|e| e.as_str() == text.trim())
            .ok_or_else(|| WebhookError::EventUnknown(text.trim().to_string()))
    }
}

impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A webhook as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The webhook's id.
    pub id: i64,
    /// Where events are POSTed.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<WebhookEvent>,
    /// Whether events are sent to it.
    pub active: bool,
    /// When it was added.
    pub created_at: Timestamp,
    /// Messages waiting to be sent (including retries).
    pub pending: u64,
    /// Messages the receiver accepted (2xx).
    pub delivered: u64,
    /// Messages given up on after every retry failed.
    pub failed: u64,
}

/// A webhook to add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewWebhook {
    /// Where to POST: http(s), a host, no user name or password, at most 2048 characters.
    pub url: String,
    /// Event type names to subscribe to; `None` for all of them.
    pub events: Option<Vec<String>>,
}

/// A webhook just added, with its signing secret: the only time the secret is shown.
#[derive(Clone, PartialEq, Serialize)]
pub struct CreatedWebhook {
    /// The webhook.
    pub webhook: Webhook,
    /// The `whsec_` signing secret the receiver verifies with.
    #[serde(serialize_with = "expose_secret")]
    pub secret: WebhookSecret,
}

impl std::fmt::Debug for CreatedWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedWebhook")
            .field("webhook", &self.webhook)
            .field("secret", &self.secret)
            .finish()
    }
}

fn expose_secret<S: Serializer>(s: &WebhookSecret, ser: S) -> std::result::Result<S::Ok, S::Error> {
    ser.serialize_str(s.expose())
}

/// Where a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first attempt or a retry.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed (or the webhook was removed): no more retries.
    Failed,
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// The outbox row's id.
    pub id: i64,
    /// The `webhook-id` header (the same on every attempt).
    pub msg_id: String,
    /// The webhook it goes to.
    pub webhook_id: i64,
    /// The payload's type (`order.status_changed`, `balance.low`, `webhook.test`).
    pub event_type: String,
    /// Where it is.
    pub state: DeliveryState,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<Timestamp>,
    /// When the last attempt started.
    pub last_attempt_at: Option<Timestamp>,
    /// When the receiver accepted it.
    pub delivered_at: Option<Timestamp>,
    /// When it was given up on.
    pub given_up_at: Option<Timestamp>,
    /// The receiver's last HTTP status.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The body sent (`{"type", "timestamp", "data"}`).
    pub payload: Value,
}

/// Which deliveries to list (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Only this webhook's.
    pub webhook_id: Option<i64>,
    /// Only rows older than this id (paging).
    pub before_id: Option<i64>,
    /// At most this many (1-1000).
    pub limit: u32,
}

impl Default for DeliveryQuery {
    fn default() -> Self {
        Self {
            webhook_id: None,
            before_id: None,
            limit: 100,
        }
    }
}

/// How deliveries are attempted; the defaults follow Standard Webhooks' recommendations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookOptions {
    /// How long one POST may take (connect, send, answer).
    pub timeout: Duration,
    /// The waits before each retry; after the last retry fails the message is given up.
    /// Default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts in all).
    pub retry_delays: Vec<Duration>,
    /// How often the outbox is checked without a wake-up (events of other programs).
    pub poll_every: Duration,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        const MIN: u64 = 60;
        const HOUR: u64 = 3600;
        Self {
            timeout: Duration::from_secs(10),
            retry_delays: [
                5,
                5 * MIN,
                30 * MIN,
                2 * HOUR,
                5 * HOUR,
                10 * HOUR,
                10 * HOUR,
            ]
            .into_iter()
            .map(Duration::from_secs)
            .collect(),
            poll_every: Duration::from_secs(30),
        }
    }
}

/// A webhook URL: trimmed; http or https; a host; no user name or password; at most 2048
/// characters.
pub fn validate_url(text: &str) -> std::result::Result<String, WebhookError> {
    let text = text.trim();
    let len = text.chars().count();
    if len > URL_MAX {
        return Err(WebhookError::UrlTooLong(len));
    }
    let url = url::Url::parse(text).map_err(|_| WebhookError::UrlInvalid(text.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(WebhookError::UrlScheme(url.scheme().to_string()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(WebhookError::UrlCredentials);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(WebhookError::UrlInvalid(text.to_string()));
    }
    Ok(url.to_string())
}

/// Event type names: trimmed, known, at least one; duplicates dropped; `None` means all.
pub fn validate_events(
    names: Option<&[String]>,
) -> std::result::Result<Vec<WebhookEvent>, WebhookError> {
    let Some(names) = names else {
        return Ok(WebhookEvent::SUBSCRIBABLE.to_vec());
    };
    let mut events = names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| WebhookEvent::parse(n))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(WebhookError::EventsEmpty);
    }
    Ok(events)
}

/// The associated data of a webhook's sealed secret: the negated id (provider keys use the
/// positive provider id, the key check 0), so a secret never decrypts on another row.
fn secret_owner(id: i64) -> i64 {
    -id
}

const WEBHOOK_COLUMNS: &str = "w.id, w.url, w.events, w.active, w.created_at, \
     (SELECT count(*) FROM webhook_outbox m WHERE m.webhook_id = w.id AND m.next_attempt_at IS NOT NULL), \
     (SELECT count(*) FROM webhook_outbox m WHERE m.webhook_id = w.id AND m.delivered_at IS NOT NULL), \
     (SELECT count(*) FROM webhook_outbox m WHERE m.webhook_id = w.id AND m.given_up_at IS NOT NULL)";

fn webhook_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Webhook> {
    let events: String = r.get(2)?;
    let names: Vec<String> = serde_json::from_str(&events).unwrap_or_default();
    Ok(Webhook {
        id: r.get(0)?,
        url: r.get(1)?,
        events: names
            .iter()
            .filter_map(|n| WebhookEvent::parse(n).ok())
            .collect(),
        active: r.get(3)?,
        created_at: from_millis(r.get(4)?),
        pending: r.get::<_, i64>(5)? as u64,
        delivered: r.get::<_, i64>(6)? as u64,
        failed: r.get::<_, i64>(7)? as u64,
    })
}

/// A live (not removed) webhook by id.
fn live_webhook(conn: &Connection, id: i64) -> Result<Webhook> {
    conn.prepare_cached(&format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = ?1 AND w.removed_at IS NULL"
    ))?
    .query_row([id], webhook_from_row)
    .optional()?
    .ok_or_else(|| WebhookError::NotFound(id).into())
}

impl Engine {
    /// Adds a webhook and returns it with its new `whsec_` secret (shown only now). Events
    /// that happened before it was added are not sent to it. Bad input changes nothing.
    pub fn add_webhook(&self, new: NewWebhook) -> Result<CreatedWebhook> {
        let url = validate_url(&new.url)?;
        let events = validate_events(new.events.as_deref())?;
        let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
        let secret = WebhookSecret::generate()?;
        let now = self.now_ms();
        let master = &self.inner.master_key;
        let webhook = self.store().write(|tx| {
            // Earlier events go to the webhooks that existed when they happened.
            outbox::enqueue(tx, now)?;
            tx.execute(
                "INSERT INTO webhooks (url, secret_enc, events, active, created_at) \
                 VALUES (?1, x'', ?2, 1, ?3)",
                params![url, serde_json::to_string(&names).unwrap_or_default(), now],
            )?;
            let id = tx.last_insert_rowid();
            let sealed = master.encrypt(secret_owner(id), secret.expose().as_bytes())?;
            tx.execute(
                "UPDATE webhooks SET secret_enc = ?1 WHERE id = ?2",
                params![sealed, id],
            )?;
            live_webhook(tx, id)
        })?;
        tracing::info!(webhook = webhook.id, events = ?names, "webhook added");
        self.wake_webhooks();
        Ok(CreatedWebhook { webhook, secret })
    }

    /// Every live webhook, oldest first (never their secrets).
    pub fn list_webhooks(&self) -> Result<Vec<Webhook>> {
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {WEBHOOK_COLUMNS} FROM webhooks w WHERE w.removed_at IS NULL ORDER BY w.id"
            ))?;
            let rows = stmt.query_map([], webhook_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// One live webhook.
    pub fn webhook(&self, id: i64) -> Result<Webhook> {
        self.store().read(|c| live_webhook(c, id))
    }

    /// Removes a webhook: its secret is erased, its unsent messages are given up; its
    /// deliveries stay listed. Returns it as it was.
    pub fn remove_webhook(&self, id: i64) -> Result<Webhook> {
        let now = self.now_ms();
        let webhook = self.store().write(|tx| {
            // Events up to now still go to it (and are then given up with the rest).
            outbox::enqueue(tx, now)?;
            let webhook = live_webhook(tx, id)?;
            tx.execute(
                "UPDATE webhooks SET removed_at = ?2, active = 0, secret_enc = x'' WHERE id = ?1",
                params![id, now],
            )?;
            tx.execute(
                "UPDATE webhook_outbox SET next_attempt_at = NULL, given_up_at = ?2, \
                 last_error = 'the webhook was removed' WHERE webhook_id = ?1 \
                 AND next_attempt_at IS NOT NULL",
                params![id, now],
            )?;
            Ok(webhook)
        })?;
        tracing::info!(webhook = id, "webhook removed");
        self.wake_webhooks();
        Ok(webhook)
    }

    /// Turns a webhook on or off; while off, no new events are queued for it and its waiting
    /// messages wait.
    pub fn set_webhook_active(&self, id: i64, active: bool) -> Result<Webhook> {
        let now = self.now_ms();
        let webhook = self.store().write(|tx| {
            outbox::enqueue(tx, now)?;
            live_webhook(tx, id)?;
            tx.execute(
                "UPDATE webhooks SET active = ?2 WHERE id = ?1",
                params![id, active],
            )?;
            live_webhook(tx, id)
        })?;
        self.wake_webhooks();
        Ok(webhook)
    }

    /// Queues a `webhook.test` message for a webhook (sent by the running scheduler's
    /// delivery worker) and returns it.
    pub fn test_webhook(&self, id: i64) -> Result<Delivery> {
        let now = self.now_ms();
        let delivery = self.store().write(|tx| {
            let webhook = live_webhook(tx, id)?;
            if !webhook.active {
                return Err(WebhookError::Inactive(id).into());
            }
            let data = serde_json::json!({
                "webhook_id": id,
                "message": "a test event from SMM Desk",
            });
            let row = outbox::insert(
                tx,
                id,
                WebhookEvent::WebhookTest,
                ("test", None),
                now,
                data,
                now,
            )?;
            outbox::delivery_by_id(tx, row)
        })?;
        self.wake_webhooks();
        Ok(delivery)
    }

    /// The outbox, newest first: what was sent where, and what waits or failed.
    pub fn webhook_deliveries(&self, query: &DeliveryQuery) -> Result<Vec<Delivery>> {
        if !(1..=1000).contains(&query.limit) {
            return Err(crate::EngineError::input(
                "limit",
                "must be between 1 and 1000",
            ));
        }
        self.store().read(|c| {
            if let Some(id) = query.webhook_id {
                let exists: bool = c.query_row(
                    "SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = ?1)",
                    [id],
                    |r| r.get(0),
                )?;
                if !exists {
                    return Err(WebhookError::NotFound(id).into());
                }
            }
            outbox::list(c, query)
        })
    }

    /// Turns the order and alert rows not yet seen into messages now (the delivery worker
    /// does this on every engine event and tick); returns how many messages were queued.
    pub fn enqueue_webhook_events(&self) -> Result<usize> {
        let now = self.now_ms();
        let n = self.store().write(|tx| outbox::enqueue(tx, now))?;
        if n > 0 {
            self.wake_webhooks();
        }
        Ok(n)
    }

    /// Wakes the delivery worker (new messages or webhooks).
    pub(crate) fn wake_webhooks(&self) {
        self.inner.background.webhooks.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_one_cause_at_a_time() {
        assert_eq!(
            validate_url(" https://example.com/hook?x=1 ").unwrap(),
            "https://example.com/hook?x=1"
        );
        assert_eq!(
            validate_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/"
        );
        let code = |t: &str| validate_url(t).unwrap_err().code();
        assert_eq!(code("not a url"), "webhook.url_invalid");
        assert_eq!(code("/relative/path"), "webhook.url_invalid");
        assert_eq!(code("ftp://example.com/"), "webhook.url_scheme");
        assert_eq!(code("file:///etc/passwd"), "webhook.url_scheme");
        assert_eq!(
            code("https://user:pw@example.com/"),
            "webhook.url_credentials"
        );
        assert_eq!(code("https://user@example.com/"), "webhook.url_credentials");
        let long = format!("https://example.com/{}", "a".repeat(URL_MAX));
        assert_eq!(code(&long), "webhook.url_too_long");
        let e = validate_url("https://user:hunter2@example.com/").unwrap_err();
        assert!(!e.to_string().contains("hunter2"));
    }

    #[test]
    fn the_default_schedule_is_the_specs() {
        let o = WebhookOptions::default();
        let secs: Vec<u64> = o.retry_delays.iter().map(Duration::as_secs).collect();
        // Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 8 attempts.
        assert_eq!(secs, [5, 300, 1800, 7200, 18000, 36000, 36000]);
        assert_eq!(o.timeout, Duration::from_secs(10));
    }

    #[test]
    fn event_lists_default_to_all_and_refuse_unknown_or_empty() {
        assert_eq!(validate_events(None).unwrap(), WebhookEvent::SUBSCRIBABLE);
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            validate_events(Some(&names(&["balance.low", " balance.low"]))).unwrap(),
            [WebhookEvent::BalanceLow]
        );
        assert_eq!(
            validate_events(Some(&names(&["order.created"]))),
            Err(WebhookError::EventUnknown("order.created".into()))
        );
        assert_eq!(
            validate_events(Some(&names(&["webhook.test"]))),
            Err(WebhookError::EventUnknown("webhook.test".into()))
        );
        assert_eq!(
            validate_events(Some(&names(&["", " "]))),
            Err(WebhookError::EventsEmpty)
        );
    }
}
