//! No command that does I/O runs on the window's thread (issue 13, item 3).
//!
//! Tauri v2 runs a synchronous `#[tauri::command] fn` on the main thread, where a busy
//! database (a lock waits up to 10 s, a pool checkout up to 30 s) freezes the whole window. So
//! every command is an `async fn` that moves its SQLite, file, network or keychain work to the
//! blocking pool (`commands::blocking`), except the few in [`SYNC_ALLOWED`], which provably do
//! no I/O. This test reads every `#[tauri::command]` in `src-tauri/src` and fails on a
//! synchronous one that is not allowed, and on an allowed one that no longer exists or is sync
//! for no reason left; it checks the scan found every command the app registers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Commands that may stay synchronous, each with why it does no I/O.
const SYNC_ALLOWED: &[(&str, &str)] = &[
    (
        "app_info",
        "formats the folder paths held in AppState; touches no file",
    ),
    (
        "provider_presets",
        "returns the engine's static preset list; no query",
    ),
    (
        "key_store",
        "reports where the master key was found at open (held in memory)",
    ),
    (
        "restart_app",
        "posts an exit or restart request to the event loop; no I/O",
    ),
];

/// One `#[tauri::command]` function found in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Command {
    name: String,
    is_async: bool,
    /// `file:line` of the attribute, for the failure message.
    at: String,
}

/// Skips whitespace, line and block comments (doc comments too) from `i`.
fn skip_trivia(s: &str, mut i: usize) -> usize {
    loop {
        let rest = &s[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            i += trimmed.find('\n').map_or(trimmed.len(), |n| n + 1);
        } else if trimmed.starts_with("/*") {
            i += trimmed.find("*/").map_or(trimmed.len(), |n| n + 2);
        } else {
            return i;
        }
    }
}

/// The end of the attribute that starts at `i` (`#[` … the matching `]`).
fn skip_attribute(s: &str, i: usize) -> usize {
    let mut depth = 0usize;
    for (k, c) in s[i..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return i + k + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// Whether the attribute text (`#[…]`) is Tauri's command attribute, with or without
/// arguments (`#[tauri::command(rename_all = "snake_case")]`) or a leading `::`.
fn is_command_attribute(attr: &str) -> bool {
    let inner = attr
        .trim_start_matches('#')
        .trim_start_matches('[')
        .trim_start();
    let inner = inner.trim_start_matches("::");
    let path: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    path == "tauri::command"
}

/// Every function under a `#[tauri::command]` attribute in `source`, whatever other
/// attributes (`#[specta::specta]`, `#[allow(…)]`) come before or after it.
fn commands_in(file: &str, source: &str) -> Vec<Command> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(k) = source[i..].find("#[") {
        let start = i + k;
        // Attributes in comments or strings do not count; the sources have none that matter,
        // but a `#[` after `//` on the same line is skipped.
        let line_start = source[..start].rfind('\n').map_or(0, |n| n + 1);
        if source[line_start..start].contains("//") {
            i = start + 2;
            continue;
        }
        // A run of attributes, then the item they annotate.
        let mut j = start;
        let mut command_at = None;
        loop {
            j = skip_trivia(source, j);
            if !source[j..].starts_with("#[") {
                break;
            }
            let end = skip_attribute(source, j);
            if is_command_attribute(&source[j..end]) {
                command_at = Some(j);
            }
            j = end;
        }
        if let Some(at) = command_at {
            let line = source[..at].matches('\n').count() + 1;
            let (qualifiers, name) = fn_head(&source[j..])
                .unwrap_or_else(|| panic!("{file}:{line}: #[tauri::command] not on a fn"));
            found.push(Command {
                name,
                is_async: qualifiers.split_whitespace().any(|w| w == "async"),
                at: format!("{file}:{line}"),
            });
        }
        i = j.max(start + 2);
    }
    found
}

/// The qualifiers before `fn` (`pub(crate) async`) and the function's name, for an item
/// that starts at the beginning of `item`.
fn fn_head(item: &str) -> Option<(String, String)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut at = 0;
    loop {
        let k = at + item[at..].find("fn")?;
        let before_ok = item[..k].chars().next_back().is_none_or(|c| !ident(c));
        let after = &item[k + 2..];
        if before_ok && after.starts_with(char::is_whitespace) {
            // Only qualifiers may come before `fn`: a `{` or `;` means another item.
            if item[..k].contains(['{', ';']) {
                return None;
            }
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| ident(*c))
                .collect();
            return Some((item[..k].to_string(), name));
        }
        at = k + 2;
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every command in the app's sources, by name.
fn app_commands() -> BTreeMap<String, Command> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut all = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(&root).unwrap().display().to_string();
        for c in commands_in(&shown, &source) {
            all.insert(c.name.clone(), c);
        }
    }
    all
}

/// The command names the app registers, read from the TypeScript bindings it generates.
fn registered_commands() -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bindings.ts");
    smm_desk::commands::builder()
        .export(smm_desk::commands::typescript(), &path)
        .unwrap();
    let ts = std::fs::read_to_string(&path).unwrap();
    let mut names = Vec::new();
    for chunk in ts.split("__TAURI_INVOKE<").skip(1) {
        // `…>("list_services", { filter })`: the first string after the type.
        let name = chunk.split("(\"").nth(1).and_then(|r| r.split('"').next());
        names.push(name.expect("an invoke with a command name").to_string());
    }
    names
}

#[test]
fn no_command_that_does_io_runs_on_the_main_thread() {
    let commands = app_commands();
    let registered = registered_commands();
    assert!(registered.len() > 40, "the bindings name {registered:?}");
    for name in &registered {
        assert!(
            commands.contains_key(name),
            "the app registers `{name}`, but no `#[tauri::command] fn {name}` was found in \
             src-tauri/src: the scan in this test missed it"
        );
    }

    let blocking: Vec<String> = commands
        .values()
        .filter(|c| !c.is_async && !SYNC_ALLOWED.iter().any(|(n, _)| *n == c.name))
        .map(|c| format!("{} ({})", c.name, c.at))
        .collect();
    assert!(
        blocking.is_empty(),
        "synchronous commands run on the window's thread, where a busy database freezes the \
         window: make them `async fn` and move their I/O into `commands::blocking(…)`. Only a \
         command that does no I/O at all may stay sync, listed in SYNC_ALLOWED with the reason: \
         {blocking:#?}"
    );

    for (name, reason) in SYNC_ALLOWED {
        let c = commands
            .get(*name)
            .unwrap_or_else(|| panic!("SYNC_ALLOWED names `{name}`, which is not a command"));
        assert!(
            !c.is_async,
            "`{name}` is async now: remove it from SYNC_ALLOWED ({reason})"
        );
    }
}

#[test]
fn the_scan_reads_attributes_in_any_order_and_form() {
    let source = r#"
/// Doc.
#[tauri::command]
#[specta::specta]
pub fn plain(state: State<'_, AppState>) -> u32 { 1 }

#[specta::specta]
#[tauri::command]
pub async fn specta_first(x: u32) -> Result<(), E> { Ok(()) }

#[tauri::command(rename_all = "snake_case")]
/// A doc comment between.
#[allow(
    clippy::needless_pass_by_value,
)]
pub(crate) async fn with_args<R: Runtime>(app: AppHandle<R>) {}

#[tauri::command] #[specta::specta] fn one_line() {}

// #[tauri::command] in a comment
#[derive(Debug)]
struct NotACommand;

#[::tauri::command]
async unsafe fn odd() {}

#[test]
fn not_a_command() {}
"#;
    let found: Vec<(String, bool)> = commands_in("x.rs", source)
        .into_iter()
        .map(|c| (c.name, c.is_async))
        .collect();
    let expect = |n: &str, a: bool| (n.to_string(), a);
    assert_eq!(
        found,
        vec![
            expect("plain", false),
            expect("specta_first", true),
            expect("with_args", true),
            expect("one_line", false),
            expect("odd", true),
        ]
    );
}
