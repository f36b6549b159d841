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

/// One HTTP/1.1 request to the local API; returns the status and the body.
fn http(url: &str, path: &str, token: Option<&str>) -> (u16, String) {
    use std::io::Read;
    let host = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let status = reply[9..12].parse().unwrap();
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[cfg(unix)]
#[test]
fn serve_runs_the_local_api_with_a_token_shown_once() {
    use std::io::{BufRead, BufReader};
    let sim = sim();
    let dir = desk(&sim);
    let d = dir.path();
    let mut child = command(d, &["--json", "serve", "--port", "0"])
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let started: Value = serde_json::from_str(&first).unwrap();
    let url = started["url"].as_str().unwrap().to_string();
    let token = started["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("smmd_") && token.len() == 69, "{token}");
    let (status, body) = http(&url, "/api/smm/providers", Some(&token));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"name\":\"sim\""), "{body}");
    assert!(
        !body.contains(sim.handle.key().expose()),
        "no key in {body}"
    );
    assert_eq!(http(&url, "/api/smm/providers", None).0, 401);
    assert_eq!(http(&url, "/api/health", None).0, 200);
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    assert_eq!(child.wait().unwrap().code(), Some(0));

    // A second start keeps the token (and does not print it); --new-token replaces it.
    let (code, out, _) = run(d, &["--json", "serve", "--port", "0", "--for", "1"], None);
    assert_eq!(code, 0);
    assert!(
        out.lines().next().unwrap().contains("\"token\":null"),
        "{out}"
    );
    // Only the token's hash is kept: no file of the data folder holds the token.
    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    files(d, &mut all);
    assert!(!all.is_empty());
    for f in all {
        let bytes = std::fs::read(&f).unwrap();
        let found = bytes.windows(token.len()).any(|w| w == token.as_bytes());
        assert!(!found, "the token is in {}", f.display());
    }
}

#[test]
fn serve_refuses_a_cors_origin_that_is_not_an_origin() {
    let sim = sim();
    let dir = desk(&sim);
    let d = dir.path();
    for bad in ["shop.example", "https://shop.example/orders"] {
        let (code, out, err) = run(
            d,
            &["serve", "--port", "0", "--for", "1", "--cors-origin", bad],
            None,
        );
        assert_ne!(code, 0, "{bad}: {out}");
        assert!(err.contains("is not a web origin"), "{bad}: {err}");
        assert!(!out.contains("local API on"), "it never started: {out}");
    }
    let (code, out, err) = run(
        d,
        &[
            "serve",
            "--port",
            "0",
            "--for",
            "1",
            "--cors-origin",
            "https://shop.example",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
}
