//! Fault injection: every fault, its classification, and proof of what was (re)sent.

use std::time::{Duration, Instant};

use smm_panel::sim::Fault;
use smm_panel::{Action, Client, Delivery, OrderRequest, PanelError, ProviderReason};

use crate::common::*;

async fn placed_setup() -> (smm_panel::sim::SimHandle, Client, OrderRequest) {
    let sim = sim().await;
    let client = client_with(&sim, |c| c.read_timeout = Duration::from_millis(500));
    let s = default_service(&sim, |s| s.min <= 100 && s.max >= 100);
    let order = OrderRequest::default_type(&s.id, "https://instagram.com/p/fault", 100).unwrap();
    (sim, client, order)
}

#[tokio::test]
async fn reset_after_accept_is_maybe_sent_and_add_was_sent_exactly_once() {
    let (sim, client, order) = placed_setup().await;
    sim.set_fault(Action::Add, Fault::ResetAfterAccept);
    let e = client.add(&order).await.unwrap_err();
    assert_eq!(e.delivery(), Delivery::MaybeSent, "{e:?}");
    assert_eq!(sim.counters().get(Action::Add), 1, "add is never resent");
    assert_eq!(sim.orders().len(), 1, "the order exists at the provider");
    // The user re-submits: the provider's duplicate-link error helps reconcile.
    sim.clear_faults();
    let again = client.add(&order).await.unwrap_err();
    assert_eq!(again.reason(), Some(&ProviderReason::DuplicateActiveLink));
}

#[tokio::test]
async fn add_failures_after_sending_are_maybe_sent_and_never_retried() {
    for fault in [
        Fault::Hang,
        Fault::Html200,
        Fault::MalformedJson,
        Fault::PhpNoticeHoldingJson,
        Fault::ServerError(502),
        Fault::ServerError(500),
        Fault::EmptyBody,
        Fault::Redirect("https://other.example/api/v2".into()),
    ] {
        let (sim, client, order) = placed_setup().await;
        sim.set_fault(Action::Add, fault.clone());
        let e = client.add(&order).await.unwrap_err();
        assert_eq!(e.delivery(), Delivery::MaybeSent, "{fault:?}: {e:?}");
        assert_eq!(sim.counters().get(Action::Add), 1, "{fault:?}");
        match fault {
            Fault::Hang => assert!(matches!(e, PanelError::Timeout)),
            Fault::Html200 => match &e {
                PanelError::NonJson {
                    snippet,
                    http_status,
                } => {
                    assert!(snippet.contains("Just a moment"));
                    assert!(snippet.chars().count() <= 200);
                    assert_eq!(*http_status, 200);
                }
                other => panic!("{other:?}"),
            },
            Fault::MalformedJson | Fault::PhpNoticeHoldingJson => {
                assert!(matches!(e, PanelError::NonJson { .. }), "{e:?}")
            }
            Fault::ServerError(code) => match &e {
                PanelError::Http { status, snippet } => {
                    assert_eq!(*status, code);
                    assert!(snippet.contains(&code.to_string()));
                }
                other => panic!("{other:?}"),
            },
            Fault::EmptyBody => assert!(matches!(e, PanelError::EmptyBody { .. })),
            Fault::Redirect(_) => match &e {
                PanelError::Redirect { status, location } => {
                    assert_eq!(*status, 302);
                    assert_eq!(location, "https://other.example/api/v2");
                }
                other => panic!("{other:?}"),
            },
            _ => unreachable!(),
        }
    }
}

#[tokio::test]
async fn rate_limits_are_rejections_with_retry_after() {
    let (sim, client, order) = placed_setup().await;
    sim.set_fault(
        Action::Add,
        Fault::TooManyRequests {
            retry_after_secs: Some(30),
        },
    );
    let e = client.add(&order).await.unwrap_err();
    assert_eq!(e.delivery(), Delivery::Rejected);
    assert!(e.is_rate_limited());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    sim.set_fault(Action::Add, Fault::RateLimitText);
    let e = client.add(&order).await.unwrap_err();
    assert_eq!(e.reason(), Some(&ProviderReason::RateLimited));
    assert_eq!(sim.counters().get(Action::Add), 2);
    assert!(sim.orders().is_empty());
}

#[tokio::test]
async fn reads_are_retried_through_transient_faults() {
    for fault in [
        Fault::ServerError(503),
        Fault::Html200,
        Fault::MalformedJson,
        Fault::ResetBeforeProcess,
        Fault::EmptyBody,
        Fault::RateLimitText,
        Fault::TooManyRequests {
            retry_after_secs: Some(0),
        },
    ] {
        let sim = sim().await;
        let client = client(&sim);
        sim.set_fault_times(Action::Balance, fault.clone(), 2);
        let b = client
            .balance()
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        assert_eq!(b.amount, dec("1000"));
        assert_eq!(sim.counters().get(Action::Balance), 3, "{fault:?}");
    }
}

#[tokio::test]
async fn retries_are_bounded() {
    let sim = sim().await;
    let client = client(&sim);
    sim.set_fault(Action::Status, Fault::ServerError(502));
    let e = client.status("1").await.unwrap_err();
    assert!(matches!(e, PanelError::Http { status: 502, .. }));
    assert_eq!(sim.counters().get(Action::Status), 3, "max_attempts = 3");
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_ends_the_retries() {
    let sim = sim().await;
    let client = client(&sim);
    sim.set_fault_times(
        Action::Services,
        Fault::TooManyRequests {
            retry_after_secs: Some(1),
        },
        1,
    );
    let started = Instant::now();
    client.services().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited Retry-After"
    );
    assert_eq!(sim.counters().get(Action::Services), 2);

    sim.set_fault(
        Action::Services,
        Fault::TooManyRequests {
            retry_after_secs: Some(3600),
        },
    );
    let e = client.services().await.unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(
        sim.counters().get(Action::Services),
        3,
        "no wait of an hour"
    );
}

#[tokio::test]
async fn refill_is_not_resent_after_a_reset_but_cancel_may_be() {
    let sim = sim().await;
    let client = client(&sim);
    sim.set_fault(Action::Refill, Fault::ResetAfterAccept);
    let e = client.refill("10001").await.unwrap_err();
    assert_eq!(e.delivery(), Delivery::MaybeSent);
    let e = client
        .refills(&["10001".into(), "10002".into()])
        .await
        .unwrap_err();
    assert_eq!(e.delivery(), Delivery::MaybeSent);
    assert_eq!(sim.counters().get(Action::Refill), 2);

    sim.set_fault_times(Action::Cancel, Fault::ServerError(502), 1);
    let r = client.cancel(&["10001".into()]).await.unwrap();
    assert_eq!(
        r["10001"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
    assert_eq!(sim.counters().get(Action::Cancel), 2);
}

#[tokio::test]
async fn one_failed_chunk_does_not_lose_the_others() {
    let sim = sim().await;
    let client = client_with(&sim, |c| c.retry = smm_panel::RetryPolicy::none());
    let ids: Vec<String> = (1..=150).map(|n| n.to_string()).collect();
    sim.set_fault_times(Action::Status, Fault::ServerError(502), 1);
    let r = client.statuses(&ids).await.unwrap();
    assert_eq!(r.len(), 150);
    assert!(matches!(
        r["1"],
        Err(smm_panel::ItemError::Call(ref e)) if e.delivery() == Delivery::MaybeSent
    ));
    assert_eq!(
        r["101"].as_ref().unwrap_err().reason(),
        Some(&ProviderReason::UnknownOrder)
    );
}

#[tokio::test]
async fn timeouts_are_enforced_with_a_longer_one_for_services() {
    let sim = sim().await;
    let client = client_with(&sim, |c| {
        c.read_timeout = Duration::from_millis(200);
        c.services_read_timeout = Duration::from_secs(5);
        c.retry = smm_panel::RetryPolicy::none();
    });
    sim.set_fault(Action::Services, Fault::Latency(Duration::from_millis(600)));
    sim.set_fault(Action::Balance, Fault::Latency(Duration::from_millis(600)));
    assert!(
        client.services().await.is_ok(),
        "services gets its longer timeout"
    );
    let e = client.balance().await.unwrap_err();
    assert!(matches!(e, PanelError::Timeout), "{e:?}");
    assert_eq!(e.delivery(), Delivery::MaybeSent);
}

#[tokio::test]
async fn a_refused_connection_is_never_sent_and_add_is_retried() {
    // Bind a port, then free it: connecting is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/v2", listener.local_addr().unwrap());
    drop(listener);
    let mut config =
        smm_panel::ProviderConfig::new(url, smm_panel::ApiKey::new("k-00000000000000"));
    config.retry = fast_retry();
    let client = Client::new(config).unwrap();
    let order = OrderRequest::default_type("1", "https://instagram.com/p/x", 100).unwrap();
    let started = Instant::now();
    let e = client.add(&order).await.unwrap_err();
    assert!(matches!(e, PanelError::Connect(_)), "{e:?}");
    assert_eq!(e.delivery(), Delivery::NeverSent);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn latency_delays_but_answers() {
    let sim = sim_with(smm_panel::sim::SimConfig {
        latency: Duration::from_millis(50),
        ..Default::default()
    })
    .await;
    let started = Instant::now();
    client(&sim).balance().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
}
