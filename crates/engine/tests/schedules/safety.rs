//! At most once per occurrence: a crash between the journal and the request, then a
//! restart; and two engines (the app and `smmdesk daemon`) on one data folder.

use std::time::Duration;

use smm_engine::{MissedPolicy, OrderStatus, Repeat, RunState};
use smm_panel::Action;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn a_crash_between_journal_and_send_then_a_restart_gives_no_second_order() {
    // One request a minute: the catalog sync took this minute's, so the occurrence's `add`
    // waits for the rate limiter after its order is journaled — the window a crash hits.
    let Desk { dir, engine, sim } = desk_at("2027-01-10T08:59:50Z", 1).await;
    let s = engine
        .add_schedule(schedule(
            "https://instagram.com/p/crash",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Once,
            None,
            MissedPolicy::Latest,
        ))
        .unwrap();
    run_for(10).await;
    let pass = tokio::spawn({
        let engine = engine.clone();
        async move { engine.run_due_schedules().await }
    });
    let id = loop {
        let n = count(
            &engine,
            "SELECT count(*) FROM orders WHERE status = 'submitting'",
        );
        if n == 1 {
            break count(&engine, "SELECT id FROM orders");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    // The process dies: the pass is dropped mid-way, with the order journaled, unsent.
    pass.abort();
    assert!(pass.await.unwrap_err().is_cancelled());
    assert_eq!(sim.counters().get(Action::Add), 0);
    let claimed = engine.schedule_runs(s.id, 10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].state, RunState::Claimed);
    drop(engine);

    // Restart: the interrupted order becomes `unknown` (it may have been sent, as far as a
    // restarted program knows); the claim's lease runs out and the scheduler settles it
    // with that order — no second `add`, ever.
    let engine = open_at(dir.path(), at("2027-01-10T09:00:30Z"));
    assert_eq!(engine.order(id).unwrap().status, OrderStatus::Unknown);
    let scheduler = engine.start_scheduler(quiet()).unwrap();
    run_for(10 * 60).await;
    scheduler.stop().await;
    let runs = engine.schedule_runs(s.id, 10).unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].state, RunState::Placed);
    assert_eq!(runs[0].order_id, Some(id));
    assert_eq!(runs[0].order_status, Some(OrderStatus::Unknown));
    assert_eq!(count(&engine, "SELECT count(*) FROM orders"), 1);
    assert_eq!(sim.counters().get(Action::Add), 0);
    // A third start finds nothing to do.
    drop(engine);
    let engine = open_at(dir.path(), at("2027-01-10T09:20:00Z"));
    let again = engine.run_due_schedules().await.unwrap();
    assert_eq!((again.runs.len(), again.missed), (0, 0));
    assert_eq!(count(&engine, "SELECT count(*) FROM orders"), 1);
    assert_eq!(sim.counters().get(Action::Add), 0);
}

#[tokio::test(start_paused = true)]
async fn two_engines_on_one_folder_place_each_occurrence_once() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let a = &desk.engine;
    let s = a
        .add_schedule(schedule(
            "https://instagram.com/p/twice",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Hours { every: 1 },
            Some(5),
            MissedPolicy::Latest,
        ))
        .unwrap();
    // The app and `smmdesk daemon`, same folder, same clock, both running schedules.
    let b = open_at(desk.dir.path(), at("2027-01-10T08:00:00Z"));
    let sa = a.start_scheduler(quiet()).unwrap();
    let sb = b.start_scheduler(quiet()).unwrap();
    run_for(7 * 3600).await;
    sa.stop().await;
    sb.stop().await;
    assert_eq!(desk.sim.counters().get(Action::Add), 5);
    assert_eq!(count(a, "SELECT count(*) FROM orders"), 5);
    assert_eq!(
        occurrences(&b, s.id, RunState::Placed),
        [
            "2027-01-10T09:00:00Z",
            "2027-01-10T10:00:00Z",
            "2027-01-10T11:00:00Z",
            "2027-01-10T12:00:00Z",
            "2027-01-10T13:00:00Z"
        ]
    );
    assert_eq!(
        count(
            a,
            "SELECT count(*) FROM schedule_runs WHERE state <> 'placed'"
        ),
        0
    );
}

#[tokio::test(start_paused = true)]
async fn two_engines_claiming_at_the_same_instant_claim_once() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let a = desk.engine.clone();
    let s = a
        .add_schedule(schedule(
            "https://instagram.com/p/race",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Once,
            None,
            MissedPolicy::Latest,
        ))
        .unwrap();
    let b = open_at(desk.dir.path(), at("2027-01-10T08:00:00Z"));
    run_for(3600).await;
    // Both passes at once, on two threads' worth of tasks.
    let (ra, rb) = tokio::join!(
        tokio::spawn({
            let a = a.clone();
            async move { a.run_due_schedules().await }
        }),
        tokio::spawn({
            let b = b.clone();
            async move { b.run_due_schedules().await }
        })
    );
    let settled = ra.unwrap().unwrap().runs.len() + rb.unwrap().unwrap().runs.len();
    assert_eq!(settled, 1, "exactly one engine claimed the occurrence");
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    assert_eq!(occurrences(&a, s.id, RunState::Placed).len(), 1);
}
