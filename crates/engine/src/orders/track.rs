//! Status tracking: multi-status polling, 100 ids per call, oldest checked first, one
//! transaction per batch; an unknown status text is kept raw and never overwrites a known
//! state with a guess.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use smm_panel::{ItemError, OrderState, MAX_IDS_PER_CALL};

use super::{add_event, order_by_id, OrderStatus};
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};
use crate::money;
use crate::providers::Provider;

/// Which orders to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshScope {
    /// These orders (those not open or without a provider id are skipped).
    Orders(Vec<i64>),
    /// Every open order of this provider.
    Provider(String),
    /// Every open order of every active provider.
    AllOpen,
}

/// What a refresh did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RefreshReport {
    /// Orders the provider answered for.
    pub checked: u64,
    /// Orders whose status, charge, start count or remains changed.
    pub changed: u64,
    /// Orders that reached a final state in this refresh.
    pub finished: u64,
    /// Multi-status calls made.
    pub calls: u64,
    /// Orders asked for that are not open (or have no provider order id).
    pub skipped: Vec<i64>,
    /// Providers whose calls failed (their orders stay as they were).
    pub errors: Vec<ProviderFailure>,
}

/// A provider whose calls failed during a refresh.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderFailure {
    /// The provider's name.
    pub provider: String,
    /// The error.
    pub error: ErrorBody,
}

/// What one status answer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applied {
    /// Nothing but the check time.
    Unchanged,
    /// Status, charge, start count or remains changed.
    Changed,
    /// Changed, and the order is now final.
    Finished,
    /// The order is no longer open locally (resolved or finished meanwhile): left alone.
    Skipped,
}

/// Applies one status answer to an open order inside the caller's transaction.
pub(crate) fn apply_state(
    tx: &Connection,
    id: i64,
    state: &OrderState,
    now: i64,
) -> Result<Applied> {
    let current = tx
        .prepare_cached(
            "SELECT status, raw_status, charge, start_count, remains, currency FROM orders \
             WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((status, raw, charge, start_count, remains, currency)) = current else {
        return Ok(Applied::Skipped);
    };
    let status: OrderStatus = status.parse()?;
    if !status.is_open() {
        return Ok(Applied::Skipped);
    }
    // A status text we do not know keeps the known state; the raw text is kept beside it.
    let new_status = OrderStatus::from_provider(&state.status).unwrap_or(status);
    let new_raw = Some(state.raw_status.clone());
    let old_charge = charge.as_deref().map(money::from_text).transpose()?;
    let new_charge: Option<Decimal> = state.charge.or(old_charge);
    let new_start = state.start_count.map(|v| v as i64).or(start_count);
    let new_remains = state.remains.map(|v| v as i64).or(remains);
    let new_currency = state.currency.clone().or(currency.clone());
    let changed = new_status != status
        || new_raw != raw
        || new_charge != old_charge
        || new_start != start_count
        || new_remains != remains
        || new_currency != currency;
    let finished = new_status.is_terminal();
    tx.prepare_cached(
        "UPDATE orders SET status = ?2, raw_status = ?3, charge = ?4, start_count = ?5, \
         remains = ?6, currency = ?7, last_checked_at = ?8, last_error = NULL, \
         updated_at = CASE WHEN ?9 THEN ?8 ELSE updated_at END, \
         finished_at = CASE WHEN ?10 THEN ?8 ELSE finished_at END WHERE id = ?1",
    )?
    .execute(params![
        id,
        new_status.as_str(),
        new_raw,
        new_charge.map(money::to_text),
        new_start,
        new_remains,
        new_currency,
        now,
        changed,
        finished
    ])?;
    if !changed {
        return Ok(Applied::Unchanged);
    }
    add_event(
        tx,
        id,
        now,
        "status",
        Some(new_status),
        &json!({
            "raw_status": state.raw_status,
            "charge": new_charge.map(money::to_text),
            "start_count": new_start,
            "remains": new_remains,
            "currency": new_currency,
            "runs": state.runs,
            "posts": state.posts,
        }),
    )?;
    Ok(if finished {
        Applied::Finished
    } else {
        Applied::Changed
    })
}

/// Records a per-order error of a status answer (e.g. "Incorrect order ID").
fn apply_item_error(tx: &Connection, id: i64, error: &ItemError, now: i64) -> Result<()> {
    let message = error.to_string();
    let previous: Option<String> = tx
        .query_row("SELECT last_error FROM orders WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    tx.execute(
        "UPDATE orders SET last_checked_at = ?2, last_error = ?3 WHERE id = ?1",
        params![id, now, message],
    )?;
    if previous.as_deref() != Some(message.as_str()) {
        add_event(
            tx,
            id,
            now,
            "status_error",
            None,
            &json!({ "reason": error.reason().map(|r| r.code()), "message": message }),
        )?;
    }
    Ok(())
}

/// Open orders of one provider with a provider id, oldest checked (never checked) first.
fn open_orders(conn: &Connection, provider_id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, external_id FROM orders INDEXED BY orders_open_checked \
         WHERE provider_id = ?1 \
         AND status IN ('pending', 'processing', 'in_progress', 'active') \
         AND external_id IS NOT NULL ORDER BY last_checked_at, id",
    )?;
    let rows = stmt.query_map([provider_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Engine {
    /// Refreshes order statuses from the providers: only open orders with a provider order
    /// id, oldest checked first, 100 per multi-status call, each batch written in one
    /// transaction. Charge, start count, remains and status come from the provider.
    pub async fn refresh_orders(&self, scope: RefreshScope) -> Result<RefreshReport> {
        let mut report = RefreshReport::default();
        let mut groups: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
        match &scope {
            RefreshScope::Orders(ids) => {
                let mut seen = std::collections::HashSet::new();
                for &id in ids {
                    if !seen.insert(id) {
                        continue;
                    }
                    let order = self.order(id)?;
                    match (&order.external_id, order.status.is_open()) {
                        (Some(ext), true) => groups
                            .entry(order.provider_id)
                            .or_default()
                            .push((id, ext.clone())),
                        _ => report.skipped.push(id),
                    }
                }
            }
            RefreshScope::Provider(name) => {
                let p = self.provider(name)?;
                groups.insert(p.id, self.store().read(|c| open_orders(c, p.id))?);
            }
            RefreshScope::AllOpen => {
                for p in self.list_providers()?.into_iter().filter(|p| p.active) {
                    let open = self.store().read(|c| open_orders(c, p.id))?;
                    if !open.is_empty() {
                        groups.insert(p.id, open);
                    }
                }
            }
        }
        // Providers side by side; each provider's batches up to its concurrency, under its
        // limits (the permits of `call_provider`, shared with the scheduler's jobs).
        let mut providers = tokio::task::JoinSet::new();
        for (provider_id, orders) in groups {
            if orders.is_empty() {
                continue;
            }
            let provider = self.provider_by_id(provider_id)?;
            let engine = self.clone();
            providers.spawn(async move {
                let mut part = RefreshReport::default();
                if let Err(e) = engine.refresh_provider(&provider, orders, &mut part).await {
                    part.errors.push(ProviderFailure {
                        provider: provider.name.clone(),
                        error: e.to_body(),
                    });
                }
                part
            });
        }
        while let Some(part) = providers.join_next().await {
            let part = part.map_err(|e| EngineError::Internal(format!("status refresh: {e}")))?;
            report.checked += part.checked;
            report.changed += part.changed;
            report.finished += part.finished;
            report.calls += part.calls;
            report.errors.extend(part.errors);
        }
        report.errors.sort_by(|a, b| a.provider.cmp(&b.provider));
        Ok(report)
    }

    /// One provider's open orders, [`MAX_IDS_PER_CALL`] per call, at most the provider's
    /// `max_concurrency` calls in flight; after a failed call no further batch starts (the
    /// ones in flight finish and are recorded).
    async fn refresh_provider(
        &self,
        provider: &Provider,
        orders: Vec<(i64, String)>,
        report: &mut RefreshReport,
    ) -> Result<()> {
        let client = std::sync::Arc::new(self.client_for(provider)?);
        let limit = provider.max_concurrency.max(1) as usize;
        let mut batches = orders
            .chunks(MAX_IDS_PER_CALL)
            .map(<[(i64, String)]>::to_vec)
            .collect::<Vec<_>>()
            .into_iter();
        let mut calls = tokio::task::JoinSet::new();
        let mut failed: Option<EngineError> = None;
        loop {
            while failed.is_none() && calls.len() < limit {
                let Some(batch) = batches.next() else { break };
                report.calls += 1;
                let (engine, provider, client) = (self.clone(), provider.clone(), client.clone());
                calls.spawn(async move { engine.refresh_batch(&provider, client, batch).await });
            }
            let Some(done) = calls.join_next().await else {
                break;
            };
            match done.map_err(|e| EngineError::Internal(format!("status refresh: {e}")))? {
                Ok((checked, changed, finished)) => {
                    report.checked += checked;
                    report.changed += changed;
                    report.finished += finished;
                }
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
        }
        failed.map_or(Ok(()), Err)
    }

    /// One multi-status call and its answers, written in one transaction: (checked, changed,
    /// finished).
    async fn refresh_batch(
        &self,
        provider: &Provider,
        client: std::sync::Arc<smm_panel::Client>,
        batch: Vec<(i64, String)>,
    ) -> Result<(u64, u64, u64)> {
        let ids: Vec<String> = batch.iter().map(|(_, ext)| ext.clone()).collect();
        let answers = self
            .logged_call(provider, "status", move || async move {
                client.statuses(&ids).await
            })
            .await?;
        let now = self.now_ms();
        self.store().write(|tx| {
            let (mut checked, mut changed, mut finished) = (0, 0, 0);
            for (id, ext) in &batch {
                match answers.get(ext) {
                    Some(Ok(state)) => match apply_state(tx, *id, state, now)? {
                        Applied::Unchanged => checked += 1,
                        Applied::Changed => {
                            checked += 1;
                            changed += 1;
                        }
                        Applied::Finished => {
                            checked += 1;
                            changed += 1;
                            finished += 1;
                        }
                        Applied::Skipped => {}
                    },
                    Some(Err(ItemError::Call(_))) | None => {}
                    Some(Err(e)) => apply_item_error(tx, *id, e, now)?,
                }
            }
            Ok((checked, changed, finished))
        })
    }

    /// Refreshes one order and returns it.
    pub async fn refresh_order(&self, id: i64) -> Result<super::Order> {
        let report = self.refresh_orders(RefreshScope::Orders(vec![id])).await?;
        if let Some(failure) = report.errors.first() {
            tracing::warn!(
                order = id,
                code = failure.error.code,
                "order refresh failed"
            );
        }
        self.store().read(|c| order_by_id(c, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use smm_panel::OrderStatus as P;

    fn state(status: P, raw: &str, charge: &str, remains: u64) -> OrderState {
        OrderState {
            status,
            raw_status: raw.into(),
            charge: Some(charge.parse().unwrap()),
            start_count: Some(10),
            remains: Some(remains),
            currency: Some("USD".into()),
            runs: None,
            posts: None,
            child_orders: Vec::new(),
        }
    }

    fn store_with_order() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO providers (id, name, display_name, api_url, api_key_enc, key_last4, \
                     created_at, updated_at) VALUES (1, 'p', 'p', 'https://p.example', x'', '1234', 0, 0);
                     INSERT INTO orders (id, idempotency_key, provider_id, service_id, service_name, \
                     service_type, service_rate, quantity, estimated_cost, status, external_id, \
                     created_at, updated_at) VALUES (1, 'k', 1, '1', 's', 'Default', '0.9', 1000, \
                     '0.9', 'in_progress', '77', 0, 0);",
                )?;
                Ok(())
            })
            .unwrap();
        (dir, store)
    }

    fn row(
        store: &Store,
    ) -> (
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
    ) {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT status, raw_status, charge, remains, finished_at FROM orders WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?)
            })
            .unwrap()
    }

    #[test]
    fn unknown_status_text_is_kept_raw_without_a_guess() {
        let (_dir, store) = store_with_order();
        let applied = store
            .write(|tx| {
                apply_state(
                    tx,
                    1,
                    &state(P::Unknown("Paused".into()), "Paused", "0.9", 400),
                    5,
                )
            })
            .unwrap();
        assert_eq!(applied, Applied::Changed);
        let (status, raw, charge, remains, finished) = row(&store);
        assert_eq!(status, "in_progress");
        assert_eq!(raw.as_deref(), Some("Paused"));
        assert_eq!(
            (charge.as_deref(), remains, finished),
            (Some("0.9"), Some(400), None)
        );
        let again = store
            .write(|tx| {
                apply_state(
                    tx,
                    1,
                    &state(P::Unknown("Paused".into()), "Paused", "0.9", 400),
                    6,
                )
            })
            .unwrap();
        assert_eq!(again, Applied::Unchanged);
    }

    #[test]
    fn refunded_takes_the_providers_charge_and_remains_and_finishes() {
        let (_dir, store) = store_with_order();
        let applied = store
            .write(|tx| apply_state(tx, 1, &state(P::Refunded, "Refunded", "0", 1000), 9))
            .unwrap();
        assert_eq!(applied, Applied::Finished);
        let (status, raw, charge, remains, finished) = row(&store);
        assert_eq!(
            (status.as_str(), raw.as_deref()),
            ("refunded", Some("Refunded"))
        );
        assert_eq!(
            (charge.as_deref(), remains, finished),
            (Some("0"), Some(1000), Some(9))
        );
        // A finished order is left alone by later answers.
        let later = store
            .write(|tx| apply_state(tx, 1, &state(P::InProgress, "In progress", "0.9", 5), 10))
            .unwrap();
        assert_eq!(later, Applied::Skipped);
    }
}
