//! A self-hosted PHP panel as found in issue 19: its wording for a wrong key, PHP notices shown
//! before the JSON, and no refill or cancel.

use smm_panel::sim::{Dialect, Fault};
use smm_panel::{Action, ApiKey, Delivery, OrderRequest, PanelError, ProviderReason};

use crate::common::*;

/// A notice block as PHP prints it with `display_errors` on.
const NOTICE: &str = "<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/api.php</b> on line <b>12</b><br />\n";

#[tokio::test]
async fn the_panels_wrong_key_wording_is_an_invalid_key_for_every_action() {
    let sim = sim().await;
    sim.set_dialect(Dialect {
        user_not_found_key_error: true,
        ..Dialect::default()
    });
    let client = client_with(&sim, |c| c.key = ApiKey::new("wrong-key-0000000000"));
    let e = client.balance().await.unwrap_err();
    match &e {
        PanelError::Provider {
            reason, message, ..
        } => {
            assert_eq!(reason, &ProviderReason::InvalidKey);
            assert_eq!(message, "API is disable for this user or user not found");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.code(), "provider.invalid_key");
    assert_eq!(e.delivery(), Delivery::Rejected);
    let ids = vec!["1".to_owned()];
    for e in [
        client.services().await.unwrap_err(),
        client.status("1").await.unwrap_err(),
        client.cancel(&ids).await.unwrap_err(),
    ] {
        assert_eq!(e.reason(), Some(&ProviderReason::InvalidKey), "{e:?}");
    }
    assert_eq!(sim.counters().total, 4, "a refused key is not retried");
}

#[tokio::test]
async fn a_noisy_accepted_add_decodes_to_its_order_id() {
    for fault in [Fault::PhpNotices(36), Fault::PhpWarningBeforeJson] {
        let sim = sim().await;
        let client = client(&sim);
        let s = default_service(&sim, |s| s.min <= 100 && s.max >= 100);
        let order =
            OrderRequest::default_type(&s.id, "https://instagram.com/p/noisy", 100).unwrap();
        sim.set_fault(Action::Add, fault.clone());
        let placed = client
            .add(&order)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        let held = sim.orders();
        assert_eq!(held.len(), 1, "{fault:?}");
        assert_eq!(placed.id, held[0].id, "{fault:?}");
        assert_eq!(sim.counters().get(Action::Add), 1, "{fault:?}");
        assert_eq!(client.noisy_replies(), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn noisy_reads_decode_and_clean_replies_are_not_counted_as_noisy() {
    let sim = sim().await;
    let client = client(&sim);
    assert_eq!(client.balance().await.unwrap().amount, dec("1000"));
    assert_eq!(client.noisy_replies(), 0);
    sim.set_fault(Action::Services, Fault::PhpNotices(40));
    sim.set_fault(Action::Balance, Fault::PhpNotices(3));
    assert_eq!(client.services().await.unwrap(), sim.catalog());
    assert_eq!(client.balance().await.unwrap().amount, dec("1000"));
    assert_eq!(client.noisy_replies(), 2);
    assert_eq!(
        sim.counters().get(Action::Services),
        1,
        "nothing was retried"
    );
}

#[tokio::test]
async fn a_noisy_ambiguous_add_stays_not_json_and_maybe_sent() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.min <= 100 && s.max >= 100);
    let order =
        OrderRequest::default_type(&s.id, "https://instagram.com/p/json-in-notice", 100).unwrap();
    sim.set_fault(Action::Add, Fault::PhpNoticeHoldingJson);
    let e = client.add(&order).await.unwrap_err();
    assert!(
        matches!(
            e,
            PanelError::NonJson {
                http_status: 200,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), "non_json");
    assert_eq!(e.delivery(), Delivery::MaybeSent);
    assert_eq!(sim.orders().len(), 1, "the order exists at the provider");
    assert_eq!(sim.counters().get(Action::Add), 1, "an add is never resent");
}

#[tokio::test]
async fn noise_with_two_replies_or_a_cut_reply_is_not_json_as_before() {
    let bodies = [
        format!("{NOTICE}{{\"order\": 183}}{{\"order\": 184}}"),
        format!("{NOTICE}{{\"order\": 18"),
        format!("{NOTICE}{{\"order\": 183}}{NOTICE}"),
        format!("{NOTICE}<b>Fatal error</b>:  Uncaught Error in <b>/var/www/api.php</b> on line <b>13</b><br />\n{{\"order\": 183}}"),
        format!("<html>{NOTICE}{{\"order\": 183}}"),
    ];
    for body in bodies {
        let reply = body.clone();
        let (url, log) = scripted(move |_| {
            http(
                "200 OK",
                &[("Content-Type", "text/html; charset=UTF-8")],
                &reply,
            )
        })
        .await;
        let client = smm_panel::Client::new({
            let mut c = smm_panel::ProviderConfig::new(url, ApiKey::new("k-000000000000"));
            c.retry = fast_retry();
            c
        })
        .unwrap();
        let order = OrderRequest::default_type("1", "https://instagram.com/p/x", 100).unwrap();
        let e = client.add(&order).await.unwrap_err();
        assert!(matches!(e, PanelError::NonJson { .. }), "{body:?}: {e:?}");
        assert_eq!(e.delivery(), Delivery::MaybeSent, "{body:?}");
        assert_eq!(log.lock().unwrap().len(), 1, "{body:?}: never resent");
    }
}

#[tokio::test]
async fn refill_and_cancel_on_a_panel_without_them_are_incorrect_requests() {
    let sim = sim().await;
    let client = client(&sim);
    let s = default_service(&sim, |s| s.refill && s.min <= 100 && s.max >= 100);
    let order = OrderRequest::default_type(&s.id, "https://instagram.com/p/norefill", 100).unwrap();
    let placed = client.add(&order).await.unwrap();
    sim.set_dialect(Dialect {
        without_refill_and_cancel: true,
        ..Dialect::default()
    });
    let ids = vec![placed.id.clone()];
    let errors = [
        client.refill(&placed.id).await.unwrap_err(),
        client.refills(&ids).await.unwrap_err(),
        client.refill_status("1").await.unwrap_err(),
        client.cancel(&ids).await.unwrap_err(),
    ];
    for e in errors {
        match &e {
            PanelError::Provider {
                reason, message, ..
            } => {
                assert_eq!(reason, &ProviderReason::IncorrectRequest);
                assert_eq!(message, "Request Invalid");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(e.delivery(), Delivery::Rejected);
    }
    // The order is untouched, and status still works.
    assert!(client.status(&placed.id).await.is_ok());
}

/// The body and content type of a fixture.
fn fixture(id: &str) -> (String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/smm-api-v2-examples.json"
    );
    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entry = entries.into_iter().find(|e| e["id"] == id).unwrap();
    let text = |k: &str| entry[k].as_str().unwrap_or_default().to_owned();
    (text("response"), text("content_type"))
}

#[tokio::test]
async fn the_panels_text_html_replies_decode_through_the_client() {
    let (add, add_type) = fixture("PHP#2");
    let (services, services_type) = fixture("PHP#3");
    assert!(add_type.starts_with("text/html") && services_type.starts_with("text/html"));
    let (url, _) = scripted(move |request| {
        if request.body.contains("action=services") {
            http("200 OK", &[("Content-Type", &services_type)], &services)
        } else {
            http("200 OK", &[("Content-Type", &add_type)], &add)
        }
    })
    .await;
    let client = smm_panel::Client::new({
        let mut c = smm_panel::ProviderConfig::new(url, ApiKey::new("k-000000000000"));
        c.retry = fast_retry();
        c
    })
    .unwrap();
    let catalog = client.services().await.unwrap();
    assert_eq!(catalog.len(), 2);
    assert!(catalog[1].dripfeed);
    assert_eq!(client.noisy_replies(), 0);
    let order = OrderRequest::default_type("1", "https://instagram.com/p/x", 100).unwrap();
    assert_eq!(client.add(&order).await.unwrap().id, "183");
    assert_eq!(client.noisy_replies(), 1);
}
