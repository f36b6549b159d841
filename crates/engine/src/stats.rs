//! Stats per provider and overall, for a date range, demo providers excluded: orders by
//! outcome, success rate, money spent per currency, API response times and error rate, and
//! the per-day series behind the dashboard charts. Exact decimals; days are UTC.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::clock::to_millis;
use crate::engine::Engine;
use crate::error::Result;
use crate::money;
use crate::orders::OrderStatus;

/// Rates (success, error) are rounded to this many decimal places.
pub const RATE_DP: u32 = 4;

/// What to count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatsQuery {
    /// One provider (by name); all non-demo providers when `None`.
    pub provider: Option<String>,
    /// Orders created (API calls started) at or after.
    pub from: Option<Timestamp>,
    /// … and before.
    pub to: Option<Timestamp>,
}

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    /// The currency ("" when the provider never said).
    pub currency: String,
    /// The exact amount.
    pub amount: Decimal,
}

/// Orders by where they stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    /// Every order journaled in the range.
    pub total: u64,
    /// Accepted by the provider (open or finished).
    pub placed: u64,
    /// Open at the provider (pending, processing, in progress, active).
    pub open: u64,
    /// Completed.
    pub completed: u64,
    /// Partial.
    pub partial: u64,
    /// Canceled.
    pub canceled: u64,
    /// Refunded.
    pub refunded: u64,
    /// Refused by the provider.
    pub rejected: u64,
    /// Outcome unknown (awaiting resolution) or still being sent.
    pub unknown: u64,
    /// Never sent, or resolved as not placed.
    pub not_placed: u64,
}

impl OutcomeCounts {
    fn add(&mut self, status: OrderStatus, n: u64) {
        self.total += n;
        if status.is_open() || status.is_terminal() {
            self.placed += n;
        }
        match status {
            OrderStatus::Pending
            | OrderStatus::Processing
            | OrderStatus::InProgress
            | OrderStatus::Active => self.open += n,
            OrderStatus::Completed => self.completed += n,
            OrderStatus::Partial => self.partial += n,
            OrderStatus::Canceled => self.canceled += n,
            OrderStatus::Refunded => self.refunded += n,
            OrderStatus::Rejected => self.rejected += n,
            OrderStatus::Unknown | OrderStatus::Submitting => self.unknown += n,
            OrderStatus::NotSent | OrderStatus::NotPlaced => self.not_placed += n,
        }
    }

    /// Orders that reached a final state at the provider.
    pub fn terminal(&self) -> u64 {
        self.completed + self.partial + self.canceled + self.refunded
    }

    /// Completed ÷ terminal (partial counted separately), `None` with no terminal order.
    pub fn success_rate(&self) -> Option<Decimal> {
        rate(self.completed, self.terminal())
    }

    /// Partial ÷ terminal.
    pub fn partial_rate(&self) -> Option<Decimal> {
        rate(self.partial, self.terminal())
    }
}

fn rate(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0).then(|| (Decimal::from(part) / Decimal::from(whole)).round_dp(RATE_DP))
}

/// API calls to providers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApiStats {
    /// Calls logged.
    pub calls: u64,
    /// Calls that failed (never sent, maybe sent, unreadable reply); provider refusals
    /// (`rejected`) are answers, not errors, and are counted apart.
    pub failed: u64,
    /// Calls the provider refused with an error message.
    pub rejected: u64,
    /// failed ÷ calls.
    pub error_rate: Option<Decimal>,
    /// Mean duration in ms (1 decimal place).
    pub avg_ms: Option<Decimal>,
    /// 95th percentile duration in ms (nearest rank).
    pub p95_ms: Option<i64>,
}

/// One UTC day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DayStats {
    /// The day (`2026-11-24`).
    pub day: String,
    /// Orders by outcome, journaled that day.
    pub orders: OutcomeCounts,
    /// Completed ÷ terminal of that day's orders.
    pub success_rate: Option<Decimal>,
    /// Charges of that day's orders, per currency.
    pub spent: Vec<Money>,
}

/// Stats of one provider, or of all (provider `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProviderStats {
    /// The provider's name; `None` for the overall line.
    pub provider: Option<String>,
    /// Orders by outcome.
    pub orders: OutcomeCounts,
    /// Completed ÷ terminal.
    pub success_rate: Option<Decimal>,
    /// Partial ÷ terminal.
    pub partial_rate: Option<Decimal>,
    /// Sum of the providers' charges, per currency.
    pub spent: Vec<Money>,
    /// API response times and errors.
    pub api: ApiStats,
    /// Per UTC day, oldest first (days with orders only).
    pub per_day: Vec<DayStats>,
}

/// Stats for a range: overall and per provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The range asked for.
    pub from: Option<Timestamp>,
    /// The range asked for.
    pub to: Option<Timestamp>,
    /// Every non-demo provider together (or the one asked for).
    pub overall: ProviderStats,
    /// One line per provider with orders or API calls in the range, by name.
    pub providers: Vec<ProviderStats>,
}

#[derive(Default)]
struct Acc {
    orders: OutcomeCounts,
    spent: BTreeMap<String, Decimal>,
    days: BTreeMap<Date, (OutcomeCounts, BTreeMap<String, Decimal>)>,
    durations: Vec<i64>,
    failed: u64,
    rejected: u64,
}

impl Acc {
    fn add_order(
        &mut self,
        day: Date,
        status: OrderStatus,
        charge: Option<Decimal>,
        cur: &str,
        n: u64,
    ) {
        self.orders.add(status, n);
        let d = self.days.entry(day).or_default();
        d.0.add(status, n);
        if let Some(c) = charge {
            let total = c * Decimal::from(n);
            *self.spent.entry(cur.to_string()).or_default() += total;
            *d.1.entry(cur.to_string()).or_default() += total;
        }
    }

    fn add_call(&mut self, duration: i64, outcome: &str) {
        self.durations.push(duration);
        match outcome {
            "ok" => {}
            "rejected" => self.rejected += 1,
            _ => self.failed += 1,
        }
    }

    fn finish(mut self, provider: Option<String>) -> ProviderStats {
        let money = |m: BTreeMap<String, Decimal>| -> Vec<Money> {
            m.into_iter()
                .map(|(currency, amount)| Money {
                    currency,
                    amount: amount.normalize(),
                })
                .collect()
        };
        self.durations.sort_unstable();
        let n = self.durations.len() as u64;
        let api = ApiStats {
            calls: n,
            failed: self.failed,
            rejected: self.rejected,
            error_rate: rate(self.failed, n),
            avg_ms: (n > 0).then(|| {
                let sum: i64 = self.durations.iter().sum();
                (Decimal::from(sum) / Decimal::from(n)).round_dp(1)
            }),
            p95_ms: (n > 0).then(|| {
                let rank = (n * 95).div_ceil(100).max(1);
                self.durations[(rank - 1) as usize]
            }),
        };
        ProviderStats {
            provider,
            success_rate: self.orders.success_rate(),
            partial_rate: self.orders.partial_rate(),
            orders: self.orders,
            spent: money(self.spent),
            api,
            per_day: self
                .days
                .into_iter()
                .map(|(day, (orders, spent))| DayStats {
                    day: day.to_string(),
                    success_rate: orders.success_rate(),
                    orders,
                    spent: money(spent),
                })
                .collect(),
        }
    }
}

/// The UTC calendar day of a unix-milliseconds time.
pub(crate) fn utc_day(ms: i64) -> Date {
    use jiff::ToSpan;
    let days = ms.div_euclid(86_400_000);
    jiff::civil::date(1970, 1, 1)
        .checked_add(days.days())
        .unwrap_or(Date::MIN)
}

impl Engine {
    /// Stats for a range, demo providers excluded (unless a demo provider is asked for by
    /// name). Success rate = completed ÷ orders that reached a final state; partial is
    /// counted and rated separately; money spent = the sum of the providers' charges, per
    /// currency; API figures come from the API call log.
    pub fn stats(&self, q: &StatsQuery) -> Result<Stats> {
        let provider_id = q
            .provider
            .as_deref()
            .map(|n| self.provider(n.trim()))
            .transpose()?
            .map(|p| p.id);
        let from = q.from.map_or(i64::MIN, to_millis);
        let to = q.to.map_or(i64::MAX, to_millis);
        let mut overall = Acc::default();
        let mut per: BTreeMap<String, Acc> = BTreeMap::new();
        self.store().read(|c| {
            // Grouped in SQL (equal charges of one day and status together); summed exactly here.
            let mut stmt = c.prepare_cached(
                "SELECT p.name, o.created_at / 86400000, o.status, o.charge, \
                 ifnull(o.currency, p.currency), count(*) \
                 FROM orders o JOIN providers p ON p.id = o.provider_id \
                 WHERE o.created_at >= ?1 AND o.created_at < ?2 \
                 AND (CASE WHEN ?3 IS NULL THEN p.is_demo = 0 ELSE o.provider_id = ?3 END) \
                 GROUP BY 1, 2, 3, 4, 5",
            )?;
            let mut rows = stmt.query(rusqlite::params![from, to, provider_id])?;
            while let Some(r) = rows.next()? {
                let name: String = r.get(0)?;
                let day = utc_day(r.get::<_, i64>(1)? * 86_400_000);
                let status: OrderStatus = r.get::<_, String>(2)?.parse()?;
                let charge = r
                    .get::<_, Option<String>>(3)?
                    .map(|t| money::from_text(&t))
                    .transpose()?;
                let currency: String = r.get::<_, Option<String>>(4)?.unwrap_or_default();
                let n = r.get::<_, i64>(5)?.max(0) as u64;
                overall.add_order(day, status, charge, &currency, n);
                per.entry(name)
                    .or_default()
                    .add_order(day, status, charge, &currency, n);
            }
            let mut stmt = c.prepare_cached(
                "SELECT p.name, a.duration_ms, a.outcome \
                 FROM api_calls a JOIN providers p ON p.id = a.provider_id \
                 WHERE a.started_at >= ?1 AND a.started_at < ?2 \
                 AND (CASE WHEN ?3 IS NULL THEN p.is_demo = 0 ELSE a.provider_id = ?3 END)",
            )?;
            let mut rows = stmt.query(rusqlite::params![from, to, provider_id])?;
            while let Some(r) = rows.next()? {
                let name: String = r.get(0)?;
                let duration: i64 = r.get(1)?;
                let outcome: String = r.get(2)?;
                overall.add_call(duration, &outcome);
                per.entry(name).or_default().add_call(duration, &outcome);
            }
            Ok(())
        })?;
        Ok(Stats {
            from: q.from,
            to: q.to,
            overall: overall.finish(None),
            providers: per
                .into_iter()
                .map(|(name, acc)| acc.finish(Some(name)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_rate_counts_partial_apart() {
        let mut c = OutcomeCounts::default();
        for s in [
            OrderStatus::Completed,
            OrderStatus::Completed,
            OrderStatus::Partial,
            OrderStatus::Canceled,
            OrderStatus::Pending,
            OrderStatus::Rejected,
        ] {
            c.add(s, 1);
        }
        assert_eq!(c.terminal(), 4);
        assert_eq!(c.success_rate(), Some(Decimal::new(5, 1)));
        assert_eq!(c.partial_rate(), Some(Decimal::new(25, 2)));
        assert_eq!(c.placed, 5);
        assert_eq!(OutcomeCounts::default().success_rate(), None);
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let mut acc = Acc::default();
        for d in 1..=20 {
            acc.add_call(d * 10, if d == 20 { "maybe_sent" } else { "ok" });
        }
        let s = acc.finish(None);
        assert_eq!(s.api.p95_ms, Some(190));
        assert_eq!(s.api.avg_ms, Some(Decimal::new(105, 0)));
        assert_eq!(s.api.error_rate, Some(Decimal::new(5, 2)));
    }
}
