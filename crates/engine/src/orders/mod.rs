//! Orders end to end: safe placement (architecture.md §3), resolving `unknown` orders,
//! status tracking, refills, cancels, the order list with CSV export, and mass orders.
//!
//! Placement journals first: the order row is committed in state `submitting` with its
//! idempotency key before the `add` request starts. The answer then moves it to `pending`
//! (accepted), `rejected` (the provider said no), `not_sent` (the request provably never left)
//! or `unknown` (it may have been placed; never resent automatically). On open, every order
//! still `submitting` becomes `unknown` (a crash mid-request).

mod cancel;
mod list;
mod mass;
mod place;
mod refill;
mod request;
mod resolve;
mod sale;
mod track;
mod validate;

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smm_panel::OrderFields;

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

pub use crate::error::{LineError, OrderError};
pub use cancel::{CancelOutcome, CancelRequest, CancelStatus};
pub use list::{OrderCursor, OrderPage, OrderQuery, StatusCount};
pub use mass::{
    parse_mass_order, MassLine, MassLineResult, MassOrder, MassOrderPreview, MassOrderReport,
    MassProgress, MAX_MASS_ORDER_LINES,
};
pub(crate) use place::{check_key, check_sale_price, generate_key, RouteStep};
pub use place::{OrderQuote, Placement, MAX_LIST_ENTRIES, MAX_ORDER_BYTES};
pub use refill::{Refill, RefillOutcome, RefillStatus};
pub use resolve::{Resolution, ResolveHelp};
pub(crate) use sale::units_of;
pub use sale::{settle, SaleFacts, Settlement, BILLED_DP};
pub use track::{RefreshReport, RefreshScope};
pub(crate) use validate::{check as check_order, service_row as service_row_of};

/// Where an order stands, locally. Stored as its snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Journaled; the `add` request is being sent.
    Submitting,
    /// The `add` request may have reached the provider; resolve it by hand.
    Unknown,
    /// The `add` request provably never left (after the automatic retries); safe to resubmit.
    NotSent,
    /// The provider refused the order; nothing was charged.
    Rejected,
    /// Resolved by the user: an `unknown` order that was not placed.
    NotPlaced,
    /// Accepted by the provider, not started.
    Pending,
    /// Being prepared by the provider.
    Processing,
    /// Delivery under way.
    InProgress,
    /// A running subscription.
    Active,
    /// Fully delivered.
    Completed,
    /// Partly delivered, the rest refunded.
    Partial,
    /// Canceled and refunded.
    Canceled,
    /// Refunded.
    Refunded,
}

impl OrderStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [OrderStatus; 13] = [
        OrderStatus::Submitting,
        OrderStatus::Unknown,
        OrderStatus::NotSent,
        OrderStatus::Rejected,
        OrderStatus::NotPlaced,
        OrderStatus::Pending,
        OrderStatus::Processing,
        OrderStatus::InProgress,
        OrderStatus::Active,
        OrderStatus::Completed,
        OrderStatus::Partial,
        OrderStatus::Canceled,
        OrderStatus::Refunded,
    ];

    /// The stored name (`in_progress`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Submitting => "submitting",
            OrderStatus::Unknown => "unknown",
            OrderStatus::NotSent => "not_sent",
            OrderStatus::Rejected => "rejected",
            OrderStatus::NotPlaced => "not_placed",
            OrderStatus::Pending => "pending",
            OrderStatus::Processing => "processing",
            OrderStatus::InProgress => "in_progress",
            OrderStatus::Active => "active",
            OrderStatus::Completed => "completed",
            OrderStatus::Partial => "partial",
            OrderStatus::Canceled => "canceled",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// Placed at the provider and not finished: status polling applies.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderStatus::Pending
                | OrderStatus::Processing
                | OrderStatus::InProgress
                | OrderStatus::Active
        )
    }

    /// Finished at the provider: completed, partial, canceled or refunded.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            OrderStatus::Completed
                | OrderStatus::Partial
                | OrderStatus::Canceled
                | OrderStatus::Refunded
        )
    }

    /// Certainly not placed: safe to submit again.
    pub fn is_not_placed(self) -> bool {
        matches!(
            self,
            OrderStatus::NotSent | OrderStatus::Rejected | OrderStatus::NotPlaced
        )
    }

    /// The local status for a provider status; `None` for a status text we do not know
    /// (the raw text is kept, the known state is not overwritten with a guess).
    pub fn from_provider(status: &smm_panel::OrderStatus) -> Option<OrderStatus> {
        use smm_panel::OrderStatus as P;
        Some(match status {
            P::Pending => OrderStatus::Pending,
            P::Processing => OrderStatus::Processing,
            P::InProgress => OrderStatus::InProgress,
            P::Completed => OrderStatus::Completed,
            P::Partial => OrderStatus::Partial,
            P::Canceled => OrderStatus::Canceled,
            P::Refunded => OrderStatus::Refunded,
            P::Active => OrderStatus::Active,
            P::Unknown(_) => return None,
        })
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == t)
            .ok_or_else(|| {
                EngineError::input(
                    "status",
                    format!(
                        "\"{s}\" is not an order status ({})",
                        OrderStatus::ALL.map(|s| s.as_str()).join(", ")
                    ),
                )
            })
    }
}

/// What a new order needs: where, the type's fields ([`OrderFields`], the order definition),
/// and how to place it. Read in camelCase over IPC, fields flattened.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct NewOrder {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id (as synced in the catalog).
    pub service_id: String,
    /// The fields of the service's type (link, quantity, comments…).
    #[serde(flatten)]
    pub fields: OrderFields,
    /// The same key always returns the same order (generated when not given).
    pub idempotency_key: Option<String>,
    /// Place even when the estimated cost exceeds the last known balance.
    pub force: bool,
    /// The customer the order is for, by name (added to the customers when new); none is
    /// ever required.
    pub customer: Option<String>,
    /// What the customer pays for this order, in the provider's currency; when not given,
    /// the price list's price for the quantity (none when no rule applies). Below the cost is
    /// allowed: [`Engine::quote_order`] says so before placing.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub sale_price: Option<Decimal>,
}

impl NewOrder {
    /// A link-and-quantity order (the Default type).
    pub fn new(
        provider: impl Into<String>,
        service_id: impl Into<String>,
        link: impl Into<String>,
        quantity: u64,
    ) -> Self {
        NewOrder {
            provider: provider.into(),
            service_id: service_id.into(),
            fields: OrderFields {
                link: Some(link.into()),
                quantity: Some(quantity),
                ..OrderFields::default()
            },
            ..NewOrder::default()
        }
    }
}

/// An order as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    /// Local id.
    pub id: i64,
    /// The idempotency key: the same key always means this order.
    pub idempotency_key: String,
    /// The provider's local id.
    pub provider_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The catalog row, when known.
    pub service_ref: Option<i64>,
    /// Snapshot: the provider's service id.
    pub service_id: String,
    /// Snapshot: the service name when ordered.
    pub service_name: String,
    /// Snapshot: the service type when ordered.
    pub service_type: String,
    /// Snapshot: the rate per 1000 when ordered.
    pub service_rate: Decimal,
    /// Target link.
    pub link: Option<String>,
    /// Units (per run when drip-fed).
    pub quantity: Option<u64>,
    /// The type-specific fields as sent (comments, usernames, runs, interval…).
    pub params: serde_json::Value,
    /// Estimated cost (drip-feed: all runs).
    pub estimated_cost: Decimal,
    /// What the provider charged, from status polling.
    pub charge: Option<Decimal>,
    /// The provider's account currency.
    pub currency: Option<String>,
    /// The customer's local id, when the order was for one.
    pub customer_id: Option<i64>,
    /// The customer's name.
    pub customer: Option<String>,
    /// What the customer pays for the order; `None` when it was not sold.
    pub sale_price: Option<Decimal>,
    /// Billed, real cost and profit, once the order has a settled outcome ([`settle`]).
    pub settlement: Option<Settlement>,
    /// The counter before delivery started.
    pub start_count: Option<u64>,
    /// Units not delivered.
    pub remains: Option<u64>,
    /// Where the order stands.
    pub status: OrderStatus,
    /// The provider's status text, verbatim.
    pub raw_status: Option<String>,
    /// The typed reason when rejected (`insufficient_funds`, `bad_link`…).
    pub reject_reason: Option<String>,
    /// The provider's order id.
    pub external_id: Option<String>,
    /// The last error (never contains the key).
    pub last_error: Option<String>,
    /// The attempt this one resubmits.
    pub parent_order_id: Option<i64>,
    /// The provider's last known balance when the order was journaled.
    pub balance_before: Option<Decimal>,
    /// When that balance was fetched.
    pub balance_before_at: Option<Timestamp>,
    /// When journaled.
    pub created_at: Timestamp,
    /// When the provider accepted it.
    pub submitted_at: Option<Timestamp>,
    /// Last change.
    pub updated_at: Timestamp,
    /// When it reached a final state.
    pub finished_at: Option<Timestamp>,
    /// Last status check.
    pub last_checked_at: Option<Timestamp>,
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderEvent {
    /// Event id (increasing).
    pub id: i64,
    /// The order.
    pub order_id: i64,
    /// When.
    pub at: Timestamp,
    /// What: `created`, `accepted`, `rejected`, `not_sent`, `unknown`, `recovered`, `resolved`,
    /// `status`, `status_error`, `refill_requested`, `refill`, `refill_status`,
    /// `cancel_requested`, `cancel`…
    pub kind: String,
    /// The order status after the event.
    pub status: Option<String>,
    /// Details (provider answers, reasons, amounts as strings).
    pub detail: serde_json::Value,
}

/// The `SELECT` list matching [`order_from_row`].
pub(crate) const ORDER_COLUMNS: &str = "o.id, o.idempotency_key, o.provider_id, p.name, \
     o.service_ref, o.service_id, o.service_name, o.service_type, o.service_rate, o.link, \
     o.quantity, o.params, o.estimated_cost, o.charge, o.currency, o.start_count, o.remains, \
     o.status, o.raw_status, o.reject_reason, o.external_id, o.last_error, o.parent_order_id, \
     o.journal_balance, o.journal_balance_at, o.created_at, o.submitted_at, o.updated_at, \
     o.finished_at, o.last_checked_at, o.customer_id, cu.name, o.sale_price";

/// `FROM` clause matching [`ORDER_COLUMNS`].
pub(crate) const ORDER_FROM: &str = "orders o JOIN providers p ON p.id = o.provider_id \
     LEFT JOIN customers cu ON cu.id = o.customer_id";

fn conv_err(i: usize, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
}

fn money_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Decimal> {
    let text: String = r.get(i)?;
    money::from_text(&text).map_err(|e| conv_err(i, e))
}

fn opt_money_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Decimal>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| money::from_text(&t).map_err(|e| conv_err(i, e)))
        .transpose()
}

fn opt_u64(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<u64>> {
    Ok(r.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
}

fn opt_time(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Timestamp>> {
    Ok(r.get::<_, Option<i64>>(i)?.map(from_millis))
}

/// Reads one row selected with [`ORDER_COLUMNS`].
pub(crate) fn order_from_row(r: &Row<'_>) -> rusqlite::Result<Order> {
    let status: String = r.get(17)?;
    let status = OrderStatus::from_str(&status).map_err(|e| conv_err(17, e.to_string()))?;
    let params: String = r.get(11)?;
    let params: serde_json::Value = serde_json::from_str(&params).map_err(|e| conv_err(11, e))?;
    let (quantity, remains) = (opt_u64(r, 10)?, opt_u64(r, 16)?);
    let (estimated_cost, charge) = (money_at(r, 12)?, opt_money_at(r, 13)?);
    let sale_price = opt_money_at(r, 32)?;
    let settlement = settle(&SaleFacts {
        status,
        sale_price,
        estimated_cost,
        charge,
        units: units_of(quantity, &params),
        remains,
    });
    Ok(Order {
        id: r.get(0)?,
        idempotency_key: r.get(1)?,
        provider_id: r.get(2)?,
        provider: r.get(3)?,
        service_ref: r.get(4)?,
        service_id: r.get(5)?,
        service_name: r.get(6)?,
        service_type: r.get(7)?,
        service_rate: money_at(r, 8)?,
        link: r.get(9)?,
        quantity,
        params,
        estimated_cost,
        charge,
        currency: r.get(14)?,
        customer_id: r.get(30)?,
        customer: r.get(31)?,
        sale_price,
        settlement,
        start_count: opt_u64(r, 15)?,
        remains,
        status,
        raw_status: r.get(18)?,
        reject_reason: r.get(19)?,
        external_id: r.get(20)?,
        last_error: r.get(21)?,
        parent_order_id: r.get(22)?,
        balance_before: opt_money_at(r, 23)?,
        balance_before_at: opt_time(r, 24)?,
        created_at: from_millis(r.get(25)?),
        submitted_at: opt_time(r, 26)?,
        updated_at: from_millis(r.get(27)?),
        finished_at: opt_time(r, 28)?,
        last_checked_at: opt_time(r, 29)?,
    })
}

/// One order by local id.
pub(crate) fn order_by_id(conn: &Connection, id: i64) -> Result<Order> {
    conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.id = ?1"
    ))?
    .query_row([id], order_from_row)
    .optional()?
    .ok_or_else(|| OrderError::NotFound(id).into())
}

/// One order by idempotency key.
pub(crate) fn order_by_key(conn: &Connection, key: &str) -> Result<Option<Order>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.idempotency_key = ?1"
        ))?
        .query_row([key], order_from_row)
        .optional()?)
}

/// Appends one event to an order's timeline.
pub(crate) fn add_event(
    conn: &Connection,
    order_id: i64,
    at: i64,
    kind: &str,
    status: Option<OrderStatus>,
    detail: &serde_json::Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_events (order_id, at, kind, status, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        order_id,
        at,
        kind,
        status.map(OrderStatus::as_str),
        detail.to_string()
    ])?;
    Ok(())
}

/// Crash recovery: every order still `submitting` becomes `unknown` (the request may have
/// left), and every refill or cancel still `requesting` becomes `unknown`. Returns the number
/// of orders changed.
pub(crate) fn recover_interrupted(conn: &Connection, now: i64) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM orders WHERE status = 'submitting' ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        conn.execute(
            "UPDATE orders SET status = 'unknown', updated_at = ?1, \
             last_error = 'interrupted while the order was being sent; it may have been placed' \
             WHERE id = ?2",
            params![now, id],
        )?;
        add_event(
            conn,
            *id,
            now,
            "recovered",
            Some(OrderStatus::Unknown),
            &serde_json::json!({ "reason": "the app stopped while the order was being sent" }),
        )?;
    }
    conn.execute(
        "UPDATE refills SET status = 'unknown', updated_at = ?1, \
         last_error = 'interrupted while the refill request was being sent' \
         WHERE status = 'requesting'",
        [now],
    )?;
    conn.execute(
        "UPDATE cancel_requests SET status = 'unknown', updated_at = ?1, \
         last_error = 'interrupted while the cancel request was being sent' \
         WHERE status = 'requesting'",
        [now],
    )?;
    if !ids.is_empty() {
        tracing::warn!(
            orders = ids.len(),
            "orders interrupted mid-send are now unknown"
        );
    }
    Ok(ids.len())
}

impl Engine {
    /// One order by local id.
    pub fn order(&self, id: i64) -> Result<Order> {
        self.store().read(|c| order_by_id(c, id))
    }

    /// The order with this idempotency key, if any.
    pub fn order_by_idempotency_key(&self, key: &str) -> Result<Option<Order>> {
        self.store().read(|c| order_by_key(c, key))
    }

    /// An order's timeline, oldest first.
    pub fn order_events(&self, id: i64) -> Result<Vec<OrderEvent>> {
        self.store().read(|c| {
            order_by_id(c, id)?;
            let mut stmt = c.prepare_cached(
                "SELECT id, order_id, at, kind, status, detail FROM order_events \
                 WHERE order_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([id], |r| {
                let detail: String = r.get(5)?;
                Ok(OrderEvent {
                    id: r.get(0)?,
                    order_id: r.get(1)?,
                    at: from_millis(r.get(2)?),
                    kind: r.get(3)?,
                    status: r.get(4)?,
                    detail: serde_json::from_str(&detail).map_err(|e| conv_err(5, e))?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Runs crash recovery now (it also runs when an engine opens while no other program has
    /// the data folder open); see [`OrderStatus::Unknown`]. Only call it when no other program
    /// can be sending orders from this database.
    pub fn recover_interrupted_orders(&self) -> Result<usize> {
        let now = self.now_ms();
        self.store().write(|tx| recover_interrupted(tx, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_classify() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_str(s.as_str()).unwrap(), s);
            let classes = [s.is_open(), s.is_terminal(), s.is_not_placed()];
            assert!(classes.iter().filter(|c| **c).count() <= 1, "{s}");
        }
        assert_eq!(
            OrderStatus::from_str("In-Progress").unwrap(),
            OrderStatus::InProgress
        );
        assert!(OrderStatus::from_str("done").is_err());
        assert_eq!(
            OrderStatus::from_provider(&smm_panel::OrderStatus::Unknown("Paused".into())),
            None
        );
    }
}
