#!/usr/bin/env bash
# First-load transfer of the map route: builds the front end in release mode (size-tuned
# WASM profile plus wasm-opt) and prints raw and brotli sizes of what a phone downloads.
# The list view needs the app bundle; Leaflet loads only when the map view opens.
#   bash bench/bundle-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
command -v brotli >/dev/null || { echo "installing brotli"; apt-get install -y -qq brotli >/dev/null; }
./zd setup >/dev/null
cargo leptos build --release --frontend-only >/dev/null 2>&1 || cargo leptos build --release --frontend-only

sizes() { # label files...
  local label=$1 raw_total=0 br_total=0 raw br f
  shift
  for f in "$@"; do
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    raw_total=$((raw_total + raw)) br_total=$((br_total + br))
    printf '  %-58s %9d %9d\n' "$f" "$raw" "$br"
  done
  printf '  %-58s %9d %9d\n' "= $label" "$raw_total" "$br_total"
}

printf '  %-58s %9s %9s\n' file raw brotli
sizes "app bundle (every page)" target/site/pkg/zero-distance.wasm target/site/pkg/zero-distance.js \
  target/site/pkg/zero-distance.css public/map.js
sizes "map view adds (loaded on demand)" public/vendor/leaflet/leaflet.js public/vendor/leaflet/leaflet.css \
  public/vendor/leaflet.markercluster/leaflet.markercluster.js \
  public/vendor/leaflet.markercluster/MarkerCluster.css \
  public/vendor/leaflet.markercluster/MarkerCluster.Default.css public/geo/changshou.geojson
