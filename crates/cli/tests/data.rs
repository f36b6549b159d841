//! `smmdesk backup`, `restore` and `data-dir`: the real binary on real files.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use smm_panel::sim::{SimConfig, SimHandle, Simulator};

const BIN: &str = env!("CARGO_BIN_EXE_smmdesk");

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
            ..Default::default()
        }))
        .unwrap();
    Sim { handle, _rt: rt }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        assert_eq!(self.code, 0, "{self:?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    fn error_code(&self) -> String {
        assert_eq!(self.code, 1, "{self:?}");
        assert!(self.stdout.is_empty(), "{self:?}");
        let v: Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr not JSON ({e}): {self:?}"));
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
        v["code"].as_str().unwrap().to_string()
    }
}

/// Runs smmdesk with `--data-dir dir` (or with HOME-style folders under `home` when `dir`
/// is None, so the OS defaults and the pointer file are exercised).
fn run(dir: Option<&Path>, home: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = Command::new(BIN);
    if let Some(dir) = dir {
        command.arg("--data-dir").arg(dir);
    }
    let mut child = command
        .args(args)
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .env_remove("RUST_LOG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
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

fn add_provider(dir: &Path, home: &Path, sim: &Sim, name: &str) {
    let r = run(
        Some(dir),
        home,
        &[
            "--json",
            "provider",
            "add",
            "--name",
            name,
            "--url",
            &sim.handle.url(),
            "--key-stdin",
        ],
        Some(&format!("{}\n", sim.handle.key().expose())),
    );
    r.json();
}

fn provider_names(dir: &Path, home: &Path) -> Vec<String> {
    let v = run(Some(dir), home, &["--json", "provider", "list"], None).json();
    let mut names: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn backup_then_restore_round_trip_keeps_the_replaced_data() {
    let sim = sim();
    let tmp = tempfile::tempdir().unwrap();
    let (dir, home) = (tmp.path().join("data"), tmp.path().join("home"));
    add_provider(&dir, &home, &sim, "first");
    let file = tmp.path().join("backup.sqlite3");
    let b = run(
        Some(&dir),
        &home,
        &["--json", "backup", file.to_str().unwrap()],
        None,
    )
    .json();
    assert_eq!(b["path"], file.to_str().unwrap());
    assert!(b["bytes"].as_u64().unwrap() > 4096);
    // Never over an existing file.
    let again = run(
        Some(&dir),
        &home,
        &["--json", "backup", file.to_str().unwrap()],
        None,
    );
    assert_eq!(again.error_code(), "input.invalid");

    add_provider(&dir, &home, &sim, "second");
    assert_eq!(provider_names(&dir, &home), ["first", "second"]);

    let check = run(
        Some(&dir),
        &home,
        &["--json", "restore", "--check", file.to_str().unwrap()],
        None,
    )
    .json();
    assert_eq!(check["providers"], 1);
    assert_eq!(
        provider_names(&dir, &home),
        ["first", "second"],
        "--check changes nothing"
    );

    let r = run(
        Some(&dir),
        &home,
        &["--json", "restore", file.to_str().unwrap()],
        None,
    )
    .json();
    assert_eq!(r["providers"], 1);
    let previous = r["previous"].as_str().unwrap();
    assert!(Path::new(previous).is_file(), "{r}");
    assert_eq!(provider_names(&dir, &home), ["first"]);
    assert!(!dir.join("smm-desk.restore-pending.sqlite3").exists());

    // Human text names where the replaced data is.
    let human = run(Some(&dir), &home, &["restore", previous], None);
    assert_eq!(human.code, 0, "{human:?}");
    assert!(human.stdout.contains("kept at"), "{human:?}");
    assert_eq!(provider_names(&dir, &home), ["first", "second"]);
}

#[test]
fn restore_refusals_have_codes_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, home) = (tmp.path().join("data"), tmp.path().join("home"));
    run(Some(&dir), &home, &["info"], None);
    let db = dir.join("smm-desk.sqlite3");
    let before = std::fs::read(&db).unwrap();
    let text = tmp.path().join("orders.csv");
    std::fs::write(&text, "id,link\n1,https://x\n").unwrap();
    let cases = [
        (tmp.path().join("missing.sqlite3"), "restore.not_found"),
        (tmp.path().to_path_buf(), "restore.not_a_file"),
        (text, "restore.not_sqlite"),
    ];
    for (file, code) in cases {
        let r = run(
            Some(&dir),
            &home,
            &["--json", "restore", file.to_str().unwrap()],
            None,
        );
        assert_eq!(r.error_code(), code, "{file:?}");
        let human = run(
            Some(&dir),
            &home,
            &["restore", file.to_str().unwrap()],
            None,
        );
        assert!(
            human.stderr.starts_with("error: ") && human.stderr.contains(code),
            "{human:?}"
        );
    }
    // A backup from another data folder (another master key) with a provider in it.
    let sim = sim();
    let other = tmp.path().join("other");
    add_provider(&other, &home, &sim, "theirs");
    let foreign = tmp.path().join("foreign.sqlite3");
    run(
        Some(&other),
        &home,
        &["backup", foreign.to_str().unwrap()],
        None,
    );
    let r = run(
        Some(&dir),
        &home,
        &["--json", "restore", foreign.to_str().unwrap()],
        None,
    );
    assert_eq!(r.error_code(), "restore.key_mismatch");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.join("smm-desk.restore-pending.sqlite3").exists());
}

#[test]
fn restore_is_refused_while_the_daemon_has_the_folder_open() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, home) = (tmp.path().join("data"), tmp.path().join("home"));
    run(Some(&dir), &home, &["info"], None);
    let file = tmp.path().join("b.sqlite3");
    run(Some(&dir), &home, &["backup", file.to_str().unwrap()], None);
    let mut daemon = Command::new(BIN)
        .arg("--data-dir")
        .arg(&dir)
        .args(["daemon", "--for", "30"])
        .env("SMM_DESK_KEY_STORE", "file")
        .env_remove("SMM_DESK_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the daemon has opened the engine (it prints its first line).
    {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(daemon.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
    }
    let r = run(
        Some(&dir),
        &home,
        &["--json", "restore", file.to_str().unwrap()],
        None,
    );
    daemon.kill().unwrap();
    daemon.wait().unwrap();
    assert_eq!(r.error_code(), "data.in_use");
    assert!(!dir.join("smm-desk.restore-pending.sqlite3").exists());
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("before-restore")));
}

#[test]
fn data_dir_moves_through_the_pointer_and_is_forced_by_data_dir() {
    let sim = sim();
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let forced = tmp.path().join("forced");
    let v = run(Some(&forced), &home, &["--json", "data-dir"], None).json();
    assert_eq!(
        (v["source"].as_str(), v["changeable"].as_bool()),
        (Some("--data-dir"), Some(false))
    );
    let r = run(
        Some(&forced),
        &home,
        &[
            "--json",
            "data-dir",
            "--move-to",
            tmp.path().join("x").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.error_code(), "data_dir.forced");

    // The OS default folder (under HOME), then moved.
    let v = run(None, &home, &["--json", "data-dir"], None).json();
    assert_eq!(v["source"], "default");
    let default_dir = v["data_dir"].as_str().unwrap().to_string();
    assert!(default_dir.starts_with(home.to_str().unwrap()), "{v}");
    let r = run(
        None,
        &home,
        &[
            "--json",
            "provider",
            "add",
            "--name",
            "p",
            "--url",
            &sim.handle.url(),
            "--key-stdin",
        ],
        Some(&format!("{}\n", sim.handle.key().expose())),
    );
    r.json();

    let target = tmp.path().join("moved data");
    let m = run(
        None,
        &home,
        &["--json", "data-dir", "--move-to", target.to_str().unwrap()],
        None,
    )
    .json();
    assert_eq!(m["copied"], true);
    assert_eq!(m["old_dir"], default_dir.as_str());
    let v = run(None, &home, &["--json", "data-dir"], None).json();
    assert_eq!(v["source"], "pointer");
    assert_eq!(v["data_dir"], target.to_str().unwrap());
    let info = run(None, &home, &["--json", "info"], None).json();
    assert_eq!(info["data_dir"], target.to_str().unwrap());
    let list = run(None, &home, &["--json", "provider", "list"], None).json();
    assert_eq!(
        list[0]["name"], "p",
        "the provider (and its key) came along"
    );
    assert!(
        Path::new(&default_dir).join("smm-desk.sqlite3").is_file(),
        "old data kept"
    );

    // Back to the old folder: it holds data, so only "use existing" is accepted.
    let r = run(
        None,
        &home,
        &["--json", "data-dir", "--move-to", &default_dir],
        None,
    );
    assert_eq!(r.error_code(), "data_dir.has_data");
    let human = run(
        None,
        &home,
        &["data-dir", "--move-to", &default_dir, "--use-existing"],
        None,
    );
    assert_eq!(human.code, 0, "{human:?}");
    assert!(
        human.stdout.contains("old folder is left as it was"),
        "{human:?}"
    );
    let v = run(None, &home, &["--json", "data-dir"], None).json();
    assert_eq!(v["data_dir"], default_dir.as_str());
}
