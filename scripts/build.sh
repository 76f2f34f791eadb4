#!/usr/bin/env bash
# The static site in dist/: optimized wasm, bundled modules; any static file
# server can serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh --opt
node_modules/.bin/vite build
