//! Small read-only queries the engine does not offer yet, run through its store. Each is a
//! candidate to move into `smm-engine` (see the report of issue 8):
//! - orders per state under a filter (the Orders screen's chips),
//! - an order's cancel requests,
//! - a consistent copy of the database (`VACUUM INTO`) for Settings → Backup.

use std::path::Path;

use rusqlite::types::Value;
use smm_engine::{Engine, OrderQuery};

use crate::error::IpcError;

/// Orders per state matching `q` (its status list, cursor and limit are ignored).
pub fn order_counts(engine: &Engine, q: &OrderQuery) -> Result<Vec<(String, u64)>, IpcError> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(name) = &q.provider {
        args.push(Value::Integer(engine.provider(name)?.id));
        clauses.push(format!("provider_id = ?{}", args.len()));
    }
    if let Some(s) = &q.service_id {
        args.push(Value::Text(s.clone()));
        clauses.push(format!("service_id = ?{}", args.len()));
    }
    if let Some(t) = q.from {
        args.push(Value::Integer(t.as_millisecond()));
        clauses.push(format!("created_at >= ?{}", args.len()));
    }
    if let Some(t) = q.to {
        args.push(Value::Integer(t.as_millisecond()));
        clauses.push(format!("created_at < ?{}", args.len()));
    }
    if let Some(text) = &q.link_contains {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Value::Text(format!("%{escaped}%")));
        clauses.push(format!("link LIKE ?{} ESCAPE '\\'", args.len()));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Ok(engine.store().read(|c| {
        let mut stmt = c.prepare_cached(&format!(
            "SELECT status, count(*) FROM orders {filter} GROUP BY status ORDER BY status"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?)
}

/// A cancel request as stored.
pub struct CancelRequest {
    /// Local id.
    pub id: i64,
    /// `requesting`, `accepted`, `rejected`, `unknown`.
    pub status: String,
    /// The last error.
    pub last_error: Option<String>,
    /// When requested.
    pub requested_at: jiff::Timestamp,
}

/// An order's cancel requests, oldest first.
pub fn cancel_requests(engine: &Engine, order_id: i64) -> Result<Vec<CancelRequest>, IpcError> {
    Ok(engine.store().read(|c| {
        let mut stmt = c.prepare_cached(
            "SELECT id, status, last_error, requested_at FROM cancel_requests \
             WHERE order_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([order_id], |r| {
            Ok(CancelRequest {
                id: r.get(0)?,
                status: r.get(1)?,
                last_error: r.get(2)?,
                requested_at: jiff::Timestamp::from_millisecond(r.get(3)?)
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?)
}

/// Writes a consistent copy of the database to `path` (which must not exist yet).
pub fn backup(engine: &Engine, path: &Path) -> Result<u64, IpcError> {
    let target = path.to_string_lossy().to_string();
    engine
        .store()
        .read(|c| Ok(c.execute("VACUUM INTO ?1", [&target])?))?;
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}
