#!/usr/bin/env bash
# Throughput of the map route, beside nginx serving the very same bytes from a file, in the
# same run: the release build on a private database with the demo data plus 5,000 places,
# wrk with 2 threads and 32 connections for 10 s per URL, anonymous (as every visitor's
# first request is).
#   bash bench/throughput.sh            # builds the release first
#   SKIP_BUILD=1 bash bench/throughput.sh
#   PROFILE=1 bash bench/throughput.sh  # then profiles the signed-in map route (perf) and
#                                       # draws target/flamegraph-signed-in-map.svg
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/demo-session.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y -qq "$tool" >/dev/null; }
done
./zd setup >/dev/null
[ -n "${SKIP_BUILD:-}" ] || cargo leptos build --release --precompress

work=$(mktemp -d /tmp/zd-throughput.XXXX)
chmod 755 "$work"
app_port=3390 nginx_port=3391
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The release server, on a database of its own.
LEPTOS_OUTPUT_NAME=zero-distance LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=127.0.0.1:$app_port ZD_DATA_DIR="$work/postgres" \
  RUST_LOG=warn ./target/release/server >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$app_port/" && break
  sleep 1
done
pg_port=$(sed -n 4p "$work/postgres/postmaster.pid" 2>/dev/null || true)
pg_dir=$work/postgres
if [ -z "$pg_port" ]; then # as root the cluster may live where the postgres user can reach
  pg_dir=$(grep -o '/var/tmp/zero-distance/[0-9a-f]*' "$work/server.log" | head -n 1)
  pg_port=$(sed -n 4p "$pg_dir/postmaster.pid")
fi
# 5,000 more places spread over the subdistrict, as in the issue's measurement.
psql -q -h "$pg_dir" -p "$pg_port" -U postgres -d zero_distance -c "
  INSERT INTO places (name_zh, name_en, kinds, address_zh, lat, lon, hours, is_demo)
  SELECT '压测楼宇 ' || g, 'Load test building ' || g, '{building}', '长寿路 ' || g || ' 号',
         31.229 + (g % 100) * 0.00026, 121.421 + (g / 100) * 0.00072,
         '{\"weekly\": [], \"exceptions\": []}'::jsonb, true
    FROM generate_series(1, 5000) AS g" >/dev/null

routes=(
  "default map route|/"
  "500 nearest|/?near=31.2418,121.4395&shown=500"
  "a place page|/places/1"
  "map route, signed in|/"
)
# A signed-in visitor's page is rendered for them every time (never kept): measured too.
session=$(demo_session "http://127.0.0.1:$app_port")

# nginx serves each page's bytes, as the app sent them, from a file.
mkdir -p "$work/html"
for i in "${!routes[@]}"; do
  cookie=""
  [[ ${routes[$i]} == *"signed in"* ]] && cookie="Cookie: $session"
  curl -fs ${cookie:+-H "$cookie"} -o "$work/html/$i.html" "http://127.0.0.1:$app_port${routes[$i]#*|}"
done
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nginx_port; root $work/html; }
}
EOF
nginx -c "$work/nginx.conf"

rate() { # url [header] -> "requests/s p99"
  local out
  out=$(wrk -t2 -c32 -d10s --latency ${2:+-H "$2"} "$1")
  printf '%s %s\n' "$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
}

printf '%-22s %9s %12s %9s %12s %9s %8s\n' route "KB" "app req/s" "app p99" "nginx req/s" "nginx p99" "app/nginx"
for i in "${!routes[@]}"; do
  label=${routes[$i]%%|*} path=${routes[$i]#*|}
  kb=$(( $(stat -c %s "$work/html/$i.html") / 1024 ))
  cookie=""
  [[ $label == *"signed in"* ]] && cookie="Cookie: $session"
  read -r app_rate app_p99 < <(rate "http://127.0.0.1:$app_port$path" "$cookie")
  read -r nginx_rate nginx_p99 < <(rate "http://127.0.0.1:$nginx_port/$i.html")
  printf '%-22s %9s %12s %9s %12s %9s %7.0f%%\n' "$label" "$kb" "$app_rate" "$app_p99" \
    "$nginx_rate" "$nginx_p99" "$(awk "BEGIN { print 100 * $app_rate / $nginx_rate }")"
done

[ -n "${PROFILE:-}" ] || exit 0
# Where the signed-in map route's time goes: perf samples the server under the same load,
# with call stacks from the binary's unwind tables (a release build has no debug info).
command -v perf >/dev/null || { echo "installing perf"; apt-get install -y -qq linux-perf >/dev/null; }
command -v inferno-flamegraph >/dev/null || { echo "installing inferno"; cargo install -q --locked inferno; }
perf record -q -F 199 --call-graph dwarf,16384 -p "$server_pid" -o "$work/perf.data" -- sleep 10 2>/dev/null &
wrk -t2 -c32 -d10s -H "Cookie: $session" "http://127.0.0.1:$app_port/" >/dev/null
wait $!
perf script -i "$work/perf.data" 2>/dev/null | inferno-collapse-perf >"$work/stacks.folded"
inferno-flamegraph --title "map route, signed in" <"$work/stacks.folded" >target/flamegraph-signed-in-map.svg
cp "$work/stacks.folded" target/stacks-signed-in-map.folded
echo
echo "map route, signed in: share of CPU samples in stacks through each part"
share() { # label, extended regular expression on a stack
  awk -v label="$1" -v pattern="$2" '{ n = $NF; total += n; if ($0 ~ pattern) hit += n }
    END { printf "  %5.1f%%  %s\n", 100 * hit / total, label }' "$work/stacks.folded"
}
share "rendering the page (tachys to_html, leptos_axum's stream)" 'tachys|async_stream_builder'
share "the page's server functions (app::)" 'app::'
share "SQL: sqlx, on the server's side" 'sqlx'
share "JSON: serde_json (hydration data, server function results)" 'serde_json'
share "the session and the caller's roles" 'app::accounts'
share "HTTP: hyper" 'hyper::'
share "the kernel (sockets, scheduling)" '\[unknown\]|syscall|entry_SYSCALL'
echo "hottest functions, by their own samples:"
awk '{ n = $NF; sub(/ [0-9]+$/, ""); total += n; k = split($0, frames, ";"); self[frames[k]] += n }
     END { for (f in self) printf "  %5.1f%%  %s\n", 100 * self[f] / total, substr(f, 1, 140) }' \
  "$work/stacks.folded" | sort -rn | head -15
echo "flame graph: target/flamegraph-signed-in-map.svg; stacks: target/stacks-signed-in-map.folded"
