//! Alerts: each fires once on its condition and again only after the condition cleared;
//! each can be turned off; the inbox lists and marks them read.

use std::time::Duration;

use rust_decimal::Decimal;
use smm_engine::{AlertKind, AlertQuery, EngineEvent, JobKind, JobState, NewOrder, ProviderUpdate};
use smm_panel::sim::{Fault, SimConfig, SimHandle};
use smm_panel::Action;

use crate::support::*;

struct Desk {
    _dir: tempfile::TempDir,
    engine: smm_engine::Engine,
    sim: SimHandle,
}

async fn desk() -> Desk {
    let sim = sim(SimConfig {
        services: 50,
        ..SimConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = open_at(dir.path(), start());
    add_sim_provider(&engine, &sim, "sim", 4, 10_000).await;
    Desk {
        _dir: dir,
        engine,
        sim,
    }
}

/// (open, cleared) alerts of a kind.
fn count(engine: &smm_engine::Engine, kind: AlertKind) -> (usize, usize) {
    let all: Vec<_> = engine
        .list_alerts(&AlertQuery::default())
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == kind)
        .collect();
    let cleared = all.iter().filter(|a| a.cleared_at.is_some()).count();
    (all.len() - cleared, cleared)
}

async fn run(engine: &smm_engine::Engine, kind: JobKind) -> smm_engine::JobRun {
    engine.run_job(kind, Some("sim")).await.unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test(start_paused = true)]
async fn low_balance_fires_once_and_again_after_recovery() {
    let desk = desk().await;
    let e = &desk.engine;
    e.update_provider(
        "sim",
        ProviderUpdate {
            low_balance_threshold: Some(Some(d("500"))),
            ..ProviderUpdate::default()
        },
    )
    .unwrap();
    // The balance is moved by hand below: not a reconciliation gap for this test.
    e.set_setting(smm_engine::reconcile::TOLERANCE, "1000000")
        .unwrap();
    let mut events = e.subscribe();
    run(e, JobKind::Balance).await;
    assert_eq!(count(e, AlertKind::LowBalance), (0, 0));

    desk.sim.set_balance(d("120.5"));
    run(e, JobKind::Balance).await;
    run(e, JobKind::Balance).await;
    assert_eq!(count(e, AlertKind::LowBalance), (1, 0), "no repeat");
    let alert = &e.list_alerts(&AlertQuery::default()).unwrap()[0];
    assert_eq!(alert.params["balance"], "120.5");
    assert_eq!(alert.params["threshold"], "500");
    assert_eq!(alert.message, "sim: balance 120.5 USD is below 500");
    let mut raised = Vec::new();
    while let Ok(ev) = events.try_recv() {
        if let EngineEvent::AlertRaised { id } = ev {
            raised.push(id);
        }
    }
    assert_eq!(raised, vec![alert.id]);

    desk.sim.set_balance(d("900"));
    run(e, JobKind::Balance).await;
    assert_eq!(
        count(e, AlertKind::LowBalance),
        (0, 1),
        "cleared on recovery"
    );
    desk.sim.set_balance(d("10"));
    run(e, JobKind::Balance).await;
    assert_eq!(
        count(e, AlertKind::LowBalance),
        (1, 1),
        "fires again after clearing"
    );

    // Off: a new low balance raises nothing.
    desk.sim.set_balance(d("900"));
    run(e, JobKind::Balance).await;
    e.set_setting("alerts.low_balance.enabled", "false")
        .unwrap();
    desk.sim.set_balance(d("10"));
    run(e, JobKind::Balance).await;
    assert_eq!(count(e, AlertKind::LowBalance), (0, 2));
}

#[tokio::test(start_paused = true)]
async fn every_balance_read_meets_the_low_balance_check() {
    // Seen on a real panel: a threshold of 150, `smmdesk balance` read 97.58 and no alert came,
    // because only the background job checked.
    let desk = desk().await;
    let e = &desk.engine;
    e.update_provider(
        "sim",
        ProviderUpdate {
            low_balance_threshold: Some(Some(d("150"))),
            ..ProviderUpdate::default()
        },
    )
    .unwrap();
    desk.sim.set_balance(d("97.58"));
    e.check_balance("sim").await.unwrap();
    assert_eq!(
        count(e, AlertKind::LowBalance),
        (1, 0),
        "a manual read alerts"
    );
    e.test_provider("sim").await.unwrap();
    assert_eq!(count(e, AlertKind::LowBalance), (1, 0), "once");
    desk.sim.set_balance(d("150"));
    e.check_balance("sim").await.unwrap();
    assert_eq!(
        count(e, AlertKind::LowBalance),
        (0, 1),
        "cleared back at the threshold"
    );
}

#[tokio::test(start_paused = true)]
async fn order_stuck_and_order_finished() {
    let desk = desk().await;
    let e = &desk.engine;
    e.set_setting("alerts.order_stuck.after_secs", "3600")
        .unwrap();
    let order = e
        // A big order: it takes hours at the simulator, so it can stall while in progress.
        .place_order(NewOrder::new(
            "sim",
            SVC,
            "https://instagram.com/p/stuck",
            100_000,
        ))
        .await
        .unwrap();
    run(e, JobKind::OrderStatus).await;
    assert_eq!(count(e, AlertKind::OrderStuck), (0, 0));

    // Two hours without progress (the simulator's clock stands still).
    tokio::time::advance(Duration::from_secs(2 * 3600)).await;
    run(e, JobKind::OrderStatus).await;
    run(e, JobKind::OrderStatus).await;
    assert_eq!(count(e, AlertKind::OrderStuck), (1, 0), "no repeat");
    let stuck = &e.list_alerts(&AlertQuery::default()).unwrap()[0];
    assert_eq!(stuck.order_id, Some(order.id));
    assert_eq!(stuck.params["hours"], 2);

    // Progress clears it…
    desk.sim.advance(Duration::from_secs(601));
    run(e, JobKind::OrderStatus).await;
    assert_eq!(count(e, AlertKind::OrderStuck), (0, 1));
    // …and a new stall raises it again.
    tokio::time::advance(Duration::from_secs(2 * 3600)).await;
    run(e, JobKind::OrderStatus).await;
    assert_eq!(count(e, AlertKind::OrderStuck), (1, 1));

    // Finished: one "order finished" alert, and the stuck one clears.
    desk.sim.advance(Duration::from_secs(48 * 3600));
    run(e, JobKind::OrderStatus).await;
    run(e, JobKind::OrderStatus).await;
    assert_eq!(count(e, AlertKind::OrderFinished), (1, 0));
    assert_eq!(count(e, AlertKind::OrderStuck), (0, 2));
    let finished = e
        .list_alerts(&AlertQuery::default())
        .unwrap()
        .into_iter()
        .find(|a| a.kind == AlertKind::OrderFinished)
        .unwrap();
    assert_eq!(finished.order_id, Some(order.id));
    let status = finished.params["status"].as_str().unwrap();
    assert!(status == "completed" || status == "partial", "{status}");

    // The inbox: unread count, mark read.
    assert_eq!(e.unread_alert_count().unwrap(), 3);
    assert_eq!(e.mark_alerts_read(&[finished.id]).unwrap(), 1);
    assert_eq!(e.mark_alerts_read(&[finished.id]).unwrap(), 0);
    let unread = e
        .list_alerts(&AlertQuery {
            unread_only: true,
            ..AlertQuery::default()
        })
        .unwrap();
    assert_eq!(unread.len(), 2);
    assert_eq!(e.mark_alerts_read(&[]).unwrap(), 2);
    assert_eq!(e.unread_alert_count().unwrap(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_failing_provider_alerts_once_shows_offline_and_recovers() {
    let desk = desk().await;
    let e = &desk.engine;
    e.set_setting("alerts.provider_failing.calls", "3").unwrap();
    desk.sim.set_fault(Action::Balance, Fault::ServerError(503));
    for _ in 0..2 {
        assert!(run(e, JobKind::Balance).await.error.is_some());
    }
    assert_eq!(count(e, AlertKind::ProviderFailing), (0, 0));
    for _ in 0..3 {
        run(e, JobKind::Balance).await;
    }
    assert_eq!(count(e, AlertKind::ProviderFailing), (1, 0), "no repeat");
    let health = e.provider_health().unwrap();
    assert_eq!(health[0].state, JobState::Offline);
    assert!(health[0].last_error.as_deref().unwrap().contains("503"));

    desk.sim.clear_faults();
    assert!(run(e, JobKind::Balance).await.error.is_none());
    assert_eq!(count(e, AlertKind::ProviderFailing), (0, 1));
    assert_eq!(e.provider_health().unwrap()[0].state, JobState::Ok);

    desk.sim.set_fault(Action::Balance, Fault::ServerError(503));
    for _ in 0..3 {
        run(e, JobKind::Balance).await;
    }
    assert_eq!(
        count(e, AlertKind::ProviderFailing),
        (1, 1),
        "again after clearing"
    );
}

#[tokio::test(start_paused = true)]
async fn changes_to_recently_ordered_services() {
    let desk = desk().await;
    let e = &desk.engine;
    desk.sim.upsert_service(service("9002", "2", 10, 1000));
    run(e, JobKind::CatalogSync).await;
    e.place_order(NewOrder::new("sim", SVC, "https://instagram.com/p/x", 100))
        .await
        .unwrap();

    // Both repriced; only the ordered one alerts.
    desk.sim.upsert_service(service(SVC, "1.1", 20, 100_000));
    desk.sim.upsert_service(service("9002", "2.5", 10, 1000));
    run(e, JobKind::CatalogSync).await;
    run(e, JobKind::CatalogSync).await;
    assert_eq!(count(e, AlertKind::ServiceChanged), (1, 0));
    let changed = &e.list_alerts(&AlertQuery::default()).unwrap()[0];
    assert_eq!(
        (&changed.params["old_rate"], &changed.params["new_rate"]),
        (&"0.9".into(), &"1.1".into())
    );
    assert_eq!(
        (&changed.params["old_min"], &changed.params["new_min"]),
        (&10.into(), &20.into())
    );

    // Removed: once; back: cleared; removed again: again.
    assert!(desk.sim.remove_service(SVC));
    assert!(desk.sim.remove_service("9002"));
    run(e, JobKind::CatalogSync).await;
    run(e, JobKind::CatalogSync).await;
    assert_eq!(count(e, AlertKind::ServiceRemoved), (1, 0));
    desk.sim.upsert_service(service(SVC, "1.1", 20, 100_000));
    run(e, JobKind::CatalogSync).await;
    assert_eq!(count(e, AlertKind::ServiceRemoved), (0, 1));
    assert!(desk.sim.remove_service(SVC));
    run(e, JobKind::CatalogSync).await;
    assert_eq!(count(e, AlertKind::ServiceRemoved), (1, 1));
    assert_eq!(count(e, AlertKind::ServiceChanged), (1, 0));

    // Orders older than 30 days no longer make a service "recently ordered".
    tokio::time::advance(Duration::from_secs(31 * 24 * 3600)).await;
    desk.sim.upsert_service(service(SVC, "3", 20, 100_000));
    run(e, JobKind::CatalogSync).await;
    desk.sim.upsert_service(service(SVC, "4", 20, 100_000));
    run(e, JobKind::CatalogSync).await;
    assert_eq!(count(e, AlertKind::ServiceChanged), (1, 0));
}

fn set_key(e: &smm_engine::Engine, key: smm_panel::ApiKey) {
    e.update_provider(
        "sim",
        ProviderUpdate {
            api_key: Some(key),
            ..ProviderUpdate::default()
        },
    )
    .unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_refused_key_alerts_once_and_clears_when_the_key_works() {
    let desk = desk().await;
    let e = &desk.engine;
    set_key(e, smm_panel::ApiKey::new("a-key-the-panel-does-not-know"));
    for _ in 0..3 {
        let run = run(e, JobKind::Balance).await;
        assert_eq!(run.error.unwrap().code, "panel.rejected.invalid_key");
    }
    assert_eq!(count(e, AlertKind::KeyRejected), (1, 0), "raised once");
    let alert = &e.list_alerts(&AlertQuery::default()).unwrap()[0];
    assert!(
        alert.message.contains("refused the API key"),
        "{}",
        alert.message
    );
    let calls = e.recent_api_calls(None, 1).unwrap();
    assert_eq!(calls[0].outcome, "rejected");
    assert_eq!(calls[0].error_code.as_deref(), Some("provider.invalid_key"));
    // A refused key is an answer: the provider is not "failing".
    assert_eq!(count(e, AlertKind::ProviderFailing), (0, 0));

    set_key(e, desk.sim.key());
    assert!(run(e, JobKind::Balance).await.error.is_none());
    assert_eq!(count(e, AlertKind::KeyRejected), (0, 1));
}

#[tokio::test(start_paused = true)]
async fn a_php_panels_wrong_key_wording_is_a_refused_key_too() {
    let sim = sim(SimConfig {
        services: 5,
        ..SimConfig::default()
    })
    .await;
    sim.set_dialect(smm_panel::sim::Dialect {
        user_not_found_key_error: true,
        ..smm_panel::sim::Dialect::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let e = open_at(dir.path(), start());
    add_sim_provider(&e, &sim, "sim", 4, 10_000).await;
    set_key(&e, smm_panel::ApiKey::new("wrong"));
    run(&e, JobKind::Balance).await;
    assert_eq!(count(&e, AlertKind::KeyRejected), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn noisy_replies_are_counted_on_the_provider() {
    let desk = desk().await;
    let e = &desk.engine;
    assert_eq!(e.provider("sim").unwrap().noisy_replies, 0);
    desk.sim.set_fault(Action::Balance, Fault::PhpNotices(3));
    assert!(
        run(e, JobKind::Balance).await.error.is_none(),
        "the JSON after the notices is read"
    );
    desk.sim.clear_faults();
    run(e, JobKind::Balance).await;
    let p = e.provider("sim").unwrap();
    assert_eq!(p.noisy_replies, 1);
    assert!(p.noisy_reply_at.is_some());
}
