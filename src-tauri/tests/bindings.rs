//! The TypeScript bindings in `ui/src/ipc/bindings.ts` match the Rust commands.
//!
//! Fails when they are stale; `UPDATE_BINDINGS=1 cargo test -p smm-desk --test bindings`
//! rewrites the file.

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings.ts");
    let tmp = tempfile::tempdir().unwrap();
    let fresh_path = tmp.path().join("bindings.ts");
    smm_desk::commands::builder()
        .export(smm_desk::commands::typescript(), &fresh_path)
        .expect("export the TypeScript bindings");
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();

    if std::env::var_os("UPDATE_BINDINGS").is_some_and(|v| v == "1") {
        std::fs::write(&committed_path, &fresh).unwrap();
        eprintln!("rewrote {}", committed_path.display());
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/ipc/bindings.ts is stale (or missing): run \
         `UPDATE_BINDINGS=1 cargo test -p smm-desk --test bindings` and commit the file"
    );
}
