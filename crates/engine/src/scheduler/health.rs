//! Job health: the `job_runs` rows the scheduler keeps per job and provider (last start, last
//! success, last error, next due, duration, failures in a row), and how the app reads them.

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::timing::Timing;
use super::{JobKey, JobKind};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::Result;

/// How a job is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Never ran yet.
    Waiting,
    /// Running now.
    Running,
    /// The last run succeeded.
    Ok,
    /// The last run(s) failed; retrying with backoff.
    Failing,
    /// Failed so many times in a row that the provider counts as offline (retrying slowly).
    Offline,
}

/// One job's health, for the app's jobs view and `smmdesk jobs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobHealth {
    /// Which job.
    pub job: JobKind,
    /// The provider's name (None for jobs over everything, e.g. cleanup).
    pub provider: Option<String>,
    /// The state now.
    pub state: JobState,
    /// When the last run started.
    pub last_started_at: Option<Timestamp>,
    /// When the last run finished.
    pub last_finished_at: Option<Timestamp>,
    /// When a run last succeeded.
    pub last_success_at: Option<Timestamp>,
    /// The last error (kept after a later success, see `last_error_at`).
    pub last_error: Option<String>,
    /// When the last error happened.
    pub last_error_at: Option<Timestamp>,
    /// When it runs next.
    pub next_due_at: Option<Timestamp>,
    /// How long the last run took, milliseconds.
    pub last_duration_ms: Option<i64>,
    /// Failed runs in a row (0 after a success).
    pub consecutive_failures: u32,
}

/// A provider's reachability as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderHealth {
    /// The provider's name.
    pub provider: String,
    /// `Ok`, `Failing` or `Offline` (the worst of its jobs); `Waiting` before any run.
    pub state: JobState,
    /// The most recent error of its jobs.
    pub last_error: Option<String>,
}

/// The stored row of one job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JobRow {
    pub last_started_at: Option<i64>,
    pub last_finished_at: Option<i64>,
    pub next_due_at: Option<i64>,
    pub consecutive_failures: u32,
}

fn provider_param(key: JobKey) -> i64 {
    key.provider_id.unwrap_or(0)
}

/// The stored row of a job, if any.
pub(crate) fn load(conn: &Connection, key: JobKey) -> Result<Option<JobRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT last_started_at, last_finished_at, next_due_at, consecutive_failures \
             FROM job_runs WHERE job = ?1 AND ifnull(provider_id, 0) = ?2",
        )?
        .query_row(params![key.kind.as_str(), provider_param(key)], |r| {
            Ok(JobRow {
                last_started_at: r.get(0)?,
                last_finished_at: r.get(1)?,
                next_due_at: r.get(2)?,
                consecutive_failures: r.get::<_, i64>(3)?.clamp(0, u32::MAX.into()) as u32,
            })
        })
        .optional()?)
}

/// Sets a job's next-due time (creating its row).
pub(crate) fn set_next_due(conn: &Connection, key: JobKey, due: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO job_runs (job, provider_id, next_due_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (job, ifnull(provider_id, 0)) DO UPDATE SET next_due_at = ?3",
    )?
    .execute(params![key.kind.as_str(), key.provider_id, due])?;
    Ok(())
}

/// Records the start of a run.
pub(crate) fn mark_started(conn: &Connection, key: JobKey, now: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO job_runs (job, provider_id, last_started_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (job, ifnull(provider_id, 0)) DO UPDATE SET last_started_at = ?3",
    )?
    .execute(params![key.kind.as_str(), key.provider_id, now])?;
    Ok(())
}

/// Records the end of a run and the next-due time; returns the failures in a row.
pub(crate) fn mark_finished(
    conn: &Connection,
    key: JobKey,
    now: i64,
    duration_ms: i64,
    error: Option<&str>,
    next_due: i64,
) -> Result<u32> {
    let job = key.kind.as_str();
    let pid = provider_param(key);
    match error {
        None => conn.execute(
            "UPDATE job_runs SET last_finished_at = ?3, last_duration_ms = ?4, \
             last_success_at = ?3, consecutive_failures = 0, next_due_at = ?5 \
             WHERE job = ?1 AND ifnull(provider_id, 0) = ?2",
            params![job, pid, now, duration_ms, next_due],
        )?,
        Some(e) => conn.execute(
            "UPDATE job_runs SET last_finished_at = ?3, last_duration_ms = ?4, \
             last_error = ?6, last_error_at = ?3, \
             consecutive_failures = consecutive_failures + 1, next_due_at = ?5 \
             WHERE job = ?1 AND ifnull(provider_id, 0) = ?2",
            params![job, pid, now, duration_ms, next_due, e],
        )?,
    };
    Ok(load(conn, key)?.map_or(0, |r| r.consecutive_failures))
}

fn state(
    started: Option<i64>,
    finished: Option<i64>,
    success: Option<i64>,
    failures: u32,
    offline_after: u32,
) -> JobState {
    match (started, finished) {
        (None, _) => JobState::Waiting,
        (Some(s), f) if f.is_none_or(|f| f < s) => JobState::Running,
        _ if failures >= offline_after => JobState::Offline,
        _ if failures > 0 => JobState::Failing,
        _ if success.is_some() => JobState::Ok,
        _ => JobState::Waiting,
    }
}

impl Engine {
    /// Health of every job: the cleanup job, then each live provider's jobs (by provider name).
    pub fn job_health(&self) -> Result<Vec<JobHealth>> {
        let timing = Timing::load(self)?;
        let mut out: Vec<JobHealth> = self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT j.job, p.name, j.last_started_at, j.last_finished_at, j.last_success_at, \
                 j.last_error, j.last_error_at, j.next_due_at, j.last_duration_ms, \
                 j.consecutive_failures \
                 FROM job_runs j LEFT JOIN providers p ON p.id = j.provider_id \
                 WHERE j.provider_id IS NULL OR p.removed_at IS NULL",
            )?;
            let rows = stmt.query_map([], |r| {
                let job: String = r.get(0)?;
                let failures = r.get::<_, i64>(9)?.clamp(0, u32::MAX.into()) as u32;
                let (started, finished, success) = (r.get(2)?, r.get(3)?, r.get(4)?);
                Ok((
                    job,
                    JobHealth {
                        job: JobKind::Cleanup,
                        provider: r.get(1)?,
                        state: state(started, finished, success, failures, timing.offline_after),
                        last_started_at: started.map(from_millis),
                        last_finished_at: finished.map(from_millis),
                        last_success_at: success.map(from_millis),
                        last_error: r.get(5)?,
                        last_error_at: r.get::<_, Option<i64>>(6)?.map(from_millis),
                        next_due_at: r.get::<_, Option<i64>>(7)?.map(from_millis),
                        last_duration_ms: r.get(8)?,
                        consecutive_failures: failures,
                    },
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (job, mut health) = row?;
                // Rows of jobs this version does not schedule are left out.
                if let Some(kind) = JobKind::parse(&job) {
                    health.job = kind;
                    out.push(health);
                }
            }
            Ok(out)
        })?;
        out.sort_by(|a, b| (&a.provider, a.job).cmp(&(&b.provider, b.job)));
        Ok(out)
    }

    /// Each live provider's state: offline when any of its jobs is offline, failing when any
    /// fails, ok once a job succeeded.
    pub fn provider_health(&self) -> Result<Vec<ProviderHealth>> {
        let jobs = self.job_health()?;
        let mut out = Vec::new();
        for p in self.list_providers()? {
            let mine: Vec<&JobHealth> = jobs
                .iter()
                .filter(|j| j.provider.as_deref() == Some(p.name.as_str()))
                .collect();
            let has = |s: JobState| mine.iter().any(|j| j.state == s);
            let state = if has(JobState::Offline) {
                JobState::Offline
            } else if has(JobState::Failing) {
                JobState::Failing
            } else if mine.iter().any(|j| j.last_success_at.is_some()) {
                JobState::Ok
            } else {
                JobState::Waiting
            };
            let last_error = mine
                .iter()
                .filter(|j| j.last_error.is_some())
                .max_by_key(|j| j.last_error_at)
                .and_then(|j| j.last_error.clone());
            out.push(ProviderHealth {
                provider: p.name,
                state,
                last_error,
            });
        }
        Ok(out)
    }
}
