//! Catalog queries: search and filter services, and list what changed.

use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::Row;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::catalog::{CatalogService, Platform};
use crate::clock::{from_millis, to_millis};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;
use crate::providers::by_name;

/// Most rows one query returns.
pub const MAX_LIMIT: u32 = 1000;

/// How services are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ServiceSort {
    /// Cheapest first.
    #[default]
    PriceAsc,
    /// Dearest first.
    PriceDesc,
    /// By provider, then the provider's category and service id order.
    Provider,
}

/// A catalog search. Every filter is optional; text search matches the service id, the
/// name and the category, case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct ServiceQuery {
    /// Only this provider (by name).
    pub provider: Option<String>,
    /// Text in the service id, name or category.
    pub search: Option<String>,
    /// Exactly this category.
    pub category: Option<String>,
    /// Exactly this type (`Default`, `Custom Comments`, …; case-insensitive).
    pub service_type: Option<String>,
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only services with (true) or without (false) refill.
    pub refill: Option<bool>,
    /// Only services with (true) or without (false) cancel.
    pub cancel: Option<bool>,
    /// Only services with (true) or without (false) drip-feed.
    pub dripfeed: Option<bool>,
    /// Rate per 1000 at least this.
    pub min_rate: Option<Decimal>,
    /// Rate per 1000 at most this.
    pub max_rate: Option<Decimal>,
    /// Include services gone upstream.
    pub include_removed: bool,
    /// Order.
    pub sort: ServiceSort,
    /// Page size (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: u32,
}

/// One page of a catalog search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServicePage {
    /// Matching services in all pages.
    pub total: u64,
    /// This page.
    pub services: Vec<CatalogService>,
}

const SERVICE_COLUMNS: &str = "s.id, s.provider_id, p.name, s.service_id, s.name, s.type, \
     s.category, s.rate, p.currency, s.min, s.max, s.refill, s.cancel, s.dripfeed, \
     s.description, s.platform, s.kind, s.first_seen, \
     CASE WHEN s.removed_at IS NULL THEN max(s.last_seen, ifnull(p.catalog_synced_at, 0)) \
          ELSE s.last_seen END, s.removed_at";

pub(crate) fn service_from_row(r: &Row<'_>) -> rusqlite::Result<CatalogService> {
    let rate: String = r.get(7)?;
    Ok(CatalogService {
        id: r.get(0)?,
        provider_id: r.get(1)?,
        provider: r.get(2)?,
        service_id: r.get(3)?,
        name: r.get(4)?,
        service_type: r.get(5)?,
        category: r.get(6)?,
        rate: money::from_text(&rate).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
        })?,
        currency: r.get(8)?,
        min: r.get::<_, i64>(9)?.max(0) as u64,
        max: r.get::<_, i64>(10)?.max(0) as u64,
        refill: r.get(11)?,
        cancel: r.get(12)?,
        dripfeed: r.get(13)?,
        description: r.get(14)?,
        platform: Platform::from_stored(&r.get::<_, String>(15)?),
        kind: r.get(16)?,
        first_seen: from_millis(r.get(17)?),
        last_seen: from_millis(r.get(18)?),
        removed_at: r.get::<_, Option<i64>>(19)?.map(from_millis),
    })
}

/// What changed in the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new service (after the provider's first sync).
    Added,
    /// Gone upstream.
    Removed,
    /// Rate, min or max changed.
    Price {
        /// Rate per 1000 before.
        old_rate: Decimal,
        /// Rate per 1000 after.
        new_rate: Decimal,
        /// Min before.
        old_min: u64,
        /// Min after.
        new_min: u64,
        /// Max before.
        old_max: u64,
        /// Max after.
        new_max: u64,
    },
}

/// One catalog change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogChange {
    /// When it was seen.
    pub at: Timestamp,
    /// The provider's name.
    pub provider: String,
    /// The service's local id.
    pub service_ref: i64,
    /// The provider's service id.
    pub service_id: String,
    /// The service's name.
    pub name: String,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
}

/// Which changes to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only this provider (by name).
    pub provider: Option<String>,
    /// Only changes at or after this time.
    pub since: Option<Timestamp>,
    /// At most this many (default 100, at most 1000), newest first.
    pub limit: Option<u32>,
}

fn limit_of(limit: Option<u32>) -> Result<u32> {
    match limit {
        None => Ok(100),
        Some(0) => Err(EngineError::input("limit", "must be at least 1")),
        Some(n) if n > MAX_LIMIT => Err(EngineError::input("limit", "must be at most 1000")),
        Some(n) => Ok(n),
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The SQL of one catalog search: the count of matches and one page, with their arguments.
struct ServiceSql {
    count: String,
    page: String,
    args: Vec<Value>,
}

fn service_sql(c: &rusqlite::Connection, q: &ServiceQuery, limit: u32) -> Result<ServiceSql> {
    if let (Some(lo), Some(hi)) = (q.min_rate, q.max_rate) {
        if lo > hi {
            return Err(EngineError::input("max_rate", "must not be below min_rate"));
        }
    }
    let mut filters: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(name) = &q.provider {
        let provider = by_name(c, name)?;
        filters.push(format!(
            "s.provider_id = {}",
            arg(Value::Integer(provider.id))
        ));
    } else {
        // Live providers only, without a join (the count stays on one index).
        let (live, all): (Vec<i64>, i64) = {
            let mut stmt = c.prepare_cached("SELECT id FROM providers WHERE removed_at IS NULL")?;
            let live = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let all = c.query_row("SELECT count(*) FROM providers", [], |r| r.get(0))?;
            (live, all)
        };
        if (live.len() as i64) < all {
            let ids: Vec<String> = live.iter().map(i64::to_string).collect();
            filters.push(format!("s.provider_id IN ({})", ids.join(",")));
        }
    }
    if !q.include_removed {
        // `services_rate` (removed_at, rate_sort, search_text): the count and a text
        // search are tested inside that index, never on the wide table rows.
        filters.push("s.removed_at IS NULL".into());
    }
    if filters.is_empty() {
        filters.push("1".into());
    }
    if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&text.to_lowercase()));
        filters.push(format!(
            "s.search_text LIKE {} ESCAPE '\\'",
            arg(Value::Text(pattern))
        ));
    }
    if let Some(cat) = &q.category {
        filters.push(format!("s.category = {}", arg(Value::Text(cat.clone()))));
    }
    if let Some(t) = &q.service_type {
        filters.push(format!(
            "s.type = {} COLLATE NOCASE",
            arg(Value::Text(t.trim().to_string()))
        ));
    }
    if let Some(p) = q.platform {
        filters.push(format!(
            "s.platform = {}",
            arg(Value::Text(p.as_str().into()))
        ));
    }
    for (column, flag) in [
        ("refill", q.refill),
        ("cancel", q.cancel),
        ("dripfeed", q.dripfeed),
    ] {
        if let Some(f) = flag {
            filters.push(format!("s.{column} = {}", arg(Value::Integer(f.into()))));
        }
    }
    if let Some(lo) = q.min_rate {
        filters.push(format!(
            "s.rate_sort >= {}",
            arg(Value::Text(money::sort_key(lo)))
        ));
    }
    if let Some(hi) = q.max_rate {
        filters.push(format!(
            "s.rate_sort <= {}",
            arg(Value::Text(money::sort_key(hi)))
        ));
    }
    let filter_sql = filters.join(" AND ");
    let order = match q.sort {
        ServiceSort::PriceAsc => "s.rate_sort ASC, s.id ASC",
        ServiceSort::PriceDesc => "s.rate_sort DESC, s.id ASC",
        ServiceSort::Provider => "p.priority DESC, p.name, s.id",
    };
    Ok(ServiceSql {
        count: format!("SELECT count(*) FROM services s WHERE {filter_sql}"),
        page: format!(
            "SELECT {SERVICE_COLUMNS} FROM services s JOIN providers p ON p.id = s.provider_id \
             WHERE {filter_sql} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        ),
        args,
    })
}

impl Engine {
    /// Searches the catalog (all live providers' services unless filtered).
    pub fn list_services(&self, q: &ServiceQuery) -> Result<ServicePage> {
        let limit = limit_of(q.limit)?;
        self.store().read(|c| {
            let sql = service_sql(c, q, limit)?;
            let args = rusqlite::params_from_iter(sql.args.iter());
            let total: i64 = c.query_row(&sql.count, args, |r| r.get(0))?;
            let mut stmt = c.prepare_cached(&sql.page)?;
            let services = stmt
                .query_map(
                    rusqlite::params_from_iter(sql.args.iter()),
                    service_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ServicePage {
                total: total.max(0) as u64,
                services,
            })
        })
    }

    /// The query plans SQLite picks for a catalog search: the count's, then the page's (for
    /// tests and benchmarks).
    pub fn explain_service_search(&self, q: &ServiceQuery) -> Result<(Vec<String>, Vec<String>)> {
        let limit = limit_of(q.limit)?;
        self.store().read(|c| {
            let sql = service_sql(c, q, limit)?;
            Ok((
                crate::store::explain(c, &sql.count, &sql.args)?,
                crate::store::explain(c, &sql.page, &sql.args)?,
            ))
        })
    }

    /// One service by its local id (removed ones included, for orders).
    pub fn service(&self, id: i64) -> Result<CatalogService> {
        self.store().read(|c| {
            use rusqlite::OptionalExtension;
            c.prepare_cached(&format!(
                "SELECT {SERVICE_COLUMNS} FROM services s JOIN providers p ON p.id = s.provider_id \
                 WHERE s.id = ?1"
            ))?
            .query_row([id], service_from_row)
            .optional()?
            .ok_or_else(|| EngineError::input("service", format!("no service #{id}")))
        })
    }

    /// Catalog changes, newest first: price changes, new services (not counting a provider's
    /// first sync) and services gone upstream.
    pub fn catalog_changes(&self, q: &ChangeQuery) -> Result<Vec<CatalogChange>> {
        let limit = limit_of(q.limit)?;
        let since = q.since.map(to_millis).unwrap_or(i64::MIN);
        self.store().read(|c| {
            let provider_id = match &q.provider {
                Some(name) => Some(by_name(c, name)?.id),
                None => None,
            };
            let sql = "SELECT at, provider, service_ref, service_id, name, change, old_rate, \
                 new_rate, old_min, new_min, old_max, new_max FROM ( \
                   SELECT h.changed_at AS at, p.name AS provider, s.id AS service_ref, \
                     s.service_id, s.name, 'price' AS change, h.old_rate, h.new_rate, h.old_min, \
                     h.new_min, h.old_max, h.new_max, h.id AS tiebreak \
                   FROM price_history h JOIN services s ON s.id = h.service_ref \
                     JOIN providers p ON p.id = h.provider_id \
                   WHERE h.changed_at >= ?1 AND (?2 IS NULL OR h.provider_id = ?2) \
                 UNION ALL \
                   SELECT s.first_seen, p.name, s.id, s.service_id, s.name, 'added', NULL, NULL, \
                     NULL, NULL, NULL, NULL, s.id \
                   FROM services s JOIN providers p ON p.id = s.provider_id \
                   WHERE s.first_seen >= ?1 AND (?2 IS NULL OR s.provider_id = ?2) \
                     AND s.first_seen > (SELECT min(first_seen) FROM services f \
                                         WHERE f.provider_id = s.provider_id) \
                 UNION ALL \
                   SELECT s.removed_at, p.name, s.id, s.service_id, s.name, 'removed', NULL, \
                     NULL, NULL, NULL, NULL, NULL, s.id \
                   FROM services s JOIN providers p ON p.id = s.provider_id \
                   WHERE s.removed_at >= ?1 AND (?2 IS NULL OR s.provider_id = ?2) \
                 ) ORDER BY at DESC, tiebreak DESC LIMIT ?3";
            let mut stmt = c.prepare_cached(sql)?;
            let rows = stmt.query_map(rusqlite::params![since, provider_id, limit], |r| {
                let change: String = r.get(5)?;
                let dec = |i: usize| -> rusqlite::Result<Decimal> {
                    let t: String = r.get(i)?;
                    money::from_text(&t).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            i,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    })
                };
                let n =
                    |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
                let kind = match change.as_str() {
                    "added" => ChangeKind::Added,
                    "removed" => ChangeKind::Removed,
                    _ => ChangeKind::Price {
                        old_rate: dec(6)?,
                        new_rate: dec(7)?,
                        old_min: n(8)?,
                        new_min: n(9)?,
                        old_max: n(10)?,
                        new_max: n(11)?,
                    },
                };
                Ok(CatalogChange {
                    at: from_millis(r.get(0)?),
                    provider: r.get(1)?,
                    service_ref: r.get(2)?,
                    service_id: r.get(3)?,
                    name: r.get(4)?,
                    kind,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// A category and how many live services it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// The category as the provider writes it.
    pub category: String,
    /// Live services in it.
    pub services: u64,
}

impl Engine {
    /// The categories of live services (of one provider, or of all live providers), by name.
    pub fn catalog_categories(&self, provider: Option<&str>) -> Result<Vec<CategoryCount>> {
        self.store().read(|c| {
            let provider_id = provider
                .map(|name| by_name(c, name))
                .transpose()?
                .map(|p| p.id);
            let mut stmt = c.prepare_cached(
                "SELECT s.category, count(*) FROM services s \
                 WHERE s.removed_at IS NULL AND (?1 IS NULL OR s.provider_id = ?1) \
                   AND s.provider_id IN (SELECT id FROM providers WHERE removed_at IS NULL) \
                 GROUP BY s.category ORDER BY s.category",
            )?;
            let rows = stmt.query_map([provider_id], |r| {
                Ok(CategoryCount {
                    category: r.get(0)?,
                    services: r.get::<_, i64>(1)?.max(0) as u64,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}
