//! The Orders screen's commands: the list (keyset pages, filters, counts per status), one
//! order's detail (timeline, refills, cancel requests), refresh/refill/cancel of a
//! selection, and the CSV export to a file the user picks.

use serde::{Deserialize, Serialize};
use smm_engine::orders::{
    CancelOutcome, CancelStatus, OrderCursor, RefillOutcome, RefillStatus, RefreshScope,
};
use smm_engine::{Order, OrderQuery, OrderStatus};
use tauri::State;

use super::orders::OrderView;
use super::{blocking, parse_optional_time, time};
use crate::error::IpcError;
use crate::AppState;

/// The list's filters; every one optional.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderFilter {
    /// Only these states; all when empty.
    pub status: Vec<OrderStatus>,
    /// Only this provider (by name).
    pub provider: Option<String>,
    /// Only this provider service id.
    pub service_id: Option<String>,
    /// Created at or after (RFC 3339).
    pub from: Option<String>,
    /// Created before (RFC 3339).
    pub to: Option<String>,
    /// Text the link contains.
    pub link: Option<String>,
    /// Only this customer's orders (local id).
    pub customer: Option<i32>,
    /// Also orders the weekly cleanup archived (hidden by default).
    pub include_archived: bool,
}

fn text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl OrderFilter {
    /// The engine's query for one page after `after`.
    pub fn query(&self, limit: Option<u32>, after: Option<String>) -> Result<OrderQuery, IpcError> {
        Ok(OrderQuery {
            status: self.status.clone(),
            provider: text(self.provider.clone()),
            service_id: text(self.service_id.clone()),
            from: parse_optional_time("from", self.from.as_deref())?,
            to: parse_optional_time("to", self.to.as_deref())?,
            link_contains: text(self.link.clone()),
            customer: self.customer.map(i64::from),
            include_archived: self.include_archived,
            limit,
            after,
            ..Default::default()
        })
    }
}

/// One row of the order list: the order as `OrderView` shows it, and the list's extras.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderRowView {
    /// The order.
    #[serde(flatten)]
    pub order: OrderView,
    /// The counter before delivery started.
    #[specta(type = Option<u32>)]
    pub start_count: Option<u64>,
    /// Units not delivered.
    #[specta(type = Option<u32>)]
    pub remains: Option<u64>,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// When it reached a final state (RFC 3339).
    pub finished_at: Option<String>,
    /// Last status check (RFC 3339).
    pub last_checked_at: Option<String>,
    /// The attempt this one resubmits.
    #[specta(type = Option<u32>)]
    pub parent_order_id: Option<i64>,
}

impl From<Order> for OrderRowView {
    fn from(o: Order) -> Self {
        Self {
            start_count: o.start_count,
            remains: o.remains,
            updated_at: time(o.updated_at),
            finished_at: o.finished_at.map(time),
            last_checked_at: o.last_checked_at.map(time),
            parent_order_id: o.parent_order_id,
            order: OrderView::from(o),
        }
    }
}

/// One page of orders, newest first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderPageView {
    /// The orders.
    pub orders: Vec<OrderRowView>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// A page of the order list (`after`: the previous page's `next`). Runs off the main thread:
/// a slow filter must not hold up the window.
#[tauri::command]
#[specta::specta]
pub async fn list_orders(
    state: State<'_, AppState>,
    filter: OrderFilter,
    limit: Option<u32>,
    after: Option<String>,
) -> Result<OrderPageView, IpcError> {
    if let Some(a) = &after {
        OrderCursor::decode(a)?;
    }
    let engine = state.engine()?;
    let q = filter.query(limit, after)?;
    let page = blocking(move || Ok(engine.list_orders(&q)?)).await?;
    Ok(OrderPageView {
        orders: page.orders.into_iter().map(OrderRowView::from).collect(),
        next: page.next,
    })
}

/// How many orders are in one state.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    /// The state.
    pub status: OrderStatus,
    /// Orders in it.
    #[specta(type = u32)]
    pub count: u64,
}

/// Orders per state under the filter's other criteria (its status list is ignored): the
/// numbers on the status chips. Off the main thread (a count over a million rows takes a while).
#[tauri::command]
#[specta::specta]
pub async fn order_counts(
    state: State<'_, AppState>,
    filter: OrderFilter,
) -> Result<Vec<StatusCount>, IpcError> {
    let q = filter.query(None, None)?;
    let engine = state.engine()?;
    let counts = blocking(move || Ok(engine.order_counts(&q)?)).await?;
    Ok(counts
        .into_iter()
        .map(|c| StatusCount {
            status: c.status,
            count: c.count,
        })
        .collect())
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderEventView {
    /// When (RFC 3339).
    pub at: String,
    /// What: `created`, `accepted`, `status`, `refill_requested`, `cancel`…
    pub kind: String,
    /// The order's state after it.
    pub status: Option<String>,
    /// Details as JSON text (provider answers, reasons; never a key).
    pub detail: String,
}

/// A refill request.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RefillView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// The provider's refill id.
    pub external_refill_id: Option<String>,
    /// Where it stands.
    pub status: RefillStatus,
    /// The last error.
    pub last_error: Option<String>,
    /// When requested (RFC 3339).
    pub requested_at: String,
}

/// A cancel request.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequestView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// Where it stands.
    pub status: CancelStatus,
    /// The last error.
    pub last_error: Option<String>,
    /// When requested (RFC 3339).
    pub requested_at: String,
}

/// An order with its timeline, refills and cancel requests.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetailView {
    /// The order.
    pub order: OrderRowView,
    /// Its timeline, oldest first.
    pub events: Vec<OrderEventView>,
    /// Its refill requests, oldest first.
    pub refills: Vec<RefillView>,
    /// Its cancel requests, oldest first.
    pub cancels: Vec<CancelRequestView>,
}

/// One order's detail.
#[tauri::command]
#[specta::specta]
pub async fn order_detail(
    state: State<'_, AppState>,
    id: i32,
) -> Result<OrderDetailView, IpcError> {
    let engine = state.engine()?;
    let id = i64::from(id);
    let (order, events, refills, cancels) = blocking(move || {
        Ok((
            engine.order(id)?,
            engine.order_events(id)?,
            engine.order_refills(id)?,
            engine.cancel_requests(id)?,
        ))
    })
    .await?;
    Ok(OrderDetailView {
        order: order.into(),
        events: events
            .into_iter()
            .map(|e| OrderEventView {
                at: time(e.at),
                kind: e.kind,
                status: e.status,
                detail: e.detail.to_string(),
            })
            .collect(),
        refills: refills
            .into_iter()
            .map(|r| RefillView {
                id: r.id,
                external_refill_id: r.external_refill_id,
                status: r.status,
                last_error: r.last_error,
                requested_at: time(r.requested_at),
            })
            .collect(),
        cancels: cancels
            .into_iter()
            .map(|c| CancelRequestView {
                id: c.id,
                status: c.status,
                last_error: c.last_error,
                requested_at: time(c.requested_at),
            })
            .collect(),
    })
}

/// What a refresh of a selection did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RefreshView {
    /// Orders the provider answered for.
    #[specta(type = u32)]
    pub checked: u64,
    /// Orders that changed.
    #[specta(type = u32)]
    pub changed: u64,
    /// Orders skipped (not open, or without a provider order id).
    #[specta(type = u32)]
    pub skipped: usize,
    /// Error codes of providers whose calls failed.
    pub errors: Vec<String>,
}

/// Asks the providers for these orders' statuses now (100 per call).
#[tauri::command]
#[specta::specta]
pub async fn refresh_orders(
    state: State<'_, AppState>,
    ids: Vec<i32>,
) -> Result<RefreshView, IpcError> {
    let ids = ids.into_iter().map(i64::from).collect();
    let r = state
        .engine()?
        .refresh_orders(RefreshScope::Orders(ids))
        .await?;
    Ok(RefreshView {
        checked: r.checked,
        changed: r.changed,
        skipped: r.skipped.len(),
        errors: r
            .errors
            .into_iter()
            .map(|e| e.error.code.to_string())
            .collect(),
    })
}

/// The state of a refill or of a cancel request, sent as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(untagged)]
pub enum RequestStatus {
    /// A refill's.
    Refill(RefillStatus),
    /// A cancel request's.
    Cancel(CancelStatus),
}

/// What a refill or cancel request did for one order.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionOutcomeView {
    /// The order.
    #[specta(type = u32)]
    pub order_id: i64,
    /// The request's state, when one was journaled.
    pub status: Option<RequestStatus>,
    /// The error code when it was refused.
    pub error_code: Option<String>,
}

impl From<RefillOutcome> for ActionOutcomeView {
    fn from(o: RefillOutcome) -> Self {
        Self {
            order_id: o.order_id,
            status: o.refill.map(|r| RequestStatus::Refill(r.status)),
            error_code: o.error.map(|e| e.code.to_string()),
        }
    }
}

impl From<CancelOutcome> for ActionOutcomeView {
    fn from(o: CancelOutcome) -> Self {
        Self {
            order_id: o.order_id,
            status: o.status.map(RequestStatus::Cancel),
            error_code: o.error.map(|e| e.code.to_string()),
        }
    }
}

/// Asks for refills of these orders (journaled first, never resent blindly).
#[tauri::command]
#[specta::specta]
pub async fn refill_orders(
    state: State<'_, AppState>,
    ids: Vec<i32>,
) -> Result<Vec<ActionOutcomeView>, IpcError> {
    let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
    let out = state.engine()?.request_refill(&ids).await?;
    Ok(out.into_iter().map(ActionOutcomeView::from).collect())
}

/// Asks the providers to cancel these orders.
#[tauri::command]
#[specta::specta]
pub async fn cancel_orders(
    state: State<'_, AppState>,
    ids: Vec<i32>,
) -> Result<Vec<ActionOutcomeView>, IpcError> {
    let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
    let out = state.engine()?.cancel_orders(&ids).await?;
    Ok(out.into_iter().map(ActionOutcomeView::from).collect())
}

/// Where the export went.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportView {
    /// The file written.
    pub path: String,
    /// Orders written.
    #[specta(type = u32)]
    pub rows: u64,
}

/// Exports every order matching the filter as CSV to a file the user picks in a save
/// dialog; `null` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_orders_csv(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: OrderFilter,
) -> Result<Option<ExportView>, IpcError> {
    let engine = state.engine()?;
    let q = filter.query(None, None)?;
    let Some(path) = crate::dialogs::save_file(&app, "orders.csv", "CSV", &["csv"]).await else {
        return Ok(None);
    };
    let rows = blocking({
        let path = path.clone();
        move || -> Result<u64, IpcError> {
            let file = std::fs::File::create(&path)
                .map_err(|e| IpcError::new("io.failed", format!("creating the CSV file: {e}")))?;
            let mut out = std::io::BufWriter::new(file);
            Ok(engine.export_orders_csv(&q, &mut out)?)
        }
    })
    .await?;
    tracing::info!(rows, path = %path.display(), "orders exported");
    Ok(Some(ExportView {
        path: path.display().to_string(),
        rows,
    }))
}
