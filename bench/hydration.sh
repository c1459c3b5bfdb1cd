#!/usr/bin/env bash
# What hydrating each of Lighthouse's five pages costs the main thread, traced in Debian's
# Chromium (bench/hydration.mjs): the longest task after the first paint, the total blocking
# time Lighthouse's mobile profile would simulate (4x CPU), and the WASM functions V8
# compiled on their first call while the page hydrated. Medians of RUNS (default 3) loads.
#   ./zd run                     # in another terminal: the release build on :3000
#   bash bench/hydration.sh      # or BASE_URL=http://host:port RUNS=5 bash bench/hydration.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/demo-session.sh
base=${BASE_URL:-http://127.0.0.1:3000}
cookie=$(demo_session "$base")

mapfile -t pages < <(first_pages "$cookie")
printf '%-20s %9s %12s %13s %12s\n' page "longest" "blocking x4" "WASM compiled" "compile ms"
for entry in "${pages[@]}"; do
  IFS='|' read -r label path session <<<"$entry"
  json=$(node bench/hydration.mjs "$base$path" "${RUNS:-3}" "$session")
  [ "$(jq -r .hydrated <<<"$json")" = true ] || echo "  ($path did not hydrate within 5 s)" >&2
  jq -r --arg page "$label" '[$page, .longest_task_ms, .simulated_blocking_ms,
      .wasm_functions_compiled, .wasm_compile_ms] | @tsv' <<<"$json" |
    awk -F'\t' '{ printf "%-20s %6s ms %9s ms %13s %12s\n", $1, $2, $3, $4, $5 }'
done
