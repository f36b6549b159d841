//! Provider connection settings: URL, key, user agent, timeouts and retry policy.

use std::net::IpAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::error::PanelError;
use crate::key::ApiKey;

/// The user agent sent when none is configured.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; SMM-Desk/",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// How one provider is reached. `Debug` never shows the key.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// The full API URL (e.g. `https://justanotherpanel.com/api/v2`); https unless loopback.
    pub url: String,
    /// The API key.
    pub key: ApiKey,
    /// The `User-Agent` header; must not be empty.
    pub user_agent: String,
    /// Time allowed to open the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for a whole call once started, for every action but `services`.
    pub read_timeout: Duration,
    /// Time allowed for a whole `services` call (catalogs can be large).
    pub services_read_timeout: Duration,
    /// Retries of idempotent calls.
    pub retry: RetryPolicy,
    /// Counts replies that started with PHP notices before their JSON (see
    /// [`Client::noisy_replies`](crate::Client::noisy_replies)). Clients built from clones of
    /// one configuration share it, so a caller can keep one counter per provider.
    pub noisy_replies: Arc<AtomicU64>,
}

impl ProviderConfig {
    /// A configuration with default timeouts (10 s connect, 30 s read, 120 s for `services`),
    /// the default user agent and the default retry policy.
    pub fn new(url: impl Into<String>, key: ApiKey) -> Self {
        ProviderConfig {
            url: url.into(),
            key,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            services_read_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            noisy_replies: Arc::default(),
        }
    }

    /// Checks the URL (https, or http to a loopback host), the key and the user agent, and
    /// returns the parsed URL.
    pub fn validate(&self) -> Result<Url, PanelError> {
        let url = Url::parse(self.url.trim())
            .map_err(|e| PanelError::Config(format!("the API URL is not a valid URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(PanelError::Config(
                "the API URL must not contain a user name or password".into(),
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(PanelError::Config(format!(
                    "the API URL must use https (plain http is allowed only for 127.0.0.1, ::1 \
                     and localhost), got host {}",
                    url.host_str().unwrap_or("?")
                )))
            }
            other => {
                return Err(PanelError::Config(format!(
                    "the API URL must use https, not {other}"
                )))
            }
        }
        if self.key.is_blank() {
            return Err(PanelError::Config("the API key is empty".into()));
        }
        if self.user_agent.trim().is_empty() {
            return Err(PanelError::Config("the user agent is empty".into()));
        }
        if reqwest::header::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(PanelError::Config(
                "the user agent contains characters a header cannot carry".into(),
            ));
        }
        if self.connect_timeout.is_zero()
            || self.read_timeout.is_zero()
            || self.services_read_timeout.is_zero()
        {
            return Err(PanelError::Config(
                "timeouts must be longer than zero".into(),
            ));
        }
        Ok(url)
    }
}

/// True when the URL's host is 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.');
            d.eq_ignore_ascii_case("localhost")
        }
        None => false,
    }
}

/// Bounded retries with exponential backoff and full jitter, for calls that are safe to repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included (1 = no retry).
    pub max_attempts: u32,
    /// The backoff cap of the first retry; doubled each time.
    pub base_delay: Duration,
    /// The largest backoff cap.
    pub max_delay: Duration,
    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Seed of the jitter; `None` seeds from the operating system.
    pub jitter_seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter_seed: None,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}
