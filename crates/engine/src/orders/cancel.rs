//! Cancel requests: `cancel: 1` means the provider accepted the request, not that the order
//! is canceled; status polling shows the outcome.

use std::sync::Arc;

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::json;
use smm_panel::{BatchResult, CancelAccepted, Client, PanelError};

use super::request::{
    failure_status, service_offers, stored_status, Answer, Journaled, RequestKind,
};
use super::Order;
use super::OrderError;
use crate::engine::Engine;
use crate::error::{ErrorBody, Result};

stored_status! {
    /// Where a cancel request stands. Stored and sent as its snake-case name.
    pub enum CancelStatus ("cancel request") {
        /// Journaled; being sent.
        Requesting = "requesting",
        /// The provider accepted the request (the order is not canceled yet).
        Accepted = "accepted",
        /// The provider refused it.
        Rejected = "rejected",
        /// It provably never left.
        NotSent = "not_sent",
        /// It may have reached the provider; its answer was lost.
        Unknown = "unknown",
    }
}

impl CancelStatus {
    /// The error code of an outcome in this status; `None` once accepted.
    pub fn error_code(self) -> Option<&'static str> {
        match self {
            CancelStatus::Accepted => None,
            CancelStatus::Rejected => Some("cancel.rejected"),
            CancelStatus::NotSent => Some("cancel.not_sent"),
            CancelStatus::Requesting | CancelStatus::Unknown => Some("cancel.unknown"),
        }
    }
}

/// The result of asking to cancel one order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CancelOutcome {
    /// The order.
    pub order_id: i64,
    /// `accepted` (the provider took the request), `rejected`, `not_sent` or `unknown`;
    /// `None` when refused before sending.
    pub status: Option<CancelStatus>,
    /// Why it was refused.
    pub error: Option<ErrorBody>,
}

/// Cancels in the shared request workflow.
struct Cancel;

impl RequestKind for Cancel {
    type Accepted = CancelAccepted;
    type Outcome = CancelOutcome;
    const TABLE: &'static str = "cancel_requests";
    const ACTION: &'static str = "cancel";
    const REQUESTED: &'static str = "cancel_requested";
    const REQUEST_KEY: &'static str = "cancel_request";

    fn check(conn: &Connection, order: &Order) -> Result<()> {
        if !order.status.is_open() {
            return Err(OrderError::Finished {
                id: order.id,
                status: order.status.to_string(),
            }
            .into());
        }
        if !service_offers(conn, order, "cancel")? {
            return Err(OrderError::CancelUnsupported(order.id).into());
        }
        Ok(())
    }

    async fn send(
        client: Arc<Client>,
        orders: Vec<String>,
    ) -> Result<BatchResult<CancelAccepted>, PanelError> {
        client.cancel(&orders).await
    }

    fn record(
        tx: &Connection,
        request: &Journaled,
        answer: &Answer<CancelAccepted>,
        now: i64,
    ) -> Result<CancelOutcome> {
        let (status, error) = match answer {
            Ok(CancelAccepted) => (CancelStatus::Accepted, None),
            Err(e) => (
                failure_status(
                    e.delivery(),
                    CancelStatus::NotSent,
                    CancelStatus::Rejected,
                    CancelStatus::Unknown,
                ),
                Some(e.message()),
            ),
        };
        tx.execute(
            "UPDATE cancel_requests SET status = ?2, last_error = ?3, updated_at = ?4 \
             WHERE id = ?1",
            params![request.request_id, status, error, now],
        )?;
        super::add_event(
            tx,
            request.order_id,
            now,
            "cancel",
            None,
            &json!({ "cancel_request": request.request_id, "order": request.external_id,
                     "status": status, "error": error }),
        )?;
        Ok(CancelOutcome {
            order_id: request.order_id,
            status: Some(status),
            error: status.error_code().map(|code| ErrorBody {
                code,
                message: error.unwrap_or_default(),
            }),
        })
    }

    fn refused(order_id: i64, error: ErrorBody) -> CancelOutcome {
        CancelOutcome {
            order_id,
            status: None,
            error: Some(error),
        }
    }
}

impl Engine {
    /// Asks the providers to cancel these orders (only services that accept cancels, only
    /// open orders with a provider order id), 100 per call. Accepted is not canceled: the
    /// next status refresh shows whether the provider canceled (or partly delivered).
    pub async fn cancel_orders(&self, ids: &[i64]) -> Result<Vec<CancelOutcome>> {
        let outcomes = self.send_requests::<Cancel>(ids).await?;
        self.emit(crate::events::EngineEvent::OrdersChanged { ids: ids.to_vec() });
        Ok(outcomes)
    }
}

/// A cancel request as stored: one per order and attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelRequest {
    /// Local id.
    pub id: i64,
    /// Where it stands.
    pub status: CancelStatus,
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
