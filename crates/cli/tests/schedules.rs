//! `smmdesk schedule …` through the real binary, against a simulator started in this test
//! process: add, list, show, pause, resume, rm; `smmdesk daemon` places the due occurrence
//! once; bad input fails with its code and changes nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{Action, Service, ServiceType};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");
const SVC: &str = "9001";

/// A simulator on its own runtime thread, so the test thread can block on the binary.
struct Sim {
    handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

fn sim() -> Sim {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let handle = rt
        .block_on(Simulator::start(SimConfig {
            services: 5,
            ..SimConfig::default()
        }))
        .unwrap();
    handle.upsert_service(Service {
        id: SVC.into(),
        name: "Instagram followers".into(),
        service_type: ServiceType::Default,
        category: "Instagram".into(),
        rate: "0.9".parse().unwrap(),
        min: 10,
        max: 100_000,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    });
    Sim { handle, _rt: rt }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all, None);
    assert_eq!(r.code, 0, "{args:?}: {} {}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// A `--json` command that must fail with exit code 1: its error code and message.
fn fails(dir: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all, None);
    assert_eq!(r.code, 1, "{args:?} should fail: {} {}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(r.stderr.trim()).unwrap();
    (
        v["code"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

fn table_rows(dir: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("smm-desk.sqlite3")).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn schedules_from_the_command_line() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = sim.handle.key().expose().to_string();
    let r = run(
        d,
        &[
            "provider",
            "add",
            "--name",
            "sim",
            "--url",
            &sim.handle.url(),
            "--key-stdin",
        ],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(d, &["services", "sync", "sim"]);
    let order = [
        "schedule",
        "add",
        "--provider",
        "sim",
        "--service",
        SVC,
        "--link",
        "https://instagram.com/p/cli",
        "--quantity",
        "100",
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        let mut v: Vec<&str> = order.to_vec();
        if !extra.contains(&"--zone") {
            v.extend_from_slice(&["--zone", "UTC"]);
        }
        v.extend_from_slice(extra);
        v
    };

    // Bad input: the field is named, nothing is written.
    for (extra, field) in [
        (&["--every", "0h"][..], "every:"),
        (&["--every", "3w"][..], "every:"),
        (&["--every", "1d", "--zone", "Mars/Olympus"][..], "zone:"),
        (
            &["--weekdays", "mon,funday", "--time", "09:00"][..],
            "weekdays:",
        ),
        (&["--every", "1d", "--count", "0"][..], "count:"),
        (&["--at", "2020-01-01T09:00"][..], "start:"),
        (&["--every", "1d", "--until", "2020-01-01"][..], "until:"),
        (
            &["--every", "1d", "--sale-price", "a lot"][..],
            "sale-price:",
        ),
    ] {
        let (code, message) = fails(d, &with(extra));
        assert_eq!(code, "input.invalid", "{extra:?}: {message}");
        assert!(message.starts_with(field), "{extra:?}: {message}");
    }
    let (code, _) = fails(
        d,
        &[
            "schedule",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/cli",
            "--quantity",
            "5",
            "--every",
            "1d",
        ],
    );
    assert_eq!(code, "order.quantity_below_min");
    // No rule at all is a usage error.
    assert_eq!(run(d, &with(&[]), None).code, 2);
    assert_eq!(table_rows(d, "schedules"), 0);

    // Every hour from now: the first occurrence is due at once.
    let added = json(
        d,
        &with(&[
            "--every",
            "1h",
            "--count",
            "2",
            "--missed",
            "latest",
            "--customer",
            "Acme Cafe",
            "--sale-price",
            "2.50",
        ]),
    );
    assert_eq!(added["order"]["customer"], "Acme Cafe");
    assert_eq!(added["order"]["salePrice"], "2.50");
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["missed"], "latest");
    assert_eq!(added["rule"]["repeat"]["kind"], "hours");
    assert_eq!(
        sim.handle.counters().get(Action::Add),
        0,
        "add places nothing"
    );
    let list = json(d, &["schedule", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);

    // The daemon places it, once; a second daemon run places nothing more (the next is an
    // hour away).
    for _ in 0..2 {
        let r = run(d, &["daemon", "--for", "3"], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(sim.handle.counters().get(Action::Add), 1);
    let shown = json(d, &["schedule", "show", &id.to_string()]);
    let runs = shown["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{shown}");
    assert_eq!(runs[0]["state"], "placed");
    assert_eq!(runs[0]["order_status"], "pending");
    assert_eq!(shown["schedule"]["placed"], 1);
    let human = run(d, &["schedule", "list"], None);
    assert!(
        human.stdout.contains("order #1 pending"),
        "{}",
        human.stdout
    );

    let paused = json(d, &["schedule", "pause", &id.to_string()]);
    assert_eq!(paused["active"], false);
    let resumed = json(d, &["schedule", "resume", &id.to_string()]);
    assert_eq!(resumed["active"], true);
    let removed = json(d, &["schedule", "rm", &id.to_string()]);
    assert!(removed["deleted_at"].is_string());
    assert_eq!(json(d, &["schedule", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(
        json(d, &["schedule", "list", "--all"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, message) = fails(d, &["schedule", "pause", &id.to_string()]);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("input.invalid", "schedule: no schedule #1")
    );
    assert_eq!(table_rows(d, "orders"), 1);
}

/// One integer from the database (read while another program may have it open).
fn query(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("smm-desk.sqlite3")).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_daemon_killed_mid_occurrence_never_places_it_twice() {
    let sim = sim();
    // A slow provider: the `add` takes 3 s, so the kill lands after the journal, mid-request.
    sim.handle.set_fault(
        Action::Add,
        smm_panel::sim::Fault::Latency(std::time::Duration::from_secs(3)),
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = sim.handle.key().expose().to_string();
    let r = run(
        d,
        &[
            "provider",
            "add",
            "--name",
            "sim",
            "--url",
            &sim.handle.url(),
            "--key-stdin",
        ],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(d, &["services", "sync", "sim"]);
    json(
        d,
        &[
            "schedule",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/killed",
            "--quantity",
            "100",
            "--every",
            "1h",
            "--zone",
            "UTC",
            "--missed",
            "latest",
        ],
    );
    let mut daemon = Command::new(BIN)
        .arg("--data-dir")
        .arg(d)
        .arg("daemon")
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // Journaled, and the add arrived at the provider (which holds it 3 s): kill mid-request.
    let adds = || {
        sim.handle
            .counters()
            .by_action
            .get(&Action::Add)
            .copied()
            .unwrap_or(0)
    };
    while query(d, "SELECT count(*) FROM orders WHERE status = 'submitting'") == 0 || adds() == 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the daemon never journaled the occurrence"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    daemon.kill().unwrap(); // SIGKILL, with the order journaled and its request in flight
    daemon.wait().unwrap();

    // Restarts: the order becomes unknown (it may exist at the provider); nothing is resent.
    for _ in 0..2 {
        let r = run(d, &["daemon", "--for", "3"], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    std::thread::sleep(std::time::Duration::from_secs(3)); // the killed request's reply time
    let sent = sim
        .handle
        .requests()
        .iter()
        .filter(|r| r.action == Some(Action::Add))
        .count();
    assert_eq!(sent, 1, "the occurrence was sent {sent} times");
    assert_eq!(query(d, "SELECT count(*) FROM orders"), 1);
    assert_eq!(
        query(d, "SELECT count(*) FROM orders WHERE status = 'unknown'"),
        1
    );
    assert_eq!(query(d, "SELECT count(*) FROM schedule_runs"), 1);
}
