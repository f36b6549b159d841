#!/usr/bin/env bash
# The local API's OpenAPI 3.1 document (generated from the routes) passes a real validator.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --locked -p smm-api --example openapi > target/openapi.json
target/pyenv/bin/openapi-spec-validator target/openapi.json
