//! A canary key never appears in an error's Display or Debug, in Debug of any holder, or in
//! any log line, whatever fails.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use smm_panel::sim::{Fault, SimConfig};
use smm_panel::{Action, ApiKey, Client, OrderRequest, PanelError, ProviderConfig, RetryPolicy};

use crate::common::*;

const CANARY: &str = "CANARY-7f3a9c1e5b2d4f60-KEY";

/// A log sink the subscriber writes into.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(CANARY), "{what} leaks the key: {text}");
    assert!(
        !text.contains("7f3a9c1e5b2d4f60"),
        "{what} leaks part of the key: {text}"
    );
}

#[tokio::test]
async fn the_key_appears_in_no_error_debug_or_log_line() {
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = sim_with(SimConfig {
        key: CANARY.into(),
        ..SimConfig::default()
    })
    .await;
    let key = ApiKey::new(CANARY);
    let mut config = ProviderConfig::new(sim.url(), key.clone());
    config.read_timeout = Duration::from_millis(300);
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let client = Client::new(config.clone()).unwrap();
    let order = OrderRequest::default_type("1", "https://instagram.com/p/canary", 100).unwrap();
    let mut errors: Vec<PanelError> = Vec::new();

    for fault in [
        Fault::ResetAfterAccept,
        Fault::Hang,
        Fault::Html200,
        Fault::ServerError(502),
        Fault::EmptyBody,
        Fault::MalformedJson,
        Fault::TooManyRequests {
            retry_after_secs: Some(0),
        },
        Fault::Redirect(format!("https://evil.example/?key={CANARY}")),
    ] {
        sim.set_fault(Action::Add, fault.clone());
        sim.set_fault(Action::Balance, fault);
        errors.extend(client.add(&order).await.err());
        errors.extend(client.balance().await.err());
    }
    sim.clear_faults();
    errors.extend(
        client
            .add(&OrderRequest::default_type("999999", "https://a.com/x", 10).unwrap())
            .await
            .err(),
    );
    let items = client.statuses(&["1".into(), "2".into()]).await.unwrap();
    let item_texts: Vec<String> = items.values().map(|r| format!("{r:?}")).collect();

    // A server that echoes the request body (and so the key) in an error page.
    let (echo, _) = scripted(|req| {
        http(
            "200 OK",
            &[("Content-Type", "text/html")],
            &format!("<pre>{}</pre>", req.body),
        )
    })
    .await;
    let (echo_error, _) = scripted(|req| {
        http(
            "200 OK",
            &[],
            &format!("{{\"error\":\"bad request {}\"}}", req.body),
        )
    })
    .await;
    let (echo_502, _) = scripted(|req| http("502 Bad Gateway", &[], &req.body)).await;
    for url in [echo, echo_error, echo_502] {
        let mut c = config.clone();
        c.url = url;
        errors.extend(Client::new(c).unwrap().balance().await.err());
    }
    // Never sent: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut c = config.clone();
    c.url = format!("http://{}/api/v2", closed.local_addr().unwrap());
    drop(closed);
    errors.extend(Client::new(c).unwrap().balance().await.err());
    // Config errors.
    let mut c = config.clone();
    c.url = format!("http://panel.example/api/v2?key={CANARY}");
    errors.extend(Client::new(c).err());

    assert!(
        errors.len() >= 20,
        "every case failed as planned: {}",
        errors.len()
    );
    for e in &errors {
        assert_clean("Display", &e.to_string());
        assert_clean("Debug", &format!("{e:?}"));
    }
    for text in &item_texts {
        assert_clean("item", text);
    }
    assert_clean("ApiKey", &format!("{key:?} {key}"));
    assert_clean("ProviderConfig", &format!("{config:?}"));
    assert_clean("Client", &format!("{client:?}"));
    assert_clean("SimHandle", &format!("{sim:?}"));
    assert_clean("SimRequest", &format!("{:?}", sim.requests()));

    let logs = String::from_utf8_lossy(&sink.0.lock().unwrap()).to_string();
    assert!(
        logs.contains("panel"),
        "the client logged something: {logs}"
    );
    assert_clean("logs", &logs);
}
