# Sourced by the bench scripts: `demo_session BASE_URL [PHONE]` prints the session cookie
# (`zd_session=…`) of a demo account (the resident unless PHONE names another: README, "Demo
# accounts"), from the sign-in server function, or fails with one clear line.
demo_session() {
  local cookie phone=${2:-13900000001}
  cookie=$(curl -fs -o /dev/null -D - "$1/api/sign_in" \
    --data-urlencode phone="$phone" --data-urlencode password=Demo-2026 \
    | awk -F'[:;] *' 'tolower($1) == "set-cookie" && $2 ~ /^zd_session=/ { print $2 }')
  [ -n "$cookie" ] || { echo "could not sign in as the demo account $phone at $1" >&2; return 1; }
  printf '%s\n' "$cookie"
}

# The five pages a resident opens first, one "label|path|cookie" line each, the signed-in
# ones with the session cookie given: what bench/lighthouse.sh and bench/hydration.sh measure.
first_pages() {
  printf '%s\n' "map list|/|" "a place page|/places/1|" "today's lunch menu|/lunch|" \
    "request form|/requests/new|$1" "check-in page|/v/checkin|$1"
}
