//! What the provider took, reconciled (issue #15). Between two balance readings the drop
//! should be the cost of the orders the provider accepted, less the refunds of orders that
//! finished partial or canceled, plus nothing else but the top-ups the user recorded. When the
//! balance is lower than that by more than the tolerance (setting [`TOLERANCE`], default 0.01
//! in the account's currency), an alert names the gap and the orders of that window: an
//! overcharge the reseller would otherwise never see. A negative balance always alerts.
//!
//! An order counts from its journal time and a refund from when SMM Desk sees the order
//! finish; the provider may debit or credit either side of a reading taken meanwhile, which
//! always leaves a surplus (a drop short of the expected one) in the earlier window: that
//! surplus offsets the next window's gap, so such a race never raises a false alert.

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use crate::alerts::{AlertKind, Subject};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

/// Setting: the largest unexplained drop between two readings that raises no alert, in the
/// account's currency (default 0.01).
pub const TOLERANCE: &str = "balances.reconcile_tolerance";
/// The most orders an alert names.
const ORDERS_NAMED: usize = 20;
/// The largest top-up recorded at once.
const MAX_TOPUP: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A top-up the user recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopUp {
    /// Local id.
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// The amount added.
    pub amount: Decimal,
    /// The user's note.
    pub note: Option<String>,
    /// When it was recorded.
    pub at: Timestamp,
}

/// Two balance readings and what happened between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The provider's name.
    pub provider: String,
    /// The account currency ("" when the provider never said).
    pub currency: String,
    /// The earlier reading's time.
    pub from: Timestamp,
    /// The later reading's time.
    pub to: Timestamp,
    /// The earlier balance.
    pub balance_before: Decimal,
    /// The later balance.
    pub balance_after: Decimal,
    /// The estimated cost of the orders journaled in between and not certainly unplaced.
    pub placed: Decimal,
    /// Refunds of orders seen finishing partial, canceled or refunded in between.
    pub refunded: Decimal,
    /// Top-ups recorded in between.
    pub topped_up: Decimal,
    /// `balance_before − placed + refunded + topped_up`.
    pub expected_after: Decimal,
    /// `expected_after − balance_after`: positive when money is missing.
    pub gap: Decimal,
    /// The previous window's surplus (a negative gap) set against this gap.
    pub carried: Decimal,
    /// Those orders (at most 20), oldest first.
    pub orders: Vec<i64>,
}

impl Reconciliation {
    /// The gap after the previous window's surplus.
    pub fn unexplained(&self) -> Decimal {
        self.gap + self.carried
    }
}

/// A reading: id, amount, currency, time.
type Reading = (i64, Decimal, String, i64);

fn readings(conn: &Connection, provider_id: i64, before_id: i64, n: u32) -> Result<Vec<Reading>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, amount, currency, taken_at FROM balance_snapshots \
         WHERE provider_id = ?1 AND id <= ?2 ORDER BY id DESC LIMIT ?3",
    )?;
    let rows: Vec<(i64, String, String, i64)> = stmt
        .query_map(params![provider_id, before_id, n], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, a, c, t)| Ok((id, money::from_text(&a)?, c, t)))
        .collect()
}

/// The sum of the first column's amounts, less the second column's where the query has one.
fn sum(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    let mut stmt = conn.prepare_cached(sql)?;
    let less = stmt.column_count() > 1;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        total += money::from_text(&r.get::<_, String>(0)?)?;
        if less {
            total -= money::from_text(&r.get::<_, String>(1)?)?;
        }
    }
    Ok(total)
}

/// The window between readings `a` (earlier) and `b`, without a carried surplus.
fn window(
    conn: &Connection,
    provider: &str,
    pid: i64,
    a: &Reading,
    b: &Reading,
) -> Result<Reconciliation> {
    let (t1, t2) = (a.3, b.3);
    // By journal time, like the available balance: an order whose debit the provider made
    // after this reading leaves a surplus here that offsets the next window's gap, never the
    // other way round (which an acceptance recorded after the reading would give).
    let placed = sum(
        conn,
        "SELECT estimated_cost FROM orders WHERE provider_id = ?1 AND created_at > ?2 \
         AND created_at <= ?3 AND status NOT IN ('rejected', 'not_sent', 'not_placed')",
        params![pid, t1, t2],
    )?;
    let refunded = sum(
        conn,
        "SELECT estimated_cost, charge FROM orders WHERE provider_id = ?1 AND finished_at > ?2 \
         AND finished_at <= ?3 AND submitted_at IS NOT NULL AND charge IS NOT NULL \
         AND status IN ('partial', 'canceled', 'refunded')",
        params![pid, t1, t2],
    )?;
    let topped_up = sum(
        conn,
        "SELECT amount FROM balance_topups WHERE provider_id = ?1 AND at > ?2 AND at <= ?3",
        params![pid, t1, t2],
    )?;
    let orders: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM orders WHERE provider_id = ?1 AND created_at > ?2 \
             AND created_at <= ?3 AND status NOT IN ('rejected', 'not_sent', 'not_placed') \
             ORDER BY id LIMIT ?4",
        )?
        .query_map(params![pid, t1, t2, ORDERS_NAMED as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let expected_after = a.1 - placed + refunded + topped_up;
    Ok(Reconciliation {
        provider: provider.to_string(),
        currency: b.2.clone(),
        from: from_millis(t1),
        to: from_millis(t2),
        balance_before: a.1.normalize(),
        balance_after: b.1.normalize(),
        placed: placed.normalize(),
        refunded: refunded.normalize(),
        topped_up: topped_up.normalize(),
        expected_after: expected_after.normalize(),
        gap: (expected_after - b.1).normalize(),
        carried: Decimal::ZERO,
        orders,
    })
}

/// The tolerance setting's value: a plain decimal of at least 0, at most 1,000,000, with at
/// most 8 places; anything else is an `input.invalid` on `tolerance`.
pub fn parse_tolerance(text: &str) -> Result<Decimal> {
    let bad = || {
        EngineError::input(
            "tolerance",
            format!(
                "\"{}\" is not an amount: write a decimal of at least 0 like 0.01 (the account's \
                 currency)",
                text.trim()
            ),
        )
    };
    let t = text.trim();
    if t.is_empty() || t.len() > 32 || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad());
    }
    let d = t.parse::<Decimal>().map_err(|_| bad())?;
    if d.scale() > 8 {
        return Err(EngineError::input("tolerance", "at most 8 decimal places"));
    }
    if d > Decimal::from(1_000_000) {
        return Err(EngineError::input("tolerance", "must be at most 1000000"));
    }
    Ok(d.normalize())
}

/// One balance reading as [`Engine::balance_gaps`] reads it.
struct Point {
    at: i64,
    amount: Decimal,
    currency: String,
}

impl Engine {
    /// The reconciliation tolerance now (setting [`TOLERANCE`]; 0.01 when unset or unreadable).
    pub fn reconcile_tolerance(&self) -> Result<Decimal> {
        Ok(self
            .setting(TOLERANCE)?
            .and_then(|t| parse_tolerance(&t).ok())
            .unwrap_or(Decimal::new(1, 2)))
    }

    /// Sets the reconciliation tolerance from text (see [`parse_tolerance`]); a bad value is an
    /// `input.invalid` on `tolerance` and changes nothing.
    pub fn set_reconcile_tolerance(&self, text: &str) -> Result<Decimal> {
        let d = parse_tolerance(text)?;
        self.set_setting(TOLERANCE, &money::to_text(d))?;
        Ok(d)
    }

    /// Every unexplained balance drop (beyond the tolerance, after the previous window's
    /// surplus, as the alert) whose later reading falls in `[from, to)`, per provider by name,
    /// oldest first: the marks of the Dashboard's balance chart. One read of each provider's
    /// readings, orders and top-ups of the range.
    pub fn balance_gaps(
        &self,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<Reconciliation>> {
        let tolerance = self.reconcile_tolerance()?;
        let from = from.map_or(i64::MIN, crate::clock::to_millis);
        let to = to.map_or(i64::MAX, crate::clock::to_millis);
        self.store().read(|c| {
            let providers: Vec<(i64, String)> = c
                .prepare_cached(
                    "SELECT DISTINCT p.id, p.name FROM providers p                      JOIN balance_snapshots b ON b.provider_id = p.id                      WHERE b.taken_at >= ?1 AND b.taken_at < ?2 ORDER BY p.name",
                )?
                .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::new();
            for (pid, name) in providers {
                out.extend(gaps_of(c, pid, &name, from, to, tolerance)?);
            }
            Ok(out)
        })
    }

    /// Records money the user added to a provider account (`amount` > 0).
    pub fn record_topup(
        &self,
        provider: &str,
        amount: Decimal,
        note: Option<&str>,
    ) -> Result<TopUp> {
        if amount <= Decimal::ZERO {
            return Err(EngineError::input("amount", "must be more than 0"));
        }
        if amount > MAX_TOPUP {
            return Err(EngineError::input("amount", "must be at most 1000000000"));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 200 || n.chars().any(char::is_control)) {
            return Err(EngineError::input(
                "note",
                "at most 200 characters, on one line",
            ));
        }
        let p = self.provider(provider.trim())?;
        let now = self.now_ms();
        let id = self.store().write(|tx| {
            tx.execute(
                "INSERT INTO balance_topups (provider_id, amount, note, at) VALUES (?1, ?2, ?3, ?4)",
                params![p.id, money::to_text(amount), note, now],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(TopUp {
            id,
            provider: p.name,
            amount: amount.normalize(),
            note: note.map(str::to_string),
            at: from_millis(now),
        })
    }

    /// The reconciliation of a provider's last two balance readings; `None` before the second.
    pub fn reconcile_latest(&self, provider: &str) -> Result<Option<Reconciliation>> {
        let p = self.provider(provider.trim())?;
        self.store().read(|c| {
            let last: Option<i64> = c
                .query_row(
                    "SELECT max(id) FROM balance_snapshots WHERE provider_id = ?1",
                    [p.id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let Some(last) = last else { return Ok(None) };
            let r = readings(c, p.id, last, 3)?;
            if r.len() < 2 {
                return Ok(None);
            }
            let mut w = window(c, &p.name, p.id, &r[1], &r[0])?;
            if r.len() == 3 {
                let prev = window(c, &p.name, p.id, &r[2], &r[1])?;
                w.carried = prev.gap.min(Decimal::ZERO);
            }
            Ok(Some(w))
        })
    }

    /// After each balance reading: the gap alert and the negative-balance alert.
    pub(crate) fn reconcile_balance(&self, provider_id: i64) -> Result<()> {
        let p = self.provider_by_id(provider_id)?;
        let subject = format!("provider:{provider_id}");
        match p.last_balance {
            Some(b) if b.is_sign_negative() && !b.is_zero() => {
                self.raise_alert(
                    AlertKind::BalanceNegative,
                    Subject {
                        key: subject.clone(),
                        provider_id: Some(provider_id),
                        ..Subject::default()
                    },
                    json!({ "balance": money::to_text(b), "currency": p.currency }),
                )?;
            }
            _ => {
                self.clear_alert(AlertKind::BalanceNegative, &subject)?;
            }
        }
        let Some(w) = self.reconcile_latest(&p.name)? else {
            return Ok(());
        };
        let tolerance = self.reconcile_tolerance()?;
        if w.unexplained() > tolerance {
            self.raise_alert(
                AlertKind::BalanceGap,
                Subject {
                    key: format!("gap:{provider_id}:{}", w.to.as_millisecond()),
                    provider_id: Some(provider_id),
                    ..Subject::default()
                },
                json!({
                    "gap": money::to_text(w.unexplained()),
                    "balance_before": money::to_text(w.balance_before),
                    "balance": money::to_text(w.balance_after),
                    "expected": money::to_text(w.expected_after),
                    "placed": money::to_text(w.placed),
                    "refunded": money::to_text(w.refunded),
                    "topped_up": money::to_text(w.topped_up),
                    "from": w.from.to_string(),
                    "to": w.to.to_string(),
                    "orders": w.orders,
                    "currency": w.currency,
                }),
            )?;
        }
        Ok(())
    }
}

/// One provider's gaps in `[from, to)`: its readings of the range and the two before (the
/// first window and its predecessor's surplus), then the orders, refunds and top-ups of the
/// whole span read once and put in their windows.
fn gaps_of(
    c: &Connection,
    pid: i64,
    provider: &str,
    from: i64,
    to: i64,
    tolerance: Decimal,
) -> Result<Vec<Reconciliation>> {
    let point = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, String, String)> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    };
    let mut rows: Vec<(i64, String, String)> = c
        .prepare_cached(
            "SELECT taken_at, amount, currency FROM balance_snapshots \
             WHERE provider_id = ?1 AND taken_at < ?2 ORDER BY taken_at DESC, id DESC LIMIT 2",
        )?
        .query_map(params![pid, from], point)?
        .collect::<rusqlite::Result<_>>()?;
    rows.reverse();
    let before = rows.len();
    rows.extend(
        c.prepare_cached(
            "SELECT taken_at, amount, currency FROM balance_snapshots \
             WHERE provider_id = ?1 AND taken_at >= ?2 AND taken_at < ?3 ORDER BY taken_at, id",
        )?
        .query_map(params![pid, from, to], point)?
        .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    let points: Vec<Point> = rows
        .into_iter()
        .map(|(at, a, currency)| {
            Ok(Point {
                at,
                amount: money::from_text(&a)?,
                currency,
            })
        })
        .collect::<Result<_>>()?;
    if points.len() < 2 {
        return Ok(Vec::new());
    }
    let (first, last) = (points[0].at, points[points.len() - 1].at);
    // Window k (1..n) holds what happened in (points[k-1].at, points[k].at].
    let window_of = |t: i64| points.partition_point(|p| p.at < t);
    let n = points.len();
    let (mut placed, mut refunded, mut topped) = (
        vec![Decimal::ZERO; n],
        vec![Decimal::ZERO; n],
        vec![Decimal::ZERO; n],
    );
    let mut orders: Vec<Vec<i64>> = vec![Vec::new(); n];
    let mut stmt = c.prepare_cached(
        "SELECT id, created_at, estimated_cost FROM orders WHERE provider_id = ?1 \
         AND created_at > ?2 AND created_at <= ?3 \
         AND status NOT IN ('rejected', 'not_sent', 'not_placed') ORDER BY id",
    )?;
    let mut q = stmt.query(params![pid, first, last])?;
    while let Some(r) = q.next()? {
        let k = window_of(r.get(1)?);
        placed[k] += money::from_text(&r.get::<_, String>(2)?)?;
        if orders[k].len() < ORDERS_NAMED {
            orders[k].push(r.get(0)?);
        }
    }
    let mut stmt = c.prepare_cached(
        "SELECT finished_at, estimated_cost, charge FROM orders WHERE provider_id = ?1 \
         AND finished_at > ?2 AND finished_at <= ?3 AND submitted_at IS NOT NULL \
         AND charge IS NOT NULL AND status IN ('partial', 'canceled', 'refunded')",
    )?;
    let mut q = stmt.query(params![pid, first, last])?;
    while let Some(r) = q.next()? {
        let k = window_of(r.get(0)?);
        refunded[k] +=
            money::from_text(&r.get::<_, String>(1)?)? - money::from_text(&r.get::<_, String>(2)?)?;
    }
    let mut stmt = c.prepare_cached(
        "SELECT at, amount FROM balance_topups WHERE provider_id = ?1 AND at > ?2 AND at <= ?3",
    )?;
    let mut q = stmt.query(params![pid, first, last])?;
    while let Some(r) = q.next()? {
        let k = window_of(r.get(0)?);
        topped[k] += money::from_text(&r.get::<_, String>(1)?)?;
    }
    let mut out = Vec::new();
    let mut previous_gap: Option<Decimal> = None;
    for k in 1..n {
        let (a, b) = (&points[k - 1], &points[k]);
        let expected_after = a.amount - placed[k] + refunded[k] + topped[k];
        let gap = expected_after - b.amount;
        let carried = previous_gap.map_or(Decimal::ZERO, |g| g.min(Decimal::ZERO));
        previous_gap = Some(gap);
        // Windows ending before the range only feed the next one's carried surplus.
        if k < before || gap + carried <= tolerance {
            continue;
        }
        out.push(Reconciliation {
            provider: provider.to_string(),
            currency: b.currency.clone(),
            from: from_millis(a.at),
            to: from_millis(b.at),
            balance_before: a.amount.normalize(),
            balance_after: b.amount.normalize(),
            placed: placed[k].normalize(),
            refunded: refunded[k].normalize(),
            topped_up: topped[k].normalize(),
            expected_after: expected_after.normalize(),
            gap: gap.normalize(),
            carried: carried.normalize(),
            orders: std::mem::take(&mut orders[k]),
        });
    }
    Ok(out)
}
