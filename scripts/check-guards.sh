#!/usr/bin/env bash
# Architecture guards: nothing under crates/ may depend on tauri (docs/architecture.md §1).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
for manifest in crates/*/Cargo.toml; do
  pkg=$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)
  if cargo tree -p "$pkg" -e normal,build --prefix none --locked 2>/dev/null | grep -qE '^tauri(-[a-z-]+)? v'; then
    echo "guard: $pkg (under crates/) depends on tauri; only src-tauri may" >&2
    fail=1
  fi
done
[ "$fail" = 0 ] && echo "guards: no crate under crates/ depends on tauri"
exit "$fail"
