//! `smmdesk balance`, `smmdesk stats` and `smmdesk demo`.

use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use smm_engine::demo::DEFAULT_DEMO_SERVICES;
use smm_engine::profit::{Earnings, EarningsGroup, Profit};
use smm_engine::stats::{Money, ProviderStats, Stats, StatsQuery};
use smm_engine::Engine;

use crate::error::CliError;
use crate::output::{table, Output};

/// `smmdesk balance`
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Provider name (default: every active provider)
    pub name: Option<String>,
    /// Also show this many recent snapshots (history)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub history: u32,
    /// Record money you added to this provider's account first (explains the balance rising)
    #[arg(long, value_name = "AMOUNT", requires = "name")]
    pub topup: Option<String>,
    /// A note for the top-up
    #[arg(long, value_name = "TEXT", requires = "topup")]
    pub note: Option<String>,
}

/// `smmdesk stats`
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One provider (default: every non-demo provider)
    #[arg(long)]
    pub provider: Option<String>,
    /// From (2026-11-01, an RFC 3339 time, or 7d/24h ago)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To, exclusive
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// `smmdesk demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Services in the demo catalog
    #[arg(long, default_value_t = DEFAULT_DEMO_SERVICES)]
    pub services: usize,
}

fn money_list(m: &[Money]) -> String {
    if m.is_empty() {
        return "0".into();
    }
    m.iter()
        .map(|m| format!("{} {}", m.amount, m.currency).trim().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn pct(r: Option<rust_decimal::Decimal>) -> String {
    r.map_or("-".into(), |r| {
        format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).normalize())
    })
}

fn stats_row(s: &ProviderStats) -> Vec<String> {
    vec![
        s.provider.clone().unwrap_or_else(|| "all".into()),
        s.orders.total.to_string(),
        s.orders.placed.to_string(),
        s.orders.completed.to_string(),
        s.orders.partial.to_string(),
        s.orders.canceled.to_string(),
        s.orders.rejected.to_string(),
        s.orders.unknown.to_string(),
        pct(s.success_rate),
        money_list(&s.spent),
        s.api.avg_ms.map_or("-".into(), |v| v.to_string()),
        s.api.p95_ms.map_or("-".into(), |v| v.to_string()),
        pct(s.api.error_rate),
    ]
}

/// Runs `smmdesk balance`.
pub fn balance(engine: &Engine, a: BalanceArgs, out: &Output) -> Result<ExitCode, CliError> {
    if let (Some(name), Some(amount)) = (&a.name, &a.topup) {
        let amount = crate::input::amount("amount", amount)?;
        engine.record_topup(name, amount, a.note.as_deref())?;
    }
    let outcomes = match &a.name {
        Some(name) => {
            let check = crate::block_on(engine.check_balance(name))??;
            vec![smm_engine::balances::BalanceOutcome {
                provider: check.provider.clone(),
                check: Some(check),
                last_known: None,
                error: None,
            }]
        }
        None => crate::block_on(engine.check_all_balances())??,
    };
    let history = if a.history > 0 {
        engine.balance_history(a.name.as_deref(), None, None, a.history)?
    } else {
        Vec::new()
    };
    // Between the last two readings: what the orders, refunds and top-ups explain.
    let reconciliation = match &a.name {
        Some(name) => engine.reconcile_latest(name)?,
        None => None,
    };
    let value =
        json!({ "balances": outcomes, "history": history, "reconciliation": reconciliation });
    out.print(&value, || {
        let rows: Vec<Vec<String>> = outcomes
            .iter()
            .map(|o| match (&o.check, &o.error) {
                (Some(c), _) => vec![
                    o.provider.clone(),
                    format!("{} {}", c.balance, c.currency.clone().unwrap_or_default())
                        .trim()
                        .to_string(),
                    String::new(),
                ],
                (None, Some(e)) => vec![
                    o.provider.clone(),
                    o.last_known
                        .map_or("-".into(), |b| format!("{b} (last known)")),
                    format!("{} [{}]", e.message, e.code),
                ],
                (None, None) => vec![o.provider.clone(), "-".into(), String::new()],
            })
            .collect();
        let mut text = table(&["PROVIDER", "BALANCE", "ERROR"], &rows);
        if let Some(r) = &reconciliation {
            text.push_str(&format!(
                "\nsince {}: {} − placed {} + refunds {} + top-ups {} = expected {}; unexplained {} {}",
                r.from.strftime("%Y-%m-%d %H:%M"),
                r.balance_before,
                r.placed,
                r.refunded,
                r.topped_up,
                r.expected_after,
                r.unexplained(),
                r.currency
            ));
        }
        for h in &history {
            text.push_str(&format!(
                "\n{}  {}  {} {}",
                h.taken_at.strftime("%Y-%m-%d %H:%M"),
                h.provider,
                h.amount,
                h.currency
            ));
        }
        text
    });
    Ok(if outcomes.iter().any(|o| o.error.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `smmdesk stats --json`: the stats with the profit report beside them.
#[derive(serde::Serialize)]
struct StatsOut<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    profit: &'a Profit,
}

fn earnings_rows(key: &str, e: &[Earnings]) -> Vec<Vec<String>> {
    e.iter()
        .map(|e| {
            vec![
                key.to_string(),
                e.currency.clone(),
                e.orders.to_string(),
                e.revenue.to_string(),
                e.cost.to_string(),
                e.profit.to_string(),
                e.margin_percent.map_or("-".into(), |m| format!("{m}%")),
            ]
        })
        .collect()
}

fn earnings_table(title: &str, groups: &[EarningsGroup]) -> String {
    let rows: Vec<Vec<String>> = groups
        .iter()
        .flat_map(|g| earnings_rows(&g.key, &g.earnings))
        .collect();
    table(
        &[title, "CUR", "SOLD", "REVENUE", "COST", "PROFIT", "MARGIN"],
        &rows,
    )
}

fn profit_text(p: &Profit) -> String {
    if p.overall.is_empty() {
        return format!(
            "\n\nno sold orders in this range ({} placed without a sale price); set a price \
             list with `smmdesk prices set` or give --sale-price",
            p.unsold_orders
        );
    }
    let mut text = String::from("\n\n");
    text.push_str(&table(
        &[
            "SOLD", "CUR", "ORDERS", "REVENUE", "COST", "PROFIT", "MARGIN",
        ],
        &earnings_rows("all", &p.overall),
    ));
    for (title, groups) in [
        ("PROVIDER", &p.providers),
        ("PLATFORM", &p.platforms),
        ("CUSTOMER (TOP 10)", &p.customers),
        ("DAY", &p.per_day),
    ] {
        if !groups.is_empty() {
            text.push_str("\n\n");
            text.push_str(&earnings_table(title, groups));
        }
    }
    if p.unsold_orders > 0 {
        text.push_str(&format!(
            "\n\n{} order(s) placed without a sale price are not in these figures",
            p.unsold_orders
        ));
    }
    text
}

/// Runs `smmdesk stats`.
pub fn stats(engine: &Engine, a: StatsArgs, out: &Output) -> Result<ExitCode, CliError> {
    let now = engine.now();
    let q = StatsQuery {
        provider: a.provider,
        from: a.from.map(|t| crate::input::since(&t, now)).transpose()?,
        to: a.to.map(|t| crate::input::since(&t, now)).transpose()?,
    };
    let s = engine.stats(&q)?;
    let profit = engine.profit(&q)?;
    let value = StatsOut {
        stats: &s,
        profit: &profit,
    };
    out.print(&value, || {
        let mut rows = vec![stats_row(&s.overall)];
        rows.extend(s.providers.iter().map(stats_row));
        let mut text = table(
            &[
                "PROVIDER", "ORDERS", "PLACED", "DONE", "PARTIAL", "CANCELED", "REJECTED",
                "UNKNOWN", "SUCCESS", "SPENT", "AVG MS", "P95 MS", "API ERR",
            ],
            &rows,
        );
        if !s.overall.per_day.is_empty() {
            text.push_str("\n\nDAY         ORDERS  SUCCESS  SPENT");
            for d in &s.overall.per_day {
                text.push_str(&format!(
                    "\n{}  {:>6}  {:>7}  {}",
                    d.day,
                    d.orders.total,
                    pct(d.success_rate),
                    money_list(&d.spent)
                ));
            }
        }
        text.push_str(&profit_text(&profit));
        text
    });
    Ok(ExitCode::SUCCESS)
}

/// Runs `smmdesk demo`: the simulator in the foreground until Ctrl-C or SIGTERM.
pub fn demo(engine: &Engine, a: DemoArgs, out: &Output) -> Result<ExitCode, CliError> {
    crate::block_on(async {
        let panel = engine.start_demo(a.services).await?;
        let value = json!({
            "url": panel.sim.url(),
            "provider": panel.provider.name,
            "services": panel.diff.total,
        });
        out.print(&value, || {
            format!(
                "demo panel running at {} as provider \"{}\" ({} services); Ctrl-C to stop",
                panel.sim.url(),
                panel.provider.name,
                panel.diff.total
            )
        });
        wait_for_stop().await;
        panel.sim.shutdown().await;
        Ok::<_, CliError>(())
    })??;
    Ok(ExitCode::SUCCESS)
}

/// Waits for Ctrl-C or SIGTERM.
#[cfg(unix)]
pub(crate) async fn wait_for_stop() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// Waits for Ctrl-C.
#[cfg(not(unix))]
pub(crate) async fn wait_for_stop() {
    let _ = tokio::signal::ctrl_c().await;
}
