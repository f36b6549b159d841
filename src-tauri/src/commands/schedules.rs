//! Schedule commands (issue #16): list, add, edit, pause, resume and remove scheduled orders,
//! and the history of a schedule's occurrences with their orders.

use serde::Serialize;
use smm_engine::{
    MissedPolicy, NewOrder, NewSchedule, OrderStatus, RunState, Schedule, ScheduleRule, ScheduleRun,
};
use tauri::State;

use super::{blocking, time};
use crate::error::IpcError;
use crate::AppState;

/// One occurrence of a schedule and what became of it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRunView {
    /// The run's id.
    #[specta(type = u32)]
    pub id: i64,
    /// When the occurrence was due (RFC 3339).
    pub occurrence_at: String,
    /// Its 0-based number in the series.
    #[specta(type = u32)]
    pub index: u64,
    /// Claimed, placed, skipped or missed.
    pub state: RunState,
    /// The order placed for it (local id).
    #[specta(type = Option<u32>)]
    pub order_id: Option<i64>,
    /// That order's status now.
    pub order_status: Option<OrderStatus>,
    /// Why it was skipped or missed: an error code (`order.insufficient_balance`,
    /// `schedule.missed`, `schedule.paused`).
    pub reason: Option<String>,
    /// Why, in words (English, for the tooltip).
    pub message: Option<String>,
    /// When it was settled (RFC 3339).
    pub finished_at: Option<String>,
}

impl From<ScheduleRun> for ScheduleRunView {
    fn from(r: ScheduleRun) -> Self {
        Self {
            id: r.id,
            occurrence_at: time(r.occurrence_at),
            index: r.index,
            state: r.state,
            order_id: r.order_id,
            order_status: r.order_status,
            reason: r.reason,
            message: r.message,
            finished_at: r.finished_at.map(time),
        }
    }
}

/// A schedule as the Schedules screen shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service's name in the catalog (`null`: not synced).
    pub service_name: Option<String>,
    /// The order placed at each occurrence (as it is edited).
    pub order: NewOrder,
    /// When (the start filled in when it was "now").
    pub rule: ScheduleRule,
    /// The rule in English words (the UI words it in the user's language from `rule`).
    pub description: String,
    /// What to do with missed occurrences.
    pub missed: MissedPolicy,
    /// Not paused.
    pub active: bool,
    /// The next occurrence (RFC 3339; `null`: the series is over).
    pub next_at: Option<String>,
    /// Occurrences placed.
    pub placed: u32,
    /// Occurrences skipped by a failed check.
    pub skipped: u32,
    /// Occurrences missed.
    pub missed_count: u32,
    /// The latest occurrence handled.
    pub last_run: Option<ScheduleRunView>,
    /// When added (RFC 3339).
    pub created_at: String,
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl From<Schedule> for ScheduleView {
    fn from(s: Schedule) -> Self {
        Self {
            id: s.id,
            provider: s.provider,
            service_id: s.service_id,
            service_name: s.service_name,
            order: s.order,
            rule: s.rule,
            description: s.description,
            missed: s.missed,
            active: s.active,
            next_at: s.next_at.map(time),
            placed: count(s.placed),
            skipped: count(s.skipped),
            missed_count: count(s.missed_count),
            last_run: s.last_run.map(ScheduleRunView::from),
            created_at: time(s.created_at),
        }
    }
}

/// The schedules (not removed), oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_schedules(state: State<'_, AppState>) -> Result<Vec<ScheduleView>, IpcError> {
    let engine = state.engine()?;
    let list = blocking(move || Ok(engine.list_schedules(false)?)).await?;
    Ok(list.into_iter().map(ScheduleView::from).collect())
}

/// Adds a schedule; bad input is an `input.invalid` (or order) error on its field.
#[tauri::command]
#[specta::specta]
pub async fn add_schedule(
    state: State<'_, AppState>,
    schedule: NewSchedule,
) -> Result<ScheduleView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.add_schedule(schedule)?))
        .await?
        .into())
}

/// Changes a schedule's order, rule and missed policy; the occurrences already placed stay.
#[tauri::command]
#[specta::specta]
pub async fn edit_schedule(
    state: State<'_, AppState>,
    id: u32,
    schedule: NewSchedule,
) -> Result<ScheduleView, IpcError> {
    let engine = state.engine()?;
    Ok(
        blocking(move || Ok(engine.edit_schedule(id.into(), schedule)?))
            .await?
            .into(),
    )
}

/// A schedule's occurrences, newest first (at most `limit`, 1-1000; 100 when absent).
#[tauri::command]
#[specta::specta]
pub async fn schedule_runs(
    state: State<'_, AppState>,
    id: u32,
    limit: Option<u32>,
) -> Result<Vec<ScheduleRunView>, IpcError> {
    let engine = state.engine()?;
    let runs = blocking(move || Ok(engine.schedule_runs(id.into(), limit.unwrap_or(100))?)).await?;
    Ok(runs.into_iter().map(ScheduleRunView::from).collect())
}

/// Pauses a schedule (nothing is placed until it is resumed).
#[tauri::command]
#[specta::specta]
pub async fn pause_schedule(state: State<'_, AppState>, id: u32) -> Result<ScheduleView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.pause_schedule(id.into())?))
        .await?
        .into())
}

/// Resumes a paused schedule from its next occurrence after now.
#[tauri::command]
#[specta::specta]
pub async fn resume_schedule(
    state: State<'_, AppState>,
    id: u32,
) -> Result<ScheduleView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.resume_schedule(id.into())?))
        .await?
        .into())
}

/// Removes a schedule: nothing more is placed; its orders stay.
#[tauri::command]
#[specta::specta]
pub async fn remove_schedule(
    state: State<'_, AppState>,
    id: u32,
) -> Result<ScheduleView, IpcError> {
    let engine = state.engine()?;
    Ok(blocking(move || Ok(engine.remove_schedule(id.into())?))
        .await?
        .into())
}
