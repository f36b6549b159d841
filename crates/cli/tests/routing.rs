//! `smmdesk group …`, `order add --group` and `mass-order --group` through the real binary,
//! against two simulators started in this test process.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use smm_panel::sim::{Fault, SimConfig, SimHandle, Simulator};
use smm_panel::{Action, Service, ServiceType};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");
const SVC: &str = "7001";

/// Simulators on their own runtime thread, so the test thread can block on the binary.
struct Sims {
    cheap: SimHandle,
    dear: SimHandle,
    _rt: tokio::runtime::Runtime,
}

fn service(id: &str, t: ServiceType, rate: &str) -> Service {
    Service {
        id: id.into(),
        name: "Instagram Followers Real HQ".into(),
        service_type: t,
        category: "Instagram Followers".into(),
        rate: rate.parse().unwrap(),
        min: 10,
        max: 10_000,
        refill: false,
        cancel: false,
        dripfeed: false,
        description: None,
    }
}

impl Sims {
    fn start() -> Sims {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let start = |rate: &str| {
            let h = rt
                .block_on(Simulator::start(SimConfig {
                    services: 50,
                    ..SimConfig::default()
                }))
                .unwrap();
            h.upsert_service(service(SVC, ServiceType::Default, rate));
            h.upsert_service(service("7002", ServiceType::CustomComments, "2"));
            h
        };
        let (cheap, dear) = (start("0.8"), start("1.0"));
        Sims {
            cheap,
            dear,
            _rt: rt,
        }
    }
}

#[derive(Debug)]
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

/// A `--json` command that must exit with `code`; its stdout.
fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all, None);
    assert_eq!(r.code, code, "{args:?}: {r:?}");
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {r:?}"))
}

/// A `--json` command that must fail with error `code` (exit 1).
fn refused(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(dir, &all, None);
    assert_eq!(r.code, 1, "{args:?}: {r:?}");
    let v: Value = serde_json::from_str(r.stderr.trim()).unwrap();
    v["code"].as_str().unwrap().to_string()
}

fn add_provider(dir: &Path, name: &str, sim: &SimHandle) {
    let key = sim.key().expose().to_string();
    let r = run(
        dir,
        &[
            "provider",
            "add",
            "--name",
            name,
            "--url",
            &sim.url(),
            "--key-stdin",
        ],
        Some(&key),
    );
    assert_eq!(r.code, 0, "{r:?}");
    json(dir, &["services", "sync", name], 0);
}

fn adds(s: &Sims) -> (u64, u64) {
    (
        s.cheap.counters().get(Action::Add),
        s.dear.counters().get(Action::Add),
    )
}

#[test]
fn groups_and_routed_orders_from_the_command_line() {
    let sims = Sims::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_provider(d, "cheap", &sims.cheap);
    add_provider(d, "dear", &sims.dear);

    // Suggestions name the shared offer, cheapest first.
    let found = json(d, &["group", "suggest", "--search", "Real HQ"], 0);
    let ours = found
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["members"][0]["service_id"] == SVC)
        .expect("suggested");
    assert_eq!(ours["members"][0]["provider"], "cheap");

    // Bad groups: their own code, nothing saved.
    assert_eq!(
        refused(
            d,
            &[
                "group",
                "add",
                "g",
                "--member",
                "cheap:7001",
                "--member",
                "cheap:7001"
            ]
        ),
        "offer_group.duplicate_member"
    );
    assert_eq!(
        refused(
            d,
            &[
                "group",
                "add",
                "g",
                "--member",
                "cheap:7001",
                "--member",
                "dear:7002"
            ]
        ),
        "offer_group.type_mismatch"
    );
    assert_eq!(
        refused(d, &["group", "add", "g", "--member", "cheap"]),
        "input.invalid"
    );
    assert_eq!(json(d, &["group", "list"], 0), Value::Array(vec![]));

    let g = json(
        d,
        &[
            "group",
            "add",
            "ig",
            "--member",
            "dear:7001",
            "--member",
            "cheap:7001",
        ],
        0,
    );
    assert_eq!(g["rule"], "cheapest");
    assert_eq!(g["members"][0]["provider"], "dear");
    assert_eq!(json(d, &["group", "show", "IG"], 0)["name"], "ig");

    // Where it would go; nothing sent.
    let dry = json(
        d,
        &[
            "order",
            "add",
            "--group",
            "ig",
            "--link",
            "https://instagram.com/p/1",
            "--quantity",
            "1000",
            "--dry-run",
        ],
        0,
    );
    assert_eq!(dry["candidates"][0]["provider"], "cheap");
    assert_eq!(adds(&sims), (0, 0));

    // The cheapest refuses (no funds): the next one takes it; exit 0.
    sims.cheap.set_balance("0.01".parse().unwrap());
    let order = [
        "order",
        "add",
        "--group",
        "ig",
        "--link",
        "https://instagram.com/p/1",
        "--quantity",
        "1000",
        "--idempotency-key",
        "cli-route-1",
        "--customer",
        "Sara",
        "--sale-price",
        "3",
    ];
    let r = json(d, &order, 0);
    assert_eq!(r["order"]["provider"], "dear");
    assert_eq!(r["order"]["customer"], "Sara");
    assert_eq!(r["attempts"][0]["status"], "rejected");
    assert_eq!(r["attempts"][1]["status"], "pending");
    assert_eq!(adds(&sims), (1, 1));
    // Again: the same route, nothing sent.
    let again = json(d, &order, 0);
    assert_eq!(again["sent"], false);
    assert_eq!(again["order"]["id"], r["order"]["id"]);
    assert_eq!(adds(&sims), (1, 1));

    // --group with --provider is a usage error (exit 2).
    let both = run(
        d,
        &[
            "order",
            "add",
            "--group",
            "ig",
            "--provider",
            "cheap",
            "--link",
            "https://x.com/a",
            "--quantity",
            "10",
        ],
        None,
    );
    assert_eq!(both.code, 2, "{both:?}");
    assert_eq!(
        refused(
            d,
            &[
                "order",
                "add",
                "--group",
                "nope",
                "--link",
                "https://x.com/a",
                "--quantity",
                "100"
            ]
        ),
        "offer_group.not_found"
    );
    assert_eq!(
        refused(
            d,
            &[
                "order",
                "add",
                "--group",
                "ig",
                "--link",
                "https://x.com/a",
                "--quantity",
                "5"
            ]
        ),
        "route.quantity_unaccepted"
    );

    // A reset after the provider took the order: unknown, exit 3, the other member untried.
    sims.cheap.set_balance("1000".parse().unwrap());
    sims.cheap.set_fault(Action::Add, Fault::ResetAfterAccept);
    let lost = json(
        d,
        &[
            "order",
            "add",
            "--group",
            "ig",
            "--link",
            "https://instagram.com/p/2",
            "--quantity",
            "1000",
        ],
        3,
    );
    assert_eq!(lost["order"]["status"], "unknown");
    assert_eq!(lost["remaining"][0]["provider"], "dear");
    assert_eq!(adds(&sims), (2, 1));
    sims.cheap.clear_faults();

    // A mass order through the group: link|quantity lines; run again, nothing twice.
    let file = d.join("lines.txt");
    std::fs::write(
        &file,
        "# routed\nhttps://instagram.com/p/m1|100\nhttps://instagram.com/p/m2|200|1.5|Omar\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let m = json(d, &["mass-order", "--group", "ig", path], 0);
    assert_eq!(m["accepted"], 2);
    assert_eq!(m["results"][1]["placement"]["order"]["customer"], "Omar");
    assert_eq!(adds(&sims), (4, 1));
    let m2 = json(d, &["mass-order", "--group", "ig", path], 0);
    assert_eq!(m2["already_placed"], 2);
    assert_eq!(adds(&sims), (4, 1));
    std::fs::write(&file, "https://instagram.com/p/m3|5\n").unwrap();
    assert_eq!(
        refused(d, &["mass-order", "--group", "ig", path]),
        "mass_order.invalid"
    );
    assert_eq!(adds(&sims), (4, 1));

    let removed = json(d, &["group", "rm", "ig"], 0);
    assert_eq!(removed["name"], "ig");
    assert_eq!(
        refused(d, &["group", "show", "ig"]),
        "offer_group.not_found"
    );
}
