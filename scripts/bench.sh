#!/usr/bin/env bash
# `npm run bench`: builds what the benchmarks measure (the optimized wasm and
# dist/), then prints one table; see bench/run.mjs. numpy is used when
# python3 has it (pip install numpy); the table says so when it does not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
bash scripts/build.sh >/dev/null
cargo build --release -q --example bench
node bench/run.mjs
