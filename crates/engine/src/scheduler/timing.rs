//! When jobs run: intervals and retention from settings, jitter from a seeded rng, and the
//! backoff of a failing job.

use std::time::Duration;

use jiff::Timestamp;

use crate::clock::Clock;
use crate::engine::Engine;
use crate::error::Result;

use super::JobKind;

/// Setting: the order and refill status interval, seconds (default 300).
pub const ORDER_STATUS_INTERVAL: &str = "jobs.order_status.interval_secs";
/// Setting: the catalog sync interval, seconds (default 3600).
pub const CATALOG_SYNC_INTERVAL: &str = "jobs.catalog_sync.interval_secs";
/// Setting: the balance check interval, seconds (default 3600).
pub const BALANCE_INTERVAL: &str = "jobs.balance.interval_secs";
/// Setting: the cleanup interval, seconds (default 604800, a week).
pub const CLEANUP_INTERVAL: &str = "jobs.cleanup.interval_secs";
/// Setting: jitter added to each next-due time, percent of the interval (default 10, max 50).
pub const JITTER_PERCENT: &str = "jobs.jitter_percent";
/// Setting: the first retry delay of a failing job, seconds (default 60).
pub const BACKOFF_BASE: &str = "jobs.backoff_base_secs";
/// Setting: the longest retry delay of a failing job, seconds (default 1800).
pub const BACKOFF_MAX: &str = "jobs.backoff_max_secs";
/// Setting: failed runs in a row after which a provider shows as offline (default 3).
pub const OFFLINE_AFTER: &str = "jobs.offline_after_failures";
/// Setting: days the API call log is kept (default 30).
pub const API_CALLS_RETENTION: &str = "retention.api_calls_days";
/// Setting: days after which order event details are trimmed (default 90).
pub const EVENT_DETAIL_RETENTION: &str = "retention.event_details_days";
/// Setting: days after finishing that an order is archived (default 90).
pub const ORDER_ARCHIVE_AFTER: &str = "retention.archive_orders_days";

/// The schedule's numbers, read from settings (defaults where unset or invalid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// Order and refill status interval.
    pub order_status: Duration,
    /// Catalog sync interval.
    pub catalog_sync: Duration,
    /// Balance interval.
    pub balance: Duration,
    /// Cleanup interval.
    pub cleanup: Duration,
    /// Jitter, percent of the interval.
    pub jitter_percent: u64,
    /// First retry delay of a failing job.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_max: Duration,
    /// Failed runs in a row that make a provider offline.
    pub offline_after: u32,
}

impl Timing {
    /// Reads the settings.
    pub fn load(engine: &Engine) -> Result<Self> {
        let secs = |key: &str, default: u64| -> Result<Duration> {
            Ok(Duration::from_secs(setting_u64(engine, key, default, 1)?))
        };
        Ok(Self {
            order_status: secs(ORDER_STATUS_INTERVAL, 300)?,
            catalog_sync: secs(CATALOG_SYNC_INTERVAL, 3600)?,
            balance: secs(BALANCE_INTERVAL, 3600)?,
            cleanup: secs(CLEANUP_INTERVAL, 7 * 24 * 3600)?,
            jitter_percent: setting_u64(engine, JITTER_PERCENT, 10, 0)?.min(50),
            backoff_base: secs(BACKOFF_BASE, 60)?,
            backoff_max: secs(BACKOFF_MAX, 1800)?,
            offline_after: setting_u64(engine, OFFLINE_AFTER, 3, 1)?.min(1000) as u32,
        })
    }

    /// A job's interval.
    pub fn interval(&self, kind: JobKind) -> Duration {
        match kind {
            JobKind::OrderStatus => self.order_status,
            JobKind::CatalogSync => self.catalog_sync,
            JobKind::Balance => self.balance,
            JobKind::Cleanup => self.cleanup,
        }
    }

    /// The largest jitter added to a job's next-due time.
    pub fn max_jitter(&self, kind: JobKind) -> Duration {
        self.interval(kind) * self.jitter_percent as u32 / 100
    }

    /// The delay before retrying a job that failed `failures` times in a row (1 = first
    /// failure): base, 2×base, 4×base… up to the max.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(20);
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

/// A whole-number setting, `default` when unset or below `min`.
pub(crate) fn setting_u64(engine: &Engine, key: &str, default: u64, min: u64) -> Result<u64> {
    Ok(engine
        .setting(key)?
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|v| *v >= min)
        .unwrap_or(default))
}

/// A small seeded random source (SplitMix64): the same seed gives the same schedule.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A duration in `0..=max`, to the millisecond.
    pub fn up_to(&mut self, max: Duration) -> Duration {
        let ms = max.as_millis() as u64;
        if ms == 0 {
            return Duration::ZERO;
        }
        Duration::from_millis(self.next_u64() % (ms + 1))
    }
}

/// A clock that follows tokio's clock from a starting time: with tokio's paused clock in
/// tests, the engine's "now" moves exactly as `tokio::time::advance` says.
#[derive(Debug, Clone)]
pub struct TokioClock {
    base: Timestamp,
    started: tokio::time::Instant,
}

impl TokioClock {
    /// A clock reading `base` now.
    pub fn new(base: Timestamp) -> Self {
        Self {
            base,
            started: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Timestamp {
        let elapsed = tokio::time::Instant::now() - self.started;
        let span = jiff::SignedDuration::try_from(elapsed).unwrap_or(jiff::SignedDuration::MAX);
        self.base.checked_add(span).unwrap_or(self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing() -> Timing {
        Timing {
            order_status: Duration::from_secs(300),
            catalog_sync: Duration::from_secs(3600),
            balance: Duration::from_secs(3600),
            cleanup: Duration::from_secs(604_800),
            jitter_percent: 10,
            backoff_base: Duration::from_secs(60),
            backoff_max: Duration::from_secs(1800),
            offline_after: 3,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let t = timing();
        let secs: Vec<u64> = (1..=8).map(|n| t.backoff(n).as_secs()).collect();
        assert_eq!(secs, [60, 120, 240, 480, 960, 1800, 1800, 1800]);
        assert_eq!(t.backoff(u32::MAX).as_secs(), 1800);
    }

    #[test]
    fn jitter_stays_within_bounds_and_is_repeatable() {
        let max = timing().max_jitter(JobKind::OrderStatus);
        assert_eq!(max, Duration::from_secs(30));
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let draws: Vec<Duration> = (0..1000).map(|_| a.up_to(max)).collect();
        assert!(draws.iter().all(|d| *d <= max));
        assert_eq!(draws, (0..1000).map(|_| b.up_to(max)).collect::<Vec<_>>());
        // Spread out, not clumped: both halves of the range are used.
        assert!(draws.iter().any(|d| *d < max / 4) && draws.iter().any(|d| *d > max * 3 / 4));
    }
}
