//! What a schedule places, and when: daily and hourly series across a daylight-saving change
//! run by the scheduler, missed occurrences after downtime, a failed check, pause and remove.

use smm_engine::{AlertKind, AlertQuery, MissedPolicy, OrderStatus, Repeat, RunState};
use smm_panel::Action;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn a_daily_and_an_hourly_schedule_across_the_spring_change_place_exactly_their_occurrences() {
    // Berlin moves from +01:00 to +02:00 on Sunday 2027-03-28 at 02:00.
    let desk = desk_at("2027-03-26T12:00:00Z", 10_000).await;
    let e = &desk.engine;
    let daily = e
        .add_schedule(schedule(
            "https://instagram.com/p/daily",
            "Europe/Berlin",
            "2027-03-27T09:00",
            Repeat::Days { every: 1 },
            Some(3),
            MissedPolicy::Skip,
        ))
        .unwrap();
    assert_eq!(
        daily.next_local.as_deref(),
        Some("2027-03-27T09:00:00+01:00[Europe/Berlin]")
    );
    let hourly = e
        .add_schedule(schedule(
            "https://instagram.com/p/hourly",
            "Europe/Berlin",
            "2027-03-27T21:00",
            Repeat::Hours { every: 12 },
            Some(3),
            MissedPolicy::Skip,
        ))
        .unwrap();
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_with_sim(&desk.sim, 5 * 24 * 3600).await;
    scheduler.stop().await;

    // Every day at 09:00 on the wall clock: 08:00Z before the change, 07:00Z after.
    assert_eq!(
        occurrences(e, daily.id, RunState::Placed),
        [
            "2027-03-27T08:00:00Z",
            "2027-03-28T07:00:00Z",
            "2027-03-29T07:00:00Z"
        ]
    );
    // Every 12 hours of elapsed time: 21:00 +01:00, then 10:00 and 22:00 +02:00.
    assert_eq!(
        occurrences(e, hourly.id, RunState::Placed),
        [
            "2027-03-27T20:00:00Z",
            "2027-03-28T08:00:00Z",
            "2027-03-28T20:00:00Z"
        ]
    );
    assert_eq!(desk.sim.counters().get(Action::Add), 6);
    assert_eq!(count(e, "SELECT count(*) FROM orders"), 6);
    // Each order was placed at its occurrence, on time, with the occurrence's key.
    for run in e.schedule_runs(daily.id, 10).unwrap() {
        let order = e.order(run.order_id.unwrap()).unwrap();
        assert_eq!(order.status, OrderStatus::Pending);
        let late = order.created_at.as_millisecond() - run.occurrence_at.as_millisecond();
        assert!((0..1000).contains(&late), "placed {late} ms after its time");
        assert_eq!(
            order.idempotency_key,
            format!(
                "schedule:{}:{}",
                daily.id,
                run.occurrence_at.as_millisecond()
            )
        );
    }
    let done = e.schedule(daily.id).unwrap();
    assert_eq!((done.placed, done.next_at), (3, None));
    assert!(e.list_alerts(&AlertQuery::default()).unwrap().is_empty());
}

/// A daily 09:00 UTC schedule added on the 10th at 08:00; SMM Desk then stops until the 13th
/// at 10:00: four occurrences (10th-13th) were missed.
async fn after_downtime(missed: MissedPolicy) -> (Down, smm_engine::Engine, i64) {
    let Desk { dir, engine, sim } = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let s = engine
        .add_schedule(schedule(
            "https://instagram.com/p/drip",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Days { every: 1 },
            None,
            missed,
        ))
        .unwrap();
    drop(engine); // SMM Desk stops
                  // The next start, 2027-01-13T10:00Z, with the scheduler.
    let engine = open_at(dir.path(), at("2027-01-13T10:00:00Z"));
    let scheduler = engine.start_scheduler(quiet()).unwrap();
    run_for(5).await;
    scheduler.stop().await;
    (Down { _dir: dir, sim }, engine, s.id)
}

/// What outlives the first engine: the folder and the simulator.
struct Down {
    _dir: tempfile::TempDir,
    sim: smm_panel::sim::SimHandle,
}

#[tokio::test(start_paused = true)]
async fn missed_occurrences_are_skipped_with_one_alert_under_skip() {
    let (desk, e, id) = after_downtime(MissedPolicy::Skip).await;
    assert_eq!(desk.sim.counters().get(Action::Add), 0);
    assert_eq!(
        occurrences(&e, id, RunState::Missed),
        [
            "2027-01-10T09:00:00Z",
            "2027-01-11T09:00:00Z",
            "2027-01-12T09:00:00Z",
            "2027-01-13T09:00:00Z"
        ]
    );
    let alerts = e.list_alerts(&AlertQuery::default()).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].kind, AlertKind::ScheduleMissed);
    assert_eq!(alerts[0].params["count"], 4);
    assert_eq!(alerts[0].params["placed_latest"], false);
    assert_eq!(alerts[0].params["first"], "2027-01-10T09:00:00Z");
    assert_eq!(alerts[0].params["last"], "2027-01-13T09:00:00Z");
    // The series goes on from the next occurrence.
    let s = e.schedule(id).unwrap();
    assert_eq!(s.next_at.unwrap().to_string(), "2027-01-14T09:00:00Z");
    // Another pass finds nothing more.
    let again = e.run_due_schedules().await.unwrap();
    assert_eq!((again.runs.len(), again.missed), (0, 0));
}

#[tokio::test(start_paused = true)]
async fn under_latest_the_latest_missed_occurrence_is_placed_once() {
    let (desk, e, id) = after_downtime(MissedPolicy::Latest).await;
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(
        occurrences(&e, id, RunState::Placed),
        ["2027-01-13T09:00:00Z"]
    );
    assert_eq!(occurrences(&e, id, RunState::Missed).len(), 3);
    let alerts = e.list_alerts(&AlertQuery::default()).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].kind, AlertKind::ScheduleMissed);
    assert_eq!(alerts[0].params["count"], 3);
    assert_eq!(alerts[0].params["placed_latest"], true);
    assert_eq!(alerts[0].params["last"], "2027-01-12T09:00:00Z");
    let again = e.run_due_schedules().await.unwrap();
    assert_eq!((again.runs.len(), again.missed), (0, 0));
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_check_skips_that_occurrence_with_an_alert_and_is_not_retried() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    // 100 × 0.9 / 1000 = 0.09 per order; the provider has 0.1: one order, then too little.
    desk.sim.set_balance("0.1".parse().unwrap());
    e.check_balance("sim").await.unwrap();
    let s = e
        .add_schedule(schedule(
            "https://instagram.com/p/budget",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Hours { every: 1 },
            Some(3),
            MissedPolicy::Skip,
        ))
        .unwrap();
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_for(4 * 3600).await;
    scheduler.stop().await;
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(
        occurrences(e, s.id, RunState::Placed),
        ["2027-01-10T09:00:00Z"]
    );
    let skipped: Vec<_> = e
        .schedule_runs(s.id, 10)
        .unwrap()
        .into_iter()
        .filter(|r| r.state == RunState::Skipped)
        .collect();
    assert_eq!(skipped.len(), 2);
    assert!(skipped
        .iter()
        .all(|r| r.reason.as_deref() == Some("order.insufficient_balance")));
    let alerts = e.list_alerts(&AlertQuery::default()).unwrap();
    assert_eq!(
        alerts.len(),
        2,
        "one alert per skipped occurrence: {alerts:?}"
    );
    assert!(alerts.iter().all(|a| a.kind == AlertKind::ScheduleSkipped));
    assert_eq!(alerts[0].params["code"], "order.insufficient_balance");
    // Nothing was journaled for the skipped ones; the series is over, nothing retries.
    assert_eq!(count(e, "SELECT count(*) FROM orders"), 1);
    assert_eq!(e.schedule(s.id).unwrap().next_at, None);
}

#[tokio::test(start_paused = true)]
async fn paused_and_removed_schedules_place_nothing_and_resume_from_now() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    let hourly = |link: &str| {
        schedule(
            link,
            "UTC",
            "2027-01-10T09:00",
            Repeat::Hours { every: 1 },
            None,
            MissedPolicy::Latest,
        )
    };
    let paused = e
        .add_schedule(hourly("https://instagram.com/p/paused"))
        .unwrap();
    let removed = e
        .add_schedule(hourly("https://instagram.com/p/removed"))
        .unwrap();
    assert!(!e.pause_schedule(paused.id).unwrap().active);
    assert!(e.remove_schedule(removed.id).unwrap().deleted_at.is_some());
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_for(3 * 3600 + 1800).await; // to 11:30
    assert_eq!(desk.sim.counters().get(Action::Add), 0);
    assert_eq!(e.list_schedules(false).unwrap().len(), 1);
    assert_eq!(e.list_schedules(true).unwrap().len(), 2);
    // Resumed at 11:30: the occurrences while paused are neither placed nor missed.
    let resumed = e.resume_schedule(paused.id).unwrap();
    assert_eq!(resumed.next_at.unwrap().to_string(), "2027-01-10T12:00:00Z");
    run_for(3600).await; // to 12:30
    scheduler.stop().await;
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(
        occurrences(e, paused.id, RunState::Placed),
        ["2027-01-10T12:00:00Z"]
    );
    assert_eq!(occurrences(e, paused.id, RunState::Missed).len(), 0);
    assert!(e.schedule_runs(removed.id, 10).unwrap().is_empty());
    assert!(e.list_alerts(&AlertQuery::default()).unwrap().is_empty());
    // A removed schedule stays removed.
    assert_eq!(
        e.pause_schedule(removed.id).unwrap_err().code(),
        "input.invalid"
    );
}

#[tokio::test(start_paused = true)]
async fn each_occurrence_carries_the_schedules_customer_and_sale_price() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    let mut new = schedule(
        "https://instagram.com/p/client",
        "UTC",
        "2027-01-10T09:00",
        Repeat::Hours { every: 24 },
        Some(2),
        MissedPolicy::Skip,
    );
    new.order.customer = Some("Acme Cafe".into());
    new.order.sale_price = Some("2.50".parse().unwrap());
    let s = e.add_schedule(new).unwrap();
    assert_eq!(s.order.customer.as_deref(), Some("Acme Cafe"));
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_with_sim(&desk.sim, 2 * 24 * 3600).await;
    scheduler.stop().await;
    let runs = e.schedule_runs(s.id, 10).unwrap();
    assert_eq!(runs.len(), 2);
    for run in runs {
        let order = e.order(run.order_id.unwrap()).unwrap();
        assert_eq!(order.customer.as_deref(), Some("Acme Cafe"));
        assert_eq!(order.sale_price, Some("2.50".parse().unwrap()));
    }
}
