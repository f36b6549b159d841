//! The Dashboard's commands: stats for a range (demo providers apart), balances with their
//! low-balance state, and provider health.

use rust_decimal::Decimal;
use serde::Serialize;
use smm_engine::stats::{ApiStats, DayStats, Money, OutcomeCounts, ProviderStats, StatsQuery};
use smm_engine::JobState;
use tauri::State;

use super::{blocking, money, parse_money, parse_optional_time, parse_time, time};
use crate::error::IpcError;
use crate::AppState;

/// An amount in one currency (a decimal string).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MoneyView {
    /// The currency ("" when the provider never said).
    pub currency: String,
    /// The exact amount.
    pub amount: String,
}

fn moneys(m: Vec<Money>) -> Vec<MoneyView> {
    m.into_iter()
        .map(|m| MoneyView {
            currency: m.currency,
            amount: money(m.amount),
        })
        .collect()
}

fn rate(r: Option<Decimal>) -> Option<String> {
    r.map(|r| r.normalize().to_string())
}

/// Orders by where they stand.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeView {
    /// Every order journaled in the range.
    pub total: u32,
    /// Open at the provider.
    pub open: u32,
    /// Completed.
    pub completed: u32,
    /// Partial.
    pub partial: u32,
    /// Canceled.
    pub canceled: u32,
    /// Refunded.
    pub refunded: u32,
    /// Refused by the provider.
    pub rejected: u32,
    /// Outcome unknown (awaiting resolution) or being sent.
    pub unknown: u32,
    /// Never sent or resolved as not placed.
    pub not_placed: u32,
}

fn n(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl From<OutcomeCounts> for OutcomeView {
    fn from(o: OutcomeCounts) -> Self {
        Self {
            total: n(o.total),
            open: n(o.open),
            completed: n(o.completed),
            partial: n(o.partial),
            canceled: n(o.canceled),
            refunded: n(o.refunded),
            rejected: n(o.rejected),
            unknown: n(o.unknown),
            not_placed: n(o.not_placed),
        }
    }
}

/// API response times and errors.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApiView {
    /// Calls logged.
    pub calls: u32,
    /// Failed calls.
    pub failed: u32,
    /// failed ÷ calls (a decimal string, 0-1).
    pub error_rate: Option<String>,
    /// Mean duration, ms (a decimal string).
    pub avg_ms: Option<String>,
    /// 95th percentile duration, ms.
    pub p95_ms: Option<u32>,
}

impl From<ApiStats> for ApiView {
    fn from(a: ApiStats) -> Self {
        Self {
            calls: n(a.calls),
            failed: n(a.failed),
            error_rate: rate(a.error_rate),
            avg_ms: a.avg_ms.map(|d| d.normalize().to_string()),
            p95_ms: a
                .p95_ms
                .map(|v| u32::try_from(v.max(0)).unwrap_or(u32::MAX)),
        }
    }
}

/// One UTC day.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DayView {
    /// The day (`2026-11-24`).
    pub day: String,
    /// Orders journaled that day.
    pub orders: OutcomeView,
    /// Completed ÷ finished (a decimal string, 0-1).
    pub success_rate: Option<String>,
    /// Charges per currency.
    pub spent: Vec<MoneyView>,
}

impl From<DayStats> for DayView {
    fn from(d: DayStats) -> Self {
        Self {
            day: d.day,
            orders: d.orders.into(),
            success_rate: rate(d.success_rate),
            spent: moneys(d.spent),
        }
    }
}

/// Stats of one provider, or of all (provider `null`).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderStatsView {
    /// The provider's name; `null` for the overall line.
    pub provider: Option<String>,
    /// Orders by outcome.
    pub orders: OutcomeView,
    /// Completed ÷ finished (a decimal string, 0-1).
    pub success_rate: Option<String>,
    /// Partial ÷ finished.
    pub partial_rate: Option<String>,
    /// Charges per currency.
    pub spent: Vec<MoneyView>,
    /// API response times and errors.
    pub api: ApiView,
    /// Per UTC day, oldest first (days with orders only).
    pub per_day: Vec<DayView>,
}

impl From<ProviderStats> for ProviderStatsView {
    fn from(p: ProviderStats) -> Self {
        Self {
            provider: p.provider,
            orders: p.orders.into(),
            success_rate: rate(p.success_rate),
            partial_rate: rate(p.partial_rate),
            spent: moneys(p.spent),
            api: p.api.into(),
            per_day: p.per_day.into_iter().map(DayView::from).collect(),
        }
    }
}

/// Stats for a range.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatsView {
    /// Every provider together (demo providers left out unless asked for by name).
    pub overall: ProviderStatsView,
    /// One line per provider with orders or API calls in the range.
    pub providers: Vec<ProviderStatsView>,
}

/// Stats between `from` and `to` (RFC 3339): all real providers, or one provider by name
/// (the demo panel's stats are asked for this way, apart from the real ones).
#[tauri::command]
#[specta::specta]
pub async fn dashboard_stats(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    provider: Option<String>,
) -> Result<StatsView, IpcError> {
    let q = StatsQuery {
        provider,
        from: parse_optional_time("from", from.as_deref())?,
        to: parse_optional_time("to", to.as_deref())?,
    };
    let engine = state.engine()?;
    let s = blocking(move || Ok(engine.stats(&q)?)).await?;
    Ok(StatsView {
        overall: s.overall.into(),
        providers: s
            .providers
            .into_iter()
            .map(ProviderStatsView::from)
            .collect(),
    })
}

/// A provider's balance at the end of one UTC day.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DailyBalanceView {
    /// The provider's name.
    pub provider: String,
    /// The UTC day, `2026-11-24`.
    pub day: String,
    /// The last balance seen that day (a decimal string).
    pub amount: String,
    /// The account currency ("" when the provider never said).
    pub currency: String,
}

/// Every provider's end-of-day balance between `from` and `to` (RFC 3339, `to` exclusive),
/// one row per provider and day that had a balance check.
#[tauri::command]
#[specta::specta]
pub async fn balance_history(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<DailyBalanceView>, IpcError> {
    let (from, to) = (parse_time("from", &from)?, parse_time("to", &to)?);
    if from >= to {
        return Err(IpcError::input("to", "the end must be after the start"));
    }
    let engine = state.engine()?;
    let rows = blocking(move || Ok(engine.daily_balances(from, to)?)).await?;
    Ok(rows
        .into_iter()
        .map(|r| DailyBalanceView {
            provider: r.provider,
            day: r.day.to_string(),
            amount: money(r.amount),
            currency: r.currency,
        })
        .collect())
}

/// A provider's balance and health, for the Dashboard.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderBalanceView {
    /// The provider's name.
    pub provider: String,
    /// The name shown to people.
    pub display_name: String,
    /// A demo (simulator) provider.
    pub is_demo: bool,
    /// Enabled.
    pub active: bool,
    /// The last known balance (a decimal string).
    pub balance: Option<String>,
    /// The account currency.
    pub currency: Option<String>,
    /// When the balance was checked (RFC 3339).
    pub checked_at: Option<String>,
    /// The low-balance threshold (a decimal string).
    pub threshold: Option<String>,
    /// The balance is below the threshold.
    pub low: bool,
    /// `waiting`, `running`, `ok`, `failing` or `offline` (from the scheduler's jobs).
    pub health: String,
    /// The most recent job error.
    pub last_error: Option<String>,
    /// When the catalog was last synced (RFC 3339).
    pub catalog_synced_at: Option<String>,
    /// When a job for this provider last succeeded (RFC 3339).
    pub last_sync_at: Option<String>,
}

pub(crate) fn state_name(s: JobState) -> &'static str {
    match s {
        JobState::Waiting => "waiting",
        JobState::Running => "running",
        JobState::Ok => "ok",
        JobState::Failing => "failing",
        JobState::Offline => "offline",
    }
}

/// Every provider's balance, threshold and health.
#[tauri::command]
#[specta::specta]
pub async fn provider_balances(
    state: State<'_, AppState>,
) -> Result<Vec<ProviderBalanceView>, IpcError> {
    let engine = state.engine()?;
    let (providers, health, jobs) = blocking(move || {
        Ok((
            engine.list_providers()?,
            engine.provider_health()?,
            engine.job_health()?,
        ))
    })
    .await?;
    Ok(providers
        .into_iter()
        .map(|p| {
            let h = health.iter().find(|h| h.provider == p.name);
            let last_sync = jobs
                .iter()
                .filter(|j| j.provider.as_deref() == Some(p.name.as_str()))
                .filter_map(|j| j.last_success_at)
                .max();
            ProviderBalanceView {
                low: matches!((p.last_balance, p.low_balance_threshold), (Some(b), Some(t)) if b < t),
                provider: p.name,
                display_name: p.display_name,
                is_demo: p.is_demo,
                active: p.active,
                balance: p.last_balance.map(money),
                currency: p.currency,
                checked_at: p.balance_checked_at.map(time),
                threshold: p.low_balance_threshold.map(money),
                health: h.map_or("waiting", |h| state_name(h.state)).into(),
                last_error: h.and_then(|h| h.last_error.clone()),
                catalog_synced_at: p.catalog_synced_at.map(time),
                last_sync_at: last_sync.map(time),
            }
        })
        .collect())
}

/// Sets (or with `null`, clears) a provider's low-balance threshold.
#[tauri::command]
#[specta::specta]
pub async fn set_low_balance_threshold(
    state: State<'_, AppState>,
    provider: String,
    threshold: Option<String>,
) -> Result<(), IpcError> {
    let threshold = threshold
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_money("threshold", &t))
        .transpose()?;
    let engine = state.engine()?;
    blocking(move || {
        engine.update_provider(
            &provider,
            smm_engine::ProviderUpdate {
                low_balance_threshold: Some(threshold),
                ..Default::default()
            },
        )?;
        Ok(())
    })
    .await
}

/// An unexplained drop of a provider's balance between two readings (beyond the
/// reconciliation tolerance): a mark on the Dashboard's balance chart.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BalanceGapView {
    /// The provider's name.
    pub provider: String,
    /// The account currency ("" when the provider never said).
    pub currency: String,
    /// The earlier reading's time (RFC 3339).
    pub from: String,
    /// The later reading's time (RFC 3339), where the mark goes.
    pub to: String,
    /// The UTC day of the later reading, `2026-11-24`.
    pub day: String,
    /// The balance before (a decimal string).
    pub balance_before: String,
    /// The balance after.
    pub balance_after: String,
    /// What the balance should have been after (orders, refunds, top-ups).
    pub expected_after: String,
    /// The money missing, after the previous window's surplus.
    pub gap: String,
    /// The orders journaled in that window (at most 20), oldest first.
    #[specta(type = Vec<u32>)]
    pub orders: Vec<i64>,
}

/// The unexplained balance drops whose later reading is between `from` and `to` (RFC 3339,
/// `to` exclusive), per provider, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn balance_gaps(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<BalanceGapView>, IpcError> {
    let (from, to) = (parse_time("from", &from)?, parse_time("to", &to)?);
    if from >= to {
        return Err(IpcError::input("to", "the end must be after the start"));
    }
    let engine = state.engine()?;
    let gaps = blocking(move || Ok(engine.balance_gaps(Some(from), Some(to))?)).await?;
    Ok(gaps
        .into_iter()
        .map(|g| BalanceGapView {
            // A timestamp displays in UTC, RFC 3339: its first ten characters are the UTC day.
            day: time(g.to).chars().take(10).collect(),
            gap: money(g.unexplained()),
            provider: g.provider,
            currency: g.currency,
            from: time(g.from),
            to: time(g.to),
            balance_before: money(g.balance_before),
            balance_after: money(g.balance_after),
            expected_after: money(g.expected_after),
            orders: g.orders,
        })
        .collect())
}

/// A top-up just recorded.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TopUpView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The amount added (a decimal string).
    pub amount: String,
    /// The note.
    pub note: Option<String>,
    /// When it was recorded (RFC 3339).
    pub at: String,
}

/// Records money the user added to a provider account, so the balance's rise is not taken for
/// a refund and the next reconciliation counts it (`amount` > 0; a note of one line).
#[tauri::command]
#[specta::specta]
pub async fn record_topup(
    state: State<'_, AppState>,
    provider: String,
    amount: String,
    note: Option<String>,
) -> Result<TopUpView, IpcError> {
    let amount = parse_money("amount", &amount)?;
    let engine = state.engine()?;
    let t = blocking(move || Ok(engine.record_topup(&provider, amount, note.as_deref())?)).await?;
    Ok(TopUpView {
        id: t.id,
        provider: t.provider,
        amount: money(t.amount),
        note: t.note,
        at: time(t.at),
    })
}
