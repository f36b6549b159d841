//! The selling price list on a real SQLite file, over a catalog synced from the simulator: the
//! precedence of the four levels (a test per level), rounding, the manual price, quotes for a
//! quantity, and bad input (a specific error, nothing written).

use std::str::FromStr;

use rust_decimal::Decimal;
use smm_engine::catalog::Platform;
use smm_engine::pricing::{PriceRule, PriceScope};
use smm_engine::{CatalogService, NewProvider, ServiceQuery};
use smm_panel::sim::{SimConfig, Simulator};

use crate::support::{count, desk, TestDesk};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn rule(scope: PriceScope) -> PriceRule {
    PriceRule::new(scope)
}

fn percent(scope: PriceScope, p: &str) -> PriceRule {
    PriceRule {
        percent: Some(dec(p)),
        ..rule(scope)
    }
}

/// A desk with the simulator's catalog synced, and a service with a non-zero rate.
async fn priced_desk() -> (TestDesk, CatalogService) {
    let d = desk();
    let sim = Simulator::start(SimConfig {
        seed: 11,
        services: 120,
        ..Default::default()
    })
    .await
    .unwrap();
    d.engine
        .add_provider(NewProvider::new("sim", sim.url(), sim.key()))
        .unwrap();
    d.engine.sync_catalog("sim").await.unwrap();
    let services = d
        .engine
        .list_services(&ServiceQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
        .services;
    let s = services
        .into_iter()
        .find(|s| !s.rate.is_zero() && s.platform != Platform::Other)
        .expect("a priced service on a known platform");
    (d, s)
}

fn sale(d: &TestDesk, s: &CatalogService) -> Decimal {
    d.engine.price_quote(s.id, None).unwrap().sale_rate
}

fn expected(cost: Decimal, p: &str) -> Decimal {
    (cost + cost * dec(p) / Decimal::ONE_HUNDRED).normalize()
}

#[tokio::test]
async fn without_rules_a_service_sells_at_cost() {
    let (d, s) = priced_desk().await;
    let q = d.engine.price_quote(s.id, Some(2500)).unwrap();
    assert!(q.unpriced);
    assert_eq!(q.sale_rate, s.rate.normalize());
    assert_eq!(q.margin_percent, Some(Decimal::ZERO));
    assert_eq!(q.cost, Some((s.rate * dec("2.5")).normalize()));
    assert_eq!(q.sale, q.cost);
}

#[tokio::test]
async fn the_default_rule_applies_to_every_service() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(percent(PriceScope::Default, "30"))
        .unwrap();
    assert_eq!(sale(&d, &s), expected(s.rate, "30"));
    assert!(!d.engine.price_quote(s.id, None).unwrap().unpriced);
}

#[tokio::test]
async fn a_platform_rule_beats_the_default() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(percent(PriceScope::Default, "30"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Platform(s.platform), "45"))
        .unwrap();
    assert_eq!(sale(&d, &s), expected(s.rate, "45"));
    // Another platform's rule changes nothing here.
    let other = Platform::ALL
        .into_iter()
        .find(|p| *p != s.platform)
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Platform(other), "90"))
        .unwrap();
    assert_eq!(sale(&d, &s), expected(s.rate, "45"));
}

#[tokio::test]
async fn a_category_rule_beats_the_platform() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(percent(PriceScope::Platform(s.platform), "45"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Category(s.category.clone()), "60"))
        .unwrap();
    assert_eq!(sale(&d, &s), expected(s.rate, "60"));
}

#[tokio::test]
async fn a_service_rule_beats_the_category_and_unset_settings_come_from_below() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(PriceRule {
            percent: Some(dec("10")),
            step: Some(dec("0.05")),
            ..rule(PriceScope::Default)
        })
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Category(s.category.clone()), "60"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Service(s.id), "100"))
        .unwrap();
    let raw = expected(s.rate, "100");
    let stepped = ((raw / dec("0.05")).ceil() * dec("0.05")).normalize();
    assert_eq!(
        sale(&d, &s),
        stepped,
        "the service's percent, the default's step"
    );
    assert!(stepped >= raw);
}

#[tokio::test]
async fn a_manual_price_wins_over_every_rule_and_removing_it_restores_the_formula() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(PriceRule {
            percent: Some(dec("10")),
            min_margin: Some(dec("50")),
            ..rule(PriceScope::Default)
        })
        .unwrap();
    d.engine
        .set_price_rule(PriceRule {
            price: Some(dec("12.345")),
            ..rule(PriceScope::Service(s.id))
        })
        .unwrap();
    let q = d.engine.price_quote(s.id, Some(1000)).unwrap();
    assert!(q.manual);
    assert_eq!((q.sale_rate, q.sale), (dec("12.345"), Some(dec("12.345"))));
    d.engine
        .remove_price_rule(&PriceScope::Service(s.id))
        .unwrap();
    let q = d.engine.price_quote(s.id, None).unwrap();
    assert!(!q.manual);
    // 10 % markup is below a 50 % margin: the price is raised to cost × 2.
    assert_eq!(q.sale_rate, (s.rate * dec("2")).normalize());
    assert_eq!(q.margin_percent, Some(dec("50")));
}

#[tokio::test]
async fn setting_a_rule_again_replaces_it_and_the_list_is_most_general_first() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(percent(PriceScope::Service(s.id), "5"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Default, "20"))
        .unwrap();
    d.engine
        .set_price_rule(PriceRule {
            fixed: Some(dec("0.5")),
            ..rule(PriceScope::Default)
        })
        .unwrap();
    let rules = d.engine.price_rules().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].scope, PriceScope::Default);
    assert_eq!(
        (rules[0].percent, rules[0].fixed),
        (None, Some(dec("0.5"))),
        "replaced, not merged"
    );
    assert_eq!(rules[1].scope, PriceScope::Service(s.id));
    let json = serde_json::to_value(&rules[0]).unwrap();
    assert_eq!(json["fixed"], "0.5", "amounts are decimal strings");
    assert_eq!(json["scope"]["level"], "default");
}

#[tokio::test]
async fn bad_rules_name_their_field_and_write_nothing() {
    let (d, s) = priced_desk().await;
    d.engine
        .set_price_rule(percent(PriceScope::Default, "20"))
        .unwrap();
    let before = d.engine.price_rules().unwrap();
    let long = "c".repeat(501);
    let cases: Vec<(PriceRule, &str)> = vec![
        (rule(PriceScope::Default), "rule"),
        (percent(PriceScope::Default, "-5"), "percent"),
        (percent(PriceScope::Default, "10001"), "percent"),
        (
            PriceRule {
                fixed: Some(dec("-0.01")),
                ..rule(PriceScope::Default)
            },
            "fixed",
        ),
        (
            PriceRule {
                step: Some(dec("0")),
                ..rule(PriceScope::Default)
            },
            "step",
        ),
        (
            PriceRule {
                min_margin: Some(dec("100")),
                ..rule(PriceScope::Default)
            },
            "min_margin",
        ),
        (
            PriceRule {
                price: Some(dec("3")),
                ..rule(PriceScope::Default)
            },
            "price",
        ),
        (
            PriceRule {
                price: Some(dec("0")),
                ..rule(PriceScope::Service(s.id))
            },
            "price",
        ),
        (percent(PriceScope::Default, "1.00000000001"), "percent"),
        (percent(PriceScope::Service(999_999), "5"), "service"),
        (
            percent(PriceScope::Category("No such category".into()), "5"),
            "category",
        ),
        (
            percent(PriceScope::Category(format!(" {}", s.category)), "5"),
            "category",
        ),
        (percent(PriceScope::Category(long), "5"), "category"),
        (
            percent(PriceScope::Category("\u{200b}".into()), "5"),
            "category",
        ),
    ];
    for (r, field) in cases {
        let err = d.engine.set_price_rule(r.clone()).unwrap_err();
        assert_eq!(err.code(), "input.invalid", "{r:?}: {err}");
        assert!(
            matches!(&err, smm_engine::EngineError::Input { field: f, .. } if *f == field),
            "{r:?}: {err:?}"
        );
        assert_eq!(
            d.engine.price_rules().unwrap(),
            before,
            "{r:?} changed nothing"
        );
    }
    let err = d
        .engine
        .remove_price_rule(&PriceScope::Platform(Platform::Twitch))
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert_eq!(
        d.engine.price_quote(s.id, Some(0)).unwrap_err().code(),
        "input.invalid"
    );
    assert_eq!(
        count(&d.engine, "SELECT count(*) FROM price_rules"),
        1,
        "only the first rule"
    );
}

/// A provider raises a rate: a service whose manual price now earns less than the minimum
/// margin is named in the alerts inbox (once), a service whose formula keeps the margin is not,
/// and the alert clears when the rate comes back down.
#[tokio::test]
async fn a_raised_rate_below_the_minimum_margin_raises_an_alert_that_clears() {
    use smm_engine::{AlertKind, AlertQuery};
    use smm_panel::{Service, ServiceType};
    let d = desk();
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let svc = |id: &str, rate: &str| Service {
        id: id.into(),
        name: format!("Instagram Likes {id}"),
        service_type: ServiceType::Default,
        category: "Instagram Likes".into(),
        rate: dec(rate),
        min: 10,
        max: 10_000,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    };
    sim.upsert_service(svc("77", "1.00"));
    sim.upsert_service(svc("78", "1.00"));
    d.engine
        .add_provider(NewProvider::new("sim", sim.url(), sim.key()))
        .unwrap();
    d.engine.sync_catalog("sim").await.unwrap();
    let id = |sid: &str| {
        d.engine
            .list_services(&ServiceQuery {
                search: Some(format!("Likes {sid}")),
                ..Default::default()
            })
            .unwrap()
            .services[0]
            .id
    };
    let (manual, formula) = (id("77"), id("78"));
    d.engine
        .set_price_rule(PriceRule {
            percent: Some(dec("40")),
            min_margin: Some(dec("20")),
            ..rule(PriceScope::Default)
        })
        .unwrap();
    d.engine
        .set_price_rule(PriceRule {
            price: Some(dec("1.30")),
            ..rule(PriceScope::Service(manual))
        })
        .unwrap();
    let margin_alerts = || {
        d.engine
            .list_alerts(&AlertQuery::default())
            .unwrap()
            .into_iter()
            .filter(|a| a.kind == AlertKind::MarginLow)
            .collect::<Vec<_>>()
    };
    assert!(margin_alerts().is_empty());
    // 1.30 on a cost of 1.20 is a 7.69 % margin, below 20 %; the formula's price keeps 28.57 %.
    sim.upsert_service(svc("77", "1.20"));
    sim.upsert_service(svc("78", "1.20"));
    d.engine.sync_catalog("sim").await.unwrap();
    let alerts = margin_alerts();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let a = &alerts[0];
    assert_eq!(a.service_ref, Some(manual));
    assert_eq!(a.params["margin"], "7.69");
    assert_eq!(a.params["min_margin"], "20");
    assert!(a.message.contains("below 20%"), "{}", a.message);
    // Another sync at the same rate raises nothing new; the rate back down clears it.
    d.engine.sync_catalog("sim").await.unwrap();
    assert_eq!(margin_alerts().len(), 1);
    sim.upsert_service(svc("77", "1.00"));
    d.engine.sync_catalog("sim").await.unwrap();
    let alerts = margin_alerts();
    assert!(alerts[0].cleared_at.is_some(), "{alerts:?}");
    assert!(alerts.iter().all(|a| a.service_ref != Some(formula)));
}

#[tokio::test]
async fn sale_rates_of_a_page_equal_each_services_quote() {
    let (d, s) = priced_desk().await;
    let services = d
        .engine
        .list_services(&ServiceQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
        .services;
    d.engine
        .set_price_rule(percent(PriceScope::Default, "20"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Platform(s.platform), "50"))
        .unwrap();
    d.engine
        .set_price_rule(percent(PriceScope::Category(s.category.clone()), "35"))
        .unwrap();
    d.engine
        .set_price_rule(PriceRule {
            price: Some(dec("9.99")),
            ..rule(PriceScope::Service(s.id))
        })
        .unwrap();
    let rates = d.engine.sale_rates(&services).unwrap();
    assert_eq!(rates.len(), services.len());
    for (svc, r) in services.iter().zip(&rates) {
        let q = d.engine.price_quote(svc.id, None).unwrap();
        assert_eq!(r.service, svc.id);
        assert_eq!(
            (
                r.cost_rate,
                r.sale_rate,
                r.margin_percent,
                r.manual,
                r.unpriced
            ),
            (
                q.cost_rate,
                q.sale_rate,
                q.margin_percent,
                q.manual,
                q.unpriced
            ),
            "service #{}",
            svc.id
        );
    }
    let mine = rates.iter().find(|r| r.service == s.id).unwrap();
    assert!(mine.manual);
    assert_eq!(mine.sale_rate, dec("9.99"));
    assert!(d.engine.sale_rates(&[]).unwrap().is_empty());
}
