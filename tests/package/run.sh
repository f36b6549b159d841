#!/usr/bin/env bash
# The .deb `make package` wrote, checked as a user gets it: unpacked with dpkg-deb into a
# temporary root (nothing is installed on this machine), its control fields, files, desktop
# entry and icons checked, `smmdesk` run from it, then its /usr/bin/smm-desk started under Xvfb
# over WebDriver (tests/package/package.test.mjs through tests/e2e/run.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
shopt -s nullglob
debs=("$ROOT"/target/release/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "package-test: expected one .deb in target/release/bundle/deb (found ${#debs[@]}): run 'make package'" >&2; exit 1; }
DEB=${debs[0]}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smm-desk-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "package-test: $*" >&2; exit 1; }

dpkg-deb -x "$DEB" "$WORK/root"
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = smm-desk ] || fail "Package is '$(field Package)', not smm-desk"
[ "$(field Version)" = "$VERSION" ] || fail "Version is '$(field Version)', the workspace says $VERSION"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3 fonts-noto-color-emoji; do
  grep -qw -- "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
# Every dependency is a package Debian has (so apt can install the .deb).
for dep in $(tr ',' '\n' <<<"$depends" | sed 's/(.*)//; s/|.*//' | xargs); do
  apt-cache show "$dep" >/dev/null 2>&1 || fail "Depends names $dep, which apt does not know"
done

R="$WORK/root"
for bin in usr/bin/smm-desk usr/bin/smmdesk; do
  [ -x "$R/$bin" ] || fail "/$bin is missing or not executable"
  file -b "$R/$bin" | grep -q 'ELF 64-bit.*stripped' || fail "/$bin is not a stripped ELF: $(file -b "$R/$bin")"
  file -b "$R/$bin" | grep -q 'not stripped' && fail "/$bin is not stripped"
  missing=$(ldd "$R/$bin" | grep 'not found' || true)
  [ -z "$missing" ] || fail "/$bin needs libraries this system lacks: $missing"
done
desktop="$R/usr/share/applications/SMM Desk.desktop"
[ -f "$desktop" ] || fail "no desktop entry: $(cd "$R" && find . -name '*.desktop')"
grep -qx 'Name=SMM Desk' "$desktop" || fail "desktop entry: Name"
grep -qx 'Exec=smm-desk' "$desktop" || fail "desktop entry: Exec ($(grep ^Exec "$desktop"))"
grep -qx 'Icon=smm-desk' "$desktop" || fail "desktop entry: Icon"
grep -q '^Categories=.*Office' "$desktop" || fail "desktop entry: Categories ($(grep ^Categories "$desktop"))"
for size in 32x32 128x128 256x256@2; do
  [ -f "$R/usr/share/icons/hicolor/$size/apps/smm-desk.png" ] || fail "no $size icon: $(cd "$R" && find usr/share/icons -name '*.png')"
done

# The command line from the package runs and is the same version.
cli_version=$("$R/usr/bin/smmdesk" --version)
[ "$cli_version" = "smmdesk $VERSION" ] || fail "smmdesk --version says '$cli_version'"
echo "package-test: $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KiB): control, files, desktop entry, icons, smmdesk --version ok"

SMM_E2E_APP="$R/usr/bin/smm-desk" SMM_PACKAGE_VERSION="$VERSION" \
  SMM_E2E_SCREENSHOTS="$ROOT/target/package-screenshots" \
  SMM_E2E_FILES="$ROOT/tests/package/package.test.mjs" \
  timeout -k 10 600 "$ROOT/tests/e2e/run.sh"
