//! Providers: add, update, enable/disable, remove, presets, bad input, secrets at rest.

use std::str::FromStr;

use rust_decimal::Decimal;
use smm_engine::providers::preset;
use smm_engine::{ApiKey, KeyStore, NewProvider, ProviderUpdate};

use crate::support::{contains, database_bytes, desk, open_in, snapshot};

const KEY: &str = "CANARY-key-0123456789abcdef-XYZW";

fn sim_provider(name: &str) -> NewProvider {
    NewProvider::new(name, "http://127.0.0.1:9/api/v2", ApiKey::new(KEY))
}

#[test]
fn add_list_show_update_and_remove() {
    let d = desk();
    let e = &d.engine;
    let jap = e
        .add_provider(NewProvider::from_preset(
            preset("jap").unwrap(),
            ApiKey::new("jap-key-000000000001"),
        ))
        .unwrap();
    assert_eq!(jap.name, "justanotherpanel");
    assert_eq!(jap.display_name, "Just Another Panel");
    assert_eq!(jap.api_url, "https://justanotherpanel.com/api/v2");
    assert_eq!(jap.key_hint, "••••0001");
    assert!(jap.active);
    let mut sim = sim_provider("sim");
    sim.priority = 5;
    let sim = e.add_provider(sim).unwrap();
    assert_eq!(sim.key_hint, "••••XYZW");
    assert_eq!(sim.max_concurrency, 4);
    assert_eq!(sim.requests_per_minute, 60);

    let names: Vec<_> = e
        .list_providers()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["sim", "justanotherpanel"], "highest priority first");

    d.clock.advance_millis(1000);
    let updated = e
        .update_provider(
            "sim",
            ProviderUpdate {
                display_name: Some("Simulator".into()),
                priority: Some(-1),
                user_agent: Some("SMM Desk test".into()),
                max_concurrency: Some(2),
                requests_per_minute: Some(30),
                low_balance_threshold: Some(Some(Decimal::from_str("5.50").unwrap())),
                api_key: Some(ApiKey::new("another-key-00005678")),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(updated.display_name, "Simulator");
    assert_eq!(updated.priority, -1);
    assert_eq!(updated.user_agent.as_deref(), Some("SMM Desk test"));
    assert_eq!(
        (updated.max_concurrency, updated.requests_per_minute),
        (2, 30)
    );
    assert_eq!(
        updated.low_balance_threshold,
        Some(Decimal::from_str("5.5").unwrap())
    );
    assert_eq!(updated.key_hint, "••••5678");
    assert!(updated.updated_at > sim.updated_at);

    assert!(!e.set_provider_active("sim", false).unwrap().active);
    assert!(e.set_provider_active("sim", true).unwrap().active);

    let removed = e.remove_provider("sim").unwrap();
    assert!(removed.removed_at.is_some());
    assert_eq!(e.provider("sim").unwrap_err().code(), "provider.not_found");
    assert_eq!(e.list_providers().unwrap().len(), 1);
    // Still readable by id for its orders and history.
    assert_eq!(e.provider_by_id(removed.id).unwrap().name, "sim");
    // And the name can be used again.
    let again = e.add_provider(sim_provider("sim")).unwrap();
    assert_ne!(again.id, removed.id);
}

#[test]
fn bad_input_is_refused_with_its_own_code_and_writes_nothing() {
    let d = desk();
    let e = &d.engine;
    e.add_provider(sim_provider("taken")).unwrap();
    let before = snapshot(e);
    let with = |f: &dyn Fn(&mut NewProvider)| {
        let mut p = sim_provider("fresh");
        f(&mut p);
        e.add_provider(p).unwrap_err().code()
    };
    assert_eq!(
        with(&|p| p.api_url = "not a url".into()),
        "provider.url_invalid"
    );
    assert_eq!(
        with(&|p| p.api_url = "ftp://x.com/api/v2".into()),
        "provider.url_scheme"
    );
    assert_eq!(
        with(&|p| p.api_url = "http://example.com/api/v2".into()),
        "provider.url_insecure"
    );
    assert_eq!(
        with(&|p| p.api_key = ApiKey::new("  \n")),
        "provider.key_empty"
    );
    assert_eq!(with(&|p| p.name = "taken".into()), "provider.name_taken");
    assert_eq!(
        with(&|p| p.name = "Bad Name".into()),
        "provider.name_invalid"
    );
    assert_eq!(with(&|p| p.max_concurrency = Some(0)), "input.invalid");
    assert_eq!(with(&|p| p.priority = 5000), "input.invalid");
    assert_eq!(
        with(&|p| p.low_balance_threshold = Some(Decimal::from(-1))),
        "input.invalid"
    );
    let upd = |u: ProviderUpdate| e.update_provider("taken", u).unwrap_err().code();
    assert_eq!(
        upd(ProviderUpdate {
            display_name: Some("ok".into()),
            api_url: Some("http://8.8.8.8/api/v2".into()),
            ..Default::default()
        }),
        "provider.url_insecure"
    );
    assert_eq!(
        upd(ProviderUpdate {
            api_key: Some(ApiKey::new("")),
            ..Default::default()
        }),
        "provider.key_empty"
    );
    assert_eq!(
        e.update_provider("missing", ProviderUpdate::default())
            .unwrap_err()
            .code(),
        "provider.not_found"
    );
    assert_eq!(
        e.remove_provider("missing").unwrap_err().code(),
        "provider.not_found"
    );
    assert_eq!(
        e.set_provider_active("missing", false).unwrap_err().code(),
        "provider.not_found"
    );
    assert_eq!(snapshot(e), before, "nothing was written");
}

#[test]
fn keys_are_encrypted_at_rest_under_a_private_key_file() {
    let d = desk();
    let p = d.engine.add_provider(sim_provider("sim")).unwrap();
    let KeyStore::KeyFile(path) = d.engine.key_store().clone() else {
        panic!("tests use the key file store");
    };
    assert_eq!(path, d.dir.path().join("config").join("master.key"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = database_bytes(&d.engine);
    assert!(
        !contains(&bytes, KEY.as_bytes()),
        "the key is not in the database in clear"
    );
    let debug = format!("{p:?} {:?}", d.engine);
    assert!(!debug.contains(KEY));
    assert!(!serde_json::to_string(&p).unwrap().contains(KEY));
    // Reopening checks the master key against the database.
    drop(d.engine);
    let e = open_in(d.dir.path(), &d.clock).unwrap();
    assert_eq!(e.list_providers().unwrap().len(), 1);
}

#[test]
fn a_lost_or_foreign_master_key_is_reported_not_replaced() {
    let d = desk();
    d.engine.add_provider(sim_provider("sim")).unwrap();
    let key_file = d.dir.path().join("config").join("master.key");
    drop(d.engine);
    let original = std::fs::read(&key_file).unwrap();
    std::fs::remove_file(&key_file).unwrap();
    let err = open_in(d.dir.path(), &d.clock).unwrap_err();
    assert_eq!(err.code(), "secrets.master_key_missing");
    assert!(!key_file.exists(), "no new key silently made");
    let other = tempfile::tempdir().unwrap();
    let _ = open_in(other.path(), &d.clock).unwrap();
    std::fs::copy(other.path().join("config").join("master.key"), &key_file).unwrap();
    let err = open_in(d.dir.path(), &d.clock).unwrap_err();
    assert_eq!(err.code(), "secrets.master_key_mismatch");
    std::fs::write(&key_file, original).unwrap();
    open_in(d.dir.path(), &d.clock).unwrap();
}

#[test]
fn the_engine_is_send_sync_and_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<smm_engine::Engine>();
}

#[test]
fn provider_calls_are_send_so_the_desktop_app_can_spawn_them() {
    fn assert_send<T: Send>(_: &T) {}
    let d = desk();
    let test = d.engine.test_provider("x");
    assert_send(&test);
    let sync = d.engine.sync_catalog("x");
    assert_send(&sync);
}

#[test]
fn settings_are_kept_and_secrets_keys_are_reserved() {
    let d = desk();
    assert_eq!(d.engine.setting("ui.language").unwrap(), None);
    d.engine.set_setting("ui.language", "ar").unwrap();
    assert_eq!(
        d.engine.setting("ui.language").unwrap().as_deref(),
        Some("ar")
    );
    assert_eq!(
        d.engine
            .set_setting("secrets.key_check", "x")
            .unwrap_err()
            .code(),
        "input.invalid"
    );
    assert_eq!(
        d.engine.set_setting("", "x").unwrap_err().code(),
        "input.invalid"
    );
}
