#!/usr/bin/env bash
# First-load transfer of each route, as a phone with an empty cache downloads it from the
# running release build: the page's HTML, then every /pkg file the page names (the JS glue,
# the WASM, the CSS, and with a split build the chunks its `<meta name="wasm-chunks">` lists),
# and every module those JS files import, each asked for with `Accept-Encoding: br, gzip` and
# counted as sent. A page of islands (`<meta name="wasm-islands">`) loads the CSS and the
# islands' JS and WASM instead. Also the files the list and map views fetch on demand.
#   ./zd run                        # in another terminal: the release build on :3000
#   bash bench/bundle-size.sh       # or BASE_URL=http://host:port bash bench/bundle-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/demo-session.sh
base=${BASE_URL:-http://127.0.0.1:3000}

# Signed-in pages need a session: the demo resident's.
cookie=$(demo_session "$base")

sent() { # url -> bytes on the wire, compressed as the server chose
  curl -fs -o /dev/null -H "Accept-Encoding: br, gzip" -H "Cookie: $cookie" -w '%{size_download}' "$1"
}

routes=(
  "map list|/"
  "a place page|/places/1"
  "sign-in|/sign-in"
  "today's lunch menu|/lunch"
  "request form|/requests/new"
  "check-in page|/v/checkin"
  "volunteer activities|/volunteer"
  "case library|/cases"
)
printf '%-22s %8s %8s %8s %8s %8s %9s\n' route "HTML" "JS" "WASM" "CSS" "other" "total KB"
for entry in "${routes[@]}"; do
  label=${entry%%|*} path=${entry#*|}
  html=$(curl -fs -H "Cookie: $cookie" "$base$path")
  html_kb=$(sent "$base$path")
  js=0 wasm=0 css=0 other=0
  islands=$(grep -o '<meta[^>]*"wasm-islands"[^>]*>' <<<"$html" | grep -o 'content="[^"]*"' | cut -d'"' -f2 || true)
  if [ -n "$islands" ]; then
    # A page of islands loads the islands' JS and WASM instead of the app's (hydration.js).
    files=$(grep -o '/pkg/[A-Za-z0-9._-]*\.css' <<<"$html" | sort -u)$'\n'$(tr ' ' '\n' <<<"$islands")
  else
    files=$(grep -o '/pkg/[A-Za-z0-9._-]*' <<<"$html" | sort -u)
  fi
  # The JS glue's own imports (the chunk loader of a split build), if the page did not name them.
  for glue in $(grep '\.js$' <<<"$files"); do
    files+=$'\n'$(curl -fs "$base$glue" | grep -o 'from *"\./[A-Za-z0-9._-]*\.js"' | sed 's|.*"\./|/pkg/|; s|"$||' || true)
  done
  for file in $(sort -u <<<"$files"); do
    bytes=$(sent "$base$file")
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
done

echo
echo "fetched on demand (KB sent):"
for file in /map.js /vendor/leaflet/leaflet.js /vendor/leaflet/leaflet.css \
  /vendor/leaflet.markercluster/leaflet.markercluster.js /geo/changshou.geojson; do
  printf '  %-52s %8.1f\n' "$file" "$(awk "BEGIN { print $(sent "$base$file") / 1024 }")"
done
