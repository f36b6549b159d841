//! `smmdesk schedule …`: orders placed at set times (once, every N hours or days, or on
//! weekdays at a local time), by the running app, `smmdesk daemon` or `smmdesk serve`.

use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use smm_engine::{
    Engine, MissedPolicy, NewOrder, NewSchedule, Repeat, RunState, Schedule, ScheduleRule,
};

use crate::error::CliError;
use crate::order_cmd::OrderFieldArgs;
use crate::output::{table, Output};

/// `smmdesk schedule …`
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Add a schedule: the order (as for `order add`) and when to place it
    Add(Box<AddScheduleArgs>),
    /// List schedules with their next occurrence and last result
    List {
        /// Removed schedules too
        #[arg(long)]
        all: bool,
    },
    /// One schedule and its occurrences, newest first
    Show {
        /// Schedule id
        id: i64,
        /// At most this many occurrences (1..1000)
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Pause a schedule: nothing is placed until it is resumed
    Pause {
        /// Schedule id
        id: i64,
    },
    /// Resume a schedule from its next occurrence after now
    Resume {
        /// Schedule id
        id: i64,
    },
    /// Remove a schedule (its history stays; `list --all` shows it)
    Rm {
        /// Schedule id
        id: i64,
    },
}

/// Missed occurrences (SMM Desk was not running at their time).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MissedArg {
    /// Place none of them
    Skip,
    /// Place the latest one, once
    Latest,
}

/// `smmdesk schedule add`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("when").required(true).args(["at", "every", "weekdays"])))]
pub struct AddScheduleArgs {
    /// Provider name
    #[arg(long)]
    pub provider: String,
    /// The provider's service id
    #[arg(long, value_name = "ID")]
    pub service: String,
    /// The order's fields
    #[command(flatten)]
    pub fields: OrderFieldArgs,
    /// Once, at this local date and time (2026-12-01T09:00)
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
    /// Repeat every N hours (6h: elapsed time) or days (2d: same local time)
    #[arg(long, value_name = "Nh|Nd")]
    pub every: Option<String>,
    /// Repeat on these weekdays (mon,tue,…) at --time
    #[arg(long, value_name = "DAYS", requires = "time")]
    pub weekdays: Option<String>,
    /// The local time of day for --weekdays (09:00)
    #[arg(long, value_name = "HH:MM")]
    pub time: Option<String>,
    /// The first occurrence for --every, the earliest for --weekdays (default now)
    #[arg(long, value_name = "DATETIME", conflicts_with = "at")]
    pub start: Option<String>,
    /// The IANA time zone of the local times (default: this computer's)
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// No occurrence after this local date (included) or date-time
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// At most this many occurrences
    #[arg(long, value_name = "N")]
    pub count: Option<u32>,
    /// Occurrences missed while SMM Desk was not running
    #[arg(long, value_enum, default_value = "skip")]
    pub missed: MissedArg,
    /// Place even when the estimated cost exceeds the available balance
    #[arg(long)]
    pub force: bool,
    /// The customer each order is for (added to the customers when new)
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// What the customer pays per order (default: the price list's price at each placement)
    #[arg(long, value_name = "AMOUNT")]
    pub sale_price: Option<String>,
}

/// `6h` → hours, `2d` → days.
fn every(text: &str) -> Result<Repeat, CliError> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        CliError::input(
            "every",
            format!("\"{text}\": a number of hours or days, like 6h or 2d"),
        )
    };
    let (n, unit) = t.split_at(t.len().saturating_sub(1));
    let n: u32 = n.parse().map_err(|_| bad())?;
    match unit {
        "h" => Ok(Repeat::Hours { every: n }),
        "d" => Ok(Repeat::Days { every: n }),
        _ => Err(bad()),
    }
}

fn system_zone() -> String {
    jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_string()
}

fn when(s: &Schedule) -> String {
    match (&s.deleted_at, s.active, &s.next_local) {
        (Some(_), _, _) => "removed".into(),
        (None, false, _) => "paused".into(),
        (None, true, Some(next)) => next.clone(),
        (None, true, None) => "done".into(),
    }
}

fn state(s: RunState) -> &'static str {
    match s {
        RunState::Claimed => "placing",
        RunState::Placed => "placed",
        RunState::Skipped => "skipped",
        RunState::Missed => "missed",
    }
}

fn last(s: &Schedule) -> String {
    let Some(run) = &s.last_run else {
        return "-".into();
    };
    match (run.state, run.order_id, run.order_status) {
        (RunState::Placed, Some(id), Some(status)) => format!("order #{id} {status}"),
        (RunState::Skipped, _, _) => format!("skipped: {}", run.reason.as_deref().unwrap_or("")),
        (other, _, _) => state(other).into(),
    }
}

fn order_text(o: &NewOrder) -> String {
    let mut text = format!("{} service {}", o.provider, o.service_id);
    if let Some(q) = o.fields.quantity {
        text.push_str(&format!(" ×{q}"));
    }
    if let Some(link) = &o.fields.link {
        text.push_str(&format!(" {link}"));
    }
    text
}

fn describe(s: &Schedule) -> String {
    format!(
        "schedule #{}: {} — {}; missed: {}; next: {}",
        s.id,
        order_text(&s.order),
        s.description,
        s.missed.as_str(),
        when(s)
    )
}

/// Runs a schedule command.
pub fn run(engine: &Engine, cmd: ScheduleCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        ScheduleCommand::Add(a) => {
            let a = *a;
            let repeat = match (&a.at, &a.every, &a.weekdays) {
                (Some(_), _, _) => Repeat::Once,
                (_, Some(e), _) => every(e)?,
                (_, _, Some(days)) => Repeat::Weekdays {
                    days: days.split(',').map(str::to_string).collect(),
                    time: a.time.clone().unwrap_or_default(),
                },
                _ => return Err(CliError::input("when", "--at, --every or --weekdays")),
            };
            let new = NewSchedule {
                order: NewOrder {
                    provider: a.provider,
                    service_id: a.service,
                    fields: a.fields.read()?,
                    force: a.force,
                    customer: a.customer,
                    sale_price: a
                        .sale_price
                        .as_deref()
                        .map(|p| crate::input::amount("sale-price", p))
                        .transpose()?,
                    ..NewOrder::default()
                },
                rule: ScheduleRule {
                    zone: a.zone.unwrap_or_else(system_zone),
                    start: a.at.or(a.start),
                    repeat,
                    until: a.until,
                    count: a.count,
                },
                missed: match a.missed {
                    MissedArg::Skip => MissedPolicy::Skip,
                    MissedArg::Latest => MissedPolicy::Latest,
                },
            };
            let s = engine.add_schedule(new)?;
            out.print(&s, || {
                format!(
                    "added {}\nThe running app, `smmdesk daemon` or `smmdesk serve` places it.",
                    describe(&s)
                )
            });
        }
        ScheduleCommand::List { all } => {
            let list = engine.list_schedules(all)?;
            out.print(&list, || {
                if list.is_empty() {
                    return "no schedules yet: smmdesk schedule add --provider P --service ID \
                            --link URL --quantity N --every 1d"
                        .into();
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.to_string(),
                            order_text(&s.order),
                            s.description.clone(),
                            when(s),
                            format!("{}/{}/{}", s.placed, s.skipped, s.missed_count),
                            last(s),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID",
                        "ORDER",
                        "WHEN",
                        "NEXT",
                        "PLACED/SKIPPED/MISSED",
                        "LAST",
                    ],
                    &rows,
                )
            });
        }
        ScheduleCommand::Show { id, limit } => {
            let s = engine.schedule(id)?;
            let runs = engine.schedule_runs(id, limit)?;
            let value = serde_json::json!({ "schedule": s, "runs": runs });
            out.print(&value, || {
                let mut text = describe(&s);
                if runs.is_empty() {
                    text.push_str("\nno occurrences yet");
                    return text;
                }
                let rows: Vec<Vec<String>> = runs
                    .iter()
                    .map(|r| {
                        vec![
                            r.occurrence_at
                                .strftime("%Y-%m-%d %H:%M:%S UTC")
                                .to_string(),
                            state(r.state).into(),
                            r.order_id.map_or("-".into(), |o| format!("#{o}")),
                            r.order_status.map_or("-".into(), |s| s.to_string()),
                            r.message.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                text.push('\n');
                text.push_str(&table(&["DUE", "RESULT", "ORDER", "STATUS", "WHY"], &rows));
                text
            });
        }
        ScheduleCommand::Pause { id } => {
            let s = engine.pause_schedule(id)?;
            out.print(&s, || format!("paused {}", describe(&s)));
        }
        ScheduleCommand::Resume { id } => {
            let s = engine.resume_schedule(id)?;
            out.print(&s, || format!("resumed {}", describe(&s)));
        }
        ScheduleCommand::Rm { id } => {
            let s = engine.remove_schedule(id)?;
            out.print(&s, || {
                format!(
                    "removed schedule #{}; nothing more is placed, its history stays",
                    s.id
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
