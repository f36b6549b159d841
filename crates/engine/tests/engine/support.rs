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
            ..Default::default()
        },
    )
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
