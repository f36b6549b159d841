//! `smmdesk daemon`, `jobs` and `alerts` through the real binary, against a time-scaled
//! simulator started in this test process.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use smm_panel::sim::{SimConfig, SimHandle, Simulator};
use smm_panel::{Service, ServiceType};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");
const SVC: &str = "9001";

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
            services: 50,
            ..SimConfig::default()
        }))
        .unwrap();
    handle.upsert_service(Service {
        id: SVC.into(),
        name: "Test followers".into(),
        service_type: ServiceType::Default,
        category: "Instagram Followers".into(),
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

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = command(dir, args).spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(dir, &all, None);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn set_setting(dir: &Path, key: &str, value: &str) {
    let db = rusqlite::Connection::open(dir.join("smm-desk.sqlite3")).unwrap();
    db.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, 0) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .unwrap();
}

/// A data folder with provider `sim` and 20 orders placed while the simulator's clock stood
/// still.
fn desk(sim: &Sim) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = format!("{}\n", sim.handle.key().expose());
    let url = sim.handle.url();
    let (code, _, err) = run(
        d,
        &[
            "provider",
            "add",
            "--name",
            "sim",
            "--url",
            &url,
            "--key-stdin",
        ],
        Some(&key),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(run(d, &["services", "sync", "sim"], None).0, 0);
    let lines: String = (0..20)
        .map(|i| format!("{SVC}|https://instagram.com/p/d{i}|100\n"))
        .collect();
    let file = d.join("orders.txt");
    std::fs::write(&file, lines).unwrap();
    let report = json(
        d,
        &["mass-order", "--provider", "sim", file.to_str().unwrap()],
    );
    assert_eq!(report["accepted"], 20);
    set_setting(d, "jobs.order_status.interval_secs", "1");
    set_setting(d, "jobs.jitter_percent", "0");
    dir
}

#[test]
fn a_bounded_daemon_run_keeps_orders_fresh_and_reports_jobs_and_alerts() {
    let sim = sim();
    let dir = desk(&sim);
    let d = dir.path();
    let jobs = json(d, &["jobs"]);
    assert_eq!(
        jobs.as_array().unwrap().len(),
        1,
        "only the manual catalog sync so far"
    );

    // 600 simulated seconds per real second: every order finishes within ~1.5 s.
    sim.handle.set_time_scale(600);
    let started = Instant::now();
    let (code, out, err) = run(d, &["daemon", "--for", "4"], None);
    assert_eq!(code, 0, "{err}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(20),
        "{took:?}"
    );
    assert!(out.starts_with("scheduler running for 4 s"), "{out}");
    assert!(out.trim_end().ends_with("scheduler stopped"), "{out}");
    for job in [
        "order_status sim ok",
        "catalog_sync sim ok",
        "balance sim ok",
        "cleanup - ok",
    ] {
        assert!(out.contains(job), "{job} missing from:\n{out}");
    }
    let status_runs = out.matches("order_status sim ok").count();
    assert!(status_runs >= 3, "a run every second: {status_runs}\n{out}");
    assert!(out.contains("alert: order #"), "{out}");

    // Every order final at the simulator is final locally.
    let orders = json(d, &["order", "list", "--limit", "100"]);
    let orders = orders["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 20);
    for o in orders {
        let at_sim = sim
            .handle
            .order(o["external_id"].as_str().unwrap())
            .unwrap();
        if at_sim.status.is_terminal() {
            assert!(
                ["completed", "partial", "canceled", "refunded"]
                    .contains(&o["status"].as_str().unwrap()),
                "{o} vs {at_sim:?}"
            );
        }
    }

    // Job health.
    let jobs = json(d, &["jobs"]);
    let jobs = jobs.as_array().unwrap();
    assert_eq!(jobs.len(), 4, "{jobs:?}");
    for j in jobs {
        assert_eq!(j["state"], "ok", "{j}");
        assert!(
            j["next_due_at"].is_string() && j["last_success_at"].is_string(),
            "{j}"
        );
    }
    let (code, table, _) = run(d, &["jobs"], None);
    assert_eq!(code, 0);
    assert!(
        table.starts_with("JOB") && table.contains("order_status  sim"),
        "{table}"
    );

    // The alerts inbox: one "order finished" per finished order; mark them read.
    let alerts = json(d, &["alerts", "--unread"]);
    let finished = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "order_finished")
        .count();
    let done = orders
        .iter()
        .filter(|o| ["completed", "partial", "canceled"].contains(&o["status"].as_str().unwrap()))
        .count();
    assert!(done >= 1);
    assert_eq!(finished, done, "{alerts}");
    let marked = json(d, &["alerts", "read"]);
    assert!(marked["marked_read"].as_u64().unwrap() >= 1);
    assert_eq!(
        json(d, &["alerts", "--unread"]).as_array().unwrap().len(),
        0
    );

    // Run one job now.
    let r = json(d, &["jobs", "run", "balance", "--provider", "sim"]);
    assert!(
        r["summary"].as_str().unwrap().starts_with("sim: balance"),
        "{r}"
    );
    let (code, _, err) = run(d, &["--json", "jobs", "run", "balance"], None);
    assert_eq!(code, 1);
    assert!(err.contains("input.invalid"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_daemon_stops_cleanly_on_sigterm() {
    let sim = sim();
    let dir = desk(&sim);
    let d = dir.path();
    let child = command(d, &["daemon"]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with("scheduler stopped"), "{stdout}");
    // Nothing half-done: every job that started also finished.
    let jobs = json(d, &["jobs"]);
    for j in jobs.as_array().unwrap() {
        assert_ne!(j["state"], "running", "{j}");
    }
}
