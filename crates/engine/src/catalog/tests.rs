//! Catalog diff, query and comparison on synthetic catalogs (no network).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use rust_decimal::Decimal;
use smm_panel::{Service, ServiceType};

use super::sync::apply;
use super::*;
use crate::clock::{to_millis, ManualClock};
use crate::paths::AppPaths;
use crate::{ApiKey, Engine, EngineOptions, KeyStoreChoice, NewProvider};

fn engine() -> (tempfile::TempDir, Engine, ManualClock) {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new("2026-11-24T12:00:00Z".parse().unwrap());
    let engine = Engine::open_with(
        &AppPaths::under(dir.path().to_path_buf()),
        EngineOptions {
            clock: Arc::new(clock.clone()),
            key_store: KeyStoreChoice::File,
            ..Default::default()
        },
    )
    .unwrap();
    (dir, engine, clock)
}

fn add(engine: &Engine, name: &str) -> i64 {
    engine
        .add_provider(NewProvider::new(
            name,
            "http://127.0.0.1:9/api/v2",
            ApiKey::new("key-0000000000000000"),
        ))
        .unwrap()
        .id
}

fn svc(id: &str, name: &str, category: &str, rate: &str) -> Service {
    Service {
        id: id.into(),
        name: name.into(),
        service_type: ServiceType::Default,
        category: category.into(),
        rate: Decimal::from_str(rate).unwrap(),
        min: 10,
        max: 10_000,
        refill: false,
        cancel: true,
        dripfeed: false,
        description: None,
    }
}

fn sync(engine: &Engine, provider_id: i64, services: &[Service]) -> CatalogDiff {
    let now = engine.now_ms();
    engine
        .store()
        .write(|tx| apply(tx, provider_id, services, now))
        .unwrap()
}

fn count(engine: &Engine, sql: &str) -> i64 {
    engine
        .store()
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn second_sync_records_added_removed_and_changed_and_a_third_writes_nothing() {
    let (_d, e, clock) = engine();
    let p = add(&e, "alpha");
    let first = vec![
        svc("1", "Instagram Followers [Refill 30D]", "Instagram", "0.90"),
        svc("2", "TikTok Likes", "TikTok", "1.5"),
        svc("3", "YouTube Views", "YouTube", "2"),
    ];
    let d1 = sync(&e, p, &first);
    assert_eq!(
        (d1.added, d1.removed, d1.price_changed, d1.unchanged),
        (3, 0, 0, 0)
    );

    clock.advance_millis(60_000);
    let mut second = first.clone();
    second[0].rate = Decimal::from_str("1.10").unwrap(); // price up
    second[1].max = 5000; // max down
    second.remove(2); // gone upstream
    second.push(svc("4", "Telegram Members", "Telegram", "0.0000001")); // new
    let d2 = sync(&e, p, &second);
    assert_eq!(
        (
            d2.added,
            d2.removed,
            d2.price_changed,
            d2.unchanged,
            d2.total
        ),
        (1, 1, 2, 0, 3)
    );

    let changes = e.catalog_changes(&ChangeQuery::default()).unwrap();
    let kinds: Vec<_> = changes
        .iter()
        .map(|c| (c.service_id.as_str(), &c.kind))
        .collect();
    assert!(kinds.contains(&(
        "1",
        &ChangeKind::Price {
            old_rate: Decimal::from_str("0.9").unwrap(),
            new_rate: Decimal::from_str("1.1").unwrap(),
            old_min: 10,
            new_min: 10,
            old_max: 10_000,
            new_max: 10_000
        }
    )));
    assert!(kinds.contains(&("4", &ChangeKind::Added)));
    assert!(kinds.contains(&("3", &ChangeKind::Removed)));
    assert_eq!(
        changes.len(),
        4,
        "the first sync's services are not 'added': {changes:?}"
    );
    assert!(changes.iter().all(|c| c.at == e.now()));

    // The removed service is kept, marked, and out of default listings.
    let removed = e
        .list_services(&ServiceQuery {
            search: Some("youtube".into()),
            include_removed: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(removed.total, 1);
    assert!(removed.services[0].removed_at.is_some());
    let live = e
        .list_services(&ServiceQuery {
            search: Some("youtube".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(live.total, 0);

    // Nothing changed: nothing written.
    clock.advance_millis(60_000);
    let before = count(&e, "SELECT count(*) FROM price_history");
    let d3 = sync(&e, p, &second);
    assert_eq!(d3.rows_written, 0);
    assert_eq!(d3.unchanged, 3);
    assert_eq!(count(&e, "SELECT count(*) FROM price_history"), before);

    // A service coming back is restored, not duplicated.
    let d4 = sync(&e, p, &first);
    assert_eq!(d4.restored, 1);
    assert_eq!(d4.removed, 1, "service 4 is gone now");
    assert_eq!(count(&e, "SELECT count(*) FROM services"), 4);
}

#[test]
fn rates_keep_every_digit_and_equal_rates_in_other_spellings_are_unchanged() {
    let (_d, e, _c) = engine();
    let p = add(&e, "alpha");
    sync(&e, p, &[svc("1", "Likes", "Instagram", "0.0000001")]);
    let page = e.list_services(&ServiceQuery::default()).unwrap();
    assert_eq!(
        page.services[0].rate,
        Decimal::from_str("0.0000001").unwrap()
    );
    assert_eq!(page.services[0].rate.to_string(), "0.0000001");
    let d = sync(&e, p, &[svc("1", "Likes", "Instagram", "0.00000010")]);
    assert_eq!(d.rows_written, 0);
}

#[test]
fn duplicate_ids_in_a_reply_keep_the_first() {
    let (_d, e, _c) = engine();
    let p = add(&e, "alpha");
    let d = sync(
        &e,
        p,
        &[
            svc("1", "A", "Instagram", "1"),
            svc("1", "B", "Instagram", "2"),
        ],
    );
    assert_eq!((d.added, d.duplicates_ignored), (1, 1));
    assert_eq!(
        e.list_services(&ServiceQuery::default()).unwrap().services[0].name,
        "A"
    );
}

#[test]
fn queries_filter_search_and_sort_by_price() {
    let (_d, e, _c) = engine();
    let a = add(&e, "alpha");
    let b = add(&e, "beta");
    let mut drip = svc("7", "Instagram Likes 100% Real", "Instagram Likes", "3");
    drip.dripfeed = true;
    drip.refill = true;
    sync(
        &e,
        a,
        &[
            svc("1", "Instagram Followers", "Instagram Followers", "0.9"),
            svc("2", "TikTok Views", "TikTok", "0.01"),
            drip,
        ],
    );
    let mut comments = svc("9", "YouTube Custom Comments", "YouTube", "25");
    comments.service_type = ServiceType::CustomComments;
    sync(
        &e,
        b,
        &[svc("1", "X Followers", "Twitter", "4.5"), comments],
    );
    let ids = |q: ServiceQuery| -> Vec<String> {
        e.list_services(&q)
            .unwrap()
            .services
            .into_iter()
            .map(|s| format!("{}:{}", s.provider, s.service_id))
            .collect()
    };
    assert_eq!(
        ids(ServiceQuery::default()),
        ["alpha:2", "alpha:1", "alpha:7", "beta:1", "beta:9"],
        "cheapest first"
    );
    assert_eq!(
        ids(ServiceQuery {
            sort: ServiceSort::PriceDesc,
            limit: Some(2),
            ..Default::default()
        }),
        ["beta:9", "beta:1"]
    );
    assert_eq!(
        ids(ServiceQuery {
            search: Some("FOLLOW".into()),
            ..Default::default()
        }),
        ["alpha:1", "beta:1"]
    );
    assert_eq!(
        ids(ServiceQuery {
            search: Some("7".into()),
            provider: Some("alpha".into()),
            ..Default::default()
        }),
        ["alpha:7"],
        "search matches the service id"
    );
    assert_eq!(
        ids(ServiceQuery {
            search: Some("100%".into()),
            ..Default::default()
        }),
        ["alpha:7"],
        "% is literal"
    );
    assert_eq!(
        ids(ServiceQuery {
            platform: Some(Platform::Twitter),
            ..Default::default()
        }),
        ["beta:1"]
    );
    assert_eq!(
        ids(ServiceQuery {
            service_type: Some("custom comments".into()),
            ..Default::default()
        }),
        ["beta:9"]
    );
    assert_eq!(
        ids(ServiceQuery {
            dripfeed: Some(true),
            refill: Some(true),
            ..Default::default()
        }),
        ["alpha:7"]
    );
    assert_eq!(
        ids(ServiceQuery {
            category: Some("TikTok".into()),
            ..Default::default()
        }),
        ["alpha:2"]
    );
    assert_eq!(
        ids(ServiceQuery {
            min_rate: Some(Decimal::from_str("0.9").unwrap()),
            max_rate: Some(Decimal::from_str("4.5").unwrap()),
            ..Default::default()
        }),
        ["alpha:1", "alpha:7", "beta:1"]
    );
    let page = e
        .list_services(&ServiceQuery {
            limit: Some(2),
            offset: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.services.len(), 2);
    assert_eq!(
        e.list_services(&ServiceQuery {
            provider: Some("nope".into()),
            ..Default::default()
        })
        .unwrap_err()
        .code(),
        "provider.not_found"
    );
    assert_eq!(
        e.list_services(&ServiceQuery {
            limit: Some(0),
            ..Default::default()
        })
        .unwrap_err()
        .code(),
        "input.invalid"
    );
    let cats = e.catalog_categories(Some("alpha")).unwrap();
    let names: Vec<_> = cats
        .iter()
        .map(|c| (c.category.as_str(), c.services))
        .collect();
    assert_eq!(
        names,
        [
            ("Instagram Followers", 1),
            ("Instagram Likes", 1),
            ("TikTok", 1)
        ]
    );
    assert_eq!(e.catalog_categories(None).unwrap().len(), 5);
    // A removed provider's services leave the catalog.
    e.remove_provider("beta").unwrap();
    assert_eq!(e.list_services(&ServiceQuery::default()).unwrap().total, 3);
    assert_eq!(e.catalog_categories(None).unwrap().len(), 3);
}

#[test]
fn the_same_offer_on_two_providers_is_grouped_with_the_cheapest_marked() {
    let (_d, e, _c) = engine();
    let a = add(&e, "alpha");
    let b = add(&e, "beta");
    let c = add(&e, "gamma");
    sync(
        &e,
        a,
        &[
            svc(
                "1",
                "Instagram Followers [Refill 30 Days] ⚡",
                "Instagram",
                "1.20",
            ),
            svc("2", "TikTok Views", "TikTok", "0.01"),
        ],
    );
    sync(
        &e,
        b,
        &[svc(
            "55",
            "instagram followers | refill 30d | instant",
            "IG",
            "0.95",
        )],
    );
    sync(
        &e,
        c,
        &[svc(
            "9",
            "Instagram Followers - Refill 30D",
            "Instagram Followers",
            "1.00",
        )],
    );
    let groups = e.compare_offers(&OfferQuery::default()).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let g = &groups[0];
    assert_eq!(g.platform, Platform::Instagram);
    assert_eq!(g.kind, "followers");
    let offers: Vec<_> = g
        .offers
        .iter()
        .map(|o| (o.provider.as_str(), o.rate.to_string(), o.cheapest))
        .collect();
    assert_eq!(
        offers,
        [
            ("beta", "0.95".to_string(), true),
            ("gamma", "1".to_string(), false),
            ("alpha", "1.2".to_string(), false)
        ]
    );
    assert!(e
        .compare_offers(&OfferQuery {
            platform: Some(Platform::Tiktok),
            ..Default::default()
        })
        .unwrap()
        .is_empty());
}

/// 50,000 services: first sync, an unchanged re-sync, a re-sync with 1% changed, and queries.
/// Prints the timings (run with `--nocapture`); bounds are loose so a busy machine passes.
#[test]
fn fifty_thousand_services_sync_and_query_fast() {
    let (_d, e, clock) = engine();
    let p = add(&e, "big");
    let platforms = [
        "Instagram",
        "TikTok",
        "YouTube",
        "Telegram",
        "Twitter",
        "Facebook",
        "Spotify",
    ];
    let kinds = [
        "Followers",
        "Likes",
        "Views",
        "Comments",
        "Members",
        "Shares",
    ];
    let mut services: Vec<Service> = (0..50_000)
        .map(|i| {
            let platform = platforms[i % platforms.len()];
            let kind = kinds[(i / 7) % kinds.len()];
            svc(
                &(i + 1).to_string(),
                &format!("{platform} {kind} [Refill {}D] #{i}", i % 60),
                &format!("{platform} {kind}"),
                &format!("{}.{:03}", i % 50, i % 1000),
            )
        })
        .collect();
    let t = Instant::now();
    let d = sync(&e, p, &services);
    let first = t.elapsed();
    assert_eq!(d.added, 50_000);

    clock.advance_millis(1000);
    let t = Instant::now();
    let d = sync(&e, p, &services);
    let unchanged = t.elapsed();
    assert_eq!(d.rows_written, 0);

    for s in services.iter_mut().step_by(100) {
        s.rate += Decimal::ONE;
    }
    clock.advance_millis(1000);
    let t = Instant::now();
    let d = sync(&e, p, &services);
    let changed = t.elapsed();
    assert_eq!(d.price_changed, 500);

    let t = Instant::now();
    let page = e
        .list_services(&ServiceQuery {
            search: Some("likes [refill 3".into()),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    let search = t.elapsed();
    assert!(page.total > 0);
    let t = Instant::now();
    let page = e
        .list_services(&ServiceQuery {
            platform: Some(Platform::Tiktok),
            max_rate: Some(Decimal::from(10)),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    let filter = t.elapsed();
    assert!(page.total > 0);
    let t = Instant::now();
    e.list_services(&ServiceQuery::default()).unwrap();
    let cheapest = t.elapsed();
    println!(
        "50k services: first sync {first:?}, unchanged re-sync {unchanged:?}, 1% changed {changed:?}; \
         search {search:?}, platform+price filter {filter:?}, cheapest page {cheapest:?}"
    );
    assert!(first.as_secs() < 30 && unchanged.as_secs() < 10 && search.as_secs() < 2);
    if let Ok(path) = std::env::var("SMM_DESK_KEEP_BIG_DB") {
        e.store()
            .read(|c| Ok(c.execute("VACUUM INTO ?1", [path])?))
            .unwrap();
    }
    let _ = to_millis(e.now());
}
