//! The SQLite store: a small connection pool, WAL, foreign keys, `BEGIN IMMEDIATE` writes and
//! embedded forward-only migrations applied on open.

mod migrate;
mod pool;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use migrate::{apply_migrations, schema_version, SCHEMA_VERSION};
pub use pool::PooledConnection;

use crate::error::{EngineError, Result};

/// How long a connection waits for a lock held by another writer before failing.
const BUSY_TIMEOUT_MS: u32 = 10_000;
/// Connections kept open at most (readers run in parallel under WAL; writers queue).
const MAX_CONNECTIONS: usize = 4;
/// How long a caller waits for a free connection.
const CHECKOUT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The database. Cheap to clone; every clone shares one pool.
#[derive(Clone)]
pub struct Store {
    inner: Arc<pool::Pool>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// Fails with `store.newer_schema` when the file was written by a newer SMM Desk.
    pub fn open(path: &Path) -> Result<Self> {
        let pool = pool::Pool::new(
            path.to_path_buf(),
            MAX_CONNECTIONS,
            CHECKOUT_TIMEOUT,
            configure,
        );
        let store = Self {
            inner: Arc::new(pool),
        };
        {
            let mut conn = store.connection()?;
            // Refuse a newer database before anything (even the journal mode) is written.
            let found = schema_version(&conn)?;
            if found > SCHEMA_VERSION {
                return Err(EngineError::NewerSchema {
                    found,
                    known: SCHEMA_VERSION,
                });
            }
            conn.pragma_update(None, "journal_mode", "WAL")?;
            apply_migrations(&mut conn, SCHEMA_VERSION)?;
        }
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &PathBuf {
        self.inner.path()
    }

    /// A connection from the pool (returned when dropped).
    pub fn connection(&self) -> Result<PooledConnection<'_>> {
        Ok(self.inner.get()?)
    }

    /// Runs `f` on a pooled connection, for reads.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.connection()?;
        f(&conn)
    }

    /// Writes a consistent copy of the database to `path` (`VACUUM INTO`), which must not
    /// exist yet; returns its size in bytes. Readers and writers go on meanwhile.
    pub fn backup_to(&self, path: &Path) -> Result<u64> {
        if path.exists() {
            return Err(EngineError::input(
                "path",
                format!("{} already exists; choose a new file", path.display()),
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| EngineError::input("path", "the path is not valid UTF-8"))?;
        self.read(|c| Ok(c.execute("VACUUM INTO ?1", [target])?))?;
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| EngineError::input("path", e.to_string()))
    }

    /// Runs `f` inside a `BEGIN IMMEDIATE` transaction; commits when `f` returns `Ok`, rolls
    /// back otherwise (bad input changes nothing).
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.connection()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Per-connection settings.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Reads one setting.
pub fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Writes one setting.
pub fn put_setting(conn: &Connection, key: &str, value: &str, now_ms: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        rusqlite::params![key, value, now_ms],
    )?;
    Ok(())
}

impl From<pool::PoolError> for EngineError {
    fn from(e: pool::PoolError) -> Self {
        match e {
            pool::PoolError::Sqlite(e) => EngineError::Store(e),
            pool::PoolError::Timeout => EngineError::StoreBusy,
        }
    }
}

/// The steps of SQLite's query plan for `sql`.
pub(crate) fn explain(
    conn: &Connection,
    sql: &str,
    args: &[rusqlite::types::Value],
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        r.get::<_, String>(3)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
