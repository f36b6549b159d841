//! Revenue, cost and profit of sold orders for a date range (issue #15): per currency (never
//! summed across currencies), per UTC day, per provider, per platform, per category and for
//! the top customers. Exact decimals; demo providers apart, as in [`crate::stats`].
//!
//! Each order counts by its [`settle`]ment: billed, the provider's real charge, the difference.
//! Orders without a sale price, and orders not placed or not yet known, count nowhere.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::clock::to_millis;
use crate::engine::Engine;
use crate::error::Result;
use crate::money;
use crate::orders::{settle, units_of, OrderStatus, SaleFacts, Settlement};
use crate::pricing::margin_percent;
use crate::stats::{utc_day, StatsQuery};

/// How many customers [`Profit::customers`] lists.
pub const TOP_CUSTOMERS: usize = 10;

/// Money earned in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Earnings {
    /// The currency ("" when the provider never said).
    pub currency: String,
    /// Sold orders counted.
    pub orders: u64,
    /// What the customers were billed.
    pub revenue: Decimal,
    /// What the providers charged for those orders.
    pub cost: Decimal,
    /// `revenue − cost`.
    pub profit: Decimal,
    /// `profit ÷ revenue` in percent (2 places); `None` without revenue.
    pub margin_percent: Option<Decimal>,
}

/// Earnings, per currency, of one group (a day, a provider, a customer…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarningsGroup {
    /// What the group is: the day (`2026-11-24`), the provider's or customer's name, the
    /// platform (`instagram`) or the category.
    pub key: String,
    /// Per currency, by currency name.
    pub earnings: Vec<Earnings>,
}

/// Revenue, cost and profit for a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profit {
    /// Every sold order in the range, per currency.
    pub overall: Vec<Earnings>,
    /// Per UTC day, oldest first (days with sold orders only).
    pub per_day: Vec<EarningsGroup>,
    /// Per provider, by name.
    pub providers: Vec<EarningsGroup>,
    /// Per platform, by name.
    pub platforms: Vec<EarningsGroup>,
    /// Per category, by name.
    pub categories: Vec<EarningsGroup>,
    /// The [`TOP_CUSTOMERS`] customers with the most profit (summed per currency, ranked by
    /// their largest one), most first.
    pub customers: Vec<EarningsGroup>,
    /// Orders in the range placed without a sale price: their cost is in the stats' spending,
    /// not here.
    pub unsold_orders: u64,
}

/// Sums settlements per currency.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ledger(BTreeMap<String, (u64, Decimal, Decimal)>);

impl Ledger {
    /// Counts one settled order.
    pub(crate) fn add(&mut self, currency: &str, s: &Settlement) {
        let e = self.0.entry(currency.to_string()).or_default();
        e.0 += 1;
        e.1 += s.billed;
        e.2 += s.cost;
    }

    /// The largest profit of any currency (ranking customers).
    fn best_profit(&self) -> Decimal {
        self.0
            .values()
            .map(|(_, revenue, cost)| revenue - cost)
            .max()
            .unwrap_or_default()
    }

    /// Per currency, by currency name.
    pub(crate) fn finish(&self) -> Vec<Earnings> {
        self.0
            .iter()
            .map(|(currency, (orders, revenue, cost))| Earnings {
                currency: currency.clone(),
                orders: *orders,
                revenue: revenue.normalize(),
                cost: cost.normalize(),
                profit: (revenue - cost).normalize(),
                margin_percent: margin_percent(*cost, *revenue),
            })
            .collect()
    }
}

fn groups(map: BTreeMap<String, Ledger>) -> Vec<EarningsGroup> {
    map.into_iter()
        .map(|(key, l)| EarningsGroup {
            key,
            earnings: l.finish(),
        })
        .collect()
}

/// Reads a settlement's facts from columns `status, sale_price, estimated_cost, charge,
/// quantity, remains, params` starting at `at`.
pub(crate) fn facts_at(r: &rusqlite::Row<'_>, at: usize) -> Result<SaleFacts> {
    let amount = |i: usize| -> Result<Option<Decimal>> {
        r.get::<_, Option<String>>(at + i)?
            .map(|t| money::from_text(&t))
            .transpose()
    };
    let quantity = r.get::<_, Option<i64>>(at + 4)?.map(|q| q.max(0) as u64);
    let params: String = r.get(at + 6)?;
    let params = serde_json::from_str(&params).unwrap_or(serde_json::Value::Null);
    Ok(SaleFacts {
        status: r.get::<_, String>(at)?.parse::<OrderStatus>()?,
        sale_price: amount(1)?,
        estimated_cost: amount(2)?.unwrap_or_default(),
        charge: amount(3)?,
        units: units_of(quantity, &params),
        remains: r.get::<_, Option<i64>>(at + 5)?.map(|q| q.max(0) as u64),
    })
}

/// The `SELECT` list [`facts_at`] reads, for an `orders o`.
pub(crate) const FACT_COLUMNS: &str =
    "o.status, o.sale_price, o.estimated_cost, o.charge, o.quantity, o.remains, o.params";

impl Engine {
    /// Revenue, cost and profit of the orders sold in a range, demo providers excluded
    /// (unless a demo provider is asked for by name), like [`Engine::stats`].
    pub fn profit(&self, q: &StatsQuery) -> Result<Profit> {
        let provider_id = q
            .provider
            .as_deref()
            .map(|n| self.provider(n.trim()))
            .transpose()?
            .map(|p| p.id);
        let from = q.from.map_or(i64::MIN, to_millis);
        let to = q.to.map_or(i64::MAX, to_millis);
        let mut overall = Ledger::default();
        let (mut days, mut providers, mut platforms, mut categories, mut customers) = (
            BTreeMap::<_, Ledger>::new(),
            BTreeMap::<_, Ledger>::new(),
            BTreeMap::<_, Ledger>::new(),
            BTreeMap::<_, Ledger>::new(),
            BTreeMap::<_, Ledger>::new(),
        );
        let mut unsold = 0u64;
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT p.name, o.created_at, ifnull(o.currency, p.currency), \
                 ifnull(s.platform, 'other'), ifnull(s.category, ''), cu.name, {FACT_COLUMNS} \
                 FROM orders o JOIN providers p ON p.id = o.provider_id \
                 LEFT JOIN services s ON s.id = o.service_ref \
                 LEFT JOIN customers cu ON cu.id = o.customer_id \
                 WHERE o.created_at >= ?1 AND o.created_at < ?2 \
                 AND (CASE WHEN ?3 IS NULL THEN p.is_demo = 0 ELSE o.provider_id = ?3 END)"
            ))?;
            let mut rows = stmt.query(rusqlite::params![from, to, provider_id])?;
            while let Some(r) = rows.next()? {
                let f = facts_at(r, 6)?;
                if f.sale_price.is_none() {
                    if f.status.is_open() || f.status.is_terminal() {
                        unsold += 1;
                    }
                    continue;
                }
                let Some(s) = settle(&f) else { continue };
                let currency: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
                overall.add(&currency, &s);
                let day = utc_day(r.get(1)?).to_string();
                days.entry(day).or_default().add(&currency, &s);
                providers
                    .entry(r.get::<_, String>(0)?)
                    .or_default()
                    .add(&currency, &s);
                platforms
                    .entry(r.get::<_, String>(3)?)
                    .or_default()
                    .add(&currency, &s);
                categories
                    .entry(r.get::<_, String>(4)?)
                    .or_default()
                    .add(&currency, &s);
                if let Some(name) = r.get::<_, Option<String>>(5)? {
                    customers.entry(name).or_default().add(&currency, &s);
                }
            }
            Ok(())
        })?;
        let mut top: Vec<(String, Ledger)> = customers.into_iter().collect();
        top.sort_by(|a, b| {
            b.1.best_profit()
                .cmp(&a.1.best_profit())
                .then(a.0.cmp(&b.0))
        });
        top.truncate(TOP_CUSTOMERS);
        Ok(Profit {
            overall: overall.finish(),
            per_day: groups(days),
            providers: groups(providers),
            platforms: groups(platforms),
            categories: groups(categories),
            customers: top
                .into_iter()
                .map(|(key, l)| EarningsGroup {
                    key,
                    earnings: l.finish(),
                })
                .collect(),
            unsold_orders: unsold,
        })
    }
}
