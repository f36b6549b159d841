//! Background jobs: the health of every job and provider (the app's twin of `smmdesk jobs`),
//! and "run now".

use serde::Serialize;
use smm_engine::JobKind;
use tauri::State;

use super::dashboard::state_name;
use super::{blocking, time};
use crate::error::IpcError;
use crate::AppState;

/// One job's health.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JobHealthView {
    /// `order_status`, `catalog_sync`, `balance` or `cleanup`.
    pub job: String,
    /// The provider's name (`null` for cleanup, which runs over everything).
    pub provider: Option<String>,
    /// The name shown to people (`null` for cleanup).
    pub display_name: Option<String>,
    /// `waiting`, `running`, `ok`, `failing` or `offline`.
    pub state: String,
    /// When the last run started (RFC 3339).
    pub last_started_at: Option<String>,
    /// When a run last succeeded (RFC 3339).
    pub last_success_at: Option<String>,
    /// The last error (kept after a later success; see `last_error_at`).
    pub last_error: Option<String>,
    /// When the last error happened (RFC 3339).
    pub last_error_at: Option<String>,
    /// When it runs next (RFC 3339).
    pub next_due_at: Option<String>,
    /// How long the last run took, in milliseconds.
    #[specta(type = Option<u32>)]
    pub last_duration_ms: Option<i64>,
    /// Failed runs in a row (0 after a success).
    pub consecutive_failures: u32,
}

/// The health of every job: per provider (by display name), then cleanup.
#[tauri::command]
#[specta::specta]
pub async fn job_health(state: State<'_, AppState>) -> Result<Vec<JobHealthView>, IpcError> {
    let engine = state.engine()?;
    let (providers, jobs) =
        blocking(move || Ok((engine.list_providers()?, engine.job_health()?))).await?;
    let display = |name: &str| {
        providers
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.display_name.clone())
    };
    let mut out: Vec<JobHealthView> = jobs
        .into_iter()
        .map(|j| JobHealthView {
            job: j.job.as_str().into(),
            display_name: j.provider.as_deref().and_then(display),
            provider: j.provider,
            state: state_name(j.state).into(),
            last_started_at: j.last_started_at.map(time),
            last_success_at: j.last_success_at.map(time),
            last_error: j.last_error,
            last_error_at: j.last_error_at.map(time),
            next_due_at: j.next_due_at.map(time),
            last_duration_ms: j.last_duration_ms,
            consecutive_failures: j.consecutive_failures,
        })
        .collect();
    let order = |job: &str| JobKind::ALL.iter().position(|k| k.as_str() == job);
    out.sort_by(|a, b| {
        (a.provider.is_none(), &a.display_name, order(&a.job)).cmp(&(
            b.provider.is_none(),
            &b.display_name,
            order(&b.job),
        ))
    });
    Ok(out)
}

/// Runs a job now: wakes the scheduler's loop for it, or (when no scheduler runs it) runs it
/// once here. `provider` names the provider for every job but cleanup.
#[tauri::command]
#[specta::specta]
pub async fn run_job_now(
    state: State<'_, AppState>,
    job: String,
    provider: Option<String>,
) -> Result<(), IpcError> {
    let kind = JobKind::parse(&job).ok_or_else(|| {
        IpcError::input(
            "job",
            format!("unknown job {job:?} (known: order_status, catalog_sync, balance, cleanup)"),
        )
    })?;
    let engine = state.engine()?;
    if kind.per_provider() && provider.is_none() {
        return Err(IpcError::input(
            "provider",
            "this job runs per provider: name one",
        ));
    }
    let provider = provider.filter(|_| kind.per_provider());
    let woken = blocking({
        let (engine, provider) = (engine.clone(), provider.clone());
        move || Ok(engine.wake_job(kind, provider.as_deref())?)
    })
    .await?;
    if !woken {
        engine.run_job(kind, provider.as_deref()).await?;
    }
    Ok(())
}
