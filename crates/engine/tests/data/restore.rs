//! Restore: a valid round trip, and every kind of bad file refused with nothing changed.

use std::path::{Path, PathBuf};

use smm_engine::data::{self, PENDING_RESTORE_FILE};
use smm_engine::paths::AppPaths;
use smm_engine::{Engine, KeyStoreChoice, NewOrder, OrderStatus};

use crate::desk;
use crate::support::*;

fn paths(desk: &Desk) -> AppPaths {
    AppPaths::under(desk.dir.path().to_path_buf())
}

/// Every file in the data folder with its size and content hash (the lock file aside).
fn folder_state(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                (format!("{name}/"), Vec::new())
            } else {
                (name, std::fs::read(e.path()).unwrap())
            }
        })
        .filter(|(n, _)| n != data::LOCK_FILE)
        .collect();
    out.sort();
    out
}

fn order_count(engine: &Engine) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?))
        .unwrap()
}

fn before_restore_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("smm-desk.before-restore-")
        })
        .collect()
}

#[tokio::test]
async fn backup_then_order_then_restore_brings_the_backup_back_and_keeps_the_previous_data() {
    let desk = desk().await;
    let first = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/one",
            100,
        ))
        .await
        .unwrap();
    let backup = tempfile::tempdir().unwrap();
    let file = backup.path().join("backup.sqlite3");
    desk.engine.store().backup_to(&file).unwrap();
    let later = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/two",
            200,
        ))
        .await
        .unwrap();
    assert_eq!(order_count(&desk.engine), 2);

    // Staged while the engine runs: the live database is not touched.
    let before = desk::snapshot(&desk.engine);
    let pending = data::stage_restore(&paths(&desk), KeyStoreChoice::File, &file).unwrap();
    assert_eq!(pending.summary.orders, 1);
    assert_eq!(pending.summary.providers, 1);
    assert_eq!(desk::snapshot(&desk.engine), before);
    assert!(desk.dir.path().join(PENDING_RESTORE_FILE).is_file());
    let backup_bytes = std::fs::read(&file).unwrap();

    let Desk {
        dir,
        engine,
        clock,
        sim: _sim,
    } = desk;
    drop(engine);
    let engine = open_in(dir.path(), &clock);
    let applied = engine
        .applied_restore()
        .cloned()
        .expect("the restore was applied");
    assert_eq!(order_count(&engine), 1);
    assert_eq!(
        engine.order(first.id).unwrap().link.as_deref(),
        Some("https://instagram.com/p/one")
    );
    assert!(engine.order(later.id).is_err(), "the later order is gone");
    assert!(!dir.path().join(PENDING_RESTORE_FILE).exists());
    // The user's backup file is untouched.
    assert_eq!(std::fs::read(&file).unwrap(), backup_bytes);

    // The replaced database is kept whole (its WAL folded in) and opens on its own.
    assert_eq!(
        before_restore_files(dir.path()),
        vec![applied.previous.clone()]
    );
    assert!(applied
        .previous
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("smm-desk.before-restore-20261124-120000"));
    let kept = rusqlite::Connection::open(&applied.previous).unwrap();
    let n: i64 = kept
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    drop(kept);

    // A restore is itself undoable: restoring the kept copy brings the later order back.
    data::stage_restore(
        &paths_of(dir.path()),
        KeyStoreChoice::File,
        &applied.previous,
    )
    .unwrap();
    drop(engine);
    let engine = open_in(dir.path(), &clock);
    assert_eq!(order_count(&engine), 2);
    assert_eq!(before_restore_files(dir.path()).len(), 2);
}

fn paths_of(dir: &Path) -> AppPaths {
    AppPaths::under(dir.to_path_buf())
}

#[tokio::test]
async fn orders_submitting_in_the_backup_go_through_recovery() {
    let desk = desk().await;
    let order = desk
        .engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/s",
            100,
        ))
        .await
        .unwrap();
    let backup = tempfile::tempdir().unwrap();
    let file = backup.path().join("b.sqlite3");
    desk.engine.store().backup_to(&file).unwrap();
    // As if the backup had been taken while the order was being sent.
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute(
            "UPDATE orders SET status = 'submitting', external_id = NULL",
            [],
        )
        .unwrap();
    data::stage_restore(&paths(&desk), KeyStoreChoice::File, &file).unwrap();
    let Desk {
        dir, engine, clock, ..
    } = desk;
    drop(engine);
    let engine = open_in(dir.path(), &clock);
    assert_eq!(engine.order(order.id).unwrap().status, OrderStatus::Unknown);
}

/// Stages `file` and checks the error code and that nothing in the data folder changed.
fn refused(desk: &Desk, file: &Path, code: &str) {
    let before_rows = desk::snapshot(&desk.engine);
    let before_files = folder_state(desk.dir.path());
    let err = data::stage_restore(&paths(desk), KeyStoreChoice::File, file).unwrap_err();
    assert_eq!(err.code(), code, "{}: {err}", file.display());
    assert!(!err.to_string().is_empty());
    let err = data::inspect_backup(&paths(desk), KeyStoreChoice::File, file).unwrap_err();
    assert_eq!(err.code(), code, "inspect {}: {err}", file.display());
    assert_eq!(desk::snapshot(&desk.engine), before_rows);
    assert_eq!(folder_state(desk.dir.path()), before_files, "{code}");
    assert!(data::pending_restore(&paths(desk)).is_none());
}

#[tokio::test]
async fn bad_files_are_refused_and_nothing_changes() {
    let desk = desk().await;
    desk.engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/k",
            100,
        ))
        .await
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name);

    refused(&desk, &t("missing.sqlite3"), "restore.not_found");
    std::fs::create_dir(t("folder")).unwrap();
    refused(&desk, &t("folder"), "restore.not_a_file");
    std::fs::write(t("notes.txt"), "order 1: 100 followers\n".repeat(100)).unwrap();
    refused(&desk, &t("notes.txt"), "restore.not_sqlite");
    std::fs::write(t("empty.sqlite3"), b"").unwrap();
    refused(&desk, &t("empty.sqlite3"), "restore.not_sqlite");

    // Another program's SQLite database.
    let other = rusqlite::Connection::open(t("other.sqlite3")).unwrap();
    other.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');").unwrap();
    drop(other);
    refused(&desk, &t("other.sqlite3"), "restore.not_smm_desk");

    // A good backup, then damaged copies of it.
    let good = t("good.sqlite3");
    desk.engine.store().backup_to(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let page: usize = 4096;
    assert!(bytes.len() > 8 * page, "backup is {} bytes", bytes.len());
    std::fs::write(t("truncated.sqlite3"), &bytes[..bytes.len() / 2]).unwrap();
    refused(&desk, &t("truncated.sqlite3"), "restore.corrupt");
    let mut scribbled = bytes.clone();
    for b in &mut scribbled[2 * page..6 * page] {
        *b = 0x5a;
    }
    std::fs::write(t("scribbled.sqlite3"), &scribbled).unwrap();
    refused(&desk, &t("scribbled.sqlite3"), "restore.corrupt");

    // Written by a newer SMM Desk.
    std::fs::copy(&good, t("newer.sqlite3")).unwrap();
    let c = rusqlite::Connection::open(t("newer.sqlite3")).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    refused(&desk, &t("newer.sqlite3"), "restore.newer_schema");

    // A live database (its -wal beside it): copying the main file alone would lose data.
    std::fs::copy(&good, t("live.sqlite3")).unwrap();
    std::fs::write(t("live.sqlite3-wal"), vec![1u8; 4096]).unwrap();
    refused(&desk, &t("live.sqlite3"), "restore.live_database");

    // Made on another computer (another master key): its API keys cannot be decrypted.
    let foreign = desk_with(sim_with(Default::default()).await, "elsewhere").await;
    foreign
        .engine
        .store()
        .backup_to(&t("foreign.sqlite3"))
        .unwrap();
    refused(&desk, &t("foreign.sqlite3"), "restore.key_mismatch");

    // The good one passes both checks.
    let summary = data::inspect_backup(&paths(&desk), KeyStoreChoice::File, &good).unwrap();
    assert_eq!((summary.orders, summary.providers), (1, 1));
}

#[tokio::test]
async fn a_restore_waits_while_another_program_has_the_folder_open_and_can_be_cancelled() {
    let desk = desk().await;
    let file = desk.dir.path().join("..").join(format!(
        "{}-b.sqlite3",
        desk.dir.path().file_name().unwrap().to_string_lossy()
    ));
    desk.engine.store().backup_to(&file).unwrap();
    desk.engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/w",
            100,
        ))
        .await
        .unwrap();
    data::stage_restore(&paths(&desk), KeyStoreChoice::File, &file).unwrap();

    // `desk.engine` still holds the folder: a second open cannot replace the database.
    let second = open_in(desk.dir.path(), &desk.clock);
    assert!(second.applied_restore().is_none());
    assert!(second.restore_blocked());
    assert_eq!(order_count(&second), 1);
    drop(second);

    assert!(data::cancel_restore(&paths(&desk)).unwrap());
    assert!(!data::cancel_restore(&paths(&desk)).unwrap());
    let Desk {
        dir, engine, clock, ..
    } = desk;
    drop(engine);
    let engine = open_in(dir.path(), &clock);
    assert!(engine.applied_restore().is_none());
    assert_eq!(order_count(&engine), 1);
    assert!(before_restore_files(dir.path()).is_empty());
    let _ = std::fs::remove_file(file);
}
