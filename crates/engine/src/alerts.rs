//! Alerts: what the user should know about, stored in an inbox and announced with
//! [`EngineEvent::AlertRaised`] (the app turns them into desktop notifications).
//!
//! Each kind has its own on/off setting (`alerts.<kind>.enabled`, default on). An alert stays
//! open while its condition holds and is not raised again until the condition cleared
//! (a partial unique index on open alerts makes a repeat a no-op).

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::events::EngineEvent;
use crate::money;
use crate::providers::Provider;
use crate::scheduler::timing::setting_u64;

/// Setting: how long an open order may go without progress before it counts as stuck,
/// seconds (default 43200, 12 hours).
pub const ORDER_STUCK_AFTER: &str = "alerts.order_stuck.after_secs";
/// Setting: failed provider calls in a row that raise a "provider failing" alert (default 5).
pub const PROVIDER_FAILING_CALLS: &str = "alerts.provider_failing.calls";
/// How far back "services the user has ordered" looks.
const ORDERED_WITHIN_MS: i64 = 30 * 24 * 3600 * 1000;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A provider's balance fell below its threshold.
    LowBalance,
    /// An order finished (completed, partial or canceled).
    OrderFinished,
    /// An open order made no progress for a while.
    OrderStuck,
    /// A provider failed several calls in a row.
    ProviderFailing,
    /// A provider refused its API key (wrong, revoked or API access disabled).
    KeyRejected,
    /// The price, min or max of a recently ordered service changed.
    ServiceChanged,
    /// A recently ordered service was removed by the provider.
    ServiceRemoved,
    /// Occurrences of a schedule fell while SMM Desk was not running.
    ScheduleMissed,
    /// An occurrence of a schedule was skipped: a check failed before anything was sent.
    ScheduleSkipped,
    /// A provider raised a rate and a service's selling price now earns less than the
    /// price list's minimum margin.
    MarginLow,
    /// Between two balance readings the balance fell more than the orders, refunds and
    /// top-ups explain.
    BalanceGap,
    /// A provider's balance is below zero.
    BalanceNegative,
}

impl AlertKind {
    /// Every kind.
    pub const ALL: [AlertKind; 12] = [
        AlertKind::LowBalance,
        AlertKind::OrderFinished,
        AlertKind::OrderStuck,
        AlertKind::ProviderFailing,
        AlertKind::KeyRejected,
        AlertKind::ServiceChanged,
        AlertKind::ServiceRemoved,
        AlertKind::ScheduleMissed,
        AlertKind::ScheduleSkipped,
        AlertKind::MarginLow,
        AlertKind::BalanceGap,
        AlertKind::BalanceNegative,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::LowBalance => "low_balance",
            AlertKind::OrderFinished => "order_finished",
            AlertKind::OrderStuck => "order_stuck",
            AlertKind::ProviderFailing => "provider_failing",
            AlertKind::KeyRejected => "key_rejected",
            AlertKind::ServiceChanged => "service_changed",
            AlertKind::ServiceRemoved => "service_removed",
            AlertKind::ScheduleMissed => "schedule_missed",
            AlertKind::ScheduleSkipped => "schedule_skipped",
            AlertKind::MarginLow => "margin_low",
            AlertKind::BalanceGap => "balance_gap",
            AlertKind::BalanceNegative => "balance_negative",
        }
    }

    /// The kind with this stored name.
    pub fn parse(text: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The setting that turns this kind on or off (`"true"`/`"false"`, default on).
    pub fn setting(self) -> String {
        format!("alerts.{}.enabled", self.as_str())
    }
}

/// One alert in the inbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The alert's id.
    pub id: i64,
    /// What it is about.
    pub kind: AlertKind,
    /// The provider's name, when it concerns one.
    pub provider: Option<String>,
    /// The order's local id, when it concerns one.
    pub order_id: Option<i64>,
    /// The catalog row's id, when it concerns a service.
    pub service_ref: Option<i64>,
    /// Message parameters (amounts as decimal strings) for the UI's translated text.
    pub params: Value,
    /// An English one-liner (the CLI prints it; the UI builds its own from kind and params).
    pub message: String,
    /// When it was raised.
    pub created_at: Timestamp,
    /// When the user read it.
    pub read_at: Option<Timestamp>,
    /// When its condition went away.
    pub cleared_at: Option<Timestamp>,
}

/// Which alerts to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertQuery {
    /// Only unread ones.
    pub unread_only: bool,
    /// Only alerts older than this id (paging; newest first).
    pub before_id: Option<i64>,
    /// At most this many (1-500).
    pub limit: u32,
}

impl Default for AlertQuery {
    fn default() -> Self {
        Self {
            unread_only: false,
            before_id: None,
            limit: 100,
        }
    }
}

/// The subject and references of an alert being raised.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subject {
    pub key: String,
    pub provider_id: Option<i64>,
    pub order_id: Option<i64>,
    pub service_ref: Option<i64>,
}

fn message(kind: AlertKind, provider: Option<&str>, p: &Value) -> String {
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| p.get(k).map(|v| v.to_string()).unwrap_or_default();
    let provider = provider.unwrap_or("?");
    match kind {
        AlertKind::LowBalance => format!(
            "{provider}: balance {} {} is below {}",
            s("balance"),
            s("currency"),
            s("threshold")
        ),
        AlertKind::OrderFinished => format!(
            "order #{} ({}) {}: charged {} {}",
            n("order_id"),
            s("service"),
            s("status"),
            s("charge"),
            s("currency")
        ),
        AlertKind::OrderStuck => format!(
            "order #{} ({}) made no progress for {} hours",
            n("order_id"),
            s("service"),
            n("hours")
        ),
        AlertKind::ProviderFailing => {
            format!("{provider}: the last {} calls failed", n("calls"))
        }
        AlertKind::KeyRejected => {
            format!("{provider}: the provider refused the API key: check the key in its settings")
        }
        AlertKind::ServiceChanged => format!(
            "{provider}: service {} ({}) changed: rate {} → {}, min {} → {}, max {} → {}",
            s("service_id"),
            s("service"),
            s("old_rate"),
            s("new_rate"),
            n("old_min"),
            n("new_min"),
            n("old_max"),
            n("new_max")
        ),
        AlertKind::ServiceRemoved => format!(
            "{provider}: service {} ({}) was removed",
            s("service_id"),
            s("service")
        ),
        AlertKind::ScheduleMissed => format!(
            "schedule #{}: {} occurrence(s) from {} to {} missed while SMM Desk was not running; {}",
            n("schedule_id"),
            n("count"),
            s("first"),
            s("last"),
            if p.get("placed_latest").and_then(Value::as_bool) == Some(true) {
                "the latest was placed"
            } else {
                "none of them was placed"
            }
        ),
        AlertKind::MarginLow => format!(
            "{provider}: service {} ({}) now costs {} and sells for {}: margin {}% is below {}%",
            s("service_id"),
            s("service"),
            s("cost_rate"),
            s("sale_rate"),
            s("margin"),
            s("min_margin")
        ),
        AlertKind::BalanceGap => format!(
            "{provider}: the balance fell {} {} more than the orders, refunds and top-ups explain ({} → {}, expected {}); orders {}",
            s("gap"),
            s("currency"),
            s("balance_before"),
            s("balance"),
            s("expected"),
            p.get("orders").map(|v| v.to_string()).unwrap_or_default()
        ),
        AlertKind::BalanceNegative => format!(
            "{provider}: the balance is negative: {} {}",
            s("balance"),
            s("currency")
        ),
        AlertKind::ScheduleSkipped => format!(
            "schedule #{}: the order due at {} was not placed: {}",
            n("schedule_id"),
            s("occurrence"),
            s("message")
        ),
    }
}

const COLUMNS: &str = "a.id, a.kind, p.name, a.order_id, a.service_ref, a.params, a.created_at, \
                       a.read_at, a.cleared_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Alert>> {
    let kind: String = r.get(1)?;
    let Some(kind) = AlertKind::parse(&kind) else {
        return Ok(None);
    };
    let provider: Option<String> = r.get(2)?;
    let params: Value = serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Value::Null);
    Ok(Some(Alert {
        id: r.get(0)?,
        kind,
        message: message(kind, provider.as_deref(), &params),
        provider,
        order_id: r.get(3)?,
        service_ref: r.get(4)?,
        params,
        created_at: from_millis(r.get(6)?),
        read_at: r.get::<_, Option<i64>>(7)?.map(from_millis),
        cleared_at: r.get::<_, Option<i64>>(8)?.map(from_millis),
    }))
}

impl Engine {
    /// The alerts inbox, newest first.
    pub fn list_alerts(&self, q: &AlertQuery) -> Result<Vec<Alert>> {
        if !(1..=500).contains(&q.limit) {
            return Err(EngineError::input("limit", "between 1 and 500"));
        }
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM alerts a LEFT JOIN providers p ON p.id = a.provider_id \
                 WHERE (?1 = 0 OR a.read_at IS NULL) AND (?2 IS NULL OR a.id < ?2) \
                 ORDER BY a.id DESC LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![q.unread_only, q.before_id, q.limit], from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.extend(row?);
            }
            Ok(out)
        })
    }

    /// One alert.
    pub fn alert(&self, id: i64) -> Result<Alert> {
        self.store()
            .read(|c| {
                Ok(c.query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM alerts a LEFT JOIN providers p \
                         ON p.id = a.provider_id WHERE a.id = ?1"
                    ),
                    [id],
                    from_row,
                )
                .optional()?
                .flatten())
            })?
            .ok_or_else(|| EngineError::input("alert", format!("no alert #{id}")))
    }

    /// How many alerts are unread.
    pub fn unread_alert_count(&self) -> Result<u64> {
        self.store().read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM alerts WHERE read_at IS NULL",
                [],
                |r| r.get::<_, i64>(0),
            )? as u64)
        })
    }

    /// Marks these alerts read (all unread ones when `ids` is empty); returns how many changed.
    pub fn mark_alerts_read(&self, ids: &[i64]) -> Result<u64> {
        let now = self.now_ms();
        self.store().write(|tx| {
            if ids.is_empty() {
                return Ok(tx.execute(
                    "UPDATE alerts SET read_at = ?1 WHERE read_at IS NULL",
                    [now],
                )? as u64);
            }
            let mut stmt = tx.prepare_cached(
                "UPDATE alerts SET read_at = ?1 WHERE id = ?2 AND read_at IS NULL",
            )?;
            let mut n = 0;
            for id in ids {
                n += stmt.execute(params![now, id])? as u64;
            }
            Ok(n)
        })
    }

    /// Whether alerts of this kind are on (setting `alerts.<kind>.enabled`, default on).
    pub fn alert_enabled(&self, kind: AlertKind) -> Result<bool> {
        Ok(self
            .setting(&kind.setting())?
            .is_none_or(|v| !matches!(v.trim(), "false" | "0" | "off")))
    }

    /// Raises an alert unless it is off or already open; returns its id when raised.
    pub(crate) fn raise_alert(
        &self,
        kind: AlertKind,
        subject: Subject,
        params: Value,
    ) -> Result<Option<i64>> {
        if !self.alert_enabled(kind)? {
            return Ok(None);
        }
        let now = self.now_ms();
        let id = self
            .store()
            .write(|tx| raise(tx, kind, &subject, &params, now))?;
        if let Some(id) = id {
            tracing::info!(alert = id, kind = kind.as_str(), subject = %subject.key, "alert raised");
            self.emit(EngineEvent::AlertRaised { id });
        }
        Ok(id)
    }

    /// Clears an open alert (its condition went away); true when one was open.
    pub(crate) fn clear_alert(&self, kind: AlertKind, subject: &str) -> Result<bool> {
        // Most calls find nothing open: a read, not a write lock, for those.
        let open = self.store().read(|c| {
            Ok(c.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM alerts WHERE kind = ?1 AND subject = ?2 \
                 AND cleared_at IS NULL)",
            )?
            .query_row(params![kind.as_str(), subject], |r| r.get::<_, bool>(0))?)
        })?;
        if !open {
            return Ok(false);
        }
        let now = self.now_ms();
        self.store().write(|tx| {
            Ok(tx
                .prepare_cached(
                    "UPDATE alerts SET cleared_at = ?3 \
                     WHERE kind = ?1 AND subject = ?2 AND cleared_at IS NULL",
                )?
                .execute(params![kind.as_str(), subject, now])?
                > 0)
        })
    }

    /// Low balance: raised when the balance is below the provider's threshold, cleared when
    /// it is back at or above it.
    pub(crate) fn check_low_balance(&self, provider: &Provider, balance: Decimal) -> Result<()> {
        let subject = format!("provider:{}", provider.id);
        match provider.low_balance_threshold {
            Some(threshold) if balance < threshold => {
                self.raise_alert(
                    AlertKind::LowBalance,
                    Subject {
                        key: subject,
                        provider_id: Some(provider.id),
                        ..Subject::default()
                    },
                    json!({
                        "balance": money::to_text(balance),
                        "threshold": money::to_text(threshold),
                        "currency": provider.currency.clone().unwrap_or_default(),
                    }),
                )?;
                let now = self.now_ms();
                self.store().write(|tx| {
                    tx.execute(
                        "UPDATE providers SET low_balance_alerted_at = ?2 \
                         WHERE id = ?1 AND low_balance_alerted_at IS NULL",
                        params![provider.id, now],
                    )?;
                    Ok(())
                })
            }
            _ => {
                self.clear_alert(AlertKind::LowBalance, &subject)?;
                self.store().write(|tx| {
                    tx.execute(
                        "UPDATE providers SET low_balance_alerted_at = NULL WHERE id = ?1",
                        [provider.id],
                    )?;
                    Ok(())
                })
            }
        }
    }

    /// After each provider call: raises "provider failing" when the last N calls all failed
    /// (the provider did not answer), clears it at the next answer.
    pub(crate) fn note_provider_call(&self, provider_id: i64, answered: bool) -> Result<()> {
        let subject = format!("provider:{provider_id}");
        if answered {
            self.clear_alert(AlertKind::ProviderFailing, &subject)?;
            return Ok(());
        }
        let n = setting_u64(self, PROVIDER_FAILING_CALLS, 5, 1)?.min(1000);
        let failed: u64 = self.store().read(|c| {
            Ok(c.prepare_cached(
                "SELECT count(*) FROM (SELECT outcome FROM api_calls WHERE provider_id = ?1 \
                 ORDER BY started_at DESC, id DESC LIMIT ?2) \
                 WHERE outcome NOT IN ('ok', 'rejected')",
            )?
            .query_row(params![provider_id, n as i64], |r| r.get::<_, i64>(0))?
                as u64)
        })?;
        if failed >= n {
            self.raise_alert(
                AlertKind::ProviderFailing,
                Subject {
                    key: subject,
                    provider_id: Some(provider_id),
                    ..Subject::default()
                },
                json!({ "calls": n }),
            )?;
        }
        Ok(())
    }

    /// After a provider call that was answered about the key: a refused key raises "key
    /// rejected" (once, until a call succeeds again), a successful call clears it.
    pub(crate) fn note_key_answer(&self, provider: &Provider, rejected: bool) -> Result<()> {
        let subject = format!("provider:{}", provider.id);
        if !rejected {
            self.clear_alert(AlertKind::KeyRejected, &subject)?;
            return Ok(());
        }
        self.raise_alert(
            AlertKind::KeyRejected,
            Subject {
                key: subject,
                provider_id: Some(provider.id),
                ..Subject::default()
            },
            json!({}),
        )?;
        Ok(())
    }

    /// After a status refresh of one provider (started at `since`): "order finished" for
    /// orders that completed, went partial or were canceled since then; "order stuck" for open
    /// orders without progress for the configured time (cleared once they move or finish).
    pub(crate) fn check_order_alerts(&self, provider_id: i64, since: i64) -> Result<()> {
        let finished: Vec<FinishedOrder> = self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, status, service_name, charge, currency FROM orders \
                     WHERE finished_at >= ?2 AND provider_id = ?1 \
                     AND status IN ('completed', 'partial', 'canceled')",
            )?;
            let rows = stmt.query_map(params![provider_id, since], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        for (id, status, service, charge, currency) in finished {
            self.raise_alert(
                AlertKind::OrderFinished,
                Subject {
                    key: format!("order:{id}"),
                    provider_id: Some(provider_id),
                    order_id: Some(id),
                    ..Subject::default()
                },
                json!({ "order_id": id, "status": status, "service": service,
                        "charge": charge, "currency": currency }),
            )?;
        }

        let after_ms = 1000 * setting_u64(self, ORDER_STUCK_AFTER, 12 * 3600, 60)? as i64;
        let now = self.now_ms();
        let cutoff = now - after_ms;
        // Progress or a final state clears the alert.
        self.store().write(|tx| {
            tx.execute(
                "UPDATE alerts SET cleared_at = ?3 WHERE kind = 'order_stuck' \
                 AND cleared_at IS NULL AND provider_id = ?1 AND order_id IN \
                 (SELECT id FROM orders WHERE provider_id = ?1 AND (updated_at > ?2 OR status \
                  NOT IN ('pending', 'processing', 'in_progress', 'active')))",
                params![provider_id, cutoff, now],
            )?;
            Ok(())
        })?;
        if !self.alert_enabled(AlertKind::OrderStuck)? {
            return Ok(());
        }
        let stuck: Vec<(i64, String, i64)> = self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, service_name, updated_at FROM orders WHERE provider_id = ?1 \
                 AND status IN ('pending', 'processing', 'in_progress', 'active') \
                 AND external_id IS NOT NULL AND updated_at <= ?2",
            )?;
            let rows = stmt.query_map(params![provider_id, cutoff], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        for (id, service, updated_at) in stuck {
            self.raise_alert(
                AlertKind::OrderStuck,
                Subject {
                    key: format!("order:{id}"),
                    provider_id: Some(provider_id),
                    order_id: Some(id),
                    ..Subject::default()
                },
                json!({ "order_id": id, "service": service,
                        "hours": (now - updated_at) / 3_600_000 }),
            )?;
        }
        Ok(())
    }

    /// After a catalog sync of one provider (started at `since`): price/min/max changes and
    /// removals of services ordered in the last 30 days; a removal alert clears when the
    /// service comes back.
    pub(crate) fn check_service_alerts(&self, provider_id: i64, since: i64) -> Result<()> {
        let now = self.now_ms();
        let ordered_since = now - ORDERED_WITHIN_MS;
        self.store().write(|tx| {
            tx.execute(
                "UPDATE alerts SET cleared_at = ?2 WHERE kind = 'service_removed' \
                 AND cleared_at IS NULL AND provider_id = ?1 AND service_ref IN \
                 (SELECT id FROM services WHERE provider_id = ?1 AND removed_at IS NULL)",
                params![provider_id, now],
            )?;
            Ok(())
        })?;
        let (changes, removed) = self
            .store()
            .read(|c| service_events(c, provider_id, since, ordered_since))?;
        for (history_id, service_ref, p) in changes {
            self.raise_alert(
                AlertKind::ServiceChanged,
                Subject {
                    key: format!("price:{history_id}"),
                    provider_id: Some(provider_id),
                    service_ref: Some(service_ref),
                    ..Subject::default()
                },
                p,
            )?;
        }
        for (service_ref, p) in removed {
            self.raise_alert(
                AlertKind::ServiceRemoved,
                Subject {
                    key: format!("service:{service_ref}"),
                    provider_id: Some(provider_id),
                    service_ref: Some(service_ref),
                    ..Subject::default()
                },
                p,
            )?;
        }
        Ok(())
    }
}

/// A finished order: id, status, service name, charge, currency.
type FinishedOrder = (i64, String, String, Option<String>, Option<String>);

type Changes = (Vec<(i64, i64, Value)>, Vec<(i64, Value)>);

/// Price changes and removals since `since` of services ordered since `ordered_since`.
fn service_events(
    c: &Connection,
    provider_id: i64,
    since: i64,
    ordered_since: i64,
) -> Result<Changes> {
    let mut stmt = c.prepare_cached(
        "SELECT h.id, h.service_ref, s.service_id, s.name, h.old_rate, h.new_rate, h.old_min, \
         h.new_min, h.old_max, h.new_max FROM price_history h JOIN services s ON s.id = h.service_ref \
         WHERE h.provider_id = ?1 AND h.changed_at >= ?2 AND h.service_ref IN \
         (SELECT service_ref FROM orders WHERE provider_id = ?1 AND created_at >= ?3 \
          AND service_ref IS NOT NULL)",
    )?;
    let changes = stmt
        .query_map(params![provider_id, since, ordered_since], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                json!({
                    "service_id": r.get::<_, String>(2)?,
                    "service": r.get::<_, String>(3)?,
                    "old_rate": r.get::<_, String>(4)?,
                    "new_rate": r.get::<_, String>(5)?,
                    "old_min": r.get::<_, i64>(6)?,
                    "new_min": r.get::<_, i64>(7)?,
                    "old_max": r.get::<_, i64>(8)?,
                    "new_max": r.get::<_, i64>(9)?,
                }),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare_cached(
        "SELECT id, service_id, name FROM services WHERE provider_id = ?1 AND removed_at >= ?2 \
         AND id IN (SELECT service_ref FROM orders WHERE provider_id = ?1 AND created_at >= ?3 \
          AND service_ref IS NOT NULL)",
    )?;
    let removed = stmt
        .query_map(params![provider_id, since, ordered_since], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                json!({ "service_id": r.get::<_, String>(1)?, "service": r.get::<_, String>(2)? }),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((changes, removed))
}

/// Inserts an alert unless the same one is open; its id when inserted.
fn raise(
    conn: &Connection,
    kind: AlertKind,
    s: &Subject,
    params: &Value,
    now: i64,
) -> Result<Option<i64>> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO alerts (kind, subject, provider_id, order_id, service_ref, \
             params, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            kind.as_str(),
            s.key,
            s.provider_id,
            s.order_id,
            s.service_ref,
            params.to_string(),
            now
        ])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}
