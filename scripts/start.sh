#!/usr/bin/env bash
# Builds the wasm and serves the page with Vite's dev server: editing a JS or
# CSS file reloads the page; after editing Rust, run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
exec node_modules/.bin/vite --host 127.0.0.1 "$@"
