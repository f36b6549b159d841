//! The real `smmdesk` binary against a simulator started in this test process.
//!
//! Every command runs with `SMM_DESK_KEY_STORE=file` in a temp data folder; outputs are kept
//! so the canary test can search them all for the key.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use smm_panel::sim::{SimConfig, SimHandle, Simulator};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");

/// A simulator on its own runtime thread, so the test thread can block on the binary.
struct Sim {
    handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    fn start(services: usize, seed: u64) -> Sim {
        Sim::start_with(SimConfig {
            seed,
            services,
            ..Default::default()
        })
    }

    fn start_with(config: SimConfig) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let handle = rt.block_on(Simulator::start(config)).unwrap();
        Sim { handle, _rt: rt }
    }

    fn url(&self) -> String {
        self.handle.url()
    }

    fn key(&self) -> String {
        self.handle.key().expose().to_string()
    }
}

/// What one run printed.
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

    /// The `{code, message}` printed on stderr with `--json`.
    fn error_code(&self) -> String {
        let v: Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {self:?}"));
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{self:?}"
        );
        v["code"].as_str().unwrap().to_string()
    }
}

/// A data folder and every output of the commands run in it.
struct Desk {
    dir: tempfile::TempDir,
    outputs: Vec<String>,
}

impl Desk {
    fn new() -> Desk {
        Desk {
            dir: tempfile::tempdir().unwrap(),
            outputs: Vec::new(),
        }
    }

    fn run_with(&mut self, args: &[&str], stdin: Option<&str>) -> Run {
        self.run_logged(args, stdin, None)
    }

    /// Runs with `RUST_LOG` set to `log` (None: unset, the default level).
    fn run_logged(&mut self, args: &[&str], stdin: Option<&str>, log: Option<&str>) -> Run {
        let mut command = Command::new(BIN);
        command.env_remove("RUST_LOG");
        if let Some(level) = log {
            command.env("RUST_LOG", level);
        }
        let mut child = command
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env("SMM_DESK_KEY_STORE", "file")
            .env_remove("SMM_DESK_DATA_DIR")
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
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        self.outputs.push(run.stdout.clone());
        self.outputs.push(run.stderr.clone());
        run
    }

    /// Runs a command that must succeed.
    fn ok(&mut self, args: &[&str]) -> Run {
        let run = self.run_with(args, None);
        assert_eq!(run.code, 0, "{args:?} failed: {run:?}");
        run
    }

    /// Runs a `--json` command that must succeed and returns its JSON.
    fn json(&mut self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.ok(&all).json()
    }

    /// Runs a `--json` command that must fail with exit code 1; returns the error code.
    fn fails(&mut self, args: &[&str], stdin: Option<&str>) -> String {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = self.run_with(&all, stdin);
        assert_eq!(run.code, 1, "{args:?} should fail: {run:?}");
        assert!(run.stdout.is_empty(), "nothing on stdout: {run:?}");
        run.error_code()
    }

    fn add(&mut self, name: &str, url: &str, key: &str) -> Value {
        let run = self.run_with(
            &[
                "--json",
                "provider",
                "add",
                "--name",
                name,
                "--url",
                url,
                "--key-stdin",
            ],
            Some(&format!("{key}\n")),
        );
        assert_eq!(run.code, 0, "add failed: {run:?}");
        run.json()
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("smm-desk.sqlite3")
    }

    /// Every row of every table.
    fn snapshot(&self) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut rows = Vec::new();
        for t in tables {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))
                .unwrap();
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
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn presets_are_listed_without_a_database_write() {
    let mut d = Desk::new();
    let v = d.json(&["provider", "presets"]);
    let ids: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["jap", "smmkings", "secsers"]);
    assert_eq!(v[0]["api_url"], "https://justanotherpanel.com/api/v2");
    assert_eq!(v[1]["api_url"], "https://smmkings.com/api/v2");
    assert_eq!(v[2]["api_url"], "https://secsers.com/api/v2");
    let human = d.ok(&["provider", "presets"]);
    assert!(human.stdout.contains("Just Another Panel"));
    assert!(!d.db().exists(), "no database was needed");
}

#[test]
fn a_provider_from_add_to_remove_with_sync_and_search() {
    let sim = Sim::start(120, 11);
    let mut d = Desk::new();
    let added = d.add("sim", &sim.url(), &sim.key());
    assert_eq!(added["name"], "sim");
    assert_eq!(added["active"], true);
    assert!(added["key_hint"].as_str().unwrap().starts_with("••••"));

    // A preset: name, display name and URL from the preset, key from stdin.
    let run = d.run_with(
        &["--json", "provider", "add", "--preset", "jap"],
        Some("jap-key-000000000042\n"),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["display_name"], "Just Another Panel");
    assert_eq!(run.json()["key_hint"], "••••0042");

    let list = d.json(&["provider", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);

    let check = d.json(&["provider", "test", "sim"]);
    assert_eq!(check["balance"], "1000", "money is a string");
    assert_eq!(check["currency"], "USD");
    assert_eq!(d.json(&["provider", "show", "sim"])["last_balance"], "1000");

    let diff = d.json(&["services", "sync", "sim"]);
    assert_eq!(diff["provider"], "sim");
    assert_eq!(diff["added"], 120);

    // Upstream changes, then a second sync shows them.
    let catalog = sim.handle.catalog();
    let mut pricier = catalog[0].clone();
    pricier.rate += Decimal::from_str("1.5").unwrap();
    sim.handle.upsert_service(pricier.clone());
    sim.handle.remove_service(&catalog[1].id);
    let diff = d.json(&["services", "sync", "sim"]);
    assert_eq!(
        (
            diff["added"].as_u64(),
            diff["removed"].as_u64(),
            diff["price_changed"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{diff}"
    );
    let again = d.json(&["services", "sync", "sim"]);
    assert_eq!(again["rows_written"], 0);

    let changes = d.json(&["services", "changes", "--provider", "sim", "--since", "1d"]);
    let changes = changes.as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let price = changes.iter().find(|c| c["change"] == "price").unwrap();
    assert_eq!(price["service_id"], pricier.id.as_str());
    assert_eq!(price["new_rate"], pricier.rate.normalize().to_string());
    assert_eq!(price["old_rate"], catalog[0].rate.normalize().to_string());

    let page = d.json(&["services", "list", "--provider", "sim", "--limit", "5"]);
    assert_eq!(page["total"], 119);
    let services = page["services"].as_array().unwrap();
    assert_eq!(services.len(), 5);
    let rates: Vec<Decimal> = services
        .iter()
        .map(|s| Decimal::from_str(s["rate"].as_str().expect("rate is a string")).unwrap())
        .collect();
    assert!(
        rates.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {rates:?}"
    );

    let tiktok = d.json(&[
        "services",
        "list",
        "--platform",
        "tiktok",
        "--limit",
        "1000",
    ]);
    assert!(tiktok["services"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["platform"] == "tiktok"));
    let found = d.json(&[
        "services",
        "list",
        "--search",
        &pricier.id,
        "--limit",
        "1000",
    ]);
    assert!(found["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["service_id"] == pricier.id.as_str()));
    let human = d.ok(&["services", "list", "--limit", "3"]);
    assert!(human.stdout.contains("of 119 services"), "{human:?}");

    let updated = d.json(&[
        "provider",
        "update",
        "sim",
        "--priority",
        "7",
        "--user-agent",
        "SMM Desk CI",
        "--low-balance",
        "25.50",
    ]);
    assert_eq!(updated["priority"], 7);
    assert_eq!(updated["user_agent"], "SMM Desk CI");
    assert_eq!(updated["low_balance_threshold"], "25.5");
    d.json(&["provider", "test", "sim"]);
    let ua = sim.handle.requests().last().unwrap().user_agent.clone();
    assert_eq!(ua.as_deref(), Some("SMM Desk CI"));

    assert_eq!(d.json(&["provider", "disable", "sim"])["active"], false);
    assert_eq!(
        d.fails(&["services", "sync", "sim"], None),
        "provider.inactive"
    );
    assert_eq!(d.json(&["provider", "enable", "sim"])["active"], true);

    assert!(d.json(&["provider", "remove", "sim"])["removed_at"].is_string());
    assert_eq!(
        d.fails(&["provider", "show", "sim"], None),
        "provider.not_found"
    );
    assert_eq!(d.json(&["provider", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_gets_its_own_error_and_writes_nothing() {
    let sim = Sim::start(50, 12);
    let mut d = Desk::new();
    d.add("taken", &sim.url(), &sim.key());
    let before = d.snapshot();
    let add = |d: &mut Desk, name: &str, url: &str, key: &str| {
        d.fails(
            &[
                "provider",
                "add",
                "--name",
                name,
                "--url",
                url,
                "--key-stdin",
            ],
            Some(key),
        )
    };
    let key = "some-key-000000000001\n";
    assert_eq!(
        add(&mut d, "fresh", "not a url", key),
        "provider.url_invalid"
    );
    assert_eq!(
        add(&mut d, "fresh", "ftp://panel.example/api/v2", key),
        "provider.url_scheme"
    );
    assert_eq!(
        add(&mut d, "fresh", "http://panel.example/api/v2", key),
        "provider.url_insecure"
    );
    assert_eq!(add(&mut d, "fresh", &sim.url(), ""), "provider.key_empty");
    assert_eq!(
        add(&mut d, "fresh", &sim.url(), "  \n"),
        "provider.key_empty"
    );
    assert_eq!(add(&mut d, "taken", &sim.url(), key), "provider.name_taken");
    assert_eq!(
        add(&mut d, "Not A Slug", &sim.url(), key),
        "provider.name_invalid"
    );
    for cmd in [
        vec!["provider", "show", "ghost"],
        vec!["provider", "update", "ghost", "--priority", "1"],
        vec!["provider", "remove", "ghost"],
        vec!["provider", "enable", "ghost"],
        vec!["provider", "disable", "ghost"],
        vec!["provider", "test", "ghost"],
        vec!["services", "sync", "ghost"],
        vec!["services", "list", "--provider", "ghost"],
        vec!["services", "changes", "--provider", "ghost"],
    ] {
        assert_eq!(d.fails(&cmd, None), "provider.not_found", "{cmd:?}");
    }
    assert_eq!(
        d.fails(
            &[
                "provider",
                "update",
                "taken",
                "--url",
                "http://8.8.8.8/api/v2"
            ],
            None
        ),
        "provider.url_insecure"
    );
    assert_eq!(
        d.fails(&["provider", "update", "taken", "--key-stdin"], Some("")),
        "provider.key_empty"
    );
    assert_eq!(
        d.fails(
            &["provider", "update", "taken", "--low-balance", "lots"],
            None
        ),
        "input.invalid"
    );
    assert_eq!(
        d.fails(&["services", "changes", "--since", "yesterday"], None),
        "input.invalid"
    );
    assert_eq!(
        d.fails(&["services", "list", "--platform", "myspace"], None),
        "input.invalid"
    );
    assert_eq!(
        d.fails(&["services", "list", "--limit", "0"], None),
        "input.invalid"
    );
    // A usage error is clap's exit code 2.
    let run = d.run_with(&["provider", "add", "--name", "x"], None);
    assert_eq!(run.code, 2, "{run:?}");
    let human = d.run_with(&["provider", "show", "ghost"], None);
    assert_eq!(human.code, 1);
    assert!(
        human.stderr.contains("no provider named \"ghost\""),
        "{human:?}"
    );
    assert_eq!(d.snapshot(), before, "bad input wrote nothing");
}

#[test]
fn the_key_appears_nowhere_in_clear() {
    const CANARY: &str = "CANARY-7f3a9c1e5b2d4f60a8e1";
    const WRONG: &str = "CANARY-wrong-0a1b2c3d4e5f6a7b";
    let sim = Sim::start(60, 13);
    let mut d = Desk::new();
    // A panel whose key is the canary, and one that rejects the other canary.
    let canary_sim = Sim::start_with(SimConfig {
        seed: 14,
        services: 60,
        key: CANARY.into(),
        ..Default::default()
    });
    d.add("canary", &canary_sim.url(), CANARY);
    d.add("wrong", &sim.url(), WRONG);
    for args in [
        vec!["provider", "list"],
        vec!["provider", "show", "canary"],
        vec!["provider", "test", "canary"],
        vec!["services", "sync", "canary"],
        vec!["services", "list", "--limit", "5"],
        vec!["info"],
    ] {
        d.ok(&args);
        let mut json = vec!["--json"];
        json.extend(args.iter().copied());
        let _ = d.run_with(&json, None);
    }
    // Sync all: "wrong" fails (exit 1) and is reported next to "canary".
    let all = d.run_with(&["--json", "services", "sync"], None);
    assert_eq!(all.code, 1, "{all:?}");
    let outcomes = all.json();
    assert_eq!(outcomes[0]["provider"], "canary");
    assert_eq!(outcomes[0]["diff"]["unchanged"], 60);
    assert_eq!(outcomes[1]["error"]["code"], "panel.rejected.invalid_key");
    let _ = d.run_with(&["services", "sync"], None);
    // A provider that rejects the key: the error must not echo it.
    assert_eq!(
        d.fails(&["provider", "test", "wrong"], None),
        "panel.rejected.invalid_key"
    );
    let _ = d.run_with(&["provider", "test", "wrong"], None);
    let run = d.run_with(
        &["--json", "provider", "update", "canary", "--key-stdin"],
        Some(CANARY),
    );
    assert_eq!(run.code, 0, "{run:?}");

    for out in &d.outputs {
        assert!(
            !out.contains(CANARY) && !out.contains(WRONG),
            "an output shows the key: {out}"
        );
    }
    let files = files_under(d.dir.path());
    assert!(
        files
            .iter()
            .any(|f| f.starts_with(d.dir.path().join("logs"))),
        "logs were written: {files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, CANARY.as_bytes()) && !contains(&bytes, WRONG.as_bytes()),
            "{} holds the key in clear",
            file.display()
        );
    }
}

#[test]
fn the_data_folder_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["--json", "info"])
        .env("SMM_DESK_DATA_DIR", dir.path())
        .env("SMM_DESK_KEY_STORE", "file")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data_dir"], dir.path().to_str().unwrap());
    assert_eq!(v["key_store"]["kind"], "key_file");
    assert!(dir.path().join("smm-desk.sqlite3").exists());
    assert!(dir.path().join("config").join("master.key").exists());
}

#[test]
fn the_same_offer_on_two_providers_is_compared_cheapest_first() {
    let a = Sim::start(50, 21);
    let b = Sim::start(50, 22);
    let mut offer = a.handle.catalog()[0].clone();
    offer.service_type = smm_panel::ServiceType::Default;
    offer.id = "9001".into();
    offer.name = "TikTok Likes [Real] [R30] [Max 10K] ⚡".into();
    offer.category = "TikTok Likes".into();
    offer.rate = Decimal::from_str("0.80").unwrap();
    a.handle.upsert_service(offer.clone());
    offer.id = "42".into();
    offer.name = "TikTok Likes | Real | Refill 30 Days | Instant".into();
    offer.rate = Decimal::from_str("0.65").unwrap();
    b.handle.upsert_service(offer);
    let mut d = Desk::new();
    d.add("a", &a.url(), &a.key());
    d.add("b", &b.url(), &b.key());
    let outcomes = d.json(&["services", "sync"]);
    assert_eq!(outcomes.as_array().unwrap().len(), 2);
    let groups = d.json(&[
        "services",
        "compare",
        "--platform",
        "tiktok",
        "--kind",
        "likes",
        "--limit",
        "500",
    ]);
    let group = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["offers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["service_id"] == "9001")
        })
        .expect("the shared offer is grouped");
    let offers = group["offers"].as_array().unwrap();
    assert_eq!(offers[0]["provider"], "b");
    assert_eq!(offers[0]["rate"], "0.65");
    assert_eq!(offers[0]["cheapest"], true);
    assert_eq!(offers[1]["provider"], "a");
    assert_eq!(offers[1]["cheapest"], false);
    let human = d.ok(&["services", "compare", "--platform", "tiktok"]);
    assert!(human.stdout.contains("* b:42 0.65"), "{human:?}");
}

#[test]
fn a_database_from_a_newer_smm_desk_is_refused() {
    let mut d = Desk::new();
    d.json(&["provider", "list"]);
    {
        let conn = rusqlite::Connection::open(d.db()).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "user_version", v + 1).unwrap();
    }
    let before = d.snapshot();
    assert_eq!(d.fails(&["provider", "list"], None), "store.newer_schema");
    assert_eq!(d.snapshot(), before);
}

/// `smmdesk prices` the way a script uses it: a default markup with a step, a category rule, a
/// service's manual price, quotes for a quantity with exact decimal strings; bad input fails
/// with its code and changes no row.
#[test]
fn prices_set_list_show_and_remove() {
    let sim = Sim::start(40, 21);
    let mut d = Desk::new();
    d.add("sim", &sim.url(), &sim.key());
    d.json(&["services", "sync", "sim"]);
    let services = d.json(&["services", "list", "--limit", "100"]);
    let s = services["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rate"] != "0")
        .unwrap()
        .clone();
    let id = s["id"].as_i64().unwrap().to_string();
    let cost = Decimal::from_str(s["rate"].as_str().unwrap()).unwrap();
    let category = s["category"].as_str().unwrap().to_string();

    let q = d.json(&["prices", "show", &id, "--quantity", "2000"]);
    assert_eq!(q["unpriced"], true);
    assert_eq!(q["sale_rate"], q["cost_rate"]);

    d.json(&["prices", "set", "--default", "--percent", "50"]);
    d.json(&["prices", "set", "--default", "--step", "0.01"]);
    let rules = d.json(&["prices", "list"]);
    assert_eq!(rules[0]["percent"], "50", "kept when the step was set");
    assert_eq!(rules[0]["step"], "0.01");
    let q = d.json(&["prices", "show", &id, "--quantity", "2000"]);
    let sale_rate = Decimal::from_str(q["sale_rate"].as_str().unwrap()).unwrap();
    let raw = cost * Decimal::from_str("1.5").unwrap();
    assert!(sale_rate >= raw && sale_rate - raw < Decimal::from_str("0.01").unwrap());
    assert_eq!(
        Decimal::from_str(q["sale"].as_str().unwrap()).unwrap(),
        sale_rate * Decimal::from(2)
    );

    d.json(&["prices", "set", "--category", &category, "--percent", "80"]);
    d.json(&["prices", "set", "--service", &id, "--price", "9.99"]);
    let q = d.json(&["prices", "show", &id]);
    assert_eq!(
        (q["sale_rate"].as_str(), q["manual"].as_bool()),
        (Some("9.99"), Some(true))
    );
    let human = d.ok(&["prices", "show", &id, "--quantity", "1000"]).stdout;
    assert!(
        human.contains("sells for 9.99") && human.contains("(manual price)"),
        "{human}"
    );
    let table = d.ok(&["prices", "list"]).stdout;
    assert!(
        table.contains("default") && table.contains(&format!("service #{id}")),
        "{table}"
    );

    d.json(&["prices", "rm", "--service", &id]);
    let q = d.json(&["prices", "show", &id]);
    assert_eq!(q["manual"], false);

    let before = d.snapshot();
    for (args, want) in [
        (
            vec!["prices", "set", "--default", "--percent", "-5"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--default", "--percent", "ten"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--default", "--step", "0"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--default", "--price", "3"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--platform", "myspace", "--percent", "5"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--category", "Nope", "--percent", "5"],
            "input.invalid",
        ),
        (
            vec!["prices", "set", "--service", "99999", "--percent", "5"],
            "input.invalid",
        ),
        (
            vec!["prices", "rm", "--platform", "tiktok"],
            "input.invalid",
        ),
        (vec!["prices", "show", "99999"], "input.invalid"),
        (
            vec!["prices", "show", &id, "--quantity", "0"],
            "input.invalid",
        ),
    ] {
        assert_eq!(d.fails(&args, None), want, "{args:?}");
        assert_eq!(d.snapshot(), before, "{args:?} changed nothing");
    }
    // Two scopes at once, or none: a usage error (exit 2).
    for args in [
        &[
            "prices",
            "set",
            "--default",
            "--service",
            "1",
            "--percent",
            "5",
        ][..],
        &["prices", "rm"],
    ] {
        assert_eq!(d.run_with(args, None).code, 2, "{args:?}");
    }
}
