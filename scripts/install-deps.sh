#!/usr/bin/env bash
# Installs what SMM Desk needs to build, run and test, and only what is missing:
# Debian packages (Tauri/WebKit, Xvfb, WebKitWebDriver, the colour emoji font), tauri-driver, and
# the UI's npm packages, and the Python tools the checks and tests use.
# Idempotent: a second run changes nothing and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev xvfb xauth webkit2gtk-driver imagemagick
  python3-venv
  fonts-noto-color-emoji
)
TAURI_DRIVER_VERSION=2.1.0

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  for attempt in 1 2 3 4 5; do
    if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
      break
    fi
    [ "$attempt" = 5 ] && { echo "install-deps: apt-get failed" >&2; exit 1; }
    echo "install-deps: apt busy or failed, retrying in 10 s" >&2; sleep 10
  done
fi

# Node.js: the UI's toolchain (Vite 8) needs Node 20.19+ or 22.12+; Debian 12's own nodejs is 18.
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'
}
if ! node_ok; then
  echo "install-deps: SMM Desk's UI needs Node.js 20.19+ or 22.12+ (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "install-deps: install it from your distribution's backports or nodejs.org, then run this again." >&2
  exit 1
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "install-deps: installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked --quiet
fi

# npm ci only when the lockfile changed since the last install.
if [ -f ui/package-lock.json ]; then
  stamp=ui/node_modules/.smm-desk-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
    echo "install-deps: npm ci (ui)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    cp ui/package-lock.json "$stamp"
  fi
fi

# Python tools from PyPI, pinned, in a venv: the OpenAPI validator `make check` runs over the
# local API's document, and the Standard Webhooks reference library the webhook tests verify
# our signatures with (crates/engine/tests/webhooks/python.rs).
PYTHON_PACKAGES=("openapi-spec-validator==0.9.0" "standardwebhooks==1.3.0")
venv=target/pyenv
stamp="$venv/.smm-desk-packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${PYTHON_PACKAGES[*]}" ]; then
  echo "install-deps: ${PYTHON_PACKAGES[*]} (python venv in $venv)"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PYTHON_PACKAGES[@]}"
  echo "${PYTHON_PACKAGES[*]}" > "$stamp"
fi
