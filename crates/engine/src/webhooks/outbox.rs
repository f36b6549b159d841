//! The outbox: durable timelines in, one message per subscribed webhook out; attempts leased
//! and recorded row by row.
//!
//! [`enqueue`] reads the `order_events` and `alerts` rows after the persisted cursors, inserts
//! the messages and moves the cursors in the caller's transaction: a crash before the commit
//! leaves everything as it was (the next pass redoes it), a crash after it left the messages
//! safely stored. Nothing is sent twice by a re-run and nothing is skipped.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::{Delivery, DeliveryQuery, DeliveryState, WebhookEvent, WebhookSecret};
use crate::clock::from_millis;
use crate::error::{EngineError, Result};
use crate::hex;
use crate::secrets::MasterKey;

/// The cursor over order timelines.
const ORDER_EVENTS: &str = "order_events";
/// The cursor over the alerts inbox.
const ALERTS: &str = "alerts";

/// Live, active webhooks and the event types each takes.
fn active_webhooks(conn: &Connection) -> Result<Vec<(i64, Vec<WebhookEvent>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, events FROM webhooks WHERE active = 1 AND removed_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, events) = row?;
        let names: Vec<String> = serde_json::from_str(&events).unwrap_or_default();
        let events = names
            .iter()
            .filter_map(|n| WebhookEvent::parse(n).ok())
            .collect();
        out.push((id, events));
    }
    Ok(out)
}

fn cursor(conn: &Connection, source: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT last_id FROM webhook_cursors WHERE source = ?1")?
        .query_row([source], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

fn set_cursor(conn: &Connection, source: &str, last_id: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_cursors (source, last_id) VALUES (?1, ?2) \
         ON CONFLICT (source) DO UPDATE SET last_id = excluded.last_id",
    )?
    .execute(params![source, last_id])?;
    Ok(())
}

fn max_id(conn: &Connection, table: &str) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT coalesce(max(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// Turns the timeline rows after the cursors into messages, inside the caller's transaction;
/// returns how many messages were queued.
pub(crate) fn enqueue(tx: &Connection, now: i64) -> Result<usize> {
    let hooks = active_webhooks(tx)?;
    let wanting = |event: WebhookEvent| -> Vec<i64> {
        hooks
            .iter()
            .filter(|(_, events)| events.contains(&event))
            .map(|(id, _)| *id)
            .collect()
    };
    type Rows = fn(&Connection, i64, i64) -> Result<Vec<(i64, i64, Value)>>;
    // Each cursor is named after the table it reads.
    let sources: [(&str, WebhookEvent, Rows); 2] = [
        (
            ORDER_EVENTS,
            WebhookEvent::OrderStatusChanged,
            status_changes,
        ),
        (ALERTS, WebhookEvent::BalanceLow, low_balances),
    ];
    let mut queued = 0;
    for (name, event, rows) in sources {
        let (from, to) = (cursor(tx, name)?, max_id(tx, name)?);
        if to <= from {
            continue;
        }
        let targets = wanting(event);
        if !targets.is_empty() {
            for (source_id, at, data) in rows(tx, from, to)? {
                for &hook in &targets {
                    let row = insert(
                        tx,
                        hook,
                        event,
                        (name, Some(source_id)),
                        at,
                        data.clone(),
                        now,
                    )?;
                    queued += usize::from(row > 0);
                }
            }
        }
        set_cursor(tx, name, to)?;
    }
    Ok(queued)
}

/// Order timeline rows in `(from, to]` whose status differs from the order's previous one:
/// (event id, time, the message's data).
fn status_changes(conn: &Connection, from: i64, to: i64) -> Result<Vec<(i64, i64, Value)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.order_id, e.at, e.status, e.detail, o.external_id, o.service_id, \
         o.currency, p.name, p.is_demo, \
         (SELECT q.status FROM order_events q WHERE q.order_id = e.order_id AND q.id < e.id \
          AND q.status IS NOT NULL ORDER BY q.id DESC LIMIT 1) \
         FROM order_events e JOIN orders o ON o.id = e.order_id \
         JOIN providers p ON p.id = o.provider_id \
         WHERE e.id > ?1 AND e.id <= ?2 AND e.status IS NOT NULL ORDER BY e.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, bool>(9)?,
            r.get::<_, Option<String>>(10)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            order_id,
            at,
            status,
            detail,
            external_id,
            service_id,
            currency,
            provider,
            demo,
            previous,
        ) = row?;
        if previous.as_deref() == Some(status.as_str()) {
            continue;
        }
        let detail: Value = serde_json::from_str(&detail).unwrap_or(Value::Null);
        let field = |k: &str| detail.get(k).cloned().unwrap_or(Value::Null);
        let currency = match detail.get("currency") {
            Some(Value::String(c)) => Some(c.clone()),
            _ => currency,
        };
        out.push((
            id,
            at,
            json!({
                "order_id": order_id,
                "provider": provider,
                "demo": demo,
                "external_id": external_id,
                "service_id": service_id,
                "status": status,
                "previous_status": previous,
                "raw_status": field("raw_status"),
                "charge": field("charge"),
                "currency": currency,
                "start_count": field("start_count"),
                "remains": field("remains"),
                "at": from_millis(at).to_string(),
            }),
        ));
    }
    Ok(out)
}

/// Low-balance alerts in `(from, to]`: (alert id, time, the message's data).
fn low_balances(conn: &Connection, from: i64, to: i64) -> Result<Vec<(i64, i64, Value)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.created_at, a.params, p.name, p.is_demo FROM alerts a \
         LEFT JOIN providers p ON p.id = a.provider_id \
         WHERE a.id > ?1 AND a.id <= ?2 AND a.kind = 'low_balance' ORDER BY a.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<bool>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at, params, provider, demo) = row?;
        let p: Value = serde_json::from_str(&params).unwrap_or(Value::Null);
        let field = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
        out.push((
            id,
            at,
            json!({
                "alert_id": id,
                "provider": provider,
                "demo": demo.unwrap_or(false),
                "balance": field("balance"),
                "threshold": field("threshold"),
                "currency": field("currency"),
                "at": from_millis(at).to_string(),
            }),
        ));
    }
    Ok(out)
}

/// Queues one message (`{"type", "timestamp", "data"}`), due now; its row id, or 0 when this
/// source row was already queued for this webhook.
pub(crate) fn insert(
    tx: &Connection,
    webhook_id: i64,
    event: WebhookEvent,
    (source, source_id): (&str, Option<i64>),
    at: i64,
    data: Value,
    now: i64,
) -> Result<i64> {
    let payload = json!({
        "type": event.as_str(),
        "timestamp": from_millis(at).to_string(),
        "data": data,
    });
    let msg_id = format!(
        "msg_{}",
        hex::random(16).map_err(|e| EngineError::Internal(format!("no OS randomness: {e}")))?
    );
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO webhook_outbox (msg_id, webhook_id, event_type, source, \
             source_id, payload, created_at, next_attempt_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        )?
        .execute(params![
            msg_id,
            webhook_id,
            event.as_str(),
            source,
            source_id,
            payload.to_string(),
            now
        ])?;
    Ok(if n == 1 { tx.last_insert_rowid() } else { 0 })
}

/// A message leased for one attempt.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    /// The outbox row.
    pub id: i64,
    /// The `webhook-id` header.
    pub msg_id: String,
    /// The body, exactly as stored.
    pub payload: String,
    /// Attempts including this one.
    pub attempts: u32,
}

/// Leases the webhook's next due message for one attempt: counts the attempt and moves its
/// due time to `lease_until`, so no other sender takes it meanwhile (and a crash mid-send
/// retries it once the lease ran out).
pub(crate) fn claim(
    tx: &Connection,
    webhook_id: i64,
    now: i64,
    lease_until: i64,
) -> Result<Option<Claimed>> {
    Ok(tx
        .prepare_cached(
            "UPDATE webhook_outbox SET attempts = attempts + 1, last_attempt_at = ?2, \
             next_attempt_at = ?3 WHERE id = (SELECT m.id FROM webhook_outbox m \
             JOIN webhooks w ON w.id = m.webhook_id WHERE m.webhook_id = ?1 \
             AND m.next_attempt_at IS NOT NULL AND m.next_attempt_at <= ?2 AND w.active = 1 \
             AND w.removed_at IS NULL ORDER BY m.next_attempt_at, m.id LIMIT 1) \
             RETURNING id, msg_id, payload, attempts",
        )?
        .query_row(params![webhook_id, now, lease_until], |r| {
            Ok(Claimed {
                id: r.get(0)?,
                msg_id: r.get(1)?,
                payload: r.get(2)?,
                attempts: r.get(3)?,
            })
        })
        .optional()?)
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The receiver answered 2xx.
    Delivered(u16),
    /// Another status, or no answer (`None`): why, without secrets.
    Failed(Option<u16>, String),
}

/// Records an attempt: delivered, due again after the next retry delay, or given up after
/// the last one. Returns the new state.
pub(crate) fn record(
    tx: &Connection,
    claimed: &Claimed,
    attempt: &Attempt,
    now: i64,
    retry_delays: &[std::time::Duration],
) -> Result<DeliveryState> {
    let (state, next, status, error) = match attempt {
        Attempt::Delivered(status) => (DeliveryState::Delivered, None, Some(*status), None),
        Attempt::Failed(status, error) => {
            match retry_delays.get(claimed.attempts.saturating_sub(1) as usize) {
                Some(delay) => {
                    let wait = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                    (
                        DeliveryState::Pending,
                        Some(now.saturating_add(wait)),
                        *status,
                        Some(error.as_str()),
                    )
                }
                None => (DeliveryState::Failed, None, *status, Some(error.as_str())),
            }
        }
    };
    tx.prepare_cached(
        "UPDATE webhook_outbox SET next_attempt_at = ?2, last_status = ?3, last_error = ?4, \
         delivered_at = CASE WHEN ?5 = 'delivered' THEN ?6 END, \
         given_up_at = CASE WHEN ?5 = 'failed' THEN ?6 END \
         WHERE id = ?1 AND delivered_at IS NULL AND given_up_at IS NULL",
    )?
    .execute(params![
        claimed.id,
        next,
        status,
        error,
        match state {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        },
        now
    ])?;
    Ok(state)
}

/// Whether timeline rows wait to be turned into messages (a read, so most wake-ups take no
/// write lock).
pub(crate) fn behind(conn: &Connection) -> Result<bool> {
    Ok(cursor(conn, ORDER_EVENTS)? < max_id(conn, "order_events")?
        || cursor(conn, ALERTS)? < max_id(conn, "alerts")?)
}

/// Per active webhook, when its earliest waiting message is due.
pub(crate) fn next_due(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.webhook_id, min(m.next_attempt_at) FROM webhook_outbox m JOIN webhooks w \
         ON w.id = m.webhook_id WHERE m.next_attempt_at IS NOT NULL AND w.active = 1 \
         AND w.removed_at IS NULL GROUP BY m.webhook_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live webhook's URL and decrypted secret.
pub(crate) fn target(
    conn: &Connection,
    master: &MasterKey,
    webhook_id: i64,
) -> Result<Option<(String, WebhookSecret)>> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT url, secret_enc FROM webhooks WHERE id = ?1 AND removed_at IS NULL",
        )?
        .query_row([webhook_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((url, sealed)) = row else {
        return Ok(None);
    };
    let plain = master.decrypt(super::secret_owner(webhook_id), &sealed)?;
    let text = String::from_utf8(plain).map_err(|_| EngineError::Decrypt)?;
    let secret = WebhookSecret::parse(&text).ok_or(EngineError::Decrypt)?;
    Ok(Some((url, secret)))
}

const DELIVERY_COLUMNS: &str = "id, msg_id, webhook_id, event_type, attempts, created_at, \
     next_attempt_at, last_attempt_at, delivered_at, given_up_at, last_status, last_error, payload";

fn delivery_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    let time = |i: usize| -> rusqlite::Result<Option<jiff::Timestamp>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(from_millis))
    };
    let delivered_at = time(8)?;
    let given_up_at = time(9)?;
    let payload: String = r.get(12)?;
    Ok(Delivery {
        id: r.get(0)?,
        msg_id: r.get(1)?,
        webhook_id: r.get(2)?,
        event_type: r.get(3)?,
        state: match (delivered_at, given_up_at) {
            (Some(_), _) => DeliveryState::Delivered,
            (None, Some(_)) => DeliveryState::Failed,
            (None, None) => DeliveryState::Pending,
        },
        attempts: r.get(4)?,
        created_at: from_millis(r.get(5)?),
        next_attempt_at: time(6)?,
        last_attempt_at: time(7)?,
        delivered_at,
        given_up_at,
        last_status: r.get(10)?,
        last_error: r.get(11)?,
        payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
    })
}

/// One outbox row.
pub(crate) fn delivery_by_id(conn: &Connection, id: i64) -> Result<Delivery> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_outbox WHERE id = ?1"
        ))?
        .query_row([id], delivery_from_row)?)
}

/// Outbox rows, newest first.
pub(crate) fn list(conn: &Connection, q: &DeliveryQuery) -> Result<Vec<Delivery>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_outbox WHERE (?1 IS NULL OR webhook_id = ?1) \
         AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(
        params![q.webhook_id, q.before_id, q.limit],
        delivery_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
