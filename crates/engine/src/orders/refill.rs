//! Refills: requested like orders are placed (journal first, no blind resend), then tracked
//! with multi `refill_status`, 100 per call.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;
use smm_panel::{Delivery, ItemError, PanelError, RefillAccepted, RefillStatus, MAX_IDS_PER_CALL};

use super::error::OrderError;
use super::track::{ProviderFailure, RefreshReport};
use super::{add_event, order_by_id, Order};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};
use crate::providers::Provider;

/// A refill request as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refill {
    /// Local id.
    pub id: i64,
    /// The order refilled.
    pub order_id: i64,
    /// The provider's refill id, when it gave one.
    pub external_refill_id: Option<String>,
    /// `requesting`, `unknown`, `not_sent`, `rejected`, `pending`, `in_progress`,
    /// `completed`, `canceled`, `failed`, or `accepted` (accepted without a refill id).
    pub status: String,
    /// The provider's status text, verbatim.
    pub raw_status: Option<String>,
    /// The last error.
    pub last_error: Option<String>,
    /// When requested.
    pub requested_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
    /// Last status check.
    pub last_checked_at: Option<Timestamp>,
}

/// The result of asking a refill for one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefillOutcome {
    /// The order.
    pub order_id: i64,
    /// The refill row, when one was journaled.
    pub refill: Option<Refill>,
    /// Why it was refused before or by the provider.
    pub error: Option<ErrorBody>,
}

fn refill_status_name(s: &RefillStatus) -> Option<&'static str> {
    Some(match s {
        RefillStatus::Pending => "pending",
        RefillStatus::InProgress => "in_progress",
        RefillStatus::Completed => "completed",
        RefillStatus::Rejected => "rejected",
        RefillStatus::Canceled => "canceled",
        RefillStatus::Failed => "failed",
        RefillStatus::Unknown(_) => return None,
    })
}

fn refill_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Refill> {
    Ok(Refill {
        id: r.get(0)?,
        order_id: r.get(1)?,
        external_refill_id: r.get(2)?,
        status: r.get(3)?,
        raw_status: r.get(4)?,
        last_error: r.get(5)?,
        requested_at: from_millis(r.get(6)?),
        updated_at: from_millis(r.get(7)?),
        last_checked_at: r.get::<_, Option<i64>>(8)?.map(from_millis),
    })
}

const REFILL_COLUMNS: &str = "id, order_id, external_refill_id, status, raw_status, last_error, \
     requested_at, updated_at, last_checked_at";

fn refill_by_id(conn: &Connection, id: i64) -> Result<Refill> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {REFILL_COLUMNS} FROM refills WHERE id = ?1"
        ))?
        .query_row([id], refill_from_row)?)
}

/// Whether the order's service offers refills or cancels (`column`: `refill` or `cancel`), from
/// its catalog row; true when the service is unknown (the provider then decides).
pub(super) fn service_offers(conn: &Connection, order: &Order, column: &str) -> Result<bool> {
    let Some(service_ref) = order.service_ref else {
        return Ok(true);
    };
    Ok(conn.query_row(
        &format!("SELECT {column} FROM services WHERE id = ?1"),
        [service_ref],
        |r| r.get(0),
    )?)
}

impl Engine {
    /// Asks the providers to refill these orders (only services with refill, only orders with
    /// a provider order id). Each request is journaled before it is sent and never resent
    /// automatically when the answer is lost (`unknown`).
    pub async fn request_refill(&self, ids: &[i64]) -> Result<Vec<RefillOutcome>> {
        let outcomes = self.request_refill_now(ids).await?;
        self.emit(crate::events::EngineEvent::OrdersChanged { ids: ids.to_vec() });
        Ok(outcomes)
    }

    async fn request_refill_now(&self, ids: &[i64]) -> Result<Vec<RefillOutcome>> {
        let now = self.now_ms();
        let mut outcomes: BTreeMap<i64, RefillOutcome> = BTreeMap::new();
        // provider id -> [(order id, refill id, external order id)]
        let mut groups: BTreeMap<i64, Vec<(i64, i64, String)>> = BTreeMap::new();
        for &id in ids {
            if outcomes.contains_key(&id) {
                continue;
            }
            let journaled = self.store().write(|tx| {
                let order = order_by_id(tx, id)?;
                let ext = order
                    .external_id
                    .clone()
                    .ok_or(OrderError::NoExternalId(id))?;
                if !service_offers(tx, &order, "refill")? {
                    return Err(OrderError::RefillUnsupported(id).into());
                }
                let in_flight: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM refills WHERE order_id = ?1 \
                     AND status = 'requesting')",
                    [id],
                    |r| r.get(0),
                )?;
                if in_flight {
                    return Err(OrderError::RefillInFlight(id).into());
                }
                tx.execute(
                    "INSERT INTO refills (order_id, provider_id, status, requested_at, updated_at) \
                     VALUES (?1, ?2, 'requesting', ?3, ?3)",
                    params![id, order.provider_id, now],
                )?;
                let refill_id = tx.last_insert_rowid();
                add_event(
                    tx,
                    id,
                    now,
                    "refill_requested",
                    Some(order.status),
                    &json!({ "refill": refill_id }),
                )?;
                Ok((order.provider_id, refill_id, ext))
            });
            match journaled {
                Ok((provider_id, refill_id, ext)) => {
                    groups
                        .entry(provider_id)
                        .or_default()
                        .push((id, refill_id, ext));
                    outcomes.insert(
                        id,
                        RefillOutcome {
                            order_id: id,
                            refill: None,
                            error: None,
                        },
                    );
                }
                Err(e @ (EngineError::Order(_) | EngineError::Input { .. })) => {
                    outcomes.insert(
                        id,
                        RefillOutcome {
                            order_id: id,
                            refill: None,
                            error: Some(e.to_body()),
                        },
                    );
                }
                Err(e) => return Err(e),
            }
        }
        for (provider_id, items) in groups {
            let provider = self.provider_by_id(provider_id)?;
            let results = self.send_refills(&provider, &items).await;
            let now = self.now_ms();
            self.store().write(|tx| {
                for ((order_id, refill_id, ext), result) in items.iter().zip(&results) {
                    record_refill(tx, *order_id, *refill_id, ext, result, now)?;
                }
                Ok(())
            })?;
            for (order_id, refill_id, _) in &items {
                let refill = self.store().read(|c| refill_by_id(c, *refill_id))?;
                let error = match refill.status.as_str() {
                    "rejected" | "not_sent" | "unknown" => Some(ErrorBody {
                        code: match refill.status.as_str() {
                            "rejected" => "refill.rejected",
                            "not_sent" => "refill.not_sent",
                            _ => "refill.unknown",
                        },
                        message: refill.last_error.clone().unwrap_or_default(),
                    }),
                    _ => None,
                };
                outcomes.insert(
                    *order_id,
                    RefillOutcome {
                        order_id: *order_id,
                        refill: Some(refill),
                        error,
                    },
                );
            }
        }
        Ok(ids.iter().filter_map(|id| outcomes.remove(id)).collect())
    }

    /// Sends the refill requests of one provider: single `refill` for one order, multi
    /// `refill` (100 per call) for more. One result per item, in order.
    async fn send_refills(
        &self,
        provider: &Provider,
        items: &[(i64, i64, String)],
    ) -> Vec<std::result::Result<RefillAccepted, ItemError>> {
        let client = match self.client_for(provider) {
            Ok(c) => std::sync::Arc::new(c),
            Err(e) => {
                let pe = e
                    .panel_error()
                    .cloned()
                    .unwrap_or_else(|| PanelError::Config(e.to_string()));
                return items
                    .iter()
                    .map(|_| Err(ItemError::Call(Box::new(pe.clone()))))
                    .collect();
            }
        };
        if let [(_, _, ext)] = items {
            let ext = ext.clone();
            let r = self
                .logged_call(provider, "refill", move || async move {
                    client.refill(&ext).await
                })
                .await;
            return vec![r.map_err(|e| match e {
                EngineError::Panel { source, .. } => match source {
                    PanelError::Provider {
                        reason, message, ..
                    } => ItemError::Provider { reason, message },
                    other => ItemError::Call(Box::new(other)),
                },
                other => ItemError::Call(Box::new(PanelError::Config(other.to_string()))),
            })];
        }
        let mut out = Vec::with_capacity(items.len());
        for chunk in items.chunks(MAX_IDS_PER_CALL) {
            let ids: Vec<String> = chunk.iter().map(|(_, _, e)| e.clone()).collect();
            let c = client.clone();
            let asked = ids.clone();
            match self
                .logged_call(provider, "refill", move || async move {
                    c.refills(&asked).await
                })
                .await
            {
                Ok(mut batch) => {
                    for id in &ids {
                        out.push(batch.remove(id).unwrap_or(Err(ItemError::NotReturned)));
                    }
                }
                Err(e) => {
                    let pe = e
                        .panel_error()
                        .cloned()
                        .unwrap_or_else(|| PanelError::Config(e.to_string()));
                    out.extend(
                        chunk
                            .iter()
                            .map(|_| Err(ItemError::Call(Box::new(pe.clone())))),
                    );
                }
            }
        }
        out
    }

    /// Refreshes refill statuses: open refills with a provider refill id, oldest checked
    /// first, 100 per multi `refill_status` call (one provider, or all when `None`).
    pub async fn refresh_refills(&self, provider: Option<&str>) -> Result<RefreshReport> {
        let providers: Vec<Provider> = match provider {
            Some(name) => vec![self.provider(name)?],
            None => self
                .list_providers()?
                .into_iter()
                .filter(|p| p.active)
                .collect(),
        };
        let mut report = RefreshReport::default();
        for p in providers {
            let open: Vec<(i64, i64, String)> = self.store().read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id, order_id, external_refill_id FROM refills \
                     INDEXED BY refills_open_checked WHERE provider_id = ?1 \
                     AND status IN ('pending', 'in_progress') \
                     AND external_refill_id IS NOT NULL ORDER BY last_checked_at, id",
                )?;
                let rows = stmt.query_map([p.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })?;
            if open.is_empty() {
                continue;
            }
            if let Err(e) = self.refresh_provider_refills(&p, &open, &mut report).await {
                report.errors.push(ProviderFailure {
                    provider: p.name.clone(),
                    error: e.to_body(),
                });
            }
        }
        Ok(report)
    }

    async fn refresh_provider_refills(
        &self,
        provider: &Provider,
        open: &[(i64, i64, String)],
        report: &mut RefreshReport,
    ) -> Result<()> {
        let client = std::sync::Arc::new(self.client_for(provider)?);
        for batch in open.chunks(MAX_IDS_PER_CALL) {
            let ids: Vec<String> = batch.iter().map(|(_, _, e)| e.clone()).collect();
            report.calls += 1;
            let c = client.clone();
            let answers = self
                .logged_call(provider, "refill_status", move || async move {
                    c.refill_statuses(&ids).await
                })
                .await?;
            let now = self.now_ms();
            let (checked, changed) = self.store().write(|tx| {
                let (mut checked, mut changed) = (0, 0);
                for (refill_id, order_id, ext) in batch {
                    let Some(Ok(state)) = answers.get(ext) else {
                        continue;
                    };
                    checked += 1;
                    let (old_status, old_raw): (String, Option<String>) = tx.query_row(
                        "SELECT status, raw_status FROM refills WHERE id = ?1",
                        [refill_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    let status = refill_status_name(&state.status)
                        .map(str::to_string)
                        .unwrap_or(old_status.clone());
                    let differs =
                        status != old_status || old_raw.as_deref() != Some(&state.raw_status);
                    tx.execute(
                        "UPDATE refills SET status = ?2, raw_status = ?3, last_checked_at = ?4, \
                         updated_at = CASE WHEN ?5 THEN ?4 ELSE updated_at END WHERE id = ?1",
                        params![refill_id, status, state.raw_status, now, differs],
                    )?;
                    if differs {
                        changed += 1;
                        add_event(
                            tx,
                            *order_id,
                            now,
                            "refill_status",
                            None,
                            &json!({ "refill": refill_id, "status": status,
                                     "raw_status": state.raw_status }),
                        )?;
                    }
                }
                Ok((checked, changed))
            })?;
            report.checked += checked;
            report.changed += changed;
        }
        Ok(())
    }

    /// The refills of an order, oldest first.
    pub fn order_refills(&self, order_id: i64) -> Result<Vec<Refill>> {
        self.store().read(|c| {
            order_by_id(c, order_id)?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {REFILL_COLUMNS} FROM refills WHERE order_id = ?1 ORDER BY id"
            ))?;
            let rows = stmt.query_map([order_id], refill_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// Records the answer to one refill request.
fn record_refill(
    tx: &Connection,
    order_id: i64,
    refill_id: i64,
    ext: &str,
    result: &std::result::Result<RefillAccepted, ItemError>,
    now: i64,
) -> Result<()> {
    let (status, external, error) = match result {
        Ok(RefillAccepted { id: Some(r) }) => ("pending", Some(r.clone()), None),
        Ok(RefillAccepted { id: None }) => ("accepted", None, None),
        Err(ItemError::Provider { message, .. }) => ("rejected", None, Some(message.clone())),
        Err(ItemError::Call(e)) => (
            match e.delivery() {
                Delivery::NeverSent => "not_sent",
                Delivery::Rejected => "rejected",
                Delivery::MaybeSent => "unknown",
            },
            None,
            Some(e.to_string()),
        ),
        Err(e @ (ItemError::NotReturned | ItemError::Malformed(_))) => {
            ("unknown", None, Some(e.to_string()))
        }
        Err(e) => ("unknown", None, Some(e.to_string())),
    };
    tx.execute(
        "UPDATE refills SET status = ?2, external_refill_id = ?3, last_error = ?4, \
         updated_at = ?5 WHERE id = ?1",
        params![refill_id, status, external, error, now],
    )?;
    add_event(
        tx,
        order_id,
        now,
        "refill",
        None,
        &json!({ "refill": refill_id, "order": ext, "status": status,
                 "external_refill_id": external, "error": error }),
    )?;
    Ok(())
}
