#!/usr/bin/env bash
# First-load transfer of every route, as a phone with an empty cache downloads it from the
# running release build, signed in as the demo account the route is made for: the page's
# HTML, the shell's deferred scripts and the CSS; on a page of islands, the JS glue and the
# WASM of the bundle its `<meta name="wasm-islands">` names (app/src/hydration.js) and every
# module that JS imports. Each asked for with `Accept-Encoding: br, gzip` and counted as
# sent. Also the files the list and map views fetch on demand.
#   ./zd run                        # in another terminal: the release build on :3000
#   bash bench/bundle-size.sh       # or BASE_URL=http://host:port bash bench/bundle-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/demo-session.sh
base=${BASE_URL:-http://127.0.0.1:3000}

# Every route, each as the demo account it is made for (README, "Demo accounts"; "-" is
# anonymous): 1 resident, 2 building manager, 4 station staff, 5 partner unit, 6 admin.
declare -A cookies=([-]="")
for who in 1 2 4 5 6; do cookies[$who]=$(demo_session "$base" "1390000000$who"); done
# A request of the demo history, for its page.
request=$(curl -fs -H "Cookie: ${cookies[6]}" "$base/inbox" | grep -o '/requests/CS[0-9-]*' | head -n 1 || true)
[ -n "$request" ] || { echo "no request in the admin's inbox at $base" >&2; exit 1; }

sent() { # url cookie -> bytes on the wire, compressed as the server chose
  curl -fs -o /dev/null -H "Accept-Encoding: br, gzip" -H "Cookie: $2" -w '%{size_download}' "$1"
}

# The first eight are the pages a resident opens first (the README's table).
routes=(
  "map list|/|1"
  "a place page|/places/1|1"
  "sign-in|/sign-in|-"
  "today's lunch menu|/lunch|1"
  "request form|/requests/new|1"
  "check-in page (a code)|/v/checkin?t=demo|1"
  "volunteer activities|/volunteer|1"
  "case library|/cases|1"
  "sign-up|/sign-up|-"
  "me|/me|1"
  "change password|/me/password|1"
  "my requests|/requests|1"
  "a request|$request|6"
  "inbox|/inbox|2"
  "messages|/messages|1"
  "my lunch orders|/lunch/orders|1"
  "lunch station|/lunch/station|4"
  "lunch settlement|/lunch/settlement|5"
  "lunch survey|/lunch/survey|1"
  "my points|/points|1"
  "service record|/points/record|1"
  "leaderboard|/points/leaderboard|1"
  "verify redemption|/points/verify|5"
  "partner offers|/points/offer|5"
  "Q&A|/qa|1"
  "a case|/cases/1|1"
  "guides|/guides|1"
  "a guide|/guides/1|1"
  "admin: places|/admin/places|6"
  "admin: new place|/admin/places/new|6"
  "admin: edit place|/admin/places/1|6"
  "admin: users|/admin/users|6"
  "admin: calendar|/admin/calendar|6"
  "menu editor|/lunch/menus|4"
  "admin: subsidy|/lunch/subsidy|6"
  "admin: surveys|/lunch/surveys|6"
  "admin: survey results|/lunch/surveys/1|6"
  "admin: new activity|/volunteer/new|6"
  "admin: activity code|/volunteer/1/code|6"
  "admin: adjust points|/points/adjust|6"
  "admin: publish case|/cases/publish?request=CS2026-000030|6"
  "admin: new guide|/guides/new|6"
  "admin: edit guide|/guides/1/edit|6"
  "admin: numbers|/numbers|6"
  "admin: overview|/numbers/overview|6"
  "admin: Open311 keys|/admin/open311|6"
)
printf '%-22s %8s %8s %8s %8s %8s %9s\n' route "HTML" "JS" "WASM" "CSS" "other" "total KB"
over=0
for entry in "${routes[@]}"; do
  IFS='|' read -r label path who <<<"$entry"
  cookie=${cookies[$who]}
  html=$(curl -fs -H "Cookie: $cookie" "$base$path")
  html_kb=$(sent "$base$path" "$cookie")
  js=0 wasm=0 css=0 other=0
  meta=$(grep -o '<meta[^>]*"wasm-islands"[^>]*>' <<<"$html" || true)
  islands=$(grep -o 'content="[^"]*"' <<<"$meta" | cut -d'"' -f2 || true)
  # A page with no island fetches no WASM, even if it names a bundle.
  grep -q '<leptos-island' <<<"$html" || islands=""
  files=$(grep -o '/pkg/[A-Za-z0-9._-]*\.css' <<<"$html" | sort -u)$'\n'$(tr ' ' '\n' <<<"$islands")
  # The shell's own scripts (map.js, scan.js, checkin.js: every page loads them, deferred).
  files+=$'\n'$(grep -o '<script src="/[A-Za-z0-9._/-]*\.js"' <<<"$html" | cut -d'"' -f2 || true)
  # The JS glue's own imports, if any.
  for glue in $(tr ' ' '\n' <<<"$islands" | grep '\.js$' || true); do
    files+=$'\n'$(curl -fs "$base$glue" | grep -o 'from *"\./[A-Za-z0-9._/-]*\.js"' |
      sed "s|.*\"\./|${glue%/*}/|; s|\"$||" || true)
  done
  for file in $(sort -u <<<"$files"); do
    bytes=$(sent "$base$file" "$cookie")
    case $file in
      *.js) js=$((js + bytes)) ;;
      *.wasm) wasm=$((wasm + bytes)) ;;
      *.css) css=$((css + bytes)) ;;
      *) other=$((other + bytes)) ;;
    esac
  done
  total=$((html_kb + js + wasm + css + other))
  printf '%-22s %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f\n' "$label" \
    "$(awk "BEGIN { print $html_kb / 1024 }")" "$(awk "BEGIN { print $js / 1024 }")" \
    "$(awk "BEGIN { print $wasm / 1024 }")" "$(awk "BEGIN { print $css / 1024 }")" \
    "$(awk "BEGIN { print $other / 1024 }")" "$(awk "BEGIN { print $total / 1024 }")"
  [ "$total" -le $((200 * 1024)) ] || over=$((over + 1))
done
echo "$over of ${#routes[@]} routes over the 200 KB budget"

echo
echo "fetched on demand (KB sent):"
for file in /map.js /vendor/leaflet/leaflet.js /vendor/leaflet/leaflet.css \
  /vendor/leaflet.markercluster/leaflet.markercluster.js /geo/changshou.geojson; do
  printf '  %-52s %8.1f\n' "$file" "$(awk "BEGIN { print $(sent "$base$file" "") / 1024 }")"
done
