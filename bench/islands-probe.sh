#!/usr/bin/env bash
# The WASM a page would send with Leptos islands: bench/islands-probe/ holds the map list's
# and the lunch menu's interactive parts as islands (search box, "near me", a meal's order
# form with its live portions). Built as the app's WASM is (opt-level z, LTO, wasm-bindgen,
# wasm-opt -Oz), measured raw and as brotli, beside the app's own main module for
# comparison (bench/bundle-size.sh counts what each route sends).
#   bash bench/islands-probe.sh      # after ./zd setup; about two minutes
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
probe=bench/islands-probe
out=target/islands-probe
# The app's lockfile pins the same Leptos, wasm-bindgen and serde as the app uses.
cp Cargo.lock "$probe/Cargo.lock"
cargo build -q --release --target wasm32-unknown-unknown --manifest-path "$probe/Cargo.toml" \
  --target-dir "$out"
wasm-bindgen --target web --out-dir "$out/pkg" --out-name probe \
  "$out/wasm32-unknown-unknown/release/islands_probe.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$out/pkg/probe_bg.wasm" -o "$out/pkg/probe.wasm"
sizes() { printf '%-44s %9s B raw %9s B brotli\n' "$1" "$(wc -c <"$2")" "$(brotli -c -q 11 "$2" | wc -c)"; }
command -v brotli >/dev/null || { echo "installing brotli"; apt-get install -y -qq brotli >/dev/null; }
sizes "islands: WASM" "$out/pkg/probe.wasm"
sizes "islands: JS glue" "$out/pkg/probe.js"
app=$(ls target/site/pkg/*.wasm 2>/dev/null | grep -v -e chunk_ -e split_ | head -n 1 || true)
[ -z "$app" ] || sizes "the app's main module (map list, sign-in)" "$app"
