//! The engine's layering (see the table at the top of `src/lib.rs`): the lower layers name no
//! module above them, so a value can be followed bottom-up without grepping. Reads the crate's
//! own sources; fails with the file, the line and the module it must not name. A `crate::`
//! path in a comment counts too: a doc link sends the reader up the same way a `use` does.

use std::fs;
use std::path::{Path, PathBuf};

/// The lower layers, bottom first: a module may name its own layer's modules and those below.
/// Everything else (the domain modules and the `Engine` facade in `engine.rs`) sits above.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["clock", "hex", "paths"]),
    ("error", &["error"]),
    ("store", &["money", "store"]),
    ("secrets", &["secrets"]),
    ("provider call", &["provider_call"]),
];

/// The crate's source folder.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files of a top-level module: `src/<m>.rs`, or every `.rs` file under `src/<m>/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let dir = src().join(module);
    assert!(
        dir.is_dir(),
        "layers.rs lists module `{module}`, but neither src/{module}.rs nor src/{module}/ exists; \
         update LAYERS (and the table in src/lib.rs)"
    );
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read a source folder") {
            let path = entry.expect("read a source folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The first identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level names a `crate::` path starts with: one, or each of a `{a, b::c}` group.
fn crate_names(after: &str) -> Vec<&str> {
    let Some(group) = after.strip_prefix('{') else {
        return vec![ident(after)];
    };
    let mut names = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(ident(group[start..i].trim_start()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(ident(group[start..i].trim_start()));
                start = i + 1;
            }
            _ => {}
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Whether `word` occurs in `line` as a whole identifier.
fn has_word(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !part(before) && !part(after)
    })
}

#[test]
fn lower_layers_name_no_module_above_them() {
    let mut problems = Vec::new();
    for (level, (layer, modules)) in LAYERS.iter().enumerate() {
        let allowed: Vec<&str> = LAYERS[..=level]
            .iter()
            .flat_map(|(_, m)| m.iter().copied())
            .collect();
        for module in *modules {
            for file in files_of(module) {
                let text = fs::read_to_string(&file).expect("read a source file");
                let shown = file
                    .strip_prefix(src())
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                // A `use` group may span lines: scan the whole text for paths.
                for (at, _) in text.match_indices("crate::") {
                    let line_no = text[..at].lines().count().max(1);
                    for name in crate_names(&text[at + "crate::".len()..]) {
                        let is_module = name.chars().next().is_some_and(|c| c.is_lowercase());
                        if !allowed.contains(&name) {
                            let what = if is_module { "module" } else { "item" };
                            problems.push(format!(
                                "src/{shown}:{line_no}: the {layer} layer names {what} \
                                 `crate::{name}`; it may name only {allowed:?}"
                            ));
                        }
                    }
                }
                for (i, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if !code.starts_with("//") && has_word(code, "Engine") {
                        problems.push(format!(
                            "src/{shown}:{}: the {layer} layer names the `Engine` facade \
                             (put `impl Engine` blocks in a domain module)",
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the engine's layering is broken (see the table in src/lib.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_parser_sees_groups_and_single_paths() {
    assert_eq!(crate_names("error::{EngineError, Result};"), ["error"]);
    assert_eq!(
        crate_names("{clock::Clock, store::{get, put}, Engine};"),
        ["clock", "store", "Engine"]
    );
    assert!(has_word("impl Engine {", "Engine"));
    assert!(!has_word("EngineError::Input", "Engine"));
}
