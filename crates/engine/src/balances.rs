//! Balances per provider and their history: a snapshot at every check (the connection test
//! writes it), so the dashboard can draw the balance over time.

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::clock::{from_millis, to_millis};
use crate::engine::Engine;
use crate::error::{ErrorBody, Result};
use crate::money;
use crate::providers::BalanceCheck;

/// One balance snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceSnapshot {
    /// The provider's name.
    pub provider: String,
    /// The amount.
    pub amount: Decimal,
    /// The account currency ("" when the provider did not say).
    pub currency: String,
    /// When it was taken.
    pub taken_at: Timestamp,
}

/// A provider's balance at the end of one UTC day (its last snapshot that day).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyBalance {
    /// The provider's name.
    pub provider: String,
    /// The UTC day.
    pub day: jiff::civil::Date,
    /// The last amount seen that day.
    pub amount: Decimal,
    /// The account currency ("" when the provider did not say).
    pub currency: String,
}

/// A provider's balance now, or why it could not be fetched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceOutcome {
    /// The provider's name.
    pub provider: String,
    /// The fresh balance.
    pub check: Option<BalanceCheck>,
    /// The last known balance when the check failed.
    pub last_known: Option<Decimal>,
    /// The error, when the check failed.
    pub error: Option<ErrorBody>,
}

impl Engine {
    /// Fetches one provider's balance now and records a snapshot.
    pub async fn check_balance(&self, name: &str) -> Result<BalanceCheck> {
        self.test_provider(name).await
    }

    /// Fetches every active provider's balance now (one after the other); one result each.
    pub async fn check_all_balances(&self) -> Result<Vec<BalanceOutcome>> {
        let mut out = Vec::new();
        for p in self.list_providers()?.into_iter().filter(|p| p.active) {
            match self.test_provider(&p.name).await {
                Ok(check) => out.push(BalanceOutcome {
                    provider: p.name,
                    check: Some(check),
                    last_known: None,
                    error: None,
                }),
                Err(e) => out.push(BalanceOutcome {
                    provider: p.name,
                    check: None,
                    last_known: p.last_balance,
                    error: Some(e.to_body()),
                }),
            }
        }
        Ok(out)
    }

    /// What is left of a provider's last known balance for a new order: that balance less the
    /// estimated cost of every order journaled at the provider since it was read (except the
    /// ones that were certainly not placed). `None` when no balance is known yet. Between two
    /// balance checks, a run of orders is thus refused before the provider would refuse it.
    pub fn available_balance(
        &self,
        provider: &crate::providers::Provider,
    ) -> Result<Option<Decimal>> {
        let Some(balance) = provider.last_balance else {
            return Ok(None);
        };
        let since = provider.balance_checked_at.map_or(i64::MIN, to_millis);
        let costs: Vec<String> = self.store().read(|c| {
            c.prepare_cached(
                "SELECT estimated_cost FROM orders WHERE provider_id = ?1 AND created_at >= ?2 \
                 AND status NOT IN ('rejected', 'not_sent', 'not_placed')",
            )?
            .query_map(rusqlite::params![provider.id, since], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Into::into)
        })?;
        let mut available = balance;
        for cost in costs {
            available -= money::from_text(&cost)?;
        }
        Ok(Some(available))
    }

    /// Each provider's balance at the end of every UTC day in `[from, to)` that has a snapshot,
    /// by provider name then day (a day without a check has no row: the balance carried over).
    /// One row per provider and day however often balances were checked, so a 90-day chart
    /// stays small.
    pub fn daily_balances(&self, from: Timestamp, to: Timestamp) -> Result<Vec<DailyBalance>> {
        const DAY_MS: i64 = 86_400_000;
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.name, s.day, s.amount, s.currency FROM ( \
                   SELECT provider_id, amount, currency, taken_at / ?3 AS day, \
                          ROW_NUMBER() OVER (PARTITION BY provider_id, taken_at / ?3 \
                                             ORDER BY taken_at DESC, id DESC) AS rn \
                   FROM balance_snapshots WHERE taken_at >= ?1 AND taken_at < ?2 \
                 ) s JOIN providers p ON p.id = s.provider_id \
                 WHERE s.rn = 1 AND p.removed_at IS NULL ORDER BY p.name, s.day",
            )?;
            let rows = stmt.query_map(
                rusqlite::params![to_millis(from), to_millis(to), DAY_MS],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (provider, day, amount, currency) = row?;
                out.push(DailyBalance {
                    provider,
                    day: crate::stats::utc_day(day * DAY_MS),
                    amount: money::from_text(&amount)?,
                    currency,
                });
            }
            Ok(out)
        })
    }

    /// Balance snapshots, oldest first, of one provider (or all when `None`) between `from`
    /// (inclusive) and `to` (exclusive), at most `limit` (the newest ones).
    pub fn balance_history(
        &self,
        provider: Option<&str>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        limit: u32,
    ) -> Result<Vec<BalanceSnapshot>> {
        let provider_id = provider
            .map(|n| self.provider(n))
            .transpose()?
            .map(|p| p.id);
        self.store().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.name, b.amount, b.currency, b.taken_at FROM balance_snapshots b \
                 JOIN providers p ON p.id = b.provider_id \
                 WHERE (?1 IS NULL OR b.provider_id = ?1) AND b.taken_at >= ?2 AND b.taken_at < ?3 \
                 ORDER BY b.taken_at DESC, b.id DESC LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                rusqlite::params![
                    provider_id,
                    from.map_or(i64::MIN, to_millis),
                    to.map_or(i64::MAX, to_millis),
                    limit
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )?;
            let mut out = Vec::new();
            for row in rows {
                let (provider, amount, currency, taken_at) = row?;
                out.push(BalanceSnapshot {
                    provider,
                    amount: money::from_text(&amount)?,
                    currency,
                    taken_at: from_millis(taken_at),
                });
            }
            out.reverse();
            Ok(out)
        })
    }
}
