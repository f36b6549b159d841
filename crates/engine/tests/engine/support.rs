//! Shared test setup: a temp data folder, the file key store and a manual clock.

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use smm_engine::clock::ManualClock;
use smm_engine::paths::AppPaths;
use smm_engine::{Engine, EngineOptions, KeyStoreChoice};

/// A fresh engine in its own temp folder.
pub struct TestDesk {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    pub clock: ManualClock,
}

pub fn start() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

pub fn open_in(root: &Path, clock: &ManualClock) -> smm_engine::Result<Engine> {
    Engine::open_with(
        &AppPaths::under(root.to_path_buf()),
        EngineOptions {
            clock: Arc::new(clock.clone()),
            key_store: KeyStoreChoice::File,
            retry: fast_retry(),
        },
    )
}

/// Retries that keep tests fast: 2 attempts, millisecond backoff.
pub fn fast_retry() -> smm_panel::RetryPolicy {
    smm_panel::RetryPolicy {
        max_attempts: 2,
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(5),
        max_retry_after: std::time::Duration::from_millis(5),
        jitter_seed: Some(7),
    }
}

pub fn desk() -> TestDesk {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let engine = open_in(dir.path(), &clock).unwrap();
    TestDesk { dir, engine, clock }
}

/// Every row of every table, as text: equal snapshots mean nothing was written.
pub fn snapshot(engine: &Engine) -> Vec<String> {
    engine
        .store()
        .read(|c| {
            let mut tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tables.retain(|t| !t.starts_with("sqlite_"));
            let mut out = Vec::new();
            for t in tables {
                let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))?;
                let n = stmt.column_count();
                let rows = stmt.query_map([], |r| {
                    let mut line = format!("{t}:");
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        line.push_str(&format!(" {v:?}"));
                    }
                    Ok(line)
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// The bytes of the database file and its WAL.
pub fn database_bytes(engine: &Engine) -> Vec<u8> {
    let db = engine.paths().database_file();
    let mut bytes = std::fs::read(&db).unwrap();
    let wal = db.with_extension("sqlite3-wal");
    if let Ok(more) = std::fs::read(wal) {
        bytes.extend(more);
    }
    bytes
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Rows of the catalog tables only (services, price history).
pub fn catalog_snapshot(engine: &Engine) -> Vec<String> {
    snapshot(engine)
        .into_iter()
        .filter(|r| r.starts_with("services:") || r.starts_with("price_history:"))
        .collect()
}

/// Counts rows.
pub fn count(engine: &Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}
