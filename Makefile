# SMM Desk — the two commands a new user needs:
#   make run    install what is missing, build the UI and the app, start SMM Desk
#   make test   every check and test: fmt, clippy, guards, Rust tests, UI checks and tests, end-to-end,
#               the release package
# And for shipping (README › Install):
#   make package       the release .deb: target/release/bundle/deb/
#   make package-test  that .deb, unpacked, started over WebDriver
# And for speed (README › Performance):
#   make bench         every hot path against its bound, release build, full sizes: a table and
#                      target/bench/results.json
#   make bench-quick   the same at small sizes (the last step of `make test`, so it never rots)
SHELL := /bin/bash
.DEFAULT_GOAL := run
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test deps ui app check guards rust-test ui-check ui-test e2e e2e-full package package-test \
	bench bench-quick

deps:
	@scripts/install-deps.sh

ui: deps
	cd ui && npm run --silent build

# smm-panel's bin smm-sim: the fault-injecting simulator the end-to-end tests drive.
app: ui
	$(CARGO) build -p smm-desk -p smm-cli -p smm-panel

run: app
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "no display: starting SMM Desk under Xvfb"; \
	  xvfb-run -a -s "-screen 0 1280x800x24" target/debug/smm-desk; \
	else target/debug/smm-desk; fi

# clippy compiles smm-desk, whose generate_context! embeds ui/dist: build the UI first.
check: ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	@scripts/check-guards.sh
	@scripts/check-openapi.sh

ui-check: deps
	cd ui && npm run --silent typecheck && npm run --silent lint

rust-test: ui
	$(CARGO) test --workspace --locked

ui-test: deps
	cd ui && npm run --silent test

# In `make test` the two measuring tests run short (a 10,000-service catalog, 200,000 orders):
# their timings are reported, never asserted, and the full sizes cost CI ~3 minutes. The goals'
# sizes (50,000 services, 1,000,000 orders) run with `make e2e-full`.
e2e: app
	SMM_E2E_CATALOG=$${SMM_E2E_CATALOG:-10000} SMM_E2E_ORDERS=$${SMM_E2E_ORDERS:-200000} \
	  timeout -k 10 1200 tests/e2e/run.sh

e2e-full: app
	SMM_E2E_CATALOG=50000 SMM_E2E_ORDERS=1000000 timeout -k 10 1800 tests/e2e/run.sh

test: check ui-check rust-test ui-test e2e package-test bench-quick
	@echo "make test: all checks and tests passed"

# The release build in production mode (the UI embedded and served over Tauri's own protocol,
# which plain `cargo build` does not switch on), by the Tauri CLI from ui/node_modules, with the
# workspace's [profile.release]; then the .deb. smmdesk is built first: the package takes it
# from target/release (bundle.linux.deb.files in src-tauri/tauri.conf.json) into /usr/bin.
TAURI := ui/node_modules/.bin/tauri
package: ui
	$(CARGO) build --release --locked -p smm-cli
	rm -f target/release/bundle/deb/*.deb
	$(TAURI) build --bundles deb --ci -- --locked
	@ls -l target/release/bundle/deb/*.deb

# The package as a user gets it (tests/package/run.sh); next to last in `make test`: from a
# fresh clone the release build adds ~14 minutes to CI's ~20-25 (README › Install), within 50.
package-test: package
	timeout -k 10 900 tests/package/run.sh

# Benchmarks (README › Performance): smm-bench against simulated panels on 127.0.0.1 and real
# SQLite files; the table on stdout and in target/bench/results.md, the figures in results.json.
# The release profile, so the figures are the shipped build's; smm-bench asks for no dependency
# feature smmdesk lacks, so after `make package` only smm-bench itself compiles and links (fat
# LTO, ~2 minutes on 2 cores): bench-quick, the last step of `make test`, takes ~2.5 minutes.
BENCH_TARGET := $(or $(CARGO_TARGET_DIR),target)
BENCH_OUT := $(BENCH_TARGET)/bench/results.json
bench: deps
	$(CARGO) build --release --locked -p smm-bench
	$(BENCH_TARGET)/release/smm-bench --out $(BENCH_OUT)

bench-quick: deps
	$(CARGO) build --release --locked -p smm-bench
	timeout -k 10 600 $(BENCH_TARGET)/release/smm-bench --quick --out $(BENCH_OUT)
