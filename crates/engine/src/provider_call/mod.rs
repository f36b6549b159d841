//! The provider-call path: the one way every request to a provider is made.
//!
//! `timed_call` waits for a permit of the provider's limits ([`limits`]: concurrency and
//! requests per minute, background work yielding to the user), makes the call and times it,
//! and hands back the client's result with its API log entry ([`log`]) for the caller to
//! store in the same transaction as what it learned. This layer names only the clock, the
//! error type and the store's tables; the providers module (`Engine::call_provider`,
//! `Engine::record_call`) feeds it a provider's id and limits.

pub mod limits;
pub mod log;

use std::future::Future;
use std::time::Instant;

use smm_panel::PanelError;

use crate::clock::Clock;
use crate::error::Result;

use limits::ProviderLimits;
use log::ApiCall;

/// One provider call as made: the client's result and its API log entry, not stored yet.
#[derive(Debug)]
pub(crate) struct ProviderCall<T> {
    /// What the client returned.
    pub(crate) result: Result<T, PanelError>,
    /// The call, for the API log.
    pub(crate) entry: ApiCall,
}

/// Makes one provider call once the provider's limits allow it (a permit from `limits`, held
/// for the call), and times it: the entry's start is `clock`'s time once the permit is held.
pub(crate) async fn timed_call<T, F, Fut>(
    limits: &ProviderLimits,
    clock: &dyn Clock,
    provider_id: i64,
    max_concurrency: u32,
    requests_per_minute: u32,
    action: &str,
    call: F,
) -> ProviderCall<T>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, PanelError>>,
{
    let _permit = limits
        .acquire(provider_id, max_concurrency, requests_per_minute)
        .await;
    let started_at = clock.now();
    let timer = Instant::now();
    let result = call().await;
    let class = log::classify(&result);
    let entry = ApiCall {
        provider_id,
        action: action.to_string(),
        started_at,
        duration_ms: i64::try_from(timer.elapsed().as_millis()).unwrap_or(i64::MAX),
        outcome: class.outcome.to_string(),
        http_status: class.http_status,
        error_code: class.error_code,
    };
    ProviderCall { result, entry }
}
