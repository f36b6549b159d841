//! Forward-only schema migrations, embedded in the binary, tracked in `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{EngineError, Result};

/// The migrations, in order; migration `n` (1-based) brings the schema to version `n`.
/// Never edit a released migration: add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_providers_catalog.sql"),
    include_str!("migrations/0002_orders.sql"),
    include_str!("migrations/0003_order_placement.sql"),
    include_str!("migrations/0004_scheduler_alerts.sql"),
    include_str!("migrations/0005_live_order_indexes.sql"),
    include_str!("migrations/0006_order_link_search.sql"),
    include_str!("migrations/0007_provider_replies.sql"),
    include_str!("migrations/0008_webhooks.sql"),
    include_str!("migrations/0009_catalog_search_index.sql"),
    include_str!("migrations/0010_price_rules.sql"),
    include_str!("migrations/0011_customers_sales.sql"),
    include_str!("migrations/0012_schedules.sql"),
    include_str!("migrations/0013_balance_topups.sql"),
    include_str!("migrations/0014_offer_groups.sql"),
];

/// The newest schema version this binary knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The database's schema version (0 for a new file).
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies the migrations the database lacks, up to `target`, each in its own
/// `BEGIN IMMEDIATE` transaction. Refuses a database newer than this binary
/// (`store.newer_schema`) without touching it.
pub fn apply_migrations(conn: &mut Connection, target: i64) -> Result<()> {
    let target = target.clamp(0, SCHEMA_VERSION);
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = schema_version(&tx)?;
        if current > SCHEMA_VERSION {
            return Err(EngineError::NewerSchema {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        if current >= target {
            return Ok(());
        }
        let sql = MIGRATIONS[current as usize];
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        tracing::info!(version = current + 1, "database schema migrated");
    }
}
