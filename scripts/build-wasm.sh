#!/usr/bin/env bash
# Compiles the crate to wasm and generates its JS bindings into www/pkg
# (with their TypeScript declarations, which the type check reads).
#   scripts/build-wasm.sh          release build
#   scripts/build-wasm.sh --opt    release build, then wasm-opt (for dist/)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown -p planar
wasm-bindgen --target web --out-dir www/pkg \
  target/wasm32-unknown-unknown/release/planar.wasm
if [ "${1:-}" = "--opt" ]; then
  node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    www/pkg/planar_bg.wasm -o www/pkg/planar_bg.wasm
fi
# Lets Node import the bindings as an ES module (the benchmarks do).
echo '{"type": "module"}' > www/pkg/package.json
