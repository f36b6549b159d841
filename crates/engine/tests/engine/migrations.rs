//! Schema migrations: from an empty file, from schema 1, and refusing a newer schema.

use rusqlite::Connection;
use smm_engine::store::{apply_migrations, schema_version, Store, SCHEMA_VERSION};

use crate::support::{desk, open_in};

fn tables(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn an_empty_file_gets_the_whole_schema_in_wal_mode_with_foreign_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("db.sqlite3")).unwrap();
    let conn = store.connection().unwrap();
    assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    let names = tables(&conn);
    for t in [
        "api_calls",
        "balance_snapshots",
        "cancel_requests",
        "job_runs",
        "order_events",
        "orders",
        "price_history",
        "providers",
        "refills",
        "services",
        "settings",
    ] {
        assert!(names.iter().any(|n| n == t), "missing table {t}: {names:?}");
    }
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let err = conn
        .execute(
            "INSERT INTO services (provider_id, service_id, name, type, category, rate, rate_sort, \
             min, max, refill, cancel, dripfeed, platform, kind, offer_key, search_text, \
             first_seen, last_seen) VALUES (999, '1', 'x', 'Default', 'c', '1', '1', 1, 2, 0, 0, 0, \
             'other', 'other', 'k', 's', 0, 0)",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    // Reopening changes nothing.
    drop(conn);
    drop(store);
    let again = Store::open(&tmp.path().join("db.sqlite3")).unwrap();
    assert_eq!(
        schema_version(&again.connection().unwrap()).unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_schema_1_database_keeps_its_rows_when_migrated_up() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("db.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        apply_migrations(&mut conn, 1).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), 1);
        assert!(!tables(&conn).iter().any(|t| t == "orders"));
        conn.execute_batch(
            "INSERT INTO providers (id, name, display_name, api_url, api_key_enc, key_last4, \
               created_at, updated_at) VALUES (1, 'old', 'Old', 'https://old.example/api/v2', x'00', '', 1, 1);
             INSERT INTO services (id, provider_id, service_id, name, type, category, rate, rate_sort, \
               min, max, refill, cancel, dripfeed, platform, kind, offer_key, search_text, first_seen, last_seen) \
               VALUES (10, 1, '42', 'Instagram Followers', 'Default', 'Instagram', '0.9', 'x', 10, 1000, \
               1, 0, 0, 'instagram', 'followers', 'k', 's', 1, 1);
             INSERT INTO price_history (service_ref, provider_id, changed_at, old_rate, new_rate, \
               old_min, new_min, old_max, new_max) VALUES (10, 1, 2, '1', '0.9', 10, 10, 1000, 1000);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = store.connection().unwrap();
    assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    let (name, rate): (String, String) = conn
        .query_row(
            "SELECT p.name, s.rate FROM services s JOIN providers p ON p.id = s.provider_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), rate.as_str()), ("old", "0.9"));
    let history: i64 = conn
        .query_row("SELECT count(*) FROM price_history", [], |r| r.get(0))
        .unwrap();
    assert_eq!(history, 1);
    // The new tables work with the old rows.
    conn.execute(
        "INSERT INTO orders (idempotency_key, provider_id, service_ref, service_id, service_name, \
         service_type, service_rate, link, quantity, estimated_cost, status, created_at, updated_at) \
         VALUES ('k1', 1, 10, '42', 'Instagram Followers', 'Default', '0.9', 'https://x', 100, '0.09', \
         'submitting', 3, 3)",
        [],
    )
    .unwrap();
    let dup = conn.execute(
        "INSERT INTO orders (idempotency_key, provider_id, service_id, service_name, service_type, \
         service_rate, estimated_cost, status, created_at, updated_at) \
         VALUES ('k1', 1, '42', 'n', 'Default', '0.9', '0', 'submitting', 3, 3)",
        [],
    );
    assert!(dup.is_err(), "idempotency keys are unique");
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("db.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "store.newer_schema");
    assert!(err.to_string().contains("update SMM Desk"), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION + 1);
    assert!(tables(&conn).is_empty(), "nothing was created");
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "not even the journal mode was changed");
}

#[test]
fn the_engine_refuses_a_newer_database_too() {
    let d = desk();
    let db = d.engine.paths().database_file();
    drop(d.engine);
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .unwrap();
    let err = open_in(d.dir.path(), &d.clock).unwrap_err();
    assert_eq!(err.code(), "store.newer_schema");
}

#[test]
fn a_backup_is_a_consistent_database_and_never_overwrites_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("db.sqlite3")).unwrap();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 0)",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let copy = tmp.path().join("backup.sqlite3");
    let bytes = store.backup_to(&copy).unwrap();
    assert!(bytes > 0);
    let restored = Store::open(&copy).unwrap();
    let conn = restored.connection().unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let v: String = conn
        .query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v, "v");
    let before = std::fs::read(&copy).unwrap();
    let e = store.backup_to(&copy).unwrap_err();
    assert_eq!(e.code(), "input.invalid");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the existing file is untouched"
    );
}

#[test]
fn schema_6_indexes_the_links_of_existing_orders_and_follows_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("db.sqlite3");
    let insert = "INSERT INTO orders (idempotency_key, provider_id, service_id, service_name, \
         service_type, service_rate, link, estimated_cost, status, created_at, updated_at) \
         VALUES (?1, 1, '42', 'n', 'Default', '0.9', ?2, '0', 'completed', 3, 3)";
    {
        let mut conn = Connection::open(&path).unwrap();
        apply_migrations(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO providers (id, name, display_name, api_url, api_key_enc, key_last4, \
               created_at, updated_at) VALUES (1, 'old', 'Old', 'https://old.example/api/v2', x'00', '', 1, 1);",
        )
        .unwrap();
        conn.execute(insert, ["k1", "https://instagram.com/p/OldPost"])
            .unwrap();
        conn.execute(insert, ["k2", "https://tiktok.com/@someone"])
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = store.connection().unwrap();
    // The bundled SQLite has FTS5 and its trigram tokenizer.
    let fts5: i64 = conn
        .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fts5, 1);
    let find = |text: &str| -> Vec<String> {
        conn.prepare(
            "SELECT o.idempotency_key FROM orders_link_fts f JOIN orders o ON o.id = f.rowid \
             WHERE f.link LIKE ?1 ORDER BY o.id",
        )
        .unwrap()
        .query_map([format!("%{text}%")], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    assert_eq!(find("oldpost"), ["k1"], "orders from before schema 6");
    conn.execute(insert, ["k3", "https://instagram.com/p/NewPost"])
        .unwrap();
    assert_eq!(find("instagram"), ["k1", "k3"]);
    conn.execute(
        "UPDATE orders SET link = 'https://youtube.com/watch?v=abc' WHERE idempotency_key = 'k1'",
        [],
    )
    .unwrap();
    assert_eq!(find("oldpost"), Vec::<String>::new());
    assert_eq!(find("youtube"), ["k1"]);
    conn.execute("DELETE FROM orders WHERE idempotency_key = 'k2'", [])
        .unwrap();
    assert_eq!(find("tiktok"), Vec::<String>::new());
    conn.execute_batch("INSERT INTO orders_link_fts (orders_link_fts) VALUES ('integrity-check')")
        .unwrap();
}
