//! Order commands: quote, place, refresh one order, and mass orders (check, place with
//! progress over a channel).

use serde::Serialize;
use smm_engine::orders::{
    LineError, MassLineResult, MassOrder, MassOrderPreview, MassOrderReport, MassProgress,
    Resolution,
};
use smm_engine::{NewOrder, Order, OrderStatus};
use tauri::ipc::Channel;
use tauri::State;

use super::{blocking, money, parse_money, time};
use crate::error::IpcError;
use crate::AppState;

/// The live cost estimate of the form.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteView {
    /// Units per run (or entries for list types).
    #[specta(type = Option<u32>)]
    pub quantity: Option<u64>,
    /// Drip-feed runs.
    #[specta(type = Option<u32>)]
    pub runs: Option<u64>,
    /// Estimated cost, all runs included (a decimal string).
    pub estimated_cost: String,
    /// The provider's account currency.
    pub currency: Option<String>,
    /// The provider's last known balance.
    pub balance: Option<String>,
    /// The estimate exceeds the last known balance.
    pub exceeds_balance: bool,
    /// The customer, as stored (`null`: no customer).
    pub customer: Option<String>,
    /// The customer is not known yet: placing adds them.
    pub new_customer: bool,
    /// What the customer pays: the price given, else the price list's (a decimal string).
    pub sale_price: Option<String>,
    /// The sale price comes from the price list (not given with the order).
    pub sale_from_price_list: bool,
    /// `salePrice − estimatedCost`.
    pub profit: Option<String>,
    /// `profit ÷ salePrice` in percent (2 places); `null` without a sale or for a free one.
    pub margin_percent: Option<String>,
    /// The sale price is below the estimated cost: allowed, shown before placing.
    pub below_cost: bool,
}

/// What an order earned: billed, the provider's real charge, and the difference.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SettlementView {
    /// What the customer is billed (a decimal string).
    pub billed: String,
    /// What the provider charged (or is estimated to charge).
    pub cost: String,
    /// `billed − cost`; negative for a loss.
    pub profit: String,
}

/// An order as the result screen shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    /// Local id.
    #[specta(type = u32)]
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// The service name when ordered.
    pub service_name: String,
    /// The service type when ordered.
    pub service_type: String,
    /// Target link.
    pub link: Option<String>,
    /// Units.
    #[specta(type = Option<u32>)]
    pub quantity: Option<u64>,
    /// Estimated cost (a decimal string).
    pub estimated_cost: String,
    /// What the provider charged.
    pub charge: Option<String>,
    /// The account currency.
    pub currency: Option<String>,
    /// Where the order stands.
    pub status: OrderStatus,
    /// The provider's status text.
    pub raw_status: Option<String>,
    /// The typed reason when rejected (`insufficient_funds`, `bad_link`…).
    pub reject_reason: Option<String>,
    /// The provider's order id.
    pub external_id: Option<String>,
    /// The last error.
    pub last_error: Option<String>,
    /// When journaled (RFC 3339).
    pub created_at: String,
    /// The customer's local id, when the order was for one.
    #[specta(type = Option<u32>)]
    pub customer_id: Option<i64>,
    /// The customer's name.
    pub customer: Option<String>,
    /// What the customer pays (a decimal string); `null` when not sold.
    pub sale_price: Option<String>,
    /// Billed, real cost and profit, once the order has a settled outcome.
    pub settlement: Option<SettlementView>,
}

impl From<Order> for OrderView {
    fn from(o: Order) -> Self {
        Self {
            id: o.id,
            provider: o.provider,
            service_id: o.service_id,
            service_name: o.service_name,
            service_type: o.service_type,
            link: o.link,
            quantity: o.quantity,
            estimated_cost: money(o.estimated_cost),
            charge: o.charge.map(money),
            currency: o.currency,
            status: o.status,
            raw_status: o.raw_status,
            reject_reason: o.reject_reason,
            external_id: o.external_id,
            last_error: o.last_error,
            created_at: time(o.created_at),
            customer_id: o.customer_id,
            customer: o.customer,
            sale_price: o.sale_price.map(money),
            settlement: o.settlement.map(|s| SettlementView {
                billed: money(s.billed),
                cost: money(s.cost),
                profit: money(s.profit),
            }),
        }
    }
}

/// One line's problem in a mass order.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LineErrorView {
    /// 1-based line number.
    #[specta(type = u32)]
    pub line: usize,
    /// The stable code (`order.link_invalid`, `mass_order.line_format`…).
    pub code: String,
}

impl From<LineError> for LineErrorView {
    fn from(e: LineError) -> Self {
        Self {
            line: e.line,
            code: e.code.into(),
        }
    }
}

/// A valid mass-order line with its cost.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MassLineView {
    /// 1-based line number.
    #[specta(type = u32)]
    pub line: usize,
    /// The provider's service id.
    pub service_id: String,
    /// The service name.
    pub service_name: String,
    /// Target link.
    pub link: String,
    /// Quantity.
    #[specta(type = u32)]
    pub quantity: u64,
    /// Estimated cost (a decimal string).
    pub estimated_cost: String,
    /// What the customer pays: the line's, the batch's, else the price list's.
    pub sale_price: Option<String>,
    /// The customer: the line's, else the batch's.
    pub customer: Option<String>,
}

/// What a mass order would do.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MassPreviewView {
    /// Valid lines.
    pub lines: Vec<MassLineView>,
    /// Invalid lines.
    pub errors: Vec<LineErrorView>,
    /// The estimated total of the valid lines (a decimal string).
    pub total_cost: String,
    /// The sale total of the valid lines that have a sale price.
    pub total_sale: Option<String>,
    /// Lines sold below their estimated cost (allowed; shown before placing).
    #[specta(type = Vec<u32>)]
    pub below_cost: Vec<usize>,
    /// The account currency.
    pub currency: Option<String>,
    /// The last known balance.
    pub balance: Option<String>,
    /// The total exceeds the last known balance.
    pub exceeds_balance: bool,
}

impl From<MassOrderPreview> for MassPreviewView {
    fn from(p: MassOrderPreview) -> Self {
        Self {
            lines: p
                .lines
                .into_iter()
                .map(|l| MassLineView {
                    line: l.line.line,
                    service_id: l.line.service_id,
                    service_name: l.service_name,
                    link: l.line.link,
                    quantity: l.line.quantity,
                    estimated_cost: money(l.estimated_cost),
                    sale_price: l.sale_price.map(money),
                    customer: l.customer,
                })
                .collect(),
            errors: p.errors.into_iter().map(LineErrorView::from).collect(),
            total_cost: money(p.total_cost),
            total_sale: p.total_sale.map(money),
            below_cost: p.below_cost,
            currency: p.currency,
            balance: p.balance.map(money),
            exceeds_balance: p.exceeds_balance,
        }
    }
}

/// One placed (or failed) mass-order line.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MassResultView {
    /// 1-based line number.
    #[specta(type = u32)]
    pub line: usize,
    /// The order, when one was journaled.
    pub order: Option<OrderView>,
    /// The error code when the line failed before an order existed.
    pub error_code: Option<String>,
    /// Whether this run sent the line (false: an earlier run placed it; nothing new sent).
    pub sent: bool,
}

impl From<MassLineResult> for MassResultView {
    fn from(r: MassLineResult) -> Self {
        Self {
            line: r.line,
            order: r.order.map(OrderView::from),
            error_code: r.error.map(|e| e.code.to_string()),
            sent: r.sent,
        }
    }
}

/// Progress after each line.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MassProgressView {
    /// Lines finished.
    #[specta(type = u32)]
    pub done: usize,
    /// Lines to place.
    #[specta(type = u32)]
    pub total: usize,
    /// The line just finished.
    pub result: MassResultView,
}

impl From<&MassProgress> for MassProgressView {
    fn from(p: &MassProgress) -> Self {
        Self {
            done: p.done,
            total: p.total,
            result: p.result.clone().into(),
        }
    }
}

/// What a mass order did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MassReportView {
    /// Per line, in line order.
    pub results: Vec<MassResultView>,
    /// Invalid lines that were skipped.
    pub skipped: Vec<LineErrorView>,
    /// Lines the provider accepted.
    #[specta(type = u32)]
    pub accepted: usize,
    /// Lines refused or failed before sending.
    #[specta(type = u32)]
    pub failed: usize,
    /// Lines whose outcome is unknown.
    #[specta(type = u32)]
    pub unknown: usize,
    /// Lines an earlier run of the same batch placed: nothing new was sent for them.
    #[specta(type = u32)]
    pub already_placed: usize,
}

impl From<MassOrderReport> for MassReportView {
    fn from(r: MassOrderReport) -> Self {
        Self {
            results: r.results.into_iter().map(MassResultView::from).collect(),
            skipped: r.skipped.into_iter().map(LineErrorView::from).collect(),
            accepted: r.accepted,
            failed: r.failed,
            unknown: r.unknown,
            already_placed: r.already_placed,
        }
    }
}

/// Checks an order and estimates its cost; writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn quote_order(
    state: State<'_, AppState>,
    order: NewOrder,
) -> Result<QuoteView, IpcError> {
    let engine = state.engine()?;
    // `OrderQuote` is not re-exported by the engine, so its fields are read here.
    let q = blocking(move || Ok(engine.quote_order(&order)?)).await?;
    Ok(QuoteView {
        quantity: q.quantity,
        runs: q.runs,
        estimated_cost: money(q.estimated_cost),
        currency: q.currency,
        balance: q.balance.map(money),
        exceeds_balance: q.exceeds_balance,
        customer: q.customer,
        new_customer: q.new_customer,
        sale_price: q.sale_price.map(money),
        sale_from_price_list: q.sale_from_price_list,
        profit: q.profit.map(money),
        margin_percent: q
            .sale_price
            .and_then(|sale| smm_engine::pricing::margin_percent(q.estimated_cost, sale))
            .map(money),
        below_cost: q.below_cost,
    })
}

/// Places one order; the same idempotency key always returns the same order.
#[tauri::command]
#[specta::specta]
pub async fn place_order(
    state: State<'_, AppState>,
    order: NewOrder,
) -> Result<OrderView, IpcError> {
    Ok(state.engine()?.place_order(order).await?.into())
}

/// Asks the provider for one order's status and returns the order.
#[tauri::command]
#[specta::specta]
pub async fn refresh_order(state: State<'_, AppState>, id: i32) -> Result<OrderView, IpcError> {
    Ok(state.engine()?.refresh_order(id.into()).await?.into())
}

/// The batch's sale terms from the form: a blank customer or price is none.
fn batch_terms(
    customer: Option<String>,
    sale_price: Option<String>,
) -> Result<(Option<String>, Option<rust_decimal::Decimal>), IpcError> {
    let customer = customer.filter(|c| !c.trim().is_empty());
    let sale_price = sale_price
        .filter(|p| !p.trim().is_empty())
        .map(|p| parse_money("salePrice", &p))
        .transpose()?;
    Ok((customer, sale_price))
}

/// Checks every line of a mass order against the catalog, with the batch's customer and sale
/// price for the lines that give none; writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn check_mass_order(
    state: State<'_, AppState>,
    provider: String,
    text: String,
    customer: Option<String>,
    sale_price: Option<String>,
) -> Result<MassPreviewView, IpcError> {
    let (customer, sale_price) = batch_terms(customer, sale_price)?;
    let engine = state.engine()?;
    let preview = blocking(move || {
        Ok(engine.check_mass_order_sold(&provider, &text, customer.as_deref(), sale_price)?)
    })
    .await?;
    Ok(preview.into())
}

/// Places the valid lines of a mass order, reporting each line on `progress`.
#[tauri::command]
#[specta::specta]
pub async fn place_mass_order(
    state: State<'_, AppState>,
    provider: String,
    text: String,
    batch_key: String,
    customer: Option<String>,
    sale_price: Option<String>,
    progress: Channel<MassProgressView>,
) -> Result<MassReportView, IpcError> {
    let (customer, sale_price) = batch_terms(customer, sale_price)?;
    let order = MassOrder {
        provider,
        text,
        customer,
        sale_price,
        batch_key: Some(batch_key),
        valid_only: true,
        force: false,
    };
    let report = state
        .engine()?
        .place_mass_order(order, &move |p: &MassProgress| {
            // A closed window cannot take progress; the report still comes back.
            let _ = progress.send(MassProgressView::from(p));
        })
        .await?;
    Ok(report.into())
}

/// What helps decide whether an `unknown` order was placed.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResolveHelpView {
    /// The balance when the order was journaled (a decimal string).
    pub balance_before: Option<String>,
    /// The balance now, when the provider answered.
    pub balance_now: Option<String>,
    /// Why the balance could not be fetched (an error code).
    pub balance_error: Option<String>,
    /// `balance_now - balance_before`.
    pub balance_change: Option<String>,
    /// What the order should have cost.
    pub expected_charge: String,
    /// Orders at this provider journaled after this one (they move the balance too).
    #[specta(type = u32)]
    pub later_orders: u64,
    /// Their estimated cost.
    pub later_orders_cost: String,
    /// Other local orders at this provider on the same link.
    pub same_link_orders: Vec<OrderView>,
    /// The account currency.
    pub currency: Option<String>,
}

/// Gathers what helps resolve an `unknown` order (asks the provider for the balance now).
#[tauri::command]
#[specta::specta]
pub async fn resolve_help(
    state: State<'_, AppState>,
    id: i32,
) -> Result<ResolveHelpView, IpcError> {
    let h = state.engine()?.resolve_help(id.into()).await?;
    Ok(ResolveHelpView {
        balance_before: h.balance_before.map(money),
        balance_now: h.balance_now.map(money),
        balance_error: h.balance_error.map(|e| e.code.to_string()),
        balance_change: h.balance_change.map(money),
        expected_charge: money(h.expected_charge),
        later_orders: h.later_orders,
        later_orders_cost: money(h.later_orders_cost),
        same_link_orders: h
            .same_link_orders
            .into_iter()
            .map(OrderView::from)
            .collect(),
        currency: h.order.currency,
    })
}

/// Resolves an `unknown` order: found at the provider under `external_id`, or (null) not
/// placed.
#[tauri::command]
#[specta::specta]
pub async fn resolve_order(
    state: State<'_, AppState>,
    id: i32,
    external_id: Option<String>,
) -> Result<OrderView, IpcError> {
    let resolution = match external_id {
        Some(ext) => Resolution::ExternalId(ext),
        None => Resolution::NotPlaced,
    };
    Ok(state
        .engine()?
        .resolve_order(id.into(), resolution)
        .await?
        .into())
}

/// Submits again an order that was certainly not placed, as a new linked attempt.
#[tauri::command]
#[specta::specta]
pub async fn resubmit_order(state: State<'_, AppState>, id: i32) -> Result<OrderView, IpcError> {
    Ok(state
        .engine()?
        .resubmit_order(id.into(), false)
        .await?
        .into())
}
