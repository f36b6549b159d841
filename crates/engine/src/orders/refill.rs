//! Refills: requested like orders are placed (journal first, no blind resend), then tracked
//! with multi `refill_status`, 100 per call.

use std::sync::Arc;

use jiff::Timestamp;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;
use smm_panel::{BatchResult, Client, PanelError, RefillAccepted, MAX_IDS_PER_CALL};

use super::request::{
    failure_status, service_offers, stored_status, Answer, Journaled, RequestKind,
};
use super::track::{ProviderFailure, RefreshReport};
use super::OrderError;
use super::{add_event, order_by_id, Order};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{ErrorBody, Result};
use crate::providers::Provider;

stored_status! {
    /// Where a refill request stands. Stored and sent as its snake-case name.
    pub enum RefillStatus ("refill") {
        /// Journaled; being sent.
        Requesting = "requesting",
        /// It may have reached the provider; its answer was lost. Never resent automatically.
        Unknown = "unknown",
        /// It provably never left.
        NotSent = "not_sent",
        /// The provider refused it.
        Rejected = "rejected",
        /// Accepted with a refill id; waiting.
        Pending = "pending",
        /// Being refilled.
        InProgress = "in_progress",
        /// Done.
        Completed = "completed",
        /// Canceled by the provider.
        Canceled = "canceled",
        /// Failed at the provider.
        Failed = "failed",
        /// Accepted without a refill id (not tracked).
        Accepted = "accepted",
    }
}

impl RefillStatus {
    /// The local status for a provider's refill status; `None` for a status text we do not
    /// know (the raw text is kept, the known state is not overwritten with a guess).
    pub fn from_provider(status: &smm_panel::RefillStatus) -> Option<RefillStatus> {
        use smm_panel::RefillStatus as P;
        Some(match status {
            P::Pending => RefillStatus::Pending,
            P::InProgress => RefillStatus::InProgress,
            P::Completed => RefillStatus::Completed,
            P::Rejected => RefillStatus::Rejected,
            P::Canceled => RefillStatus::Canceled,
            P::Failed => RefillStatus::Failed,
            P::Unknown(_) => return None,
        })
    }

    /// The error code of a request's outcome in this status: the request did not go through
    /// (`refill.rejected`, `refill.not_sent`, `refill.unknown`); `None` otherwise.
    pub fn error_code(self) -> Option<&'static str> {
        match self {
            RefillStatus::Rejected => Some("refill.rejected"),
            RefillStatus::NotSent => Some("refill.not_sent"),
            RefillStatus::Unknown => Some("refill.unknown"),
            _ => None,
        }
    }
}

/// A refill request as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refill {
    /// Local id.
    pub id: i64,
    /// The order refilled.
    pub order_id: i64,
    /// The provider's refill id, when it gave one.
    pub external_refill_id: Option<String>,
    /// Where it stands.
    pub status: RefillStatus,
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

/// Refills in the shared request workflow: journaled like orders are placed, never resent
/// automatically when the answer is lost.
struct RefillRequest;

impl RequestKind for RefillRequest {
    type Accepted = RefillAccepted;
    type Outcome = RefillOutcome;
    const TABLE: &'static str = "refills";
    const ACTION: &'static str = "refill";
    const REQUESTED: &'static str = "refill_requested";
    const REQUEST_KEY: &'static str = "refill";

    fn check(conn: &Connection, order: &Order) -> Result<()> {
        if !service_offers(conn, order, "refill")? {
            return Err(OrderError::RefillUnsupported(order.id).into());
        }
        let in_flight: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM refills WHERE order_id = ?1 \
             AND status = 'requesting')",
            [order.id],
            |r| r.get(0),
        )?;
        if in_flight {
            return Err(OrderError::RefillInFlight(order.id).into());
        }
        Ok(())
    }

    /// Single `refill` for one order, multi `refill` for more.
    async fn send(
        client: Arc<Client>,
        orders: Vec<String>,
    ) -> Result<BatchResult<RefillAccepted>, PanelError> {
        match orders.as_slice() {
            [order] => {
                let accepted = client.refill(order).await?;
                Ok(BatchResult::from([(order.clone(), Ok(accepted))]))
            }
            _ => client.refills(&orders).await,
        }
    }

    fn record(
        tx: &Connection,
        request: &Journaled,
        answer: &Answer<RefillAccepted>,
        now: i64,
    ) -> Result<RefillOutcome> {
        let (status, external, error) = match answer {
            Ok(RefillAccepted { id: Some(r) }) => (RefillStatus::Pending, Some(r.clone()), None),
            Ok(RefillAccepted { id: None }) => (RefillStatus::Accepted, None, None),
            Err(e) => (
                failure_status(
                    e.delivery(),
                    RefillStatus::NotSent,
                    RefillStatus::Rejected,
                    RefillStatus::Unknown,
                ),
                None,
                Some(e.message()),
            ),
        };
        tx.execute(
            "UPDATE refills SET status = ?2, external_refill_id = ?3, last_error = ?4, \
             updated_at = ?5 WHERE id = ?1",
            params![request.request_id, status, external, error, now],
        )?;
        add_event(
            tx,
            request.order_id,
            now,
            "refill",
            None,
            &json!({ "refill": request.request_id, "order": request.external_id,
                     "status": status, "external_refill_id": external, "error": error }),
        )?;
        Ok(RefillOutcome {
            order_id: request.order_id,
            refill: Some(refill_by_id(tx, request.request_id)?),
            error: status.error_code().map(|code| ErrorBody {
                code,
                message: error.unwrap_or_default(),
            }),
        })
    }

    fn refused(order_id: i64, error: ErrorBody) -> RefillOutcome {
        RefillOutcome {
            order_id,
            refill: None,
            error: Some(error),
        }
    }
}

impl Engine {
    /// Asks the providers to refill these orders (only services with refill, only orders with
    /// a provider order id). Each request is journaled before it is sent and never resent
    /// automatically when the answer is lost (`unknown`).
    pub async fn request_refill(&self, ids: &[i64]) -> Result<Vec<RefillOutcome>> {
        let outcomes = self.send_requests::<RefillRequest>(ids).await?;
        self.emit(crate::events::EngineEvent::OrdersChanged { ids: ids.to_vec() });
        Ok(outcomes)
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
        let client = Arc::new(self.client_for(provider)?);
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
                    let (old_status, old_raw): (RefillStatus, Option<String>) = tx.query_row(
                        "SELECT status, raw_status FROM refills WHERE id = ?1",
                        [refill_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    let status = RefillStatus::from_provider(&state.status).unwrap_or(old_status);
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
