//! Moving the data folder: a checked copy, the key file along, the pointer switched last.

use smm_engine::data::MoveMode;
use smm_engine::paths::{read_pointer, AppPaths, DataDirSource};
use smm_engine::{KeyStore, NewOrder};

use crate::support::*;

fn orders(engine: &smm_engine::Engine) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn moving_copies_the_database_and_key_then_switches_the_pointer() {
    let desk = desk().await;
    desk.engine
        .place_order(NewOrder::new(
            "sim",
            DEFAULT_SVC,
            "https://instagram.com/p/m",
            100,
        ))
        .await
        .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let pointer = elsewhere.path().join("os-config/data-dir");
    let target = elsewhere.path().join("new place");
    let old_files: Vec<_> = std::fs::read_dir(desk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    std::fs::write(
        desk.dir.path().join("config/ui-settings.json"),
        r#"{"language":"ar"}"#,
    )
    .unwrap();
    let moved = desk
        .engine
        .move_data_folder(&DataDirSource::Default, &pointer, &target, MoveMode::Copy)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(target.join("config/ui-settings.json")).unwrap(),
        r#"{"language":"ar"}"#,
        "the app's preferences come along"
    );
    assert!(moved.copied && moved.key_file_copied);
    assert_eq!(moved.old_dir, desk.dir.path());
    assert_eq!(moved.summary.orders, 1);
    assert_eq!(read_pointer(&pointer).unwrap(), Some(target.clone()));
    // The old folder is left as it was (and still works).
    let still: Vec<_> = std::fs::read_dir(desk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(still.len(), old_files.len());
    assert_eq!(orders(&desk.engine), 1);

    let key = target.join("config/master.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(
        std::fs::read(&key).unwrap(),
        std::fs::read(desk.dir.path().join("config/master.key")).unwrap()
    );

    // The new folder opens on its own, with the same data and a key that decrypts.
    let clock = desk.clock.clone();
    let moved_engine = open_in(&target, &clock);
    assert_eq!(orders(&moved_engine), 1);
    assert_eq!(moved_engine.key_store(), &KeyStore::KeyFile(key));
    assert!(moved_engine.provider("sim").is_ok());
    drop(moved_engine);

    // Now it holds data: copying there again is refused; using it is allowed.
    let err = desk
        .engine
        .move_data_folder(&DataDirSource::Default, &pointer, &target, MoveMode::Copy)
        .unwrap_err();
    assert_eq!(err.code(), "data_dir.has_data");
    std::fs::remove_file(&pointer).unwrap();
    let used = desk
        .engine
        .move_data_folder(
            &DataDirSource::Default,
            &pointer,
            &target,
            MoveMode::UseExisting,
        )
        .unwrap();
    assert!(!used.copied && !used.key_file_copied);
    assert_eq!(read_pointer(&pointer).unwrap(), Some(target.clone()));
}

#[tokio::test]
async fn refusals_change_nothing() {
    let desk = desk().await;
    let tmp = tempfile::tempdir().unwrap();
    let pointer = tmp.path().join("cfg/data-dir");
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let cases = [
        (
            DataDirSource::Env,
            empty.clone(),
            MoveMode::Copy,
            "data_dir.forced",
        ),
        (
            DataDirSource::Explicit,
            empty.clone(),
            MoveMode::Copy,
            "data_dir.forced",
        ),
        (
            DataDirSource::Default,
            desk.dir.path().to_path_buf(),
            MoveMode::Copy,
            "data_dir.same",
        ),
        (
            DataDirSource::Default,
            empty.clone(),
            MoveMode::UseExisting,
            "data_dir.no_data",
        ),
        (
            DataDirSource::Default,
            tmp.path().join("file"),
            MoveMode::Copy,
            "input.invalid",
        ),
    ];
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    for (source, target, mode, code) in cases {
        let err = desk
            .engine
            .move_data_folder(&source, &pointer, &target, mode)
            .unwrap_err();
        assert_eq!(err.code(), code, "{target:?}: {err}");
        assert!(!pointer.exists(), "{code}");
    }
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);

    // Another SMM Desk's data under another master key: using it is refused.
    let other = tempfile::tempdir().unwrap();
    let foreign = desk_with(sim_with(Default::default()).await, "other").await;
    let db = AppPaths::under(other.path().to_path_buf()).database_file();
    foreign.engine.store().backup_to(&db).unwrap();
    let err = desk
        .engine
        .move_data_folder(
            &DataDirSource::Default,
            &pointer,
            other.path(),
            MoveMode::UseExisting,
        )
        .unwrap_err();
    assert_eq!(err.code(), "restore.key_mismatch", "{err}");
    assert!(!pointer.exists());
    assert!(!other.path().join("config").exists(), "no key file copied");
}
