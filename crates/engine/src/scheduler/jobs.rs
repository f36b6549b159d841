//! The job bodies: what each scheduled run does, through the engine's own functions (the
//! orders engine's batched, oldest-first refresh; catalog sync; balance check), followed by
//! the alerts that depend on it and the change events the app listens to.

use rusqlite::params;

use super::timing::{
    setting_u64, API_CALLS_RETENTION, EVENT_DETAIL_RETENTION, ORDER_ARCHIVE_AFTER,
};
use super::{JobKey, JobKind, JobResult};
use crate::engine::Engine;
use crate::error::{ErrorBody, Result};
use crate::events::EngineEvent;
use crate::orders::RefreshScope;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Runs one job.
pub(crate) async fn run(engine: Engine, key: JobKey) -> JobResult {
    let result = match (key.kind, key.provider_id) {
        (JobKind::OrderStatus, Some(id)) => order_status(&engine, id).await,
        (JobKind::CatalogSync, Some(id)) => catalog_sync(&engine, id).await,
        (JobKind::Balance, Some(id)) => balance(&engine, id).await,
        (JobKind::Cleanup, _) => cleanup(&engine),
        (kind, None) => Ok(Err(ErrorBody {
            code: "internal",
            message: format!("{kind} needs a provider"),
        })),
    };
    match result {
        Ok(outcome) => outcome,
        Err(e) => Err(e.to_body()),
    }
}

/// Order and refill statuses of one provider.
async fn order_status(engine: &Engine, provider_id: i64) -> Result<JobResult> {
    let provider = engine.provider_by_id(provider_id)?;
    let since = engine.now_ms();
    let orders = engine
        .refresh_orders(RefreshScope::Provider(provider.name.clone()))
        .await?;
    let refills = engine.refresh_refills(Some(&provider.name)).await?;
    let changed: Vec<i64> = engine.store().read(|c| {
        let mut stmt = c.prepare_cached(
            "SELECT id FROM orders WHERE provider_id = ?1 AND updated_at >= ?2 \
             UNION SELECT order_id FROM refills WHERE provider_id = ?1 AND updated_at >= ?2",
        )?;
        let rows = stmt.query_map(params![provider_id, since], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    if !changed.is_empty() {
        engine.emit(EngineEvent::OrdersChanged { ids: changed });
    }
    engine.check_order_alerts(provider_id, since)?;
    if let Some(failure) = orders.errors.first().or(refills.errors.first()) {
        return Ok(Err(failure.error.clone()));
    }
    Ok(Ok(format!(
        "{}: {} orders checked, {} changed, {} finished; {} refills checked ({} calls)",
        provider.name,
        orders.checked,
        orders.changed,
        orders.finished,
        refills.checked,
        orders.calls + refills.calls
    )))
}

/// One provider's catalog.
async fn catalog_sync(engine: &Engine, provider_id: i64) -> Result<JobResult> {
    let provider = engine.provider_by_id(provider_id)?;
    let since = engine.now_ms();
    let diff = match engine.sync_catalog(&provider.name).await {
        Ok(d) => d,
        Err(e) => return Ok(Err(e.to_body())),
    };
    if diff.added + diff.removed + diff.restored + diff.price_changed + diff.details_changed > 0 {
        engine.emit(EngineEvent::CatalogChanged {
            provider: provider.name.clone(),
        });
    }
    engine.check_service_alerts(provider_id, since)?;
    Ok(Ok(format!(
        "{}: {} services, {} new, {} removed, {} repriced",
        provider.name, diff.total, diff.added, diff.removed, diff.price_changed
    )))
}

/// One provider's balance.
async fn balance(engine: &Engine, provider_id: i64) -> Result<JobResult> {
    let provider = engine.provider_by_id(provider_id)?;
    let check = match engine.check_balance(&provider.name).await {
        Ok(c) => c,
        Err(e) => return Ok(Err(e.to_body())),
    };
    engine.emit(EngineEvent::BalanceChanged {
        provider: provider.name.clone(),
    });
    Ok(Ok(format!(
        "{}: balance {} {}",
        provider.name,
        check.balance,
        check.currency.unwrap_or_default()
    )))
}

/// Weekly cleanup: prunes the API call log, trims old order event details (never amounts)
/// and archives finished orders past the retention. Money history — orders, charges,
/// balance snapshots, price history — is never deleted.
fn cleanup(engine: &Engine) -> Result<JobResult> {
    let now = engine.now_ms();
    let calls_cutoff = now - DAY_MS * setting_u64(engine, API_CALLS_RETENTION, 30, 1)? as i64;
    let details_cutoff = now - DAY_MS * setting_u64(engine, EVENT_DETAIL_RETENTION, 90, 1)? as i64;
    let archive_cutoff = now - DAY_MS * setting_u64(engine, ORDER_ARCHIVE_AFTER, 90, 1)? as i64;
    let (calls, details, archived) = engine.store().write(|tx| {
        let calls = tx.execute(
            "DELETE FROM api_calls WHERE started_at < ?1",
            [calls_cutoff],
        )?;
        // Raw provider text and per-run counters go; status and amounts stay.
        let details = tx.execute(
            "UPDATE order_events SET detail = json_remove(detail, '$.raw_status', '$.runs', \
             '$.posts', '$.message', '$.body') WHERE at < ?1 AND kind IN \
             ('status', 'status_error', 'refill_status') AND (json_type(detail, '$.raw_status') \
             IS NOT NULL OR json_type(detail, '$.runs') IS NOT NULL OR json_type(detail, \
             '$.posts') IS NOT NULL OR json_type(detail, '$.message') IS NOT NULL OR \
             json_type(detail, '$.body') IS NOT NULL)",
            [details_cutoff],
        )?;
        let mut stmt = tx.prepare(
            "UPDATE orders SET archived_at = ?1 WHERE archived_at IS NULL AND finished_at < ?2 \
             AND status IN ('completed', 'partial', 'canceled', 'refunded') RETURNING id",
        )?;
        let archived: Vec<i64> = stmt
            .query_map(params![now, archive_cutoff], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((calls, details, archived))
    })?;
    let n = archived.len();
    if n > 0 {
        engine.emit(EngineEvent::OrdersChanged { ids: archived });
    }
    Ok(Ok(format!(
        "cleanup: {calls} API log rows pruned, {details} event details trimmed, {n} orders archived"
    )))
}
