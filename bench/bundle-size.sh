#!/usr/bin/env bash
# Release bundle size: builds the WASM front end in release mode (size-tuned profile plus
# wasm-opt) and prints raw and brotli sizes of what a phone downloads on first load.
#   bash bench/bundle-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
command -v brotli >/dev/null || { echo "installing brotli"; apt-get install -y -qq brotli >/dev/null; }
cargo leptos build --release --frontend-only >/dev/null 2>&1 || cargo leptos build --release --frontend-only
total_raw=0 total_br=0
printf '%-40s %10s %10s\n' file raw brotli
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css "$@"; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  br=$(brotli -c -q 11 "$f" | wc -c)
  total_raw=$((total_raw + raw)) total_br=$((total_br + br))
  printf '%-40s %10d %10d\n' "$f" "$raw" "$br"
done
printf '%-40s %10d %10d\n' total "$total_raw" "$total_br"
