#!/usr/bin/env bash
# Installs what building and testing Planar need, and only what is missing:
# safe to run any number of times; a run that finds everything takes seconds.
#   scripts/setup.sh            the toolchain and npm packages
#   scripts/setup.sh --browser  also Chromium and ChromeDriver, for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo is missing: install Rust from https://rustup.rs, then run this again."
command -v node >/dev/null || fail "node is missing: install Node.js 20.19 or newer, then run this again."

# The wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The wasm-bindgen CLI must be the exact version of the crate in Cargo.lock.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$wanted" ] || fail "Cargo.lock names no wasm-bindgen version"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$wanted" ]; then
  say "installing wasm-bindgen-cli $wanted (found: ${have:-none}); this takes a few minutes"
  cargo install --locked wasm-bindgen-cli --version "=$wanted" \
    || cargo install wasm-bindgen-cli --version "=$wanted"
fi

# npm packages (Vite, binaryen's wasm-opt, playwright-core), when the lock changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  # `npm install`, not `npm ci`: ci refuses a lock that lacks an optional
  # dependency the registry cannot supply (vite's Windows-only
  # napi-windows-process-start-time), which install skips. --no-save keeps
  # package-lock.json as committed; the versions installed are its versions.
  npm install --no-audit --no-fund --no-save
fi

if [ "${1:-}" = "--browser" ]; then
  chrome=${CHROME_PATH:-/usr/bin/chromium}
  if [ ! -x "$chrome" ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ -n "${CHROME_PATH:-}" ] && [ ! -x "$CHROME_PATH" ]; then
      fail "CHROME_PATH=$CHROME_PATH is not an executable file."
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing Chromium and ChromeDriver"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
      fail "The browser tests need Chromium and ChromeDriver. On Debian or Ubuntu: sudo apt-get install chromium chromium-driver; elsewhere set CHROME_PATH to a Chromium or Chrome binary and put a matching chromedriver on /usr/bin."
    fi
  fi
fi
