//! The API call log: one row per provider call (action, start, duration, outcome, HTTP status).
//! Never the key, never the request body.

use jiff::Timestamp;
use rusqlite::{params, Connection};
use serde::Serialize;
use smm_panel::{Delivery, PanelError};

use crate::clock::{from_millis, to_millis};
use crate::error::Result;

/// One logged call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiCall {
    /// The provider's local id.
    pub provider_id: i64,
    /// The protocol action (`services`, `balance`, `add`, …).
    pub action: String,
    /// When the call started.
    pub started_at: Timestamp,
    /// How long it took, retries included.
    pub duration_ms: i64,
    /// `ok`, `rejected`, `never_sent` or `maybe_sent`.
    pub outcome: String,
    /// The HTTP status, when the failure carried one.
    pub http_status: Option<u16>,
    /// Why it failed, as a stable code (`provider.invalid_key`, `timeout`, `non_json`…).
    pub error_code: Option<String>,
}

/// How a call ended, for its log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// `ok`, `rejected`, `never_sent` or `maybe_sent`.
    pub outcome: &'static str,
    /// The HTTP status, when the failure carried one.
    pub http_status: Option<u16>,
    /// The failure's stable code.
    pub error_code: Option<String>,
}

/// The outcome class, HTTP status and error code of a call's result.
pub fn classify<T>(result: &Result<T, PanelError>) -> Classified {
    match result {
        Ok(_) => Classified {
            outcome: "ok",
            http_status: None,
            error_code: None,
        },
        Err(e) => {
            let outcome = match e.delivery() {
                Delivery::NeverSent => "never_sent",
                Delivery::Rejected => "rejected",
                Delivery::MaybeSent => "maybe_sent",
            };
            let status = match e {
                PanelError::Provider { http_status, .. } => Some(*http_status),
                PanelError::Http { status, .. } | PanelError::Redirect { status, .. } => {
                    Some(*status)
                }
                PanelError::NonJson { http_status, .. } | PanelError::EmptyBody { http_status } => {
                    Some(*http_status)
                }
                _ => None,
            };
            Classified {
                outcome,
                http_status: status,
                error_code: Some(e.code()),
            }
        }
    }
}

/// Appends one call to the log.
pub fn record(conn: &Connection, call: &ApiCall) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO api_calls (provider_id, action, started_at, duration_ms, outcome, \
         http_status, error_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        call.provider_id,
        call.action,
        to_millis(call.started_at),
        call.duration_ms,
        call.outcome,
        call.http_status,
        call.error_code
    ])?;
    Ok(())
}

/// The most recent logged calls, newest first (all providers when `provider_id` is None).
pub fn recent(conn: &Connection, provider_id: Option<i64>, limit: u32) -> Result<Vec<ApiCall>> {
    let mut stmt = conn.prepare_cached(
        "SELECT provider_id, action, started_at, duration_ms, outcome, http_status, \
         error_code FROM api_calls WHERE ?1 IS NULL OR provider_id = ?1 \
         ORDER BY started_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![provider_id, limit], |r| {
        Ok(ApiCall {
            provider_id: r.get(0)?,
            action: r.get(1)?,
            started_at: from_millis(r.get(2)?),
            duration_ms: r.get(3)?,
            outcome: r.get(4)?,
            http_status: r.get(5)?,
            error_code: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
