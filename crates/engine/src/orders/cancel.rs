//! Cancel requests: `cancel: 1` means the provider accepted the request, not that the order
//! is canceled; status polling shows the outcome.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::Serialize;
use serde_json::json;
use smm_panel::{Delivery, ItemError, MAX_IDS_PER_CALL};

use super::error::OrderError;
use super::refill::service_offers;
use super::{add_event, order_by_id};
use crate::engine::Engine;
use crate::error::{EngineError, ErrorBody, Result};

/// The result of asking to cancel one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CancelOutcome {
    /// The order.
    pub order_id: i64,
    /// `accepted` (the provider took the request), `rejected`, `not_sent` or `unknown`;
    /// `None` when refused before sending.
    pub status: Option<String>,
    /// Why it was refused.
    pub error: Option<ErrorBody>,
}

impl Engine {
    /// Asks the providers to cancel these orders (only services that accept cancels, only
    /// open orders with a provider order id), 100 per call. Accepted is not canceled: the
    /// next status refresh shows whether the provider canceled (or partly delivered).
    pub async fn cancel_orders(&self, ids: &[i64]) -> Result<Vec<CancelOutcome>> {
        let outcomes = self.cancel_orders_now(ids).await?;
        self.emit(crate::events::EngineEvent::OrdersChanged { ids: ids.to_vec() });
        Ok(outcomes)
    }

    async fn cancel_orders_now(&self, ids: &[i64]) -> Result<Vec<CancelOutcome>> {
        let now = self.now_ms();
        let mut outcomes: BTreeMap<i64, CancelOutcome> = BTreeMap::new();
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
                if !order.status.is_open() {
                    return Err(OrderError::Finished {
                        id,
                        status: order.status.to_string(),
                    }
                    .into());
                }
                if !service_offers(tx, &order, "cancel")? {
                    return Err(OrderError::CancelUnsupported(id).into());
                }
                tx.execute(
                    "INSERT INTO cancel_requests (order_id, provider_id, status, requested_at, \
                     updated_at) VALUES (?1, ?2, 'requesting', ?3, ?3)",
                    params![id, order.provider_id, now],
                )?;
                let request = tx.last_insert_rowid();
                add_event(
                    tx,
                    id,
                    now,
                    "cancel_requested",
                    Some(order.status),
                    &json!({ "cancel_request": request }),
                )?;
                Ok((order.provider_id, request, ext))
            });
            match journaled {
                Ok((provider_id, request, ext)) => {
                    groups
                        .entry(provider_id)
                        .or_default()
                        .push((id, request, ext));
                }
                Err(e @ EngineError::Order(_)) => {
                    outcomes.insert(
                        id,
                        CancelOutcome {
                            order_id: id,
                            status: None,
                            error: Some(e.to_body()),
                        },
                    );
                }
                Err(e) => return Err(e),
            }
        }
        for (provider_id, items) in groups {
            let provider = self.provider_by_id(provider_id)?;
            let client = self.client_for(&provider).map(std::sync::Arc::new);
            for chunk in items.chunks(MAX_IDS_PER_CALL) {
                let ext: Vec<String> = chunk.iter().map(|(_, _, e)| e.clone()).collect();
                let answers = match &client {
                    Ok(c) => {
                        let (c, asked) = (c.clone(), ext.clone());
                        self.logged_call(&provider, "cancel", move || async move {
                            c.cancel(&asked).await
                        })
                        .await
                    }
                    Err(e) => Err(EngineError::Internal(e.to_string())),
                };
                let now = self.now_ms();
                let results: Vec<(&'static str, Option<String>)> = chunk
                    .iter()
                    .map(|(_, _, e)| match &answers {
                        Ok(batch) => match batch.get(e) {
                            Some(Ok(_)) => ("accepted", None),
                            Some(Err(ItemError::Provider { message, .. })) => {
                                ("rejected", Some(message.clone()))
                            }
                            Some(Err(ItemError::Call(pe))) => {
                                (delivery_status(pe.delivery()), Some(pe.to_string()))
                            }
                            Some(Err(other)) => ("unknown", Some(other.to_string())),
                            None => (
                                "unknown",
                                Some("the provider did not return this id".into()),
                            ),
                        },
                        Err(err) => (
                            err.panel_error()
                                .map_or("not_sent", |pe| delivery_status(pe.delivery())),
                            Some(err.to_string()),
                        ),
                    })
                    .collect();
                self.store().write(|tx| {
                    for ((order_id, request, ext), (status, error)) in chunk.iter().zip(&results) {
                        tx.execute(
                            "UPDATE cancel_requests SET status = ?2, last_error = ?3, \
                             updated_at = ?4 WHERE id = ?1",
                            params![request, status, error, now],
                        )?;
                        add_event(
                            tx,
                            *order_id,
                            now,
                            "cancel",
                            None,
                            &json!({ "cancel_request": request, "order": ext,
                                     "status": status, "error": error }),
                        )?;
                    }
                    Ok(())
                })?;
                for ((order_id, _, _), (status, error)) in chunk.iter().zip(results) {
                    let error = (status != "accepted").then(|| ErrorBody {
                        code: match status {
                            "rejected" => "cancel.rejected",
                            "not_sent" => "cancel.not_sent",
                            _ => "cancel.unknown",
                        },
                        message: error.unwrap_or_default(),
                    });
                    outcomes.insert(
                        *order_id,
                        CancelOutcome {
                            order_id: *order_id,
                            status: Some(status.to_string()),
                            error,
                        },
                    );
                }
            }
        }
        Ok(ids.iter().filter_map(|id| outcomes.remove(id)).collect())
    }
}

fn delivery_status(d: Delivery) -> &'static str {
    match d {
        Delivery::NeverSent => "not_sent",
        Delivery::Rejected => "rejected",
        Delivery::MaybeSent => "unknown",
    }
}

/// A cancel request as stored: one per order and attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelRequest {
    /// Local id.
    pub id: i64,
    /// `requesting`, `accepted`, `rejected` or `unknown`.
    pub status: String,
    /// The provider's or the transport's last error.
    pub last_error: Option<String>,
    /// When it was requested.
    pub requested_at: jiff::Timestamp,
}

impl Engine {
    /// An order's cancel requests, oldest first.
    pub fn cancel_requests(&self, order_id: i64) -> Result<Vec<CancelRequest>> {
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, status, last_error, requested_at FROM cancel_requests \
                 WHERE order_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([order_id], |r| {
                Ok(CancelRequest {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    last_error: r.get(2)?,
                    requested_at: crate::clock::from_millis(r.get(3)?),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
