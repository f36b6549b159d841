//! Bad input names its field and writes nothing.

use smm_engine::{EngineError, MissedPolicy, Repeat};

use crate::support::*;

fn rows(e: &smm_engine::Engine) -> (i64, i64, i64) {
    (
        count(e, "SELECT count(*) FROM schedules"),
        count(e, "SELECT count(*) FROM schedule_runs"),
        count(e, "SELECT count(*) FROM orders"),
    )
}

#[tokio::test(start_paused = true)]
async fn bad_schedules_name_their_field_and_write_nothing() {
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
    let field = |new: smm_engine::NewSchedule| match e.add_schedule(new) {
        Err(EngineError::Input { field, .. }) => field.to_string(),
        Err(other) => other.code().to_string(),
        Ok(s) => panic!("accepted schedule #{}", s.id),
    };
    let days = |d: &[&str], time: &str| Repeat::Weekdays {
        days: d.iter().map(|s| s.to_string()).collect(),
        time: time.into(),
    };

    let mut s = ok();
    s.rule.zone = "Europe/Atlantis".into();
    assert_eq!(field(s), "zone");
    let mut s = ok();
    s.rule.zone = " ".into();
    assert_eq!(field(s), "zone");
    let mut s = ok();
    s.rule.repeat = Repeat::Hours { every: 0 };
    assert_eq!(field(s), "every");
    let mut s = ok();
    s.rule.repeat = Repeat::Days { every: 0 };
    assert_eq!(field(s), "every");
    let mut s = ok();
    s.rule.until = Some("2027-01-10".into());
    assert_eq!(field(s), "until");
    let mut s = ok();
    s.rule.until = Some("next week".into());
    assert_eq!(field(s), "until");
    let mut s = ok();
    s.rule.count = Some(0);
    assert_eq!(field(s), "count");
    let mut s = ok();
    s.rule.repeat = days(&["mon", "someday"], "09:00");
    assert_eq!(field(s), "weekdays");
    let mut s = ok();
    s.rule.repeat = days(&["mon"], "9 o'clock");
    assert_eq!(field(s), "time");
    let mut s = ok();
    s.rule.start = Some("2027-01-09T09:00".into());
    assert_eq!(field(s), "start", "the first occurrence is in the past");
    let mut s = ok();
    s.rule.repeat = Repeat::Once;
    s.rule.start = None;
    assert_eq!(field(s), "start");
    let mut s = ok();
    s.order.idempotency_key = Some("mine".into());
    assert_eq!(field(s), "idempotencyKey");
    // The order itself, checked as placing would: min/max, the service, the provider.
    let mut s = ok();
    s.order = order("https://instagram.com/p/ok", 5);
    assert_eq!(field(s), "order.quantity_below_min");
    let mut s = ok();
    s.order = order("https://instagram.com/p/ok", 100_001);
    assert_eq!(field(s), "order.quantity_above_max");
    let mut s = ok();
    s.order.service_id = "424242".into();
    assert_eq!(field(s), "order.service_not_found");
    let mut s = ok();
    s.order.provider = "nobody".into();
    assert_eq!(field(s), "provider.not_found");
    assert_eq!(rows(e), (0, 0, 0));

    // Unknown ids are refused too.
    for r in [
        e.pause_schedule(9),
        e.resume_schedule(9),
        e.remove_schedule(9),
        e.schedule(9),
    ] {
        assert!(matches!(
            r,
            Err(EngineError::Input {
                field: "schedule",
                ..
            })
        ));
    }
    assert!(matches!(
        e.schedule_runs(9, 0),
        Err(EngineError::Input { field: "limit", .. })
    ));
    // And the good one is accepted, its start kept as given.
    let s = e.add_schedule(ok()).unwrap();
    assert_eq!(s.rule.start.as_deref(), Some("2027-01-11T09:00:00"));
    assert_eq!(
        s.description,
        "every day from 2027-01-11T09:00:00 Europe/Berlin"
    );
    assert_eq!(rows(e), (1, 0, 0));
}
