#!/usr/bin/env bash
# End-to-end tests of the real desktop app: node --test → tauri-driver → WebKitWebDriver →
# target/debug/smm-desk (or $SMM_E2E_APP), all under Xvfb. Screenshots land in
# target/e2e-screenshots/ (or $SMM_E2E_SCREENSHOTS).
#
# Expects the UI and the app to be built (`make e2e` does both). Every tauri-driver the tests
# start (with the app and WebKitWebDriver in its process group) is killed on exit, however the
# run ends; temporary data folders are removed unless the run failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# SMM_E2E_APP: another build of the app (tests/package/run.sh passes the packaged one).
APP="${SMM_E2E_APP:-$ROOT/target/debug/smm-desk}"
[ -x "$APP" ] || { echo "e2e: $APP is missing: run 'make app' first" >&2; exit 1; }
[ -n "${SMM_E2E_APP:-}" ] || [ -f "$ROOT/ui/dist/index.html" ] || { echo "e2e: ui/dist is missing: run 'make ui' first" >&2; exit 1; }
command -v tauri-driver >/dev/null || export PATH="$HOME/.cargo/bin:$PATH"
command -v tauri-driver >/dev/null || { echo "e2e: tauri-driver is not installed" >&2; exit 1; }

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/smm-desk-e2e.XXXXXX")
export SMM_E2E_APP="$APP"
export SMM_E2E_SCREENSHOTS="${SMM_E2E_SCREENSHOTS:-$ROOT/target/e2e-screenshots}"
export SMM_E2E_PIDS="$RUN_DIR/pids"
export SMM_E2E_TMP="$RUN_DIR/data"
mkdir -p "$SMM_E2E_PIDS" "$SMM_E2E_TMP"
rm -rf "$SMM_E2E_SCREENSHOTS"

runner=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # Drivers the tests did not stop (a crash or a timeout): kill their process groups.
  for pidfile in "$SMM_E2E_PIDS"/*; do
    [ -e "$pidfile" ] || continue
    pid=$(basename "$pidfile")
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 0.2
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  [ -n "$runner" ] && kill -TERM "$runner" 2>/dev/null || true
  if [ "$status" -eq 0 ]; then
    rm -rf "$RUN_DIR"
  else
    echo "e2e: failed; app data, logs and tauri-driver logs kept in $SMM_E2E_TMP" >&2
    for log in "$SMM_E2E_TMP"/*/logs/*.log; do
      [ -e "$log" ] || continue
      echo "--- $log (last 20 lines)" >&2
      tail -n 20 "$log" >&2
    done
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# SMM_E2E_FILES=tests/e2e/flows.test.mjs runs one file.
# The runner runs in the background so the trap fires at once on a signal.
xvfb-run -a -s "-screen 0 1280x800x24" \
  node --test --test-concurrency=1 --test-reporter=spec ${SMM_E2E_FILES:-"$ROOT"/tests/e2e/*.test.mjs} &
runner=$!
wait "$runner"
