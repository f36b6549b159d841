//! `smmdesk webhook …`: the real binary adds, lists, tests and removes webhooks, `smmdesk
//! daemon` delivers to a receiver on 127.0.0.1, and bad input fails with its code and
//! changes nothing.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use smm_engine::WebhookSecret;

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Runs a `--json` command that must fail with exit code 1; returns the error code.
fn fails(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert_eq!(r.code, 1, "{args:?} should fail: {} {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
    let v: Value = serde_json::from_str(r.stderr.trim()).unwrap();
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    v["code"].as_str().unwrap().to_string()
}

/// Every row of every table.
fn snapshot(dir: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(dir.join("smm-desk.sqlite3")).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut rows = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect();
            rows.push(format!("{t}: {}", cells.join(" ")));
        }
    }
    rows
}

type Received = Arc<Mutex<Vec<(HashMap<String, String>, String)>>>;

/// A receiver on 127.0.0.1 answering 204 to everything; returns its URL and what it got.
fn receiver() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/smm", listener.local_addr().unwrap());
    let got: Received = Arc::default();
    let sink = got.clone();
    std::thread::spawn(move || {
        for mut socket in listener.incoming().map_while(Result::ok) {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, len) = loop {
                let n = socket.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break (String::new(), 0);
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..i]).to_string();
                    buf.drain(..i + 4);
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    break (head, len);
                }
            };
            while buf.len() < len {
                let n = socket.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let headers = head
                .lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            sink.lock()
                .unwrap()
                .push((headers, String::from_utf8_lossy(&buf).to_string()));
            let _ = socket.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

/// Every file under `dir` (the database, logs, the key file).
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn add_list_test_deliver_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (url, got) = receiver();
    let created = json(
        d,
        &[
            "webhook",
            "add",
            &url,
            "--events",
            "order.status_changed,balance.low",
        ],
    );
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{created}");
    let id = created["webhook"]["id"].as_i64().unwrap();
    let human = run(
        d,
        &[
            "webhook",
            "add",
            "https://example.com/other",
            "--events",
            "balance.low",
        ],
    );
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("secret: whsec_"), "{}", human.stdout);
    let other_secret = human
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .unwrap()
        .to_string();

    let list = run(d, &["webhook", "list"]);
    assert!(
        list.stdout.contains(&url) && list.stdout.contains("balance.low"),
        "{}",
        list.stdout
    );
    let listed = json(d, &["webhook", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    for shown in [&list.stdout, &listed.to_string()] {
        assert!(
            !shown.contains("whsec_"),
            "a list never shows a secret: {shown}"
        );
    }

    let queued = json(d, &["webhook", "test", &id.to_string()]);
    assert_eq!(queued["state"], "pending");
    let msg_id = queued["msg_id"].as_str().unwrap().to_string();
    let daemon = run(d, &["daemon", "--for", "2"]);
    assert_eq!(daemon.code, 0, "{}", daemon.stderr);

    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let (headers, body) = &got[0];
    assert_eq!(headers["webhook-id"], msg_id);
    let ts: i64 = headers["webhook-timestamp"].parse().unwrap();
    let expected = WebhookSecret::parse(&secret)
        .unwrap()
        .sign(&msg_id, ts, body);
    assert_eq!(headers["webhook-signature"], expected);
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["type"], "webhook.test");
    assert_eq!(payload["data"]["webhook_id"], id);

    let rows = json(d, &["webhook", "deliveries", "--webhook", &id.to_string()]);
    assert_eq!(rows[0]["state"], "delivered", "{rows}");
    assert_eq!(
        (
            rows[0]["attempts"].as_i64(),
            rows[0]["last_status"].as_i64()
        ),
        (Some(1), Some(204))
    );
    let table = run(d, &["webhook", "deliveries"]);
    assert!(
        table.stdout.contains("delivered") && table.stdout.contains(&msg_id),
        "{}",
        table.stdout
    );

    // Disabled: a test is refused; enabled again: accepted.
    assert_eq!(json(d, &["webhook", "disable", "2"])["active"], false);
    assert_eq!(fails(d, &["webhook", "test", "2"]), "webhook.inactive");
    assert_eq!(json(d, &["webhook", "enable", "2"])["active"], true);

    let removed = json(d, &["webhook", "rm", "2"]);
    assert_eq!(removed["id"], 2);
    assert_eq!(json(d, &["webhook", "list"]).as_array().unwrap().len(), 1);

    // The secrets were printed by `add` only: not in the database, the logs or other output.
    let mut all = Vec::new();
    files(d, &mut all);
    for path in all {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
        for s in [&secret, &other_secret] {
            assert!(
                !text.contains(s.trim_start_matches("whsec_")),
                "{} holds a secret",
                path.display()
            );
        }
    }
    assert!(!daemon.stdout.contains("whsec_") && !daemon.stderr.contains("whsec_"));
}

#[test]
fn bad_input_fails_with_its_code_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(d, &["webhook", "add", "https://example.com/hook"]);
    let before = snapshot(d);
    let long = format!("https://example.com/{}", "x".repeat(2100));
    let cases: &[(&[&str], &str)] = &[
        (&["webhook", "add", "nope"], "webhook.url_invalid"),
        (
            &["webhook", "add", "ftp://example.com/"],
            "webhook.url_scheme",
        ),
        (
            &["webhook", "add", "https://me:pw@example.com/"],
            "webhook.url_credentials",
        ),
        (&["webhook", "add", &long], "webhook.url_too_long"),
        (
            &[
                "webhook",
                "add",
                "https://example.com/",
                "--events",
                "order.created",
            ],
            "webhook.event_unknown",
        ),
        (
            &["webhook", "add", "https://example.com/", "--events", ""],
            "webhook.events_empty",
        ),
        (&["webhook", "rm", "99"], "webhook.not_found"),
        (&["webhook", "test", "99"], "webhook.not_found"),
        (&["webhook", "disable", "99"], "webhook.not_found"),
        (&["webhook", "enable", "99"], "webhook.not_found"),
        (
            &["webhook", "deliveries", "--webhook", "99"],
            "webhook.not_found",
        ),
        (&["webhook", "deliveries", "--limit", "0"], "input.invalid"),
    ];
    for (args, want) in cases {
        assert_eq!(fails(d, args), *want, "{args:?}");
        assert_eq!(snapshot(d), before, "{args:?} changed nothing");
    }
    let human = run(d, &["webhook", "add", "https://me:pw@example.com/"]);
    assert_eq!(human.code, 1);
    assert!(human.stderr.contains("[webhook.url_credentials]") && !human.stderr.contains("pw@"));
    // Not a number: a usage error (exit 2), like every other id argument.
    for args in [&["webhook", "rm", "abc"][..], &["webhook", "test", ""]] {
        assert_eq!(run(d, args).code, 2, "{args:?}");
    }
    assert_eq!(snapshot(d), before);
}
