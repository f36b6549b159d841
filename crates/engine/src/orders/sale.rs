//! What an order earned: the sale billed to the customer, the provider's real cost, and the
//! profit between them, from the order's state (issue #15).
//!
//! - Open or completed: the whole sale price is billed; the cost is the provider's charge
//!   (the estimate until the provider reports one).
//! - Partial: the customer is billed for what was delivered, `sale × delivered ÷ ordered`
//!   (rounded to [`BILLED_DP`] places), and the cost is the provider's charge after its refund.
//! - Canceled or refunded: nothing is billed; the cost is what the provider still charged
//!   (normally 0).
//! - Never placed (rejected, not sent, not placed) and not yet known (submitting, unknown):
//!   no settlement; such orders count in no revenue, cost or profit.
//!
//! An order without a sale price was not sold: no settlement either.

use rust_decimal::Decimal;
use serde::Serialize;

use super::OrderStatus;

/// Decimal places of a partial order's billed amount.
pub const BILLED_DP: u32 = 5;

/// An order's money, settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// What the customer is billed.
    pub billed: Decimal,
    /// What the provider charged (or is estimated to charge).
    pub cost: Decimal,
    /// `billed − cost`; negative for a loss.
    pub profit: Decimal,
}

/// What [`settle`] reads of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleFacts {
    /// Where the order stands.
    pub status: OrderStatus,
    /// The sale price, when the order was sold.
    pub sale_price: Option<Decimal>,
    /// The estimated cost, all runs included.
    pub estimated_cost: Decimal,
    /// The provider's charge, when reported.
    pub charge: Option<Decimal>,
    /// Units ordered in all (per run × runs), when the type has a quantity.
    pub units: Option<u64>,
    /// Units not delivered, as the provider reported.
    pub remains: Option<u64>,
}

/// Settles one order; `None` when it was not sold or has no settled outcome (see the module).
pub fn settle(f: &SaleFacts) -> Option<Settlement> {
    let sale = f.sale_price?;
    let (billed, cost) = match f.status {
        s if s.is_open() || s == OrderStatus::Completed => {
            (sale, f.charge.unwrap_or(f.estimated_cost))
        }
        OrderStatus::Partial => {
            let billed = match (f.units, f.remains) {
                (Some(units), Some(remains)) if units > 0 => {
                    let delivered = units.saturating_sub(remains);
                    (sale * Decimal::from(delivered) / Decimal::from(units)).round_dp(BILLED_DP)
                }
                _ => sale,
            };
            (billed, f.charge.unwrap_or(f.estimated_cost))
        }
        OrderStatus::Canceled | OrderStatus::Refunded => {
            (Decimal::ZERO, f.charge.unwrap_or(Decimal::ZERO))
        }
        _ => return None,
    };
    Some(Settlement {
        billed: billed.normalize(),
        cost: cost.normalize(),
        profit: (billed - cost).normalize(),
    })
}

/// Units ordered in all: per run × drip-feed runs (`runs` in the stored fields).
pub(crate) fn units_of(quantity: Option<u64>, params: &serde_json::Value) -> Option<u64> {
    let runs = params
        .get("runs")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(1);
    quantity.map(|q| q.saturating_mul(runs.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn facts(status: OrderStatus) -> SaleFacts {
        SaleFacts {
            status,
            sale_price: Some(d("3")),
            estimated_cost: d("2"),
            charge: None,
            units: Some(1000),
            remains: None,
        }
    }

    #[test]
    fn open_and_completed_bill_the_whole_sale() {
        let s = settle(&facts(OrderStatus::Pending)).unwrap();
        assert_eq!((s.billed, s.cost, s.profit), (d("3"), d("2"), d("1")));
        let done = SaleFacts {
            charge: Some(d("2.1")),
            ..facts(OrderStatus::Completed)
        };
        assert_eq!(
            settle(&done).unwrap().profit,
            d("0.9"),
            "the real charge wins"
        );
    }

    #[test]
    fn partial_bills_what_was_delivered_against_the_real_charge() {
        let f = SaleFacts {
            charge: Some(d("1.2")),
            remains: Some(400),
            ..facts(OrderStatus::Partial)
        };
        let s = settle(&f).unwrap();
        assert_eq!((s.billed, s.cost, s.profit), (d("1.8"), d("1.2"), d("0.6")));
        let thirds = SaleFacts {
            sale_price: Some(d("1")),
            units: Some(3),
            remains: Some(1),
            ..f
        };
        assert_eq!(settle(&thirds).unwrap().billed, d("0.66667"));
    }

    #[test]
    fn canceled_bills_nothing_and_unsold_or_unsettled_orders_count_nowhere() {
        let s = settle(&facts(OrderStatus::Canceled)).unwrap();
        assert_eq!((s.billed, s.cost, s.profit), (d("0"), d("0"), d("0")));
        for st in [
            OrderStatus::Rejected,
            OrderStatus::NotSent,
            OrderStatus::NotPlaced,
            OrderStatus::Unknown,
            OrderStatus::Submitting,
        ] {
            assert_eq!(settle(&facts(st)), None, "{st}");
        }
        let unsold = SaleFacts {
            sale_price: None,
            ..facts(OrderStatus::Completed)
        };
        assert_eq!(settle(&unsold), None);
    }

    #[test]
    fn units_count_every_drip_feed_run() {
        assert_eq!(
            units_of(Some(100), &serde_json::json!({"runs": 5})),
            Some(500)
        );
        assert_eq!(units_of(Some(100), &serde_json::json!({})), Some(100));
        assert_eq!(units_of(None, &serde_json::json!({"runs": 5})), None);
    }
}
