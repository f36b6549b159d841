//! `smmdesk daemon`, `smmdesk jobs` and `smmdesk alerts`: background work in the foreground,
//! job health, and the alerts inbox.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use jiff::Timestamp;
use serde_json::json;
use smm_engine::{AlertQuery, Engine, EngineEvent, JobHealth, JobKind, SchedulerOptions};
use tokio::sync::broadcast::error::RecvError;

use crate::error::CliError;
use crate::output::{table, Output};

/// `smmdesk daemon`
#[derive(Debug, Args)]
pub struct DaemonArgs {
    /// Stop after this many seconds (default: run until Ctrl-C or SIGTERM)
    #[arg(long = "for", value_name = "SECONDS")]
    pub for_secs: Option<u64>,
}

/// `smmdesk jobs`
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// Run one job now instead of listing
    #[command(subcommand)]
    pub command: Option<JobsCommand>,
}

/// `smmdesk jobs …`
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run a job once now (order_status, catalog_sync, balance, cleanup)
    Run {
        /// The job
        job: String,
        /// The provider (every job but cleanup needs one)
        #[arg(long)]
        provider: Option<String>,
    },
}

/// `smmdesk alerts`
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Only unread alerts
    #[arg(long)]
    pub unread: bool,
    /// At most this many (newest first)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Mark alerts read instead of listing
    #[command(subcommand)]
    pub command: Option<AlertsCommand>,
}

/// `smmdesk alerts …`
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Mark these alerts read (every unread one when no id is given)
    Read {
        /// Alert ids
        ids: Vec<i64>,
    },
}

fn when(t: Option<Timestamp>) -> String {
    t.map_or_else(
        || "-".to_string(),
        |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

fn state(s: smm_engine::JobState) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn job_row(j: &JobHealth) -> Vec<String> {
    vec![
        j.job.to_string(),
        j.provider.clone().unwrap_or_else(|| "-".into()),
        state(j.state),
        when(j.last_started_at),
        j.last_duration_ms
            .map_or_else(|| "-".into(), |d| d.to_string()),
        when(j.last_success_at),
        when(j.next_due_at),
        j.last_error.clone().unwrap_or_default(),
    ]
}

/// `smmdesk jobs`: the health of every job, or `jobs run`.
pub fn jobs(engine: &Engine, a: JobsArgs, out: &Output) -> Result<ExitCode, CliError> {
    if let Some(JobsCommand::Run { job, provider }) = a.command {
        let kind = JobKind::parse(&job).ok_or_else(|| CliError::Input {
            field: "job",
            message: format!(
                "unknown job \"{job}\" (known: order_status, catalog_sync, balance, cleanup)"
            ),
        })?;
        let run = crate::block_on(engine.run_job(kind, provider.as_deref()))??;
        out.print(&run, || match (&run.summary, &run.error) {
            (Some(s), _) => s.clone(),
            (_, Some(e)) => format!("{kind} failed: {} [{}]", e.message, e.code),
            _ => String::new(),
        });
        return Ok(if run.error.is_some() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let health = engine.job_health()?;
    out.print(&health, || {
        if health.is_empty() {
            return "no job has run yet (start `smmdesk daemon` or the app)".into();
        }
        let rows: Vec<Vec<String>> = health.iter().map(job_row).collect();
        table(
            &[
                "JOB",
                "PROVIDER",
                "STATE",
                "LAST START",
                "MS",
                "LAST SUCCESS",
                "NEXT DUE",
                "ERROR",
            ],
            &rows,
        )
    });
    Ok(ExitCode::SUCCESS)
}

/// `smmdesk alerts`: the inbox, or `alerts read`.
pub fn alerts(engine: &Engine, a: AlertsArgs, out: &Output) -> Result<ExitCode, CliError> {
    if let Some(AlertsCommand::Read { ids }) = a.command {
        let n = engine.mark_alerts_read(&ids)?;
        out.print(&json!({ "marked_read": n }), || {
            format!("{n} alerts marked read")
        });
        return Ok(ExitCode::SUCCESS);
    }
    let list = engine.list_alerts(&AlertQuery {
        unread_only: a.unread,
        limit: a.limit,
        ..AlertQuery::default()
    })?;
    out.print(&list, || {
        if list.is_empty() {
            return "no alerts".into();
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|al| {
                vec![
                    al.id.to_string(),
                    when(Some(al.created_at)),
                    serde_json::to_value(al.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    if al.read_at.is_some() { "" } else { "*" }.into(),
                    if al.cleared_at.is_some() {
                        "cleared"
                    } else {
                        ""
                    }
                    .into(),
                    al.message.clone(),
                ]
            })
            .collect();
        table(&["ID", "RAISED", "KIND", "NEW", "", "MESSAGE"], &rows)
    });
    Ok(ExitCode::SUCCESS)
}

/// `smmdesk daemon`: runs the scheduler in the foreground and prints each finished job run and
/// each alert, until Ctrl-C, SIGTERM or `--for` seconds.
pub fn daemon(engine: &Engine, a: DaemonArgs, out: &Output) -> Result<ExitCode, CliError> {
    crate::block_on(async {
        let mut events = engine.subscribe();
        let scheduler = engine.start_scheduler(SchedulerOptions::default())?;
        if !out.json {
            println!(
                "scheduler running{}; Ctrl-C to stop",
                a.for_secs
                    .map(|s| format!(" for {s} s"))
                    .unwrap_or_default()
            );
        }
        let mut seen: HashMap<(JobKind, Option<String>), Option<Timestamp>> = engine
            .job_health()?
            .into_iter()
            .map(|j| ((j.job, j.provider), j.last_finished_at))
            .collect();
        let deadline = async {
            match a.for_secs {
                Some(s) => tokio::time::sleep(Duration::from_secs(s)).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(deadline);
        let stop = crate::stats_cmd::wait_for_stop();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                _ = &mut deadline => break,
                event = events.recv() => match event {
                    Ok(EngineEvent::JobsChanged) | Err(RecvError::Lagged(_)) => {
                        print_finished_runs(engine, &mut seen, out)?;
                    }
                    Ok(EngineEvent::AlertRaised { id }) => {
                        let alert = engine.alert(id)?;
                        if out.json {
                            println!("{}", json!({ "alert": alert }));
                        } else {
                            println!("{} alert: {}", when(Some(alert.created_at)), alert.message);
                        }
                    }
                    Ok(_) => {}
                    Err(RecvError::Closed) => break,
                },
            }
        }
        scheduler.stop().await;
        print_finished_runs(engine, &mut seen, out)?;
        if !out.json {
            println!("scheduler stopped");
        }
        Ok::<_, CliError>(())
    })??;
    Ok(ExitCode::SUCCESS)
}

/// Prints the job runs that finished since the last look (one line each; JSON lines with
/// `--json`).
fn print_finished_runs(
    engine: &Engine,
    seen: &mut HashMap<(JobKind, Option<String>), Option<Timestamp>>,
    out: &Output,
) -> Result<(), CliError> {
    for j in engine.job_health()? {
        let key = (j.job, j.provider.clone());
        if j.last_finished_at.is_none() || seen.get(&key) == Some(&j.last_finished_at) {
            continue;
        }
        seen.insert(key, j.last_finished_at);
        if out.json {
            println!("{}", json!({ "job_run": j }));
        } else {
            let outcome = if j.consecutive_failures == 0 {
                "ok".to_string()
            } else {
                format!(
                    "failed ({} in a row): {}",
                    j.consecutive_failures,
                    j.last_error.clone().unwrap_or_default()
                )
            };
            println!(
                "{} {} {} {} in {} ms; next {}",
                when(j.last_finished_at),
                j.job,
                j.provider.as_deref().unwrap_or("-"),
                outcome,
                j.last_duration_ms.unwrap_or(0),
                when(j.next_due_at)
            );
        }
    }
    Ok(())
}
