//! The order list: filters, keyset paging newest first (cursor = created_at and id), and CSV
//! export (RFC 4180; money as exact strings; never a key).

use std::io::Write;

use jiff::Timestamp;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::OrderError;
use super::{order_from_row, Order, OrderStatus, ORDER_COLUMNS, ORDER_FROM};
use crate::clock::to_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

/// Default page size.
const DEFAULT_LIMIT: u32 = 50;
/// Largest page size.
const MAX_LIMIT: u32 = 1000;
/// Rows fetched per page while exporting.
const EXPORT_PAGE: u32 = 1000;
/// A page filtered by link text comes from the trigram index when it holds fewer candidates
/// than this; a term matching more (say "instagram") keeps the scan newest first, which stops
/// after one page.
const LINK_INDEX_PAGE_CAP: i64 = 5_000;
/// The same for the counts per state, which read every match either way: through the index
/// each match costs a lookup, scanning costs every live order.
const LINK_INDEX_COUNTS_CAP: i64 = 20_000;

/// A position in the order list: the last row seen (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCursor {
    /// `created_at` of the last row, unix ms.
    pub created_at: i64,
    /// `id` of the last row.
    pub id: i64,
}

impl OrderCursor {
    /// The opaque text form, `created_at:id`.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.created_at, self.id)
    }

    /// Parses the text form.
    pub fn decode(text: &str) -> Result<OrderCursor> {
        let bad = || EngineError::from(OrderError::CursorInvalid(text.chars().take(40).collect()));
        let (c, i) = text.trim().split_once(':').ok_or_else(bad)?;
        Ok(OrderCursor {
            created_at: c.parse().map_err(|_| bad())?,
            id: i.parse().map_err(|_| bad())?,
        })
    }
}

/// Filters and paging of the order list; every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderQuery {
    /// Only orders in one of these states.
    pub status: Vec<OrderStatus>,
    /// Only this provider (by name).
    pub provider: Option<String>,
    /// Only this catalog service (local id).
    pub service_ref: Option<i64>,
    /// Only this provider service id (with or without `provider`).
    pub service_id: Option<String>,
    /// Created at or after.
    pub from: Option<Timestamp>,
    /// Created before.
    pub to: Option<Timestamp>,
    /// Text the link contains (case-insensitive for ASCII).
    pub link_contains: Option<String>,
    /// Only this customer's orders (local id).
    pub customer: Option<i64>,
    /// Also orders the weekly cleanup archived (hidden by default).
    pub include_archived: bool,
    /// Page size (default 50, at most 1000).
    pub limit: Option<u32>,
    /// Continue after this cursor (from the previous page's `next`).
    pub after: Option<String>,
}

/// One page of orders, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderPage {
    /// The orders.
    pub orders: Vec<Order>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// How the link text filter is applied.
#[derive(Debug, Clone, PartialEq)]
enum LinkFilter {
    /// No link filter.
    None,
    /// `o.link LIKE like ESCAPE '\'` checked on every order the other filters leave.
    Scan { like: String },
    /// The same check, on only the candidates the trigram index (schema 6) finds for `fts`.
    Indexed { like: String, fts: String },
}

/// Chooses how to apply `q`'s link text: through the trigram index when it finds fewer than
/// `cap` candidates, else by scanning. Both give the same rows: the index's pattern only ever
/// matches more (`%` and `_` stay wildcards there, and its case folding covers non-ASCII
/// letters too), and the exact `LIKE` is checked on every candidate.
fn link_filter(conn: &rusqlite::Connection, q: &OrderQuery, cap: i64) -> Result<LinkFilter> {
    let Some(text) = q
        .link_contains
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Ok(LinkFilter::None);
    };
    // The user's `%`, `_` and `\` are literal.
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let like = format!("%{escaped}%");
    // The trigram index answers LIKE only for patterns with three characters in a row that
    // are not wildcards (it would read all of itself otherwise).
    let longest_run = text
        .split(['%', '_'])
        .map(|run| run.chars().count())
        .max()
        .unwrap_or(0);
    if longest_run < 3 {
        return Ok(LinkFilter::Scan { like });
    }
    // The index cannot take an ESCAPE clause: its pattern is the raw text, where `%` and `_`
    // match more than themselves; the exact LIKE then drops what they let in.
    let fts = format!("%{text}%");
    let candidates: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM \
             (SELECT 1 FROM orders_link_fts WHERE link LIKE ?1 LIMIT ?2)",
        )?
        .query_row(rusqlite::params![fts, cap], |r| r.get(0))?;
    Ok(if candidates < cap {
        LinkFilter::Indexed { like, fts }
    } else {
        LinkFilter::Scan { like }
    })
}

/// Builds the `WHERE` clause, appending its arguments to `args` (numbered after those
/// already there).
fn filter(
    conn: &rusqlite::Connection,
    q: &OrderQuery,
    link: &LinkFilter,
    args: &mut Vec<Value>,
) -> Result<String> {
    let mut clauses: Vec<String> = Vec::new();
    if !q.include_archived {
        // Matches the partial `orders_live_*` indexes, so the default list never walks
        // archived rows.
        clauses.push("o.archived_at IS NULL".into());
    }
    if !q.status.is_empty() {
        let marks: Vec<String> = q
            .status
            .iter()
            .map(|s| {
                args.push(Value::Text(s.as_str().into()));
                format!("?{}", args.len())
            })
            .collect();
        clauses.push(format!("o.status IN ({})", marks.join(", ")));
    }
    if let Some(name) = &q.provider {
        let p = crate::providers::by_name(conn, name.trim()).or_else(|_| -> Result<_> {
            // Removed providers' orders stay listable by name.
            use rusqlite::OptionalExtension;
            conn.query_row(
                "SELECT id FROM providers WHERE name = ?1 ORDER BY id DESC LIMIT 1",
                [name.trim()],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|id| crate::providers::by_id(conn, id))
            .transpose()?
            .ok_or_else(|| EngineError::ProviderNotFound(name.clone()))
        })?;
        args.push(Value::Integer(p.id));
        clauses.push(format!("o.provider_id = ?{}", args.len()));
    }
    if let Some(s) = q.service_ref {
        args.push(Value::Integer(s));
        clauses.push(format!("o.service_ref = ?{}", args.len()));
    }
    if let Some(s) = &q.service_id {
        args.push(Value::Text(s.trim().into()));
        clauses.push(format!("o.service_id = ?{}", args.len()));
    }
    if let Some(c) = q.customer {
        args.push(Value::Integer(c));
        clauses.push(format!("o.customer_id = ?{}", args.len()));
    }
    if let Some(t) = q.from {
        args.push(Value::Integer(to_millis(t)));
        clauses.push(format!("o.created_at >= ?{}", args.len()));
    }
    if let Some(t) = q.to {
        args.push(Value::Integer(to_millis(t)));
        clauses.push(format!("o.created_at < ?{}", args.len()));
    }
    match link {
        LinkFilter::None => {}
        LinkFilter::Scan { like } => {
            args.push(Value::Text(like.clone()));
            clauses.push(format!("o.link LIKE ?{} ESCAPE '\\'", args.len()));
        }
        LinkFilter::Indexed { like, fts } => {
            args.push(Value::Text(fts.clone()));
            clauses.push(format!(
                "o.id IN (SELECT rowid FROM orders_link_fts WHERE link LIKE ?{})",
                args.len()
            ));
            args.push(Value::Text(like.clone()));
            clauses.push(format!("o.link LIKE ?{} ESCAPE '\\'", args.len()));
        }
    }
    if let Some(after) = &q.after {
        let c = OrderCursor::decode(after)?;
        args.push(Value::Integer(c.created_at));
        let a = args.len();
        args.push(Value::Integer(c.id));
        clauses.push(format!("(o.created_at, o.id) < (?{a}, ?{})", args.len()));
    }
    Ok(if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    })
}

/// The SQL and arguments of one page (also used to check the query plan).
pub(crate) fn page_sql(
    conn: &rusqlite::Connection,
    q: &OrderQuery,
    limit: u32,
) -> Result<(String, Vec<Value>)> {
    let mut statuses: Vec<OrderStatus> = Vec::new();
    for s in &q.status {
        if !statuses.contains(s) {
            statuses.push(*s);
        }
    }
    let link = link_filter(conn, q, LINK_INDEX_PAGE_CAP)?;
    let mut args: Vec<Value> = Vec::new();
    if statuses.len() < 2 {
        let filter = filter(conn, q, &link, &mut args)?;
        args.push(Value::Integer(i64::from(limit) + 1));
        return Ok((
            format!(
                "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} {filter} \
                 ORDER BY o.created_at DESC, o.id DESC LIMIT ?{}",
                args.len()
            ),
            args,
        ));
    }
    // Several states: SQLite cannot merge the sorted index ranges of `status IN (…)` and would
    // sort every matching row (all of them at a million orders). Each state's newest page comes
    // from its own index range instead, and only those few rows are merged.
    args.push(Value::Integer(i64::from(limit) + 1));
    let mut arms = Vec::new();
    for s in statuses {
        let one = OrderQuery {
            status: vec![s],
            ..q.clone()
        };
        let filter = filter(conn, &one, &link, &mut args)?;
        arms.push(format!(
            "SELECT id FROM (SELECT o.id FROM orders o {filter} \
             ORDER BY o.created_at DESC, o.id DESC LIMIT ?1)"
        ));
    }
    Ok((
        format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.id IN ({}) \
             ORDER BY o.created_at DESC, o.id DESC LIMIT ?1",
            arms.join(" UNION ALL ")
        ),
        args,
    ))
}

fn page(conn: &rusqlite::Connection, q: &OrderQuery, limit: u32) -> Result<OrderPage> {
    let (sql, args) = page_sql(conn, q, limit)?;
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut orders: Vec<Order> = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), order_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let next = if orders.len() > limit as usize {
        orders.truncate(limit as usize);
        orders.last().map(|o| {
            OrderCursor {
                created_at: to_millis(o.created_at),
                id: o.id,
            }
            .encode()
        })
    } else {
        None
    };
    Ok(OrderPage { orders, next })
}

/// RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A text cell from a provider or a user: a leading `=`, `+`, `-`, `@`, tab or CR would make a
/// spreadsheet run it as a formula, so such a cell gets a leading `'` (OWASP CSV injection).
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{text}"))
    } else {
        csv_field(text)
    }
}

/// The CSV header row.
pub const CSV_COLUMNS: [&str; 26] = [
    "id",
    "created_at",
    "provider",
    "service_id",
    "service_name",
    "service_type",
    "service_rate",
    "link",
    "quantity",
    "status",
    "raw_status",
    "external_id",
    "estimated_cost",
    "charge",
    "currency",
    "start_count",
    "remains",
    "reject_reason",
    "last_error",
    "idempotency_key",
    "parent_order_id",
    "customer",
    "sale_price",
    "billed",
    "cost",
    "profit",
];

fn csv_row(o: &Order) -> String {
    let text = |v: &str| csv_text(v);
    let opt_text = |v: &Option<String>| v.as_deref().map(csv_text).unwrap_or_default();
    let num = |v: Option<String>| v.unwrap_or_default();
    let cells = [
        o.id.to_string(),
        o.created_at.to_string(),
        text(&o.provider),
        text(&o.service_id),
        text(&o.service_name),
        text(&o.service_type),
        money::to_text(o.service_rate),
        opt_text(&o.link),
        num(o.quantity.map(|q| q.to_string())),
        o.status.to_string(),
        opt_text(&o.raw_status),
        opt_text(&o.external_id),
        money::to_text(o.estimated_cost),
        num(o.charge.map(money::to_text)),
        opt_text(&o.currency),
        num(o.start_count.map(|q| q.to_string())),
        num(o.remains.map(|q| q.to_string())),
        opt_text(&o.reject_reason),
        opt_text(&o.last_error),
        text(&o.idempotency_key),
        num(o.parent_order_id.map(|q| q.to_string())),
        opt_text(&o.customer),
        num(o.sale_price.map(money::to_text)),
        num(o.settlement.map(|s| money::to_text(s.billed))),
        num(o.settlement.map(|s| money::to_text(s.cost))),
        num(o.settlement.map(|s| money::to_text(s.profit))),
    ];
    cells.join(",")
}

/// How many orders are in one state (the Orders screen's status chips).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// The state.
    pub status: OrderStatus,
    /// Orders in it.
    pub count: u64,
}

impl Engine {
    /// Orders per state under `q`'s filters; its status list, cursor and limit are ignored.
    pub fn order_counts(&self, q: &OrderQuery) -> Result<Vec<StatusCount>> {
        self.store().read(|c| {
            let (sql, args) = counts_sql(c, q)?;
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            let mut counts = Vec::new();
            for row in rows {
                let (status, count) = row?;
                counts.push(StatusCount {
                    status: status.parse()?,
                    count: u64::try_from(count).unwrap_or(0),
                });
            }
            Ok(counts)
        })
    }

    /// The query plan SQLite picks for [`Engine::order_counts`] (for tests and benchmarks).
    pub fn explain_order_counts(&self, q: &OrderQuery) -> Result<Vec<String>> {
        self.store().read(|c| {
            let (sql, args) = counts_sql(c, q)?;
            crate::store::explain(c, &sql, &args)
        })
    }

    /// One page of the order list, newest first, with the cursor of the next page.
    pub fn list_orders(&self, q: &OrderQuery) -> Result<OrderPage> {
        let limit = match q.limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(n) => {
                return Err(EngineError::input(
                    "limit",
                    format!("{n} is not between 1 and {MAX_LIMIT}"),
                ))
            }
        };
        self.store().read(|c| page(c, q, limit))
    }

    /// Writes every order matching `q` (its limit and cursor are ignored) as CSV, newest
    /// first, with a header row; returns the number of orders written.
    pub fn export_orders_csv(&self, q: &OrderQuery, out: &mut dyn Write) -> Result<u64> {
        let io = |e| EngineError::io("writing the CSV export", e);
        out.write_all(CSV_COLUMNS.join(",").as_bytes())
            .map_err(io)?;
        out.write_all(b"\r\n").map_err(io)?;
        let mut q = q.clone();
        q.after = None;
        let mut written = 0;
        loop {
            let page = self.store().read(|c| page(c, &q, EXPORT_PAGE))?;
            for o in &page.orders {
                out.write_all(csv_row(o).as_bytes()).map_err(io)?;
                out.write_all(b"\r\n").map_err(io)?;
                written += 1;
            }
            match page.next {
                Some(next) => q.after = Some(next),
                None => break,
            }
        }
        out.flush().map_err(io)?;
        Ok(written)
    }

    /// The query plan SQLite picks for one page of `q` (for tests and benchmarks).
    pub fn explain_order_list(&self, q: &OrderQuery) -> Result<Vec<String>> {
        self.store().read(|c| {
            let (sql, args) = page_sql(c, q, q.limit.unwrap_or(DEFAULT_LIMIT))?;
            crate::store::explain(c, &sql, &args)
        })
    }
}

/// The SQL and arguments of the counts per state (`q`'s status list, cursor and limit
/// ignored).
fn counts_sql(conn: &rusqlite::Connection, q: &OrderQuery) -> Result<(String, Vec<Value>)> {
    let q = OrderQuery {
        status: Vec::new(),
        after: None,
        limit: None,
        ..q.clone()
    };
    let link = link_filter(conn, &q, LINK_INDEX_COUNTS_CAP)?;
    let mut args = Vec::new();
    let filter = filter(conn, &q, &link, &mut args)?;
    Ok((
        format!(
            "SELECT o.status, count(*) FROM orders o {filter} GROUP BY o.status ORDER BY o.status"
        ),
        args,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_follow_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn csv_text_cells_cannot_become_formulas() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_text("https://instagram.com/p/x"),
            "https://instagram.com/p/x"
        );
    }

    #[test]
    fn cursors_round_trip() {
        let c = OrderCursor {
            created_at: 1_764_000_000_000,
            id: 42,
        };
        assert_eq!(OrderCursor::decode(&c.encode()).unwrap(), c);
        assert!(OrderCursor::decode("x:1").is_err());
        assert!(OrderCursor::decode("12").is_err());
    }
}
