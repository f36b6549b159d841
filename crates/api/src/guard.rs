//! What every request passes before a route: the `Host` check (DNS rebinding), the rate
//! limit, the bearer token, and the route's time limit.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::ApiState;

/// A token bucket shared by every client (they are all on this computer).
#[derive(Debug)]
pub struct RateLimit {
    per_second: f64,
    burst: f64,
    bucket: Mutex<(f64, Instant)>,
}

impl RateLimit {
    /// `per_second` requests a second on average, bursts of `burst`.
    pub fn new(per_second: u32, burst: u32) -> Self {
        let burst = f64::from(burst.max(1));
        RateLimit {
            per_second: f64::from(per_second.max(1)),
            burst,
            bucket: Mutex::new((burst, Instant::now())),
        }
    }

    /// Takes one request; `Err(seconds)` to wait when the bucket is empty.
    fn take(&self) -> Result<(), u64> {
        let mut b = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let refill = now.duration_since(b.1).as_secs_f64() * self.per_second;
        b.0 = (b.0 + refill).min(self.burst);
        b.1 = now;
        if b.0 >= 1.0 {
            b.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.0) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// Routes anyone on this computer may call without the token.
fn is_public(path: &str) -> bool {
    matches!(path, "/api/health" | "/api/openapi.json")
}

/// How long a route may take. Provider work goes on after it (it runs in its own task).
fn time_limit(path: &str) -> Duration {
    if path.ends_with("/sync") {
        Duration::from_secs(180)
    } else {
        Duration::from_secs(60)
    }
}

/// The guard: Host, rate limit, token, time limit; every request lands in the recent list.
pub async fn guard(State(s): State<ApiState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let response = checked(&s, &path, req, next).await;
    s.note_request(&method, &path, response.status(), started.elapsed());
    response
}

async fn checked(s: &ApiState, path: &str, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if !host
        .as_deref()
        .is_some_and(|h| s.allowed_hosts.iter().any(|a| a == h))
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "api.host_refused",
            "the Host header does not name this server (only its own address is served)",
        )
        .into_response();
    }
    if let Err(secs) = s.rate.take() {
        return ApiError::rate_limited(secs).into_response();
    }
    if !is_public(path) {
        if let Err(e) = authorize(s, &req) {
            return e.into_response();
        }
    }
    match tokio::time::timeout(time_limit(path), next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "api.timeout",
            "the request took too long; work already sent to a provider goes on (check the order)",
        )
        .into_response(),
    }
}

fn authorize(s: &ApiState, req: &Request) -> Result<(), ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.missing",
            "send the token as `Authorization: Bearer <token>`",
        ));
    };
    let presented = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    let expected = s.token_hash();
    match expected {
        Some(h) if !presented.is_empty() && crate::token::matches(presented, &h) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.invalid",
            "the token is not this server's (it may have been rotated)",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.no_token",
            "no API token was created yet: create one in SMM Desk or with `smmdesk serve --new-token`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_empties_and_says_when_to_come_back() {
        let r = RateLimit::new(1, 3);
        assert!(r.take().is_ok());
        assert!(r.take().is_ok());
        assert!(r.take().is_ok());
        assert_eq!(r.take(), Err(1));
    }
}
