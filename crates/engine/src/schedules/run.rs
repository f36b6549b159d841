//! Running schedules: claim what is due (one transaction), place each claim once through the
//! order path, settle it; and the scheduler's worker that runs a pass at each due time.

use std::time::Duration;

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;
use tokio::sync::watch;

use super::{MissedPolicy, RunState, ScheduleRule, ScheduleRun, LATE_AFTER_MS, RUN_COLUMNS};
use crate::alerts::{AlertKind, Subject};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::orders::NewOrder;

/// A claim older than this, still unsettled, was left by a program that stopped (or hangs):
/// another pass may finish it (its idempotency key makes that safe).
pub const CLAIM_LEASE_MS: i64 = 2 * 60 * 1000;
/// Missed occurrences recorded one by one at most (older ones are only counted).
const MAX_MISSED_ROWS: usize = 100;
/// The worker re-reads the schedules at least this often (the wall clock may jump).
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// After a failed pass, the worker waits this long before the next.
const AFTER_ERROR: Duration = Duration::from_secs(5);

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScheduleReport {
    /// The occurrences settled in this pass (placed, skipped or missed on recovery).
    pub runs: Vec<ScheduleRun>,
    /// Occurrences found missed (SMM Desk was not running at their time).
    pub missed: u64,
}

/// An occurrence claimed by this program, to place.
#[derive(Debug, Clone)]
struct Claim {
    run_id: i64,
    schedule_id: i64,
    provider_id: i64,
    request: String,
    key: String,
    occurrence_at: i64,
    /// Found unsettled after its lease (its program stopped mid-way).
    recovered: bool,
    /// The schedule is still active and not removed.
    live: bool,
}

/// Occurrences a pass found missed, for one alert.
#[derive(Debug, Clone)]
struct Missed {
    schedule_id: i64,
    provider_id: i64,
    count: u64,
    first: i64,
    last: i64,
    placed_latest: bool,
}

/// The idempotency key of an occurrence.
pub(crate) fn occurrence_key(schedule_id: i64, at_ms: i64) -> String {
    format!("schedule:{schedule_id}:{at_ms}")
}

fn rfc3339(ms: i64) -> String {
    from_millis(ms).to_string()
}

/// Takes over the claims whose lease ran out (their program stopped): each gets a fresh
/// lease, so two programs recovering at once do not both work on it.
fn stale_claims(tx: &Connection, now: i64) -> Result<Vec<Claim>> {
    let mut stmt = tx.prepare_cached(
        "SELECT r.id, r.schedule_id, s.provider_id, s.request, r.idempotency_key, \
         r.occurrence_at, (s.active = 1 AND s.deleted_at IS NULL) \
         FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id \
         WHERE r.state = 'claimed' AND r.claimed_at <= ?1 ORDER BY r.occurrence_at",
    )?;
    let claims: Vec<Claim> = stmt
        .query_map([now - CLAIM_LEASE_MS], |r| {
            Ok(Claim {
                run_id: r.get(0)?,
                schedule_id: r.get(1)?,
                provider_id: r.get(2)?,
                request: r.get(3)?,
                key: r.get(4)?,
                occurrence_at: r.get(5)?,
                recovered: true,
                live: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for c in &claims {
        tx.execute(
            "UPDATE schedule_runs SET claimed_at = ?2 WHERE id = ?1",
            params![c.run_id, now],
        )?;
    }
    Ok(claims)
}

/// Claims every due occurrence and moves each schedule past `now`, in the caller's
/// transaction: occurrences more than [`LATE_AFTER_MS`] late are missed and follow the
/// schedule's policy.
fn claim_due(tx: &Connection, now: i64) -> Result<(Vec<Claim>, Vec<Missed>)> {
    type Due = (i64, i64, String, String, String, i64, i64, i64);
    let due: Vec<Due> = tx
        .prepare_cached(
            "SELECT id, provider_id, request, rule, missed, next_at, next_index, created_at \
             FROM schedules WHERE active = 1 AND deleted_at IS NULL AND next_at IS NOT NULL \
             AND next_at <= ?1 ORDER BY next_at, id",
        )?
        .query_map([now], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut claims = Vec::new();
    let mut missed_notes = Vec::new();
    for (id, provider_id, request, rule, missed, next_at, next_index, created) in due {
        let rule: ScheduleRule = serde_json::from_str(&rule)
            .map_err(|e| EngineError::Internal(format!("schedule #{id}: stored rule: {e}")))?;
        let compiled = rule.compile(from_millis(created))?;
        let policy = MissedPolicy::parse(&missed).unwrap_or_default();
        // Every occurrence due by now, oldest first.
        let mut due: Vec<(i64, u64)> = Vec::new();
        let mut count = 0u64;
        let mut cur = Some((from_millis(next_at), next_index as u64));
        while let Some((at, i)) = cur {
            if at.as_millisecond() > now {
                break;
            }
            count += 1;
            due.push((at.as_millisecond(), i));
            if due.len() > MAX_MISSED_ROWS + 1 {
                due.remove(0);
            }
            cur = compiled.following(at, i);
        }
        let Some(&(last_at, last_index)) = due.last() else {
            continue;
        };
        let on_time = now - last_at <= LATE_AFTER_MS;
        let place = on_time || policy == MissedPolicy::Latest;
        let missed_count = count - u64::from(place);
        let missed_rows = if place {
            &due[..due.len() - 1]
        } else {
            &due[..]
        };
        for &(at, i) in missed_rows.iter().rev().take(MAX_MISSED_ROWS) {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO schedule_runs (schedule_id, occurrence_at, \
                 occurrence_index, idempotency_key, state, reason, claimed_at, finished_at) \
                 VALUES (?1, ?2, ?3, ?4, 'missed', 'schedule.missed', ?5, ?5)",
            )?
            .execute(params![id, at, i as i64, occurrence_key(id, at), now])?;
        }
        if place {
            let key = occurrence_key(id, last_at);
            let n = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO schedule_runs (schedule_id, occurrence_at, \
                     occurrence_index, idempotency_key, state, claimed_at) \
                     VALUES (?1, ?2, ?3, ?4, 'claimed', ?5)",
                )?
                .execute(params![id, last_at, last_index as i64, key, now])?;
            if n == 1 {
                claims.push(Claim {
                    run_id: tx.last_insert_rowid(),
                    schedule_id: id,
                    provider_id,
                    request: request.clone(),
                    key,
                    occurrence_at: last_at,
                    recovered: false,
                    live: true,
                });
            }
        }
        if missed_count > 0 {
            // The first due is the stored next occurrence (rows may keep only the latest).
            let first = next_at;
            let last = missed_rows.last().map_or(last_at, |m| m.0);
            missed_notes.push(Missed {
                schedule_id: id,
                provider_id,
                count: missed_count,
                first,
                last,
                placed_latest: place && !on_time,
            });
        }
        let (next_at, next_index) = match cur {
            Some((at, i)) => (Some(at.as_millisecond()), i as i64),
            None => (None, last_index as i64 + 1),
        };
        tx.prepare_cached(
            "UPDATE schedules SET next_at = ?2, next_index = ?3, updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![id, next_at, next_index, now])?;
    }
    Ok((claims, missed_notes))
}

/// The next time a pass has work: a due occurrence, or a claim's lease running out.
fn next_wake(c: &Connection) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT min(t) FROM ( \
           SELECT min(next_at) AS t FROM schedules \
             WHERE active = 1 AND deleted_at IS NULL AND next_at IS NOT NULL \
           UNION ALL \
           SELECT min(claimed_at) + ?1 FROM schedule_runs WHERE state = 'claimed')",
        [CLAIM_LEASE_MS],
        |r| r.get(0),
    )?)
}

fn run_by_id(c: &Connection, id: i64) -> Result<ScheduleRun> {
    Ok(c.query_row(
        &format!(
            "SELECT {RUN_COLUMNS} FROM schedule_runs r LEFT JOIN orders o ON o.id = r.order_id \
             WHERE r.id = ?1"
        ),
        [id],
        super::run_from_row,
    )?)
}

impl Engine {
    /// Runs one pass now: finishes claims left by a stopped program, claims and places every
    /// due occurrence (missed ones follow their schedule's policy, with an alert). The
    /// scheduler's worker calls this at each due time; call it yourself without a scheduler.
    pub async fn run_due_schedules(&self) -> Result<ScheduleReport> {
        let now = self.now_ms();
        // Most passes find nothing due: a read, not the write lock, for those.
        if self.store().read(next_wake)?.is_none_or(|at| at > now) {
            return Ok(ScheduleReport::default());
        }
        let mut claims = self.store().write(|tx| stale_claims(tx, now))?;
        let (due, missed) = self.store().write(|tx| claim_due(tx, now))?;
        claims.extend(due);
        let mut report = ScheduleReport {
            missed: missed.iter().map(|m| m.count).sum(),
            ..ScheduleReport::default()
        };
        for m in &missed {
            self.alert_missed(m)?;
        }
        for claim in claims {
            report.runs.push(self.settle(claim).await?);
        }
        Ok(report)
    }

    /// Places a claimed occurrence once (or finds its order) and records what became of it.
    async fn settle(&self, claim: Claim) -> Result<ScheduleRun> {
        if let Some(order) = self.order_by_idempotency_key(&claim.key)? {
            // Journaled before a crash (or by another program): that order is the
            // occurrence's, whatever its state; nothing is sent again.
            return self.mark(claim.run_id, RunState::Placed, Some(order.id), None);
        }
        let now = self.now_ms();
        if claim.recovered {
            if !claim.live {
                let why = (
                    "schedule.paused",
                    "the schedule was paused or removed".to_string(),
                );
                return self.mark(claim.run_id, RunState::Skipped, None, Some(why));
            }
            if now - claim.occurrence_at > LATE_AFTER_MS + CLAIM_LEASE_MS {
                let run = self.mark(
                    claim.run_id,
                    RunState::Missed,
                    None,
                    Some((
                        "schedule.missed",
                        "interrupted, and too late to place".into(),
                    )),
                )?;
                self.alert_missed(&Missed {
                    schedule_id: claim.schedule_id,
                    provider_id: claim.provider_id,
                    count: 1,
                    first: claim.occurrence_at,
                    last: claim.occurrence_at,
                    placed_latest: false,
                })?;
                return Ok(run);
            }
        }
        let result = match self.occurrence_order(&claim) {
            Ok(new) => self.place_order_reported(new).await.map(|p| p.order),
            Err(e) => Err(e),
        };
        match result {
            Ok(order) => {
                tracing::info!(schedule = claim.schedule_id, order = order.id, status = %order.status, "scheduled order placed");
                self.mark(claim.run_id, RunState::Placed, Some(order.id), None)
            }
            Err(e) => {
                // An error after the journal (a store failure recording the answer) still
                // leaves the order: it is the occurrence's.
                if let Some(order) = self.order_by_idempotency_key(&claim.key)? {
                    return self.mark(claim.run_id, RunState::Placed, Some(order.id), None);
                }
                tracing::warn!(
                    schedule = claim.schedule_id,
                    code = e.code(),
                    "scheduled order skipped: {e}"
                );
                let run = self.mark(
                    claim.run_id,
                    RunState::Skipped,
                    None,
                    Some((e.code(), e.to_string())),
                )?;
                self.raise_alert(
                    AlertKind::ScheduleSkipped,
                    Subject {
                        key: format!("schedule_run:{}", claim.run_id),
                        provider_id: Some(claim.provider_id),
                        ..Subject::default()
                    },
                    json!({
                        "schedule_id": claim.schedule_id,
                        "occurrence": rfc3339(claim.occurrence_at),
                        "code": e.code(),
                        "message": e.to_string(),
                    }),
                )?;
                Ok(run)
            }
        }
    }

    /// The order of an occurrence: the stored request under the provider's current name,
    /// with the occurrence's idempotency key.
    fn occurrence_order(&self, claim: &Claim) -> Result<NewOrder> {
        let mut new: NewOrder = serde_json::from_str(&claim.request).map_err(|e| {
            EngineError::Internal(format!(
                "schedule #{}: stored order: {e}",
                claim.schedule_id
            ))
        })?;
        new.provider = self.provider_by_id(claim.provider_id)?.name;
        new.idempotency_key = Some(claim.key.clone());
        Ok(new)
    }

    fn mark(
        &self,
        run_id: i64,
        state: RunState,
        order_id: Option<i64>,
        why: Option<(&str, String)>,
    ) -> Result<ScheduleRun> {
        let now = self.now_ms();
        let state_text = match state {
            RunState::Claimed => "claimed",
            RunState::Placed => "placed",
            RunState::Skipped => "skipped",
            RunState::Missed => "missed",
        };
        let (reason, message) = why.map_or((None, None), |(r, m)| (Some(r.to_string()), Some(m)));
        self.store().write(|tx| {
            tx.execute(
                "UPDATE schedule_runs SET state = ?2, order_id = coalesce(?3, order_id), \
                 reason = ?4, message = ?5, finished_at = ?6 WHERE id = ?1",
                params![run_id, state_text, order_id, reason, message, now],
            )?;
            run_by_id(tx, run_id)
        })
    }

    fn alert_missed(&self, m: &Missed) -> Result<()> {
        self.raise_alert(
            AlertKind::ScheduleMissed,
            Subject {
                key: format!("schedule:{}:missed:{}", m.schedule_id, m.first),
                provider_id: Some(m.provider_id),
                ..Subject::default()
            },
            json!({
                "schedule_id": m.schedule_id,
                "count": m.count,
                "first": rfc3339(m.first),
                "last": rfc3339(m.last),
                "placed_latest": m.placed_latest,
            }),
        )?;
        Ok(())
    }
}

/// The scheduler's schedule worker: a pass at each due time, on a wake-up (a schedule added
/// or resumed) and at least every minute, until `stop` turns true. A pass in progress
/// finishes (each occurrence is journaled before it is sent).
pub(crate) async fn worker(engine: Engine, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        let wait = match engine.run_due_schedules().await {
            Ok(report) => {
                if !report.runs.is_empty() || report.missed > 0 {
                    tracing::debug!(
                        settled = report.runs.len(),
                        missed = report.missed,
                        "schedules: pass done"
                    );
                }
                let now = engine.now_ms();
                match engine.store().read(next_wake) {
                    Ok(Some(at)) => {
                        Duration::from_millis(at.saturating_sub(now).max(0) as u64).min(MAX_SLEEP)
                    }
                    Ok(None) => MAX_SLEEP,
                    Err(_) => AFTER_ERROR,
                }
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "schedules: pass failed: {e}");
                AFTER_ERROR
            }
        };
        tokio::select! {
            _ = stop.changed() => break,
            _ = engine.inner.background.schedules.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
