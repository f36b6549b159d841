//! Scheduled orders: an order request and a rule ([`ScheduleRule`]: once, every N hours or
//! days, or on weekdays at a local time, in an IANA zone), until a date or for a count.
//!
//! Each occurrence is placed at most once, whatever crashes, restarts or second programs on
//! the data folder do:
//! - the occurrence is **claimed** in one `BEGIN IMMEDIATE` transaction that also moves the
//!   schedule to its next occurrence; `schedule_runs` has `UNIQUE (schedule_id,
//!   occurrence_at)`, so only one program ever holds a claim;
//! - it is then placed through [`Engine::place_order_reported`] (journal first, outcome
//!   classes) with the idempotency key `schedule:<id>:<occurrence unix ms>`: a claim that is
//!   finished again (after a crash, or by a second program once the claim's lease ran out)
//!   meets its own journaled order and sends nothing.
//!
//! While no program runs, nothing is placed: the next pass finds the missed occurrences and
//! follows the schedule's [`MissedPolicy`] (skip them, or place the latest once), with an
//! alert. A check that fails before anything is journaled (service gone, min/max, balance,
//! provider disabled) skips that occurrence with an alert; it is never retried. Paused and
//! removed schedules place nothing. The scheduler's worker ([`Engine::start_scheduler`])
//! runs the passes; [`Engine::run_due_schedules`] runs one now.

mod rule;
mod run;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::orders::{NewOrder, OrderStatus};

pub use rule::{Repeat, ScheduleRule, MAX_COUNT};
pub(crate) use run::worker;
pub use run::ScheduleReport;

/// An occurrence more than this late counts as missed (SMM Desk was not running).
pub const LATE_AFTER_MS: i64 = 5 * 60 * 1000;

/// What to do with occurrences missed while SMM Desk was not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MissedPolicy {
    /// Place none of them.
    #[default]
    Skip,
    /// Place the latest one, once.
    Latest,
}

impl MissedPolicy {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MissedPolicy::Skip => "skip",
            MissedPolicy::Latest => "latest",
        }
    }

    /// The policy with this stored name.
    pub fn parse(text: &str) -> Option<MissedPolicy> {
        match text.trim() {
            "skip" => Some(MissedPolicy::Skip),
            "latest" => Some(MissedPolicy::Latest),
            _ => None,
        }
    }
}

/// A schedule to add: the order as for [`Engine::place_order`] (without an idempotency key:
/// each occurrence gets its own), when, and what to do with missed occurrences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewSchedule {
    /// The order placed at each occurrence.
    pub order: NewOrder,
    /// When.
    pub rule: ScheduleRule,
    /// Missed occurrences.
    pub missed: MissedPolicy,
}

/// What became of one occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Claimed by a program that is placing it.
    Claimed,
    /// Placed: an order exists (see its status).
    Placed,
    /// A check failed before anything was journaled; nothing was sent.
    Skipped,
    /// SMM Desk was not running at its time (or the schedule's rule said skip).
    Missed,
}

impl RunState {
    fn parse(text: &str) -> RunState {
        match text {
            "placed" => RunState::Placed,
            "skipped" => RunState::Skipped,
            "missed" => RunState::Missed,
            _ => RunState::Claimed,
        }
    }
}

/// One occurrence of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleRun {
    /// The run's id.
    pub id: i64,
    /// The schedule's id.
    pub schedule_id: i64,
    /// When the occurrence was due.
    pub occurrence_at: Timestamp,
    /// Its 0-based number in the series.
    pub index: u64,
    /// What became of it.
    pub state: RunState,
    /// The order placed for it.
    pub order_id: Option<i64>,
    /// That order's status now.
    pub order_status: Option<OrderStatus>,
    /// Why it was skipped or missed: the failed check's error code (`order.insufficient_balance`…),
    /// or `schedule.missed` (nothing ran at its time), `schedule.paused` (paused or removed
    /// while it was being placed).
    pub reason: Option<String>,
    /// Why, in words (skipped ones).
    pub message: Option<String>,
    /// When it was claimed (or found missed).
    pub claimed_at: Timestamp,
    /// When it was settled.
    pub finished_at: Option<Timestamp>,
}

/// A schedule as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    /// Local id.
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service's name in the catalog (None: not synced).
    pub service_name: Option<String>,
    /// The order placed at each occurrence.
    pub order: NewOrder,
    /// When (with the start filled in when it was "now").
    pub rule: ScheduleRule,
    /// The rule in words.
    pub description: String,
    /// Missed occurrences.
    pub missed: MissedPolicy,
    /// Not paused.
    pub active: bool,
    /// The next occurrence (None: the series is over).
    pub next_at: Option<Timestamp>,
    /// The next occurrence in the rule's zone.
    pub next_local: Option<String>,
    /// Occurrences placed.
    pub placed: u64,
    /// Occurrences skipped by a failed check.
    pub skipped: u64,
    /// Occurrences missed.
    pub missed_count: u64,
    /// The latest occurrence handled.
    pub last_run: Option<ScheduleRun>,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it was removed.
    pub deleted_at: Option<Timestamp>,
}

const RUN_COLUMNS: &str = "r.id, r.schedule_id, r.occurrence_at, r.occurrence_index, r.state, \
                           r.order_id, o.status, r.reason, r.message, r.claimed_at, r.finished_at";

fn run_from_row(r: &Row<'_>) -> rusqlite::Result<ScheduleRun> {
    let status: Option<String> = r.get(6)?;
    Ok(ScheduleRun {
        id: r.get(0)?,
        schedule_id: r.get(1)?,
        occurrence_at: from_millis(r.get(2)?),
        index: r.get::<_, i64>(3)? as u64,
        state: RunState::parse(&r.get::<_, String>(4)?),
        order_id: r.get(5)?,
        order_status: status.and_then(|s| s.parse().ok()),
        reason: r.get(7)?,
        message: r.get(8)?,
        claimed_at: from_millis(r.get(9)?),
        finished_at: r.get::<_, Option<i64>>(10)?.map(from_millis),
    })
}

/// The runs of a schedule, newest first.
fn runs_of(c: &Connection, id: i64, limit: u32) -> Result<Vec<ScheduleRun>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM schedule_runs r LEFT JOIN orders o ON o.id = r.order_id \
         WHERE r.schedule_id = ?1 ORDER BY r.occurrence_at DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![id, limit], run_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const COLUMNS: &str = "s.id, p.name, s.service_id, s.request, s.rule, s.missed, s.active, \
                       s.next_at, s.created_at, s.deleted_at, \
                       (SELECT count(*) FROM schedule_runs WHERE schedule_id = s.id AND state = 'placed'), \
                       (SELECT count(*) FROM schedule_runs WHERE schedule_id = s.id AND state = 'skipped'), \
                       (SELECT count(*) FROM schedule_runs WHERE schedule_id = s.id AND state = 'missed'), \
                       (SELECT name FROM services WHERE provider_id = s.provider_id AND service_id = s.service_id \
                        ORDER BY id DESC LIMIT 1)";

fn schedule_from_row(c: &Connection, r: &Row<'_>) -> Result<Schedule> {
    let id: i64 = r.get(0)?;
    let order: NewOrder = serde_json::from_str(&r.get::<_, String>(3)?)
        .map_err(|e| EngineError::Internal(format!("schedule #{id}: stored order: {e}")))?;
    let rule: ScheduleRule = serde_json::from_str(&r.get::<_, String>(4)?)
        .map_err(|e| EngineError::Internal(format!("schedule #{id}: stored rule: {e}")))?;
    let next_at = r.get::<_, Option<i64>>(7)?.map(from_millis);
    let created_at = from_millis(r.get(8)?);
    let next_local = match (next_at, rule.compile(created_at)) {
        (Some(at), Ok(c)) => Some(c.local(at)),
        _ => None,
    };
    Ok(Schedule {
        id,
        provider: r.get(1)?,
        service_id: r.get(2)?,
        service_name: r.get(13)?,
        description: rule.describe(),
        order,
        rule,
        missed: MissedPolicy::parse(&r.get::<_, String>(5)?).unwrap_or_default(),
        active: r.get(6)?,
        next_at,
        next_local,
        placed: r.get::<_, i64>(10)? as u64,
        skipped: r.get::<_, i64>(11)? as u64,
        missed_count: r.get::<_, i64>(12)? as u64,
        last_run: runs_of(c, id, 1)?.into_iter().next(),
        created_at,
        deleted_at: r.get::<_, Option<i64>>(9)?.map(from_millis),
    })
}

fn schedule_by_id(c: &Connection, id: i64) -> Result<Schedule> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM schedules s JOIN providers p ON p.id = s.provider_id WHERE s.id = ?1"
    ))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => schedule_from_row(c, r),
        None => Err(not_found(id)),
    }
}

fn not_found(id: i64) -> EngineError {
    EngineError::input("schedule", format!("no schedule #{id}"))
}

/// The live (not removed) schedule's stored rule, creation time, next occurrence and index.
type Stored = (ScheduleRule, i64, Option<i64>, i64, bool);

fn stored(c: &Connection, id: i64) -> Result<Stored> {
    let row: Option<(String, i64, Option<i64>, i64, bool)> = c
        .query_row(
            "SELECT rule, created_at, next_at, next_index, active FROM schedules \
             WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (rule, created, next_at, index, active) = row.ok_or_else(|| not_found(id))?;
    let rule = serde_json::from_str(&rule)
        .map_err(|e| EngineError::Internal(format!("schedule #{id}: stored rule: {e}")))?;
    Ok((rule, created, next_at, index, active))
}

/// A schedule's fields, checked, ready to store.
struct Checked {
    provider_id: i64,
    provider: String,
    service_id: String,
    request: String,
    rule_json: String,
    rule: ScheduleRule,
    compiled: rule::Compiled,
}

/// Occurrences an edited rule may step over looking for its next one (a start years ago
/// with an hourly rule is ~10,000 a year).
const MAX_STEPS: u32 = 1_000_000;

/// An edited schedule's next occurrence: the new rule's first at or after `now` and after
/// `last` (the latest occurrence handled; its key must not be met again).
fn next_from(checked: &Checked, now: i64, last: Option<i64>) -> Result<(i64, u64)> {
    let c = &checked.compiled;
    let mut cur = c.first();
    let mut steps = 0u32;
    while let Some((at, i)) = cur {
        let ms = at.as_millisecond();
        if ms >= now && last.is_none_or(|l| ms > l) {
            return Ok((ms, i));
        }
        steps += 1;
        if steps > MAX_STEPS {
            return Err(EngineError::input(
                "start",
                "the start is too far in the past for this rule; choose a later one",
            ));
        }
        cur = c.following(at, i);
    }
    Err(match &checked.rule.repeat {
        Repeat::Once => EngineError::input(
            "start",
            format!(
                "the occurrence, {}, is in the past",
                checked.rule.start.as_deref().unwrap_or("")
            ),
        ),
        _ if checked.rule.count.is_some() && checked.rule.until.is_none() => EngineError::input(
            "count",
            "every occurrence of this count is in the past; raise it",
        ),
        _ => EngineError::input("until", "the rule leaves no occurrence after now"),
    })
}

impl Engine {
    /// Adds a schedule. Everything is checked first, each field named when wrong (the zone,
    /// the interval, weekdays, the start — not in the past —, until, count, and the order
    /// against the synced catalog: service offered, min/max…); nothing is written then. The
    /// balance is checked at each occurrence, not here.
    pub fn add_schedule(&self, new: NewSchedule) -> Result<Schedule> {
        let now = self.now();
        let checked = self.check_schedule(&new, now)?;
        let Some((first, index)) = checked.compiled.first() else {
            return Err(EngineError::input(
                "until",
                "the rule leaves no occurrence before it",
            ));
        };
        if first.as_millisecond() < now.as_millisecond() - LATE_AFTER_MS {
            return Err(EngineError::input(
                "start",
                format!(
                    "the first occurrence, {}, is in the past",
                    checked.compiled.local(first)
                ),
            ));
        }
        let now_ms = now.as_millisecond();
        let id = self.store().write(|tx| {
            tx.execute(
                "INSERT INTO schedules (provider_id, service_id, request, rule, missed, active, \
                 next_at, next_index, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?8)",
                params![
                    checked.provider_id,
                    checked.service_id,
                    checked.request,
                    checked.rule_json,
                    new.missed.as_str(),
                    first.as_millisecond(),
                    index as i64,
                    now_ms
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        tracing::info!(schedule = id, provider = %checked.provider, rule = %checked.rule.describe(), "schedule added");
        self.inner.background.schedules.notify_one();
        self.schedule(id)
    }

    /// Changes a schedule: its order (service, link, quantity, customer, sale price…), its
    /// rule (repeat, start, until, count, zone) and its missed policy, all checked as
    /// [`Engine::add_schedule`] checks them; nothing is written when one is wrong. The
    /// occurrences already handled keep their runs and orders; the next run becomes the new
    /// rule's first occurrence from now on that is later than the last one handled (a
    /// count counts the new rule's occurrences from its start). A paused schedule stays
    /// paused. Removed schedules cannot be changed.
    pub fn edit_schedule(&self, id: i64, new: NewSchedule) -> Result<Schedule> {
        let now = self.now();
        // Unknown or removed: said before the fields.
        self.store().read(|c| stored(c, id).map(|_| ()))?;
        let checked = self.check_schedule(&new, now)?;
        let now_ms = now.as_millisecond();
        self.store().write(|tx| {
            stored(tx, id)?;
            let last: Option<i64> = tx.query_row(
                "SELECT max(occurrence_at) FROM schedule_runs WHERE schedule_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let (next_at, next_index) = next_from(&checked, now_ms, last)?;
            tx.execute(
                "UPDATE schedules SET provider_id = ?2, service_id = ?3, request = ?4, rule = ?5, \
                 missed = ?6, next_at = ?7, next_index = ?8, updated_at = ?9 WHERE id = ?1",
                params![
                    id,
                    checked.provider_id,
                    checked.service_id,
                    checked.request,
                    checked.rule_json,
                    new.missed.as_str(),
                    next_at,
                    next_index as i64,
                    now_ms
                ],
            )?;
            Ok(())
        })?;
        tracing::info!(schedule = id, provider = %checked.provider, rule = %checked.rule.describe(), "schedule changed");
        self.inner.background.schedules.notify_one();
        self.schedule(id)
    }

    /// The checks [`Engine::add_schedule`] and [`Engine::edit_schedule`] share: no key, the
    /// rule (its start fixed when "now"), the order as it would be placed now (provider
    /// active, service synced, fields and min/max; the balance is checked at each
    /// occurrence).
    fn check_schedule(&self, new: &NewSchedule, now: Timestamp) -> Result<Checked> {
        if new.order.idempotency_key.is_some() {
            return Err(EngineError::input(
                "idempotencyKey",
                "a schedule makes its own key for each occurrence; give none",
            ));
        }
        let compiled = new.rule.compile(now)?;
        // The start is fixed now ("now" would mean another time at each reading).
        let mut rule = new.rule.clone();
        rule.zone = rule.zone.trim().to_string();
        rule.start = Some(compiled.start_local());
        self.quote_order(&new.order)?;
        let provider = self.provider(new.order.provider.trim())?;
        let order = NewOrder {
            provider: provider.name.clone(),
            service_id: new.order.service_id.trim().to_string(),
            idempotency_key: None,
            ..new.order.clone()
        };
        let request = serde_json::to_string(&order)
            .map_err(|e| EngineError::Internal(format!("schedule order: {e}")))?;
        let rule_json = serde_json::to_string(&rule)
            .map_err(|e| EngineError::Internal(format!("schedule rule: {e}")))?;
        Ok(Checked {
            provider_id: provider.id,
            provider: provider.name,
            service_id: order.service_id,
            request,
            rule_json,
            rule,
            compiled,
        })
    }

    /// One schedule (removed ones too).
    pub fn schedule(&self, id: i64) -> Result<Schedule> {
        self.store().read(|c| schedule_by_id(c, id))
    }

    /// The schedules, oldest first; removed ones only with `include_removed`.
    pub fn list_schedules(&self, include_removed: bool) -> Result<Vec<Schedule>> {
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM schedules s JOIN providers p ON p.id = s.provider_id \
                 WHERE (?1 OR s.deleted_at IS NULL) ORDER BY s.id"
            ))?;
            let mut rows = stmt.query([include_removed])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(schedule_from_row(c, r)?);
            }
            Ok(out)
        })
    }

    /// A schedule's occurrences, newest first (at most `limit`, 1-1000): placed (with the
    /// order), skipped (with the reason) and missed.
    pub fn schedule_runs(&self, id: i64, limit: u32) -> Result<Vec<ScheduleRun>> {
        if !(1..=1000).contains(&limit) {
            return Err(EngineError::input("limit", "between 1 and 1000"));
        }
        self.store().read(|c| {
            schedule_by_id(c, id)?;
            runs_of(c, id, limit)
        })
    }

    /// Pauses a schedule: nothing is placed until it is resumed. Pausing a paused schedule
    /// changes nothing.
    pub fn pause_schedule(&self, id: i64) -> Result<Schedule> {
        let now = self.now_ms();
        self.store().write(|tx| {
            stored(tx, id)?;
            tx.execute(
                "UPDATE schedules SET active = 0, updated_at = ?2 WHERE id = ?1 AND active = 1",
                params![id, now],
            )?;
            Ok(())
        })?;
        tracing::info!(schedule = id, "schedule paused");
        self.schedule(id)
    }

    /// Resumes a paused schedule from its next occurrence after now: the occurrences that
    /// fell while it was paused are not placed (and not counted as missed).
    pub fn resume_schedule(&self, id: i64) -> Result<Schedule> {
        let now = self.now();
        self.store().write(|tx| {
            let (rule, created, next_at, index, active) = stored(tx, id)?;
            if active {
                return Ok(());
            }
            let compiled = rule.compile(from_millis(created))?;
            let mut cur = next_at.map(|at| (from_millis(at), index as u64));
            while let Some((at, i)) = cur {
                if at >= now {
                    break;
                }
                cur = compiled.following(at, i);
            }
            let (next_at, next_index) = match cur {
                Some((at, i)) => (Some(at.as_millisecond()), i as i64),
                None => (None, index),
            };
            tx.execute(
                "UPDATE schedules SET active = 1, next_at = ?2, next_index = ?3, updated_at = ?4 \
                 WHERE id = ?1",
                params![id, next_at, next_index, now.as_millisecond()],
            )?;
            Ok(())
        })?;
        tracing::info!(schedule = id, "schedule resumed");
        self.inner.background.schedules.notify_one();
        self.schedule(id)
    }

    /// Removes a schedule (soft: it and its history stay listed with `include_removed`);
    /// nothing more is placed. An occurrence being placed right now still finishes.
    pub fn remove_schedule(&self, id: i64) -> Result<Schedule> {
        let now = self.now_ms();
        self.store().write(|tx| {
            stored(tx, id)?;
            tx.execute(
                "UPDATE schedules SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })?;
        tracing::info!(schedule = id, "schedule removed");
        self.schedule(id)
    }
}
