#!/usr/bin/env bash
# Lighthouse on a phone over a slow network (its mobile default: Moto G Power, simulated slow
# 4G, 4x CPU slowdown) against Debian's Chromium, for the pages a resident opens first.
# Prints performance, accessibility, best practices and SEO, and the largest contentful paint.
#   ./zd run                     # in another terminal: the release build on :3000
#   bash bench/lighthouse.sh     # or BASE_URL=http://host:port bash bench/lighthouse.sh
#   REPORTS_DIR=dir bash bench/lighthouse.sh   # also keeps each page's full JSON report there
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/demo-session.sh
base=${BASE_URL:-http://127.0.0.1:3000}
# Lighthouse 13 wants Node 22; 12.2.3 runs on Debian's Node. Kept out of package.json: only
# this script needs it.
tools=.cache/lighthouse
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  echo "installing lighthouse 12.2.3 into $tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" -E lighthouse@12.2.3 >/dev/null
fi
command -v jq >/dev/null || { echo "installing jq"; apt-get install -y -qq jq >/dev/null; }

# The signed-in pages need a session: the demo resident's, from the sign-in server function.
cookie=$(demo_session "$base")

mapfile -t pages < <(first_pages "$cookie")
out=${REPORTS_DIR:-$(mktemp -d)}
mkdir -p "$out"
printf '%-20s %6s %6s %6s %6s %8s\n' page perf a11y best seo "LCP s"
for entry in "${pages[@]}"; do
  IFS='|' read -r label path session <<<"$entry"
  headers=()
  [ -z "$session" ] || headers=(--extra-headers "{\"Cookie\": \"$session\"}")
  report="$out/$(tr -c 'a-z0-9\n' '-' <<<"$label").json"
  "$tools/node_modules/.bin/lighthouse" "$base$path" --quiet --output=json --output-path="$report" \
    --only-categories=performance,accessibility,best-practices,seo "${headers[@]}" \
    --chrome-path=/usr/bin/chromium --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    >/dev/null 2>&1 || { echo "lighthouse failed on $path" >&2; continue; }
  jq -r --arg page "$label" '[$page,
      (.categories.performance.score * 100 | round),
      (.categories.accessibility.score * 100 | round),
      (.categories["best-practices"].score * 100 | round),
      (.categories.seo.score * 100 | round),
      (.audits["largest-contentful-paint"].numericValue / 1000 * 10 | round / 10)] | @tsv' \
    "$report" | awk -F'\t' '{ printf "%-20s %6s %6s %6s %6s %8s\n", $1, $2, $3, $4, $5, $6 }'
done
[ -n "${REPORTS_DIR:-}" ] || rm -rf "$out"
