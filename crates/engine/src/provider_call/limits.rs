//! Per-provider limits shared by the scheduler's jobs and by user actions: at most
//! `max_concurrency` calls at once and `requests_per_minute` calls in any 60 seconds.
//!
//! Background jobs never take the last concurrency slot nor the last fifth of the minute's
//! requests: those stay free for the user, so a big sync never starves an order placement.
//! Every provider call goes through [`ProviderLimits::acquire`] (in `provider_call::timed_call`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The window `requests_per_minute` counts over.
const WINDOW: Duration = Duration::from_secs(60);

tokio::task_local! {
    static BACKGROUND: bool;
}

/// Runs `work` as background work: its provider calls yield to user actions.
pub(crate) async fn as_background<F: std::future::Future>(work: F) -> F::Output {
    BACKGROUND.scope(true, work).await
}

/// Whether the current task is background work.
fn is_background() -> bool {
    BACKGROUND.try_with(|b| *b).unwrap_or(false)
}

/// The limiters of every provider, created on first use and rebuilt when limits change.
#[derive(Debug, Default)]
pub struct ProviderLimits {
    limiters: Mutex<HashMap<i64, Arc<Limiter>>>,
}

/// Held while a provider call runs.
#[derive(Debug)]
pub struct CallPermit {
    _call: OwnedSemaphorePermit,
    _background: Option<OwnedSemaphorePermit>,
}

#[derive(Debug)]
struct Limiter {
    max_concurrency: u32,
    requests_per_minute: u32,
    calls: Arc<Semaphore>,
    background_calls: Arc<Semaphore>,
    /// Start times of the calls granted in the last minute, oldest first.
    granted: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    fn new(max_concurrency: u32, requests_per_minute: u32) -> Self {
        let max_concurrency = max_concurrency.max(1);
        Self {
            max_concurrency,
            requests_per_minute: requests_per_minute.max(1),
            calls: Arc::new(Semaphore::new(max_concurrency as usize)),
            background_calls: Arc::new(Semaphore::new(
                max_concurrency.saturating_sub(1).max(1) as usize
            )),
            granted: Mutex::new(VecDeque::new()),
        }
    }

    /// Requests per minute background work may use.
    fn background_budget(&self) -> usize {
        let rpm = self.requests_per_minute as usize;
        let reserve = if rpm >= 2 { (rpm / 5).max(1) } else { 0 };
        rpm - reserve
    }

    /// Takes a request slot in the window, waiting for one when the window is full.
    async fn take_slot(&self, background: bool) {
        let budget = if background {
            self.background_budget()
        } else {
            self.requests_per_minute as usize
        };
        loop {
            let wait_until = {
                let mut granted = self.granted.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                while granted.front().is_some_and(|t| *t + WINDOW <= now) {
                    granted.pop_front();
                }
                if granted.len() < budget {
                    granted.push_back(now);
                    return;
                }
                // The slot frees when enough of the oldest grants leave the window.
                granted[granted.len() - budget] + WINDOW
            };
            tokio::time::sleep_until(wait_until).await;
        }
    }
}

impl ProviderLimits {
    /// Waits for a concurrency slot and a request slot of this provider.
    pub async fn acquire(
        &self,
        provider_id: i64,
        max_concurrency: u32,
        requests_per_minute: u32,
    ) -> CallPermit {
        let limiter = {
            let mut all = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
            let entry = all
                .entry(provider_id)
                .or_insert_with(|| Arc::new(Limiter::new(max_concurrency, requests_per_minute)));
            if entry.max_concurrency != max_concurrency.max(1)
                || entry.requests_per_minute != requests_per_minute.max(1)
            {
                *entry = Arc::new(Limiter::new(max_concurrency, requests_per_minute));
            }
            entry.clone()
        };
        let background = is_background();
        let background_permit = if background {
            Some(
                limiter
                    .background_calls
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("limiter semaphores are never closed"),
            )
        } else {
            None
        };
        let call = limiter
            .calls
            .clone()
            .acquire_owned()
            .await
            .expect("limiter semaphores are never closed");
        limiter.take_slot(background).await;
        CallPermit {
            _call: call,
            _background: background_permit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn no_more_than_the_limit_in_any_minute() {
        let limits = Arc::new(ProviderLimits::default());
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..50 {
            let limits = limits.clone();
            tasks.push(tokio::spawn(async move {
                let work = async {
                    let _p = limits.acquire(1, 4, 10).await;
                    Instant::now()
                };
                if i % 2 == 0 {
                    as_background(work).await
                } else {
                    work.await
                }
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap() - start);
        }
        times.sort();
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().filter(|u| **u < *t + WINDOW).count();
            assert!(
                in_window <= 10,
                "{in_window} calls within a minute from {t:?}"
            );
        }
        // 50 calls at 10 per minute need five windows; once the user's calls are through,
        // the background ones go at 8 per minute, so the last starts in the sixth.
        assert!(
            times[49] >= Duration::from_secs(240) && times[49] < Duration::from_secs(360),
            "{times:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn background_work_leaves_room_for_the_user() {
        let limits = Arc::new(ProviderLimits::default());
        // Background work uses up its share of the minute (8 of 10)…
        for _ in 0..8 {
            as_background(limits.acquire(1, 2, 10)).await;
        }
        let start = Instant::now();
        let blocked = {
            let limits = limits.clone();
            tokio::spawn(as_background(async move {
                let _p = limits.acquire(1, 2, 10).await;
                Instant::now()
            }))
        };
        tokio::task::yield_now().await;
        // …while the user still gets through at once.
        let _p = limits.acquire(1, 2, 10).await;
        assert_eq!(Instant::now(), start);
        assert!(blocked.await.unwrap() - start >= Duration::from_secs(59));
    }

    #[tokio::test(start_paused = true)]
    async fn a_background_job_never_holds_the_last_concurrency_slot() {
        let limits = Arc::new(ProviderLimits::default());
        let held = as_background(limits.acquire(1, 2, 1000)).await;
        let waiting = {
            let limits = limits.clone();
            tokio::spawn(as_background(async move {
                limits.acquire(1, 2, 1000).await;
            }))
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!waiting.is_finished());
        let user = tokio::time::timeout(Duration::from_millis(1), limits.acquire(1, 2, 1000)).await;
        assert!(user.is_ok(), "the user's call got the free slot");
        drop(user);
        drop(held);
        waiting.await.unwrap();
    }
}
