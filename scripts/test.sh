#!/usr/bin/env bash
# Every check, stopping at the first failure: formatting, lints, the native
# tests, the wasm tests in Node and in headless Chromium, the production
# build, ESLint and TypeScript's check of the JavaScript, and the browser
# tests against the build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh --browser
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings

step "native tests"
cargo test

step "wasm tests in Node"
cargo test --target wasm32-unknown-unknown --test wasm

step "wasm tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test wasm

step "production build"
bash scripts/build.sh

step "ESLint and the type check (no warnings allowed)"
npx eslint --max-warnings 0 .
npx tsc -p tsconfig.json
npx tsc -p tsconfig.sw.json

step "browser tests"
node --test --test-concurrency=1 tests/
