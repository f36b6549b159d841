//! `smmdesk order …`, `mass-order`, `balance`, `stats` and `demo` through the real binary,
//! against a simulator started in this test process; and the crash test: the binary is
//! SIGKILLed while orders are in flight, many times, and nothing is lost or doubled.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use smm_panel::sim::{Fault, SimConfig, SimHandle, Simulator};
use smm_panel::{Action, Service, ServiceType};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");
/// Default service with refill, cancel and drip-feed (rate 0.9, 10..=100000).
const SVC: &str = "9001";
/// Custom Comments (rate 2.5, 1..=1000).
const COMMENTS_SVC: &str = "9002";

/// A simulator on its own runtime thread, so the test thread can block on the binary.
struct Sim {
    handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    fn start() -> Sim {
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
            name: "Instagram followers".into(),
            service_type: ServiceType::Default,
            category: "Instagram".into(),
            rate: "0.9".parse().unwrap(),
            min: 10,
            max: 100_000,
            refill: true,
            cancel: true,
            dripfeed: true,
            description: None,
        });
        handle.upsert_service(Service {
            id: COMMENTS_SVC.into(),
            name: "Instagram custom comments".into(),
            service_type: ServiceType::CustomComments,
            category: "Instagram".into(),
            rate: "2.5".parse().unwrap(),
            min: 1,
            max: 1000,
            refill: false,
            cancel: false,
            dripfeed: false,
            description: None,
        });
        Sim { handle, _rt: rt }
    }
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

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    fn error_code(&self) -> String {
        let v: Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {self:?}"));
        v["code"].as_str().unwrap().to_string()
    }
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = command(dir, args).spawn().unwrap();
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

/// A `--json` command that must exit with `code`.
fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all, None);
    assert_eq!(r.code, code, "{args:?}: {r:?}");
    r.json()
}

fn setup(sim: &Sim, dir: &Path, concurrency: &str) {
    let key = sim.handle.key().expose().to_string();
    let r = run(
        dir,
        &[
            "provider",
            "add",
            "--name",
            "sim",
            "--url",
            &sim.handle.url(),
            "--key-stdin",
            "--max-concurrency",
            concurrency,
        ],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{r:?}");
    json(dir, &["services", "sync", "sim"], 0);
}

#[test]
fn orders_from_the_command_line() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(&sim, d, "4");

    let dry = json(
        d,
        &[
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/1",
            "--quantity",
            "1000",
            "--dry-run",
        ],
        0,
    );
    assert_eq!(dry["estimated_cost"], "0.9");
    assert_eq!(sim.handle.counters().get(Action::Add), 0);

    let add = [
        "order",
        "add",
        "--provider",
        "sim",
        "--service",
        SVC,
        "--link",
        "https://instagram.com/p/1",
        "--quantity",
        "1000",
        "--idempotency-key",
        "cli-1",
    ];
    let o = json(d, &add, 0);
    assert_eq!(o["status"], "pending");
    assert_eq!(o["estimated_cost"], "0.9");
    let again = json(d, &add, 0);
    assert_eq!(again["id"], o["id"], "same key, same order");
    assert_eq!(sim.handle.counters().get(Action::Add), 1);
    let id = o["id"].as_i64().unwrap().to_string();

    // Bad input: its own code, exit 1, nothing written.
    let bad = run(
        d,
        &[
            "--json",
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "not-a-link",
            "--quantity",
            "1000",
        ],
        None,
    );
    assert_eq!(
        (bad.code, bad.error_code().as_str()),
        (1, "order.link_invalid")
    );
    let big = dir.path().join("comments.txt");
    std::fs::write(&big, "a comment line that is long enough\n".repeat(400_000)).unwrap();
    let bad = run(
        d,
        &[
            "--json",
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            COMMENTS_SVC,
            "--link",
            "https://instagram.com/p/2",
            "--comments-file",
            big.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        (bad.code, bad.error_code().as_str()),
        (1, "order.too_large")
    );

    // A lost answer: unknown, exit 3, never resent; resolved as not placed, then resubmitted.
    sim.handle
        .set_fault_times(Action::Add, Fault::ResetAfterAccept, 1);
    let lost = json(
        d,
        &[
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/lost",
            "--quantity",
            "100",
        ],
        3,
    );
    assert_eq!(lost["status"], "unknown");
    let lost_id = lost["id"].as_i64().unwrap().to_string();
    let help = json(d, &["order", "resolve", &lost_id], 0);
    assert_eq!(help["expected_charge"], "0.09");
    let ext = sim.handle.orders().last().unwrap().id.clone();
    let resolved = json(d, &["order", "resolve", &lost_id, "--external-id", &ext], 0);
    assert_eq!(resolved["status"], "pending");
    assert_eq!(sim.handle.counters().get(Action::Add), 2);

    // List, show, refresh, cancel.
    let page = json(
        d,
        &["order", "list", "--status", "pending", "--limit", "1"],
        0,
    );
    assert_eq!(page["orders"].as_array().unwrap().len(), 1);
    let next = page["next"].as_str().unwrap().to_string();
    let page2 = json(
        d,
        &["order", "list", "--status", "pending", "--after", &next],
        0,
    );
    assert_eq!(page2["orders"].as_array().unwrap().len(), 1);
    let show = json(d, &["order", "show", &id], 0);
    assert_eq!(show["events"][0]["kind"], "created");
    let cancel = json(d, &["order", "cancel", &id], 0);
    assert_eq!(cancel[0]["status"], "accepted");
    sim.handle.advance(Duration::from_secs(3600));
    let refreshed = json(d, &["order", "refresh", "--all"], 0);
    assert_eq!(refreshed["orders"]["calls"], 1);
    let show = json(d, &["order", "show", &id], 0);
    assert_eq!(show["order"]["status"], "canceled");
    assert_eq!(show["order"]["charge"], "0");

    // Mass order: a bad line stops everything unless --valid-only.
    let file = dir.path().join("mass.txt");
    std::fs::write(&file, format!("{SVC}|https://instagram.com/p/m1|100\n{SVC}|bad|100\n{SVC}|https://instagram.com/p/m3|100\n")).unwrap();
    let f = file.to_str().unwrap();
    let r = run(d, &["--json", "mass-order", "--provider", "sim", f], None);
    assert_eq!((r.code, r.error_code().as_str()), (1, "mass_order.invalid"));
    let report = json(
        d,
        &["mass-order", "--provider", "sim", f, "--valid-only"],
        1,
    );
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["skipped"][0]["line"], 2);
    let report = json(
        d,
        &["mass-order", "--provider", "sim", f, "--valid-only"],
        1,
    );
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["already_placed"], 2);
    assert_eq!(report["results"][0]["sent"], false);
    assert_eq!(
        sim.handle.counters().get(Action::Add),
        4,
        "the re-run placed nothing"
    );
    let text = run(
        d,
        &["mass-order", "--provider", "sim", f, "--valid-only"],
        None,
    );
    assert!(
        text.stdout
            .contains("2 line(s) already placed by an earlier run: nothing new was sent")
            && text
                .stdout
                .contains("(already placed: nothing new was sent)"),
        "{text:?}"
    );

    // Balance, stats, export.
    let bal = json(d, &["balance", "sim", "--history", "5"], 0);
    let shown: rust_decimal::Decimal = bal["balances"][0]["check"]["balance"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(shown, sim.handle.balance());
    let stats = json(d, &["stats", "--provider", "sim"], 0);
    assert_eq!(stats["overall"]["orders"]["total"], 4);
    assert_eq!(stats["overall"]["orders"]["canceled"], 1);
    let csv = dir.path().join("orders.csv");
    json(d, &["order", "export", "--csv", csv.to_str().unwrap()], 0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert!(!text.contains(sim.handle.key().expose()));

    // Archived (what the weekly cleanup does to old finished orders): hidden from the list
    // and the export unless --include-archived.
    let db = smm_engine::paths::AppPaths::under(d.to_path_buf()).database_file();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE orders SET archived_at = updated_at WHERE id = ?1",
        [id.parse::<i64>().unwrap()],
    )
    .unwrap();
    drop(conn);
    let listed = |args: &[&str]| -> Vec<String> {
        json(d, args, 0)["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].to_string())
            .collect()
    };
    assert!(!listed(&["order", "list"]).contains(&id));
    assert!(listed(&["order", "list", "--include-archived"]).contains(&id));
    json(d, &["order", "export", "--csv", csv.to_str().unwrap()], 0);
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 4);
    let args = [
        "order",
        "export",
        "--include-archived",
        "--csv",
        csv.to_str().unwrap(),
    ];
    json(d, &args, 0);
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 5);
}

#[test]
fn an_idempotency_key_names_one_order_and_refuses_other_details() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(&sim, d, "4");
    let add = |link: &str, quantity: &str| {
        let mut args = vec!["order", "add", "--provider", "sim", "--service", SVC];
        args.extend_from_slice(&["--idempotency-key", "shop-order-42"]);
        args.extend_from_slice(&["--link", link, "--quantity", quantity]);
        args.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let first = add("https://instagram.com/p/idem", "100");
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    let placed = json(d, &first, 0);
    assert_eq!(placed["sent"], true);
    let id = placed["id"].as_i64().unwrap();

    // The same key with the same details: the same order, and nothing new was sent.
    let again = json(d, &first, 0);
    assert_eq!(
        (again["id"].as_i64(), &again["sent"]),
        (Some(id), &Value::Bool(false))
    );
    let text = run(d, &first, None);
    assert!(
        text.stdout.contains(&format!(
            "nothing new was sent: this idempotency key already names order #{id}"
        )),
        "{text:?}"
    );

    // The same key with another link and quantity: a specific error naming the order and what
    // differs; nothing is sent.
    let other = add("https://instagram.com/p/other", "200");
    let mut args = vec!["--json"];
    args.extend(other.iter().map(String::as_str));
    let r = run(d, &args, None);
    assert_ne!(r.code, 0, "{r:?}");
    assert_eq!(r.error_code(), "order.idempotency_conflict");
    assert!(
        r.stderr.contains(&format!("order #{id}")) && r.stderr.contains("link, quantity"),
        "{r:?}"
    );
    assert_eq!(
        sim.handle.counters().get(Action::Add),
        1,
        "one add at the provider"
    );
}

#[test]
fn demo_runs_until_terminated() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = command(dir.path(), &["--json", "demo", "--services", "60"])
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut text = String::new();
    let mut buf = [0u8; 256];
    while !text.contains('}') {
        use std::io::Read;
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0 && Instant::now() < deadline, "demo printed {text:?}");
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["provider"], "demo");
    // While it runs, orders can be placed on it from another process.
    let placed = run(
        dir.path(),
        &["--json", "mass-order", "--provider", "demo", "-"],
        Some(""),
    );
    assert_eq!(placed.error_code(), "mass_order.empty");
    let r = run(dir.path(), &["--json", "balance", "demo"], None);
    assert_eq!(r.code, 0, "{r:?}");
    unsafe_sigterm(&child);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let providers = run(dir.path(), &["--json", "provider", "show", "demo"], None).json();
    assert_eq!(providers["is_demo"], true);
}

/// Sends SIGTERM with the `kill` command (no libc binding needed).
fn unsafe_sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// xorshift64*: a small seeded generator for kill times.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Local orders by link: (status, idempotency key).
fn local_orders(db: &Path) -> HashMap<String, Vec<(String, String)>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT link, status, idempotency_key FROM orders")
        .unwrap();
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    for row in rows {
        let (link, status, key) = row.unwrap();
        out.entry(link).or_default().push((status, key));
    }
    out
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn killed_mid_order_nothing_is_lost_or_doubled() {
    const ROUNDS: u64 = 15;
    const LINES: usize = 8;
    let sim = Sim::start();
    // A slow provider: every add takes 150 ms, so kills land mid-request.
    sim.handle
        .set_fault(Action::Add, Fault::Latency(Duration::from_millis(150)));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(&sim, d, "3");
    let db = smm_engine::paths::AppPaths::under(d.to_path_buf()).database_file();
    assert!(db.exists(), "{db:?}");
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut killed_mid_flight = 0;
    for round in 0..ROUNDS {
        let file = d.join(format!("round{round}.txt"));
        let text: String = (0..LINES)
            .map(|i| format!("{SVC}|https://instagram.com/p/r{round}l{i}|100\n"))
            .collect();
        std::fs::write(&file, text).unwrap();
        let f = file.to_str().unwrap().to_string();
        let mut child = command(d, &["--json", "mass-order", "--provider", "sim", &f])
            .spawn()
            .unwrap();
        drop(child.stdin.take());
        std::thread::sleep(Duration::from_millis(40 + rng.below(700)));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap_or(()); // SIGKILL
        child.wait().unwrap();
        if !finished {
            killed_mid_flight += 1;
        }
        // Restart: any command opens the engine, which runs crash recovery.
        json(d, &["order", "list", "--limit", "1"], 0);
        check_books(&sim, &db, round);
        // Every other round, run the same file again: nothing is placed twice.
        if round % 2 == 1 {
            let r = run(d, &["--json", "mass-order", "--provider", "sim", &f], None);
            assert!(r.code == 0 || r.code == 3, "{r:?}");
            check_books(&sim, &db, round);
        }
    }
    assert!(
        killed_mid_flight >= ROUNDS / 2,
        "only {killed_mid_flight} kills landed mid-flight"
    );
    let local = local_orders(&db);
    let unknown = local
        .values()
        .flatten()
        .filter(|(status, _)| status == "unknown")
        .count();
    println!(
        "crash test: {ROUNDS} rounds, {killed_mid_flight} killed mid-flight, {} orders at the \
         provider, {} local, {unknown} unknown awaiting resolution",
        sim.handle.orders().len(),
        local.len()
    );
    assert!(unknown > 0, "no kill landed between send and answer");
}

/// Every order the provider accepted is known locally (tracked or unknown), none was sent
/// twice, nothing is left `submitting`, and the database is intact.
fn check_books(sim: &Sim, db: &Path, round: u64) {
    assert_eq!(integrity(db), "ok", "round {round}");
    let local = local_orders(db);
    let mut at_provider: BTreeMap<String, usize> = BTreeMap::new();
    for o in sim.handle.orders() {
        *at_provider.entry(o.link.clone().unwrap()).or_default() += 1;
    }
    for (link, n) in &at_provider {
        assert_eq!(*n, 1, "round {round}: {link} was placed {n} times");
        let rows = local.get(link).unwrap_or_else(|| {
            panic!("round {round}: the provider has {link} but the desk does not")
        });
        assert_eq!(rows.len(), 1, "round {round}: {link} has {rows:?}");
        let status = rows[0].0.as_str();
        assert!(
            matches!(
                status,
                "pending" | "in_progress" | "processing" | "completed" | "partial" | "unknown"
            ),
            "round {round}: {link} is {status} locally but placed at the provider"
        );
    }
    for (link, rows) in &local {
        for (status, _) in rows {
            assert_ne!(
                status, "submitting",
                "round {round}: {link} left submitting"
            );
            if matches!(
                status.as_str(),
                "pending" | "completed" | "partial" | "in_progress"
            ) {
                assert!(
                    at_provider.contains_key(link),
                    "round {round}: {link} tracked but not placed"
                );
            }
        }
    }
    // No link was ever sent twice (a killed request may not have been processed, but it is
    // never repeated).
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for r in sim.handle.requests() {
        if r.action == Some(Action::Add) {
            *sent
                .entry(r.param("link").unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    for (link, n) in &sent {
        assert_eq!(*n, 1, "round {round}: {link} was sent {n} times");
    }
}

/// Rows of every table that a refused sale could touch.
fn sale_rows(dir: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(dir.join("smm-desk.sqlite3")).unwrap();
    let n = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (n("orders"), n("customers"))
}

/// A price rule and a customer order the way a script places them (README › command line):
/// the price list's sale by default, `--sale-price` and `--customer` on `order add` and
/// `mass-order` (per line as a fourth and fifth column), below cost warned before placing,
/// `customers list|add|show` with totals, `order list --customer`, and `stats` with profit.
#[test]
fn sales_and_customers_from_the_command_line() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(&sim, d, "4");
    json(d, &["prices", "set", "--default", "--percent", "50"], 0);
    let placed = json(
        d,
        &[
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/sale",
            "--quantity",
            "2000",
            "--customer",
            "Sara Store",
        ],
        0,
    );
    assert_eq!(placed["customer"], "Sara Store");
    assert_eq!(placed["sale_price"], "2.7", "0.9 + 50% per 1000, for 2000");
    assert_eq!(placed["settlement"]["profit"], "0.9");

    // Below cost: placed, and said on stderr first.
    let r = run(
        d,
        &[
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/cheap",
            "--quantity",
            "1000",
            "--customer",
            "sara store",
            "--sale-price",
            "0.5",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("warning: sold below cost"), "{r:?}");
    assert!(r.stdout.contains("profit:    -0.4"), "{}", r.stdout);

    let file = d.join("lines.txt");
    std::fs::write(
        &file,
        format!("{SVC}|https://instagram.com/p/m1|100|0.25|Omar\n{SVC}|https://instagram.com/p/m2|100\n"),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let dry = json(
        d,
        &[
            "mass-order",
            "--provider",
            "sim",
            f,
            "--customer",
            "Lina",
            "--dry-run",
        ],
        0,
    );
    assert_eq!(
        dry["total_sale"], "0.385",
        "0.25 given + 0.135 from the price list"
    );
    let report = json(
        d,
        &["mass-order", "--provider", "sim", f, "--customer", "Lina"],
        0,
    );
    let customers: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["order"]["customer"].as_str().unwrap())
        .collect();
    assert_eq!(customers, ["Omar", "Lina"]);

    let list = json(d, &["customers", "list"], 0);
    assert_eq!(list.as_array().unwrap().len(), 3);
    let sara = json(d, &["customers", "show", "SARA STORE"], 0);
    assert_eq!(sara["customer"]["orders"], 2);
    assert_eq!(sara["customer"]["earnings"][0]["revenue"], "3.2");
    assert_eq!(sara["customer"]["earnings"][0]["profit"], "0.5");
    let page = json(d, &["order", "list", "--customer", "omar"], 0);
    assert_eq!(page["orders"].as_array().unwrap().len(), 1);
    json(d, &["customers", "add", "Nour", "--contact", "@nour"], 0);
    let stats = json(d, &["stats"], 0);
    assert_eq!(stats["profit"]["overall"][0]["revenue"], "3.585");
    assert_eq!(stats["profit"]["overall"][0]["orders"], 4);
    assert!(
        stats["overall"]["spent"].is_array(),
        "the stats keep their keys"
    );
    let human = run(d, &["stats"], None).stdout;
    assert!(
        human.contains("REVENUE") && human.contains("Sara Store"),
        "{human}"
    );

    // A recorded top-up enters the reconciliation of the next reading.
    json(d, &["balance", "sim"], 0);
    let b = json(d, &["balance", "sim", "--topup", "5", "--note", "card"], 0);
    assert_eq!(b["reconciliation"]["topped_up"], "5", "{b}");

    // Bad input: a specific error each, nothing written.
    let before = sale_rows(d);
    // As long as one argument may be (Linux: 128 KiB).
    let huge = "n".repeat(100 << 10);
    let order = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec![
            "order",
            "add",
            "--provider",
            "sim",
            "--service",
            SVC,
            "--link",
            "https://instagram.com/p/x",
            "--quantity",
            "100",
        ];
        args.extend_from_slice(extra);
        args
    };
    for (args, code) in [
        (vec!["customers", "add", &huge[..]], "input.invalid"),
        (vec!["customers", "add", "nour"], "customer.name_taken"),
        (vec!["customers", "add", "a\u{202E}b"], "input.invalid"),
        (vec!["customers", "show", "nobody"], "customer.not_found"),
        (vec!["balance", "sim", "--topup", "0"], "input.invalid"),
        (vec!["balance", "sim", "--topup", "five"], "input.invalid"),
        (order(&["--sale-price", "-1"]), "input.invalid"),
        (order(&["--sale-price", "lots"]), "input.invalid"),
        (
            order(&["--customer", "", "--sale-price", "1e3"]),
            "input.invalid",
        ),
    ] {
        let mut all = vec!["--json"];
        all.extend_from_slice(&args);
        let r = run(d, &all, None);
        assert_eq!((r.code, r.error_code()), (1, code.to_string()), "{args:?}");
        assert_eq!(sale_rows(d), before, "{args:?} wrote nothing");
    }
}
