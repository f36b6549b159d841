//! Editing a schedule: the order, the rule, the end and the missed policy change; the
//! occurrences already placed keep their orders; the next run follows the new rule; bad
//! input names its field and changes nothing.

use smm_engine::{EngineError, MissedPolicy, Repeat, RunState};
use smm_panel::Action;

use crate::support::*;

#[tokio::test(start_paused = true)]
async fn an_edit_changes_the_order_and_the_rule_and_keeps_what_was_placed() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    let s = e
        .add_schedule(schedule(
            "https://instagram.com/p/before",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Hours { every: 1 },
            None,
            MissedPolicy::Skip,
        ))
        .unwrap();
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_with_sim(&desk.sim, 3600 + 1800).await; // to 09:30: the 09:00 occurrence placed
    assert_eq!(desk.sim.counters().get(Action::Add), 1);
    let first = e.schedule_runs(s.id, 10).unwrap()[0].clone();

    // At 09:30: another link, quantity, customer and price; every day at 10:00 from
    // today, twice; the latest missed one placed.
    let mut new = schedule(
        "https://instagram.com/p/after",
        "UTC",
        "2027-01-10T10:00",
        Repeat::Days { every: 1 },
        Some(2),
        MissedPolicy::Latest,
    );
    new.order = order("https://instagram.com/p/after", 250);
    new.order.customer = Some("Acme Cafe".into());
    new.order.sale_price = Some("3.10".parse().unwrap());
    let edited = e.edit_schedule(s.id, new).unwrap();
    assert_eq!(edited.next_at.unwrap().to_string(), "2027-01-10T10:00:00Z");
    assert_eq!(edited.missed, MissedPolicy::Latest);
    assert_eq!(edited.order.fields.quantity, Some(250));
    assert_eq!(
        edited.description,
        "every day from 2027-01-10T10:00:00 UTC, 2 times"
    );
    assert!(edited.active);
    run_with_sim(&desk.sim, 3 * 24 * 3600).await;
    scheduler.stop().await;

    let placed = occurrences(e, s.id, RunState::Placed);
    assert_eq!(
        placed,
        [
            "2027-01-10T09:00:00Z",
            "2027-01-10T10:00:00Z",
            "2027-01-11T10:00:00Z"
        ]
    );
    // The 09:00 order is as it was placed; the new ones carry the new fields.
    let runs = e.schedule_runs(s.id, 10).unwrap();
    let old = runs.iter().find(|r| r.id == first.id).unwrap();
    assert_eq!(old.order_id, first.order_id);
    let o = e.order(first.order_id.unwrap()).unwrap();
    assert_eq!(
        (o.link.as_deref(), o.quantity, o.customer.as_deref()),
        (Some("https://instagram.com/p/before"), Some(100), None)
    );
    for r in runs.iter().filter(|r| r.id != first.id) {
        let o = e.order(r.order_id.unwrap()).unwrap();
        assert_eq!(
            (o.link.as_deref(), o.quantity, o.customer.as_deref()),
            (
                Some("https://instagram.com/p/after"),
                Some(250),
                Some("Acme Cafe")
            )
        );
        assert_eq!(o.sale_price, Some("3.10".parse().unwrap()));
    }
    assert_eq!(desk.sim.counters().get(Action::Add), 3);
    assert_eq!(e.schedule(s.id).unwrap().next_at, None);
}

#[tokio::test(start_paused = true)]
async fn an_edit_never_reruns_an_occurrence_and_a_paused_schedule_stays_paused() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    let new = || {
        schedule(
            "https://instagram.com/p/x",
            "UTC",
            "2027-01-10T09:00",
            Repeat::Hours { every: 2 },
            None,
            MissedPolicy::Skip,
        )
    };
    let s = e.add_schedule(new()).unwrap();
    let scheduler = e.start_scheduler(quiet()).unwrap();
    run_with_sim(&desk.sim, 3600 + 120).await; // to 09:02: placed
    scheduler.stop().await;
    assert_eq!(occurrences(e, s.id, RunState::Placed).len(), 1);
    // The same rule again at 09:02: its next is 11:00, not 09:00 once more.
    let again = e.edit_schedule(s.id, new()).unwrap();
    assert_eq!(again.next_at.unwrap().to_string(), "2027-01-10T11:00:00Z");
    assert_eq!(again.placed, 1);
    // Paused, then edited: still paused, the next computed from the new rule.
    e.pause_schedule(s.id).unwrap();
    let mut weekly = new();
    weekly.rule.repeat = Repeat::Weekdays {
        days: vec!["mon".into()],
        time: "07:30".into(),
    };
    let paused = e.edit_schedule(s.id, weekly).unwrap();
    assert!(!paused.active);
    // Sunday 2027-01-10: next Monday 07:30.
    assert_eq!(paused.next_at.unwrap().to_string(), "2027-01-11T07:30:00Z");
}

#[tokio::test(start_paused = true)]
async fn a_bad_edit_names_its_field_and_changes_nothing() {
    let desk = desk_at("2027-01-10T08:00:00Z", 10_000).await;
    let e = &desk.engine;
    let ok = || {
        schedule(
            "https://instagram.com/p/ok",
            "Europe/Berlin",
            "2027-01-11T09:00",
            Repeat::Days { every: 1 },
            None,
            MissedPolicy::Skip,
        )
    };
    let s = e.add_schedule(ok()).unwrap();
    let stored = || {
        e.store()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT request || rule || missed || ifnull(next_at, '') || updated_at \
                     FROM schedules WHERE id = 1",
                    [],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .unwrap()
    };
    let before = stored();
    let field = |new: smm_engine::NewSchedule| match e.edit_schedule(s.id, new) {
        Err(EngineError::Input { field, .. }) => field.to_string(),
        Err(other) => other.code().to_string(),
        Ok(s) => panic!("accepted an edit of #{}", s.id),
    };
    let mut n = ok();
    n.rule.zone = "Europe/Atlantis".into();
    assert_eq!(field(n), "zone");
    let mut n = ok();
    n.rule.repeat = Repeat::Hours { every: 0 };
    assert_eq!(field(n), "every");
    let mut n = ok();
    n.rule.until = Some("2027-01-10".into());
    assert_eq!(field(n), "until");
    let mut n = ok();
    n.rule.count = Some(0);
    assert_eq!(field(n), "count");
    let mut n = ok();
    n.rule.repeat = Repeat::Once;
    n.rule.start = Some("2027-01-09T09:00".into());
    assert_eq!(field(n), "start", "a one-time run in the past");
    let mut n = ok();
    n.rule.start = Some("2027-01-01T09:00".into());
    n.rule.count = Some(3);
    assert_eq!(field(n), "count", "every counted occurrence is past");
    let mut n = ok();
    n.order = order("https://instagram.com/p/ok", 5);
    assert_eq!(field(n), "order.quantity_below_min");
    let mut n = ok();
    n.order.service_id = "424242".into();
    assert_eq!(field(n), "order.service_not_found");
    let mut n = ok();
    n.order.sale_price = Some("-1".parse().unwrap());
    assert_eq!(field(n), "sale_price");
    let mut n = ok();
    n.order.idempotency_key = Some("mine".into());
    assert_eq!(field(n), "idempotencyKey");
    assert_eq!(stored(), before);
    // Unknown and removed schedules.
    assert!(matches!(
        e.edit_schedule(9, ok()),
        Err(EngineError::Input {
            field: "schedule",
            ..
        })
    ));
    e.remove_schedule(s.id).unwrap();
    assert!(matches!(
        e.edit_schedule(s.id, ok()),
        Err(EngineError::Input {
            field: "schedule",
            ..
        })
    ));
    // A series that started in the past but runs on is fine: next from now.
    let s2 = e.add_schedule(ok()).unwrap();
    let mut n = ok();
    n.rule.start = Some("2027-01-01T09:00".into());
    let edited = e.edit_schedule(s2.id, n).unwrap();
    assert_eq!(edited.next_at.unwrap().to_string(), "2027-01-10T08:00:00Z");
}
