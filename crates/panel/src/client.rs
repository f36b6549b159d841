//! The HTTP client: form-encoded POSTs, failure classification, bounded retries.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use backon::Retryable;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use url::Url;

use crate::action::Action;
use crate::config::{ProviderConfig, RetryPolicy};
use crate::decode;
use crate::error::{snippet, ItemError, PanelError};
use crate::key::ApiKey;
use crate::order::OrderRequest;
use crate::reason::ProviderReason;
use crate::service::Service;
use crate::status::{
    Balance, CancelAccepted, OrderState, PlacedOrder, RefillAccepted, RefillState,
};

/// Most ids a multi call carries; longer lists are split into several calls.
pub const MAX_IDS_PER_CALL: usize = 100;

/// The largest reply body accepted (a 50,000-service catalog is about 15 MB).
pub const MAX_REPLY_BYTES: usize = 64 << 20;

/// Results of a multi call, keyed by the id asked for (order id, or refill id for refill
/// statuses). Every requested id is present.
pub type BatchResult<T> = std::collections::BTreeMap<String, Result<T, ItemError>>;

/// A decoder of a multi reply for the ids asked for.
type BatchDecoder<T> = fn(&[u8], &[String]) -> Result<BatchResult<T>, PanelError>;

/// Which failures a call may be repeated after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryRule {
    /// Reads and cancel: transport failures, 5xx, rate limits.
    Idempotent,
    /// `add` and `refill`: only when the request provably never left.
    NeverSentOnly,
}

/// A client for one provider. Cheap to share behind an `Arc`; `Debug` never shows the key.
pub struct Client {
    http: reqwest::Client,
    url: Url,
    key: ApiKey,
    read_timeout: Duration,
    services_read_timeout: Duration,
    retry: RetryPolicy,
    jitter: Mutex<SmallRng>,
    noisy_replies: Arc<AtomicU64>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.url.as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// A reply that passed the HTTP checks: its status, `Retry-After` and body.
struct Reply {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Client {
    /// Builds a client; fails with [`PanelError::Config`] on an unusable configuration.
    pub fn new(config: ProviderConfig) -> Result<Client, PanelError> {
        let url = config.validate()?;
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.trim())
            .build()
            .map_err(|e| PanelError::Config(format!("cannot build the HTTP client: {e}")))?;
        let jitter = match config.retry.jitter_seed {
            Some(seed) => SmallRng::seed_from_u64(seed),
            None => SmallRng::from_os_rng(),
        };
        Ok(Client {
            http,
            url,
            key: config.key,
            read_timeout: config.read_timeout,
            services_read_timeout: config.services_read_timeout,
            retry: config.retry,
            jitter: Mutex::new(jitter),
            noisy_replies: config.noisy_replies,
        })
    }

    /// The provider's API URL.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// How many replies so far started with PHP notices before their JSON (the provider shows
    /// PHP errors to API callers; see [`decode::php_notices`]).
    pub fn noisy_replies(&self) -> u64 {
        self.noisy_replies.load(Ordering::Relaxed)
    }

    /// The catalog (`services`). Retried on transient failures.
    pub async fn services(&self) -> Result<Vec<Service>, PanelError> {
        self.call(
            Action::Services,
            &[],
            self.services_read_timeout,
            RetryRule::Idempotent,
            decode::services,
        )
        .await
    }

    /// The account balance (`balance`). Retried on transient failures.
    pub async fn balance(&self) -> Result<Balance, PanelError> {
        self.read_call(Action::Balance, &[], decode::balance).await
    }

    /// Places an order (`add`). Never resent unless the request provably never left: on
    /// [`Delivery::MaybeSent`](crate::Delivery::MaybeSent) the order may exist at the provider.
    pub async fn add(&self, order: &OrderRequest) -> Result<PlacedOrder, PanelError> {
        let params = order.form_params();
        let params: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.typed_call(
            Action::Add,
            &params,
            RetryRule::NeverSentOnly,
            decode::placed_order,
        )
        .await
    }

    /// The status of one order (`status` with `order`). Retried on transient failures.
    pub async fn status(&self, order: &str) -> Result<OrderState, PanelError> {
        let id = single_id(order)?;
        self.read_call(Action::Status, &[("order", &id)], decode::order_state)
            .await
    }

    /// The status of many orders (`status` with `orders`): ids de-duplicated, sent 100 per call,
    /// results merged.
    pub async fn statuses(&self, orders: &[String]) -> Result<BatchResult<OrderState>, PanelError> {
        self.batch(
            Action::Status,
            "orders",
            orders,
            RetryRule::Idempotent,
            decode::order_states,
        )
        .await
    }

    /// Asks for a refill of one order (`refill` with `order`). Not resent unless never sent.
    pub async fn refill(&self, order: &str) -> Result<RefillAccepted, PanelError> {
        let id = single_id(order)?;
        self.typed_call(
            Action::Refill,
            &[("order", &id)],
            RetryRule::NeverSentOnly,
            decode::refill_accepted,
        )
        .await
    }

    /// Asks for refills of many orders (`refill` with `orders`), keyed by order id.
    pub async fn refills(
        &self,
        orders: &[String],
    ) -> Result<BatchResult<RefillAccepted>, PanelError> {
        self.batch(
            Action::Refill,
            "orders",
            orders,
            RetryRule::NeverSentOnly,
            decode::refills_accepted,
        )
        .await
    }

    /// The status of one refill (`refill_status` with `refill`). Retried on transient failures.
    pub async fn refill_status(&self, refill: &str) -> Result<RefillState, PanelError> {
        let id = single_id(refill)?;
        self.read_call(
            Action::RefillStatus,
            &[("refill", &id)],
            decode::refill_state,
        )
        .await
    }

    /// The status of many refills (`refill_status` with `refills`), keyed by refill id.
    pub async fn refill_statuses(
        &self,
        refills: &[String],
    ) -> Result<BatchResult<RefillState>, PanelError> {
        self.batch(
            Action::RefillStatus,
            "refills",
            refills,
            RetryRule::Idempotent,
            decode::refill_states,
        )
        .await
    }

    /// Asks to cancel orders (`cancel` with `orders`), keyed by order id. Accepted is not done.
    pub async fn cancel(
        &self,
        orders: &[String],
    ) -> Result<BatchResult<CancelAccepted>, PanelError> {
        self.batch(
            Action::Cancel,
            "orders",
            orders,
            RetryRule::Idempotent,
            decode::cancels,
        )
        .await
    }

    async fn read_call<T>(
        &self,
        action: Action,
        params: &[(&str, &str)],
        decode: fn(&[u8]) -> Result<T, PanelError>,
    ) -> Result<T, PanelError> {
        self.typed_call(action, params, RetryRule::Idempotent, decode)
            .await
    }

    async fn typed_call<T>(
        &self,
        action: Action,
        params: &[(&str, &str)],
        rule: RetryRule,
        decode: fn(&[u8]) -> Result<T, PanelError>,
    ) -> Result<T, PanelError> {
        self.call(action, params, self.read_timeout, rule, decode)
            .await
    }

    async fn batch<T>(
        &self,
        action: Action,
        param: &str,
        ids: &[String],
        rule: RetryRule,
        decode: BatchDecoder<T>,
    ) -> Result<BatchResult<T>, PanelError> {
        let chunks = chunk_ids(ids)?;
        let mut merged = BatchResult::new();
        let mut first_error = None;
        let mut failed = 0;
        for chunk in &chunks {
            let joined = chunk.join(",");
            let outcome = self
                .call(
                    action,
                    &[(param, &joined)],
                    self.read_timeout,
                    rule,
                    |body| decode(body, chunk),
                )
                .await;
            match outcome {
                Ok(items) => merged.extend(items),
                Err(e) => {
                    failed += 1;
                    for id in chunk {
                        merged.insert(id.clone(), Err(ItemError::Call(Box::new(e.clone()))));
                    }
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) if failed == chunks.len() => Err(e),
            _ => Ok(merged),
        }
    }

    /// Sends one action with retries per `rule`. The body is decoded inside each attempt so
    /// that a provider error or a garbled reply takes part in the retry decision.
    async fn call<T>(
        &self,
        action: Action,
        params: &[(&str, &str)],
        timeout: Duration,
        rule: RetryRule,
        decode: impl Fn(&[u8]) -> Result<T, PanelError>,
    ) -> Result<T, PanelError> {
        let mut delays = self.backoff();
        let max_retry_after = self.retry.max_retry_after;
        let attempt = || async {
            let reply = self.send_once(action, params, timeout).await?;
            let decoded = decode(&reply.body).map_err(|e| self.finish_error(e, &reply));
            self.note_notices(action, &reply, decoded.is_ok());
            decoded
        };
        attempt
            .retry(std::iter::from_fn(move || delays.pop()))
            .sleep(tokio::time::sleep)
            .when(|e: &PanelError| may_retry(rule, e))
            .adjust(|e: &PanelError, backoff| match (backoff, e.retry_after()) {
                (None, _) => None,
                (Some(_), Some(wait)) if wait > max_retry_after => None,
                (Some(d), Some(wait)) => Some(d.max(wait)),
                (Some(d), None) => Some(d),
            })
            .notify(|e: &PanelError, wait| {
                tracing::warn!(action = %action, error = %e, ?wait, "panel call failed; retrying");
            })
            .await
    }

    /// Counts and logs a reply that starts with PHP notices.
    fn note_notices(&self, action: Action, reply: &Reply, decoded: bool) {
        if let Some(notices) = decode::php_notices(&reply.body) {
            self.noisy_replies.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                action = %action,
                notices = notices.count,
                decoded,
                "the provider's reply starts with PHP notices before its JSON"
            );
        }
    }

    /// The delays of one call's retries, last first (popped from the end).
    fn backoff(&self) -> Vec<Duration> {
        let mut rng = self.jitter.lock().unwrap_or_else(|p| p.into_inner());
        let mut delays: Vec<Duration> = (0..self.retry.max_attempts.saturating_sub(1))
            .map(|i| {
                let cap = self
                    .retry
                    .base_delay
                    .saturating_mul(1u32.checked_shl(i.min(31)).unwrap_or(u32::MAX))
                    .min(self.retry.max_delay);
                // Full jitter: uniform between zero and the cap.
                let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(rng.random_range(0..=nanos))
            })
            .collect();
        delays.reverse();
        delays
    }

    async fn send_once(
        &self,
        action: Action,
        params: &[(&str, &str)],
        timeout: Duration,
    ) -> Result<Reply, PanelError> {
        let body = self.form_body(action, params);
        let started = Instant::now();
        let sent = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .timeout(timeout)
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let err = self.redact(transport_error(&e));
                tracing::debug!(action = %action, error = %err, elapsed = ?started.elapsed(), "panel call failed");
                return Err(err);
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = read_body(response).await.map_err(|e| self.redact(e))?;
        tracing::debug!(action = %action, status, bytes = body.len(), elapsed = ?started.elapsed(), "panel replied");
        self.check_http(status, &headers, body)
    }

    /// The form-encoded body: `key`, `action`, then the parameters.
    fn form_body(&self, action: Action, params: &[(&str, &str)]) -> String {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("key", self.key.expose());
        form.append_pair("action", action.as_str());
        for (k, v) in params {
            form.append_pair(k, v);
        }
        form.finish()
    }

    /// Applies the HTTP-level rules: redirects, 429, non-2xx with or without a JSON error.
    fn check_http(
        &self,
        status: u16,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Reply, PanelError> {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if (300..400).contains(&status) {
            let location = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            return Err(self.redact(PanelError::Redirect {
                status,
                location: snippet(&location, 200),
            }));
        }
        let error_text = decode::error_message(&body);
        if status == 429 {
            let message = error_text.map_or_else(
                || "HTTP 429 Too Many Requests".to_owned(),
                |m| snippet(&m, crate::error::MAX_MESSAGE_CHARS),
            );
            return Err(self.redact(PanelError::Provider {
                reason: ProviderReason::RateLimited,
                message,
                http_status: status,
                retry_after,
            }));
        }
        if !(200..300).contains(&status) {
            if let Some(message) = error_text {
                let mut e = PanelError::provider(&message, status);
                if let PanelError::Provider { retry_after: r, .. } = &mut e {
                    *r = retry_after;
                }
                return Err(self.redact(e));
            }
            return Err(self.redact(PanelError::Http {
                status,
                snippet: snippet(&String::from_utf8_lossy(&body), 200),
            }));
        }
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }

    /// Completes a decoder error with the reply's HTTP status and Retry-After, and redacts it.
    fn finish_error(&self, mut e: PanelError, reply: &Reply) -> PanelError {
        match &mut e {
            PanelError::Provider {
                http_status,
                retry_after,
                ..
            } => {
                *http_status = reply.status;
                if retry_after.is_none() {
                    *retry_after = reply.retry_after;
                }
            }
            PanelError::NonJson { http_status, .. } | PanelError::EmptyBody { http_status } => {
                *http_status = reply.status;
            }
            _ => {}
        }
        self.redact(e)
    }

    /// Removes the API key from every text the error carries.
    fn redact(&self, e: PanelError) -> PanelError {
        let k = &self.key;
        match e {
            PanelError::Config(m) => PanelError::Config(k.redact(&m)),
            PanelError::InvalidRequest(m) => PanelError::InvalidRequest(k.redact(&m)),
            PanelError::Connect(m) => PanelError::Connect(k.redact(&m)),
            PanelError::Transport(m) => PanelError::Transport(k.redact(&m)),
            PanelError::Provider {
                reason,
                message,
                http_status,
                retry_after,
            } => PanelError::Provider {
                reason: match reason {
                    ProviderReason::Other(m) => ProviderReason::Other(k.redact(&m)),
                    r => r,
                },
                message: k.redact(&message),
                http_status,
                retry_after,
            },
            PanelError::Http { status, snippet } => PanelError::Http {
                status,
                snippet: k.redact(&snippet),
            },
            PanelError::Redirect { status, location } => PanelError::Redirect {
                status,
                location: k.redact(&location),
            },
            PanelError::NonJson {
                http_status,
                snippet,
            } => PanelError::NonJson {
                http_status,
                snippet: k.redact(&snippet),
            },
            PanelError::UnexpectedReply { detail, snippet } => PanelError::UnexpectedReply {
                detail,
                snippet: k.redact(&snippet),
            },
            PanelError::UnsupportedFormat { snippet } => PanelError::UnsupportedFormat {
                snippet: k.redact(&snippet),
            },
            other => other,
        }
    }
}

/// Whether a failed attempt may be repeated under `rule`.
fn may_retry(rule: RetryRule, e: &PanelError) -> bool {
    match e {
        PanelError::Connect(_) => true,
        PanelError::Config(_) | PanelError::InvalidRequest(_) => false,
        _ if rule == RetryRule::NeverSentOnly => false,
        PanelError::Provider { reason, .. } => *reason == ProviderReason::RateLimited,
        PanelError::Http { status, .. } => *status >= 500 || *status == 408,
        PanelError::Timeout
        | PanelError::Transport(_)
        | PanelError::NonJson { .. }
        | PanelError::EmptyBody { .. } => true,
        _ => false,
    }
}

/// Maps a reqwest error from `send` to never-sent (connect) or maybe-sent.
fn transport_error(e: &reqwest::Error) -> PanelError {
    let detail = error_chain(e);
    if e.is_connect() {
        PanelError::Connect(detail)
    } else if e.is_timeout() {
        PanelError::Timeout
    } else if e.is_builder() {
        PanelError::Config(detail)
    } else {
        PanelError::Transport(detail)
    }
}

/// The error and its sources, joined.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, PanelError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_REPLY_BYTES {
                    return Err(PanelError::UnexpectedReply {
                        detail: format!("reply larger than {MAX_REPLY_BYTES} bytes"),
                        snippet: String::new(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(PanelError::Timeout),
            Err(e) => return Err(PanelError::Transport(error_chain(&e))),
        }
    }
}

/// Checks one id for a single call.
fn single_id(id: &str) -> Result<String, PanelError> {
    let id = id.trim();
    if id.is_empty() || id.contains([',', '\n', '\r']) {
        return Err(PanelError::InvalidRequest(format!(
            "{id:?} is not a valid id"
        )));
    }
    Ok(id.to_owned())
}

/// Trims and de-duplicates ids (first occurrence kept) and splits them into calls of at most
/// [`MAX_IDS_PER_CALL`]. An empty list, an empty id or an id with a comma is an error.
pub fn chunk_ids(ids: &[String]) -> Result<Vec<Vec<String>>, PanelError> {
    let mut seen = std::collections::HashSet::new();
    let mut unique = Vec::new();
    for id in ids {
        let id = single_id(id)?;
        if seen.insert(id.clone()) {
            unique.push(id);
        }
    }
    if unique.is_empty() {
        return Err(PanelError::InvalidRequest("no ids given".into()));
    }
    Ok(unique
        .chunks(MAX_IDS_PER_CALL)
        .map(<[String]>::to_vec)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(seed: u64) -> Client {
        let mut config =
            ProviderConfig::new("http://127.0.0.1:9/api/v2", ApiKey::new("k-000000000000"));
        config.retry = RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(60),
            jitter_seed: Some(seed),
        };
        Client::new(config).unwrap()
    }

    #[test]
    fn backoff_is_exponential_full_jitter_capped_and_seeded() {
        let mut delays = client(1).backoff();
        delays.reverse();
        assert_eq!(delays.len(), 5);
        let caps = [100, 200, 400, 800, 1000];
        for (d, cap) in delays.iter().zip(caps) {
            assert!(*d <= Duration::from_millis(cap), "{d:?} > {cap} ms");
        }
        assert_eq!(client(1).backoff(), client(1).backoff());
        assert_ne!(client(1).backoff(), client(2).backoff());
        let c = client(3);
        assert_ne!(c.backoff(), c.backoff(), "each call draws new jitter");
    }

    #[test]
    fn only_safe_failures_are_retried() {
        use RetryRule::*;
        let connect = PanelError::Connect("refused".into());
        let timeout = PanelError::Timeout;
        let http5 = PanelError::Http {
            status: 503,
            snippet: String::new(),
        };
        let limited = PanelError::Provider {
            reason: ProviderReason::RateLimited,
            message: String::new(),
            http_status: 429,
            retry_after: None,
        };
        let funds = PanelError::provider("Not enough funds on balance", 200);
        assert!(may_retry(NeverSentOnly, &connect));
        for e in [&timeout, &http5, &limited, &funds] {
            assert!(!may_retry(NeverSentOnly, e), "{e:?}");
        }
        for e in [&connect, &timeout, &http5, &limited] {
            assert!(may_retry(Idempotent, e), "{e:?}");
        }
        assert!(!may_retry(Idempotent, &funds));
    }

    #[test]
    fn ids_are_deduplicated_and_split_by_100() {
        let ids: Vec<String> = (0..250)
            .map(|i| i.to_string())
            .chain(["7".into()])
            .collect();
        let chunks = chunk_ids(&ids).unwrap();
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![100, 100, 50]
        );
        assert!(chunk_ids(&[]).is_err());
        assert!(chunk_ids(&["1,2".into()]).is_err());
        assert!(chunk_ids(&[" ".into()]).is_err());
    }
}
