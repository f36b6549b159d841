//! Against the simulator: test connection, catalog sync and its diff, sync all, failures.

use std::str::FromStr;

use rust_decimal::Decimal;
use smm_engine::catalog::{ChangeKind, ChangeQuery};
use smm_engine::{ApiKey, NewProvider, ServiceQuery};
use smm_panel::sim::{Fault, SimConfig, SimHandle, Simulator};
use smm_panel::Action;

use crate::support::{catalog_snapshot, count, desk, TestDesk};

async fn sim(services: usize, seed: u64) -> SimHandle {
    Simulator::start(SimConfig {
        seed,
        services,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn add(d: &TestDesk, name: &str, sim: &SimHandle) -> i64 {
    d.engine
        .add_provider(NewProvider::new(name, sim.url(), sim.key()))
        .unwrap()
        .id
}

#[tokio::test]
async fn test_connection_stores_the_balance_a_snapshot_and_the_call() {
    let d = desk();
    let s = sim(50, 1).await;
    let id = add(&d, "sim", &s);
    let check = d.engine.test_provider("sim").await.unwrap();
    assert_eq!(check.balance, Decimal::from(1000));
    assert_eq!(check.currency.as_deref(), Some("USD"));
    let p = d.engine.provider("sim").unwrap();
    assert_eq!(p.last_balance, Some(Decimal::from(1000)));
    assert_eq!(p.currency.as_deref(), Some("USD"));
    assert_eq!(p.balance_checked_at, Some(d.engine.now()));
    assert_eq!(
        count(
            &d.engine,
            "SELECT count(*) FROM balance_snapshots WHERE amount = '1000' AND currency = 'USD'"
        ),
        1
    );
    let calls = d.engine.recent_api_calls(Some(id), 10).unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].action.as_str(), calls[0].outcome.as_str()),
        ("balance", "ok")
    );
    assert_eq!(s.counters().get(Action::Balance), 1);
}

#[tokio::test]
async fn a_wrong_key_is_a_typed_error_logged_and_stores_no_balance() {
    let d = desk();
    let s = sim(50, 1).await;
    let id = d
        .engine
        .add_provider(NewProvider::new(
            "sim",
            s.url(),
            ApiKey::new("wrong-key-0000000000"),
        ))
        .unwrap()
        .id;
    let err = d.engine.test_provider("sim").await.unwrap_err();
    assert_eq!(err.code(), "panel.rejected.invalid_key", "{err}");
    assert!(!err.to_string().contains("wrong-key-0000000000"));
    let p = d.engine.provider("sim").unwrap();
    assert!(p.last_balance.is_none());
    assert!(p.last_error.is_some());
    assert_eq!(
        count(&d.engine, "SELECT count(*) FROM balance_snapshots"),
        0
    );
    let calls = d.engine.recent_api_calls(Some(id), 10).unwrap();
    assert_eq!(calls[0].outcome, "rejected");
}

#[tokio::test]
async fn second_sync_sees_price_changes_removals_and_new_services_and_a_third_writes_nothing() {
    let d = desk();
    let s = sim(200, 3).await;
    add(&d, "sim", &s);
    let first = d.engine.sync_catalog("sim").await.unwrap();
    assert_eq!(first.added, 200);
    assert_eq!(first.total, 200);
    assert_eq!(
        d.engine
            .list_services(&ServiceQuery::default())
            .unwrap()
            .total,
        200
    );

    // Upstream: one price up, one min changed, one service gone, one new.
    let catalog = s.catalog();
    let mut pricier = catalog[0].clone();
    pricier.rate += Decimal::from_str("0.25").unwrap();
    s.upsert_service(pricier.clone());
    let mut min_changed = catalog[1].clone();
    min_changed.min += 5;
    s.upsert_service(min_changed.clone());
    assert!(s.remove_service(&catalog[2].id));
    let mut fresh = catalog[3].clone();
    fresh.id = "990001".into();
    fresh.name = "Brand new Telegram Members".into();
    s.upsert_service(fresh);

    d.clock.advance_millis(3_600_000);
    let second = d.engine.sync_catalog("sim").await.unwrap();
    assert_eq!(
        (
            second.added,
            second.removed,
            second.price_changed,
            second.total
        ),
        (1, 1, 2, 200),
        "{second:?}"
    );
    let changes = d.engine.catalog_changes(&ChangeQuery::default()).unwrap();
    assert_eq!(changes.len(), 4, "{changes:?}");
    let price = changes
        .iter()
        .find(|c| c.service_id == pricier.id)
        .expect("price change listed");
    match &price.kind {
        ChangeKind::Price {
            old_rate, new_rate, ..
        } => {
            assert_eq!(*old_rate, catalog[0].rate);
            assert_eq!(*new_rate, pricier.rate);
        }
        other => panic!("expected a price change, got {other:?}"),
    }
    assert_eq!(price.at, d.engine.now());
    assert!(changes
        .iter()
        .any(|c| c.service_id == catalog[2].id && c.kind == ChangeKind::Removed));
    assert!(changes
        .iter()
        .any(|c| c.service_id == "990001" && c.kind == ChangeKind::Added));
    // Since "now" there are all four; since later there are none.
    let later = d
        .engine
        .now()
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap();
    assert!(d
        .engine
        .catalog_changes(&ChangeQuery {
            since: Some(later),
            ..Default::default()
        })
        .unwrap()
        .is_empty());
    // The removed service is still there for old orders.
    let removed = d
        .engine
        .list_services(&ServiceQuery {
            search: Some(catalog[2].name.clone()),
            include_removed: true,
            ..Default::default()
        })
        .unwrap();
    assert!(removed
        .services
        .iter()
        .any(|x| x.service_id == catalog[2].id && x.removed_at.is_some()));

    // Nothing changed upstream: nothing written to the catalog.
    let before = catalog_snapshot(&d.engine);
    d.clock.advance_millis(3_600_000);
    let third = d.engine.sync_catalog("sim").await.unwrap();
    assert_eq!(third.rows_written, 0);
    assert_eq!(third.unchanged, 200);
    assert_eq!(catalog_snapshot(&d.engine), before);
    assert_eq!(s.counters().get(Action::Services), 3);
}

#[tokio::test]
async fn a_failed_sync_changes_no_service_and_is_logged() {
    let d = desk();
    let s = sim(60, 4).await;
    let id = add(&d, "sim", &s);
    d.engine.sync_catalog("sim").await.unwrap();
    let before = catalog_snapshot(&d.engine);
    s.set_fault(Action::Services, Fault::Html200);
    let err = d.engine.sync_catalog("sim").await.unwrap_err();
    assert_eq!(err.code(), "panel.non_json", "{err}");
    assert_eq!(catalog_snapshot(&d.engine), before);
    assert!(d.engine.provider("sim").unwrap().last_error.is_some());
    let calls = d.engine.recent_api_calls(Some(id), 1).unwrap();
    assert_eq!(
        (calls[0].action.as_str(), calls[0].outcome.as_str()),
        ("services", "maybe_sent")
    );
    s.clear_faults();
    d.engine.sync_catalog("sim").await.unwrap();
    assert!(d.engine.provider("sim").unwrap().last_error.is_none());
}

#[tokio::test]
async fn sync_all_covers_active_providers_and_reports_each_failure() {
    let d = desk();
    let a = sim(50, 5).await;
    let b = sim(70, 6).await;
    // The same offer, decorated differently, on both panels.
    let mut offer = a.catalog()[0].clone();
    offer.service_type = smm_panel::ServiceType::Default;
    offer.id = "5001".into();
    offer.name = "Instagram Followers [HQ] [USA] [Max 100K] [R30] [Start: 0-1h] ⚡".into();
    offer.category = "Instagram Followers".into();
    offer.rate = Decimal::from_str("1.50").unwrap();
    a.upsert_service(offer.clone());
    offer.id = "777".into();
    offer.name = "Instagram Followers [HQ] [USA] [Max 1M] [Refill 30 Days] [Start: Instant]".into();
    offer.rate = Decimal::from_str("1.20").unwrap();
    b.upsert_service(offer);
    add(&d, "alpha", &a);
    add(&d, "beta", &b);
    add(&d, "off", &b);
    d.engine.set_provider_active("off", false).unwrap();
    // A loopback port nobody listens on: connection refused, never sent.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    d.engine
        .add_provider(NewProvider::new(
            "dead",
            format!("http://{dead}/api/v2"),
            ApiKey::new("key-0000000000000000"),
        ))
        .unwrap();
    let outcomes = d.engine.sync_all_catalogs().await.unwrap();
    let names: Vec<_> = outcomes.iter().map(|o| o.provider.as_str()).collect();
    assert_eq!(names, ["alpha", "beta", "dead"]);
    assert_eq!(outcomes[0].diff.as_ref().unwrap().added, 51);
    assert_eq!(outcomes[1].diff.as_ref().unwrap().added, 71);
    assert_eq!(outcomes[2].error.as_ref().unwrap().code, "panel.connect");
    assert_eq!(
        d.engine.sync_catalog("off").await.unwrap_err().code(),
        "provider.inactive"
    );
    assert_eq!(
        d.engine.sync_catalog("nope").await.unwrap_err().code(),
        "provider.not_found"
    );
    // The same generated offers on two providers are compared.
    let groups = d
        .engine
        .compare_offers(&smm_engine::catalog::OfferQuery::default())
        .unwrap();
    let shared = groups
        .iter()
        .find(|g| g.offers.iter().any(|o| o.service_id == "5001"))
        .expect("the shared offer is grouped");
    let offers: Vec<_> = shared
        .offers
        .iter()
        .map(|o| (o.provider.as_str(), o.service_id.as_str(), o.cheapest))
        .collect();
    assert_eq!(offers, [("beta", "777", true), ("alpha", "5001", false)]);
    for g in &groups {
        let providers: std::collections::HashSet<_> =
            g.offers.iter().map(|o| &o.provider).collect();
        assert!(providers.len() >= 2, "{g:?}");
        assert!(
            !providers.contains(&"off".to_string()),
            "disabled providers are left out"
        );
        assert!(g.offers[0].cheapest, "cheapest first and marked");
        assert!(g.offers.windows(2).all(|w| w[0].rate <= w[1].rate));
    }
}

/// 50,000 services over HTTP from the simulator: fetch, decode, diff and store; then an
/// unchanged re-sync. Prints the timings (`--nocapture`); the bounds are loose on purpose.
#[tokio::test]
async fn fifty_thousand_services_from_the_simulator() {
    let d = desk();
    let s = sim(50_000, 21).await;
    add(&d, "big", &s);
    let t = std::time::Instant::now();
    let first = d.engine.sync_catalog("big").await.unwrap();
    let first_time = t.elapsed();
    assert_eq!(first.added, 50_000);
    let t = std::time::Instant::now();
    let again = d.engine.sync_catalog("big").await.unwrap();
    let again_time = t.elapsed();
    assert_eq!(again.rows_written, 0);
    let t = std::time::Instant::now();
    let page = d
        .engine
        .list_services(&ServiceQuery {
            search: Some("followers".into()),
            platform: Some(smm_engine::Platform::Instagram),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    let query_time = t.elapsed();
    assert!(page.total > 0);
    println!(
        "simulator 50k: first sync {first_time:?} (store {} ms), unchanged re-sync {again_time:?} \
         (store {} ms), search+platform query {query_time:?} ({} hits)",
        first.store_ms, again.store_ms, page.total
    );
    assert!(first_time.as_secs() < 60 && again_time.as_secs() < 30);
}

#[tokio::test]
async fn daily_balances_keep_each_days_last_check_exactly() {
    let d = desk();
    let (a, b) = (sim(50, 2).await, sim(50, 3).await);
    add(&d, "alpha", &a);
    add(&d, "beta", &b);
    let at = |t: &str| t.parse::<jiff::Timestamp>().unwrap();
    // alpha: two checks on the 24th (the later one counts), none on the 25th, one on the 26th.
    for (when, amount) in [
        ("2026-11-24T09:00:00Z", "100.10"),
        ("2026-11-24T23:59:59Z", "80.000125"),
        ("2026-11-26T00:00:00Z", "50"),
    ] {
        d.clock.set(at(when));
        a.set_balance(Decimal::from_str(amount).unwrap());
        d.engine.check_balance("alpha").await.unwrap();
    }
    d.clock.set(at("2026-11-25T12:00:00Z"));
    d.engine.check_balance("beta").await.unwrap();
    let from = at("2026-11-24T00:00:00Z");
    let rows: Vec<(String, String, String)> = d
        .engine
        .daily_balances(from, at("2026-11-27T00:00:00Z"))
        .unwrap()
        .into_iter()
        .map(|r| (r.provider, r.day.to_string(), r.amount.to_string()))
        .collect();
    let row =
        |p: &str, day: &str, amount: &str| (p.to_string(), day.to_string(), amount.to_string());
    assert_eq!(
        rows,
        [
            row("alpha", "2026-11-24", "80.000125"),
            row("alpha", "2026-11-26", "50"),
            row("beta", "2026-11-25", "1000"),
        ]
    );
    // The range is half-open: the 26th's midnight check is outside [24th, 26th).
    let two_days = d
        .engine
        .daily_balances(from, at("2026-11-26T00:00:00Z"))
        .unwrap();
    assert_eq!(two_days.len(), 2);
}

/// A text search never reads the wide service rows to filter: the count is a covering scan of
/// `services_rate` (which carries the search text) and the page walks that index in price
/// order, so a term with few matches stays cheap at 50,000 services (measured in migration 9).
#[tokio::test]
async fn a_text_search_is_answered_from_the_rate_and_text_index() {
    let d = desk();
    let s = sim(300, 8).await;
    add(&d, "sim", &s);
    d.engine.sync_catalog("sim").await.unwrap();
    for search in ["f", "followers", "no such words"] {
        let q = ServiceQuery {
            search: Some(search.into()),
            ..Default::default()
        };
        let (count, page) = d.engine.explain_service_search(&q).unwrap();
        let (count, page) = (count.join(" | "), page.join(" | "));
        assert!(
            count.contains("COVERING INDEX services_rate"),
            "{search}: {count}"
        );
        assert!(page.contains("INDEX services_rate"), "{search}: {page}");
        assert!(!page.contains("SCAN s"), "{search}: {page}");
        // And the answer is the same as filtering by hand.
        let found = d.engine.list_services(&q).unwrap();
        let all = d
            .engine
            .list_services(&ServiceQuery {
                limit: Some(1000),
                ..Default::default()
            })
            .unwrap();
        let by_hand: Vec<_> = all
            .services
            .iter()
            .filter(|x| {
                format!("{} {} {}", x.service_id, x.name, x.category)
                    .to_lowercase()
                    .contains(search)
            })
            .map(|x| x.id)
            .collect();
        assert_eq!(found.total, by_hand.len() as u64, "{search}");
        assert_eq!(
            found.services.iter().map(|x| x.id).collect::<Vec<_>>(),
            by_hand.into_iter().take(100).collect::<Vec<_>>(),
            "{search}: cheapest first, same rows"
        );
    }
}
