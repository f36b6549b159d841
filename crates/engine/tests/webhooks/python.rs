//! The spec's own library verifies our signatures: the receiver is a Python script using
//! `standardwebhooks.Webhook(secret).verify(body, headers)` (PyPI, pinned in
//! scripts/install-deps.sh, in the venv at target/pyenv).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use smm_engine::orders::RefreshScope;
use smm_engine::{DeliveryQuery, NewOrder, NewWebhook, ProviderUpdate};

use crate::support::{desk, fast, run_scheduler, SVC};

/// The venv's python (`SMM_DESK_PYTHON` overrides), or None when it or the library is missing.
fn python() -> Option<PathBuf> {
    let path = std::env::var_os("SMM_DESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/pyenv/bin/python")
        });
    let ok = Command::new(&path)
        .args(["-c", "import standardwebhooks"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(path)
}

/// The receiver process, killed when the test ends (also when it fails).
struct Receiver(std::process::Child);

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standard_webhooks_library_verifies_every_message() {
    let Some(python) = python() else {
        let why = "the Python venv with standardwebhooks is missing (target/pyenv): run scripts/install-deps.sh";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("SKIPPED the_standard_webhooks_library_verifies_every_message: {why}");
        return;
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks/verify_receiver.py");
    let mut child = Receiver(
        Command::new(python)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let port: u16 = lines.next().unwrap().unwrap().trim().parse().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(serde_json::from_str(&line).unwrap());
        }
    });

    let dir = tempfile::tempdir().unwrap();
    let (engine, sim) = desk(dir.path()).await;
    let url = format!("http://127.0.0.1:{port}/smm-desk");
    let created = engine
        .add_webhook(NewWebhook {
            url: url.clone(),
            events: None,
        })
        .unwrap();
    let mut stdin = child.0.stdin.take().unwrap();
    writeln!(stdin, "{}", created.secret.expose()).unwrap();
    stdin.flush().unwrap();
    let scheduler = run_scheduler(&engine, fast(5000, &[200]));

    engine.test_webhook(created.webhook.id).unwrap();
    let order = engine
        .place_order(NewOrder::new("sim", SVC, "https://instagram.com/p/py", 100))
        .await
        .unwrap();
    sim.advance(Duration::from_secs(24 * 3600));
    engine
        .refresh_orders(RefreshScope::Orders(vec![order.id]))
        .await
        .unwrap();
    engine
        .update_provider(
            "sim",
            ProviderUpdate {
                low_balance_threshold: Some(Some("1000000".parse().unwrap())),
                ..ProviderUpdate::default()
            },
        )
        .unwrap();
    engine.check_balance("sim").await.unwrap();

    // test + submitting + pending + the final status + balance.low
    let mut seen = Vec::new();
    while seen.len() < 5 {
        let line = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap_or_else(|_| panic!("the receiver verified only {seen:#?}"))
            .unwrap();
        assert_eq!(line["ok"], true, "the library rejected a message: {line}");
        seen.push(line);
    }
    let types: Vec<&str> = seen.iter().map(|l| l["type"].as_str().unwrap()).collect();
    for t in ["webhook.test", "order.status_changed", "balance.low"] {
        assert!(types.contains(&t), "{types:?}");
    }
    let sent = engine
        .webhook_deliveries(&DeliveryQuery::default())
        .unwrap();
    for line in &seen {
        assert!(sent.iter().any(|d| line["id"] == d.msg_id.as_str()));
    }
    scheduler.stop().await;

    // The library is no rubber stamp: one changed byte and it refuses.
    let original = &sent[0];
    let body = serde_json::to_string(&original.payload).unwrap();
    let ts = jiff::Timestamp::now().as_second();
    let signature = created.secret.sign(&original.msg_id, ts, &body);
    let reply = reqwest::Client::new()
        .post(&url)
        .header("webhook-id", &original.msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(body.replacen('{', "{ ", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 400);
    let line = rx.recv().await.unwrap();
    assert_eq!(line["ok"], false, "{line}");
    drop(child);
}
