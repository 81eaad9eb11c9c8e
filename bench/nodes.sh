#!/usr/bin/env bash
# Three Verity nodes on one PostgreSQL behind haproxy (round-robin, no sticky sessions), and a scenario through the proxy.
#
#   bench/nodes.sh
#
# Needs PostgreSQL: VERITY_TEST_POSTGRES (an Npgsql connection string to a login that may create databases, e.g.
# "Host=127.0.0.1;Port=5432;Username=verity;Password=verity;Database=postgres"); a fresh database is made and dropped.
# Settings (environment): VERITY_DLL (a built verity.dll; default: build src/Verity in Release), DOTNET (dotnet),
# KEEP=1 (leave the logs in the work folder). Needs haproxy, curl, psql and python3.
# Prints a PASS or FAIL line per check and exits non-zero when any failed.
set -uo pipefail
PATH=$PATH:/usr/sbin:/sbin

cd "$(dirname "$0")/.."
DOTNET=${DOTNET:-dotnet}
PASSWORD=verity-demo-2026
USER_EMAIL=csm@demo.verity
WORK=$(mktemp -d "${TMPDIR:-/tmp}/verity-nodes.XXXXXX")
FAILED=0
PIDS=()

for tool in haproxy curl psql python3; do
    command -v "$tool" >/dev/null || { echo "FAIL bench/nodes.sh needs $tool (Debian: apt-get install -y haproxy curl postgresql-client python3)"; exit 1; }
done
[ -n "${VERITY_TEST_POSTGRES:-}" ] || { echo "FAIL VERITY_TEST_POSTGRES is not set: the nodes share a PostgreSQL database."; exit 1; }

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILED=1; }

# The server's address from the Npgsql connection string, for psql.
setting() { tr ';' '\n' <<<"$VERITY_TEST_POSTGRES" | awk -F= -v k="$1" 'tolower($1) == tolower(k) { sub(/^[^=]*=/, ""); print; exit }'; }
export PGHOST=$(setting Host) PGPORT=$(setting Port) PGUSER=$(setting Username) PGPASSWORD=$(setting Password)
PGPORT=${PGPORT:-5432}
DB=verity_nodes_$(date +%s)_$$
DATABASE="postgres:Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$DB"
sql() { psql -d "$DB" -Atqc "$1"; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    if [ "${KEEP:-}" = 1 ]; then echo "Logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ -z "${VERITY_DLL:-}" ]; then
    echo "Building Release..."
    "$DOTNET" build -c Release src/Verity -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; echo "FAIL the build"; exit 1; }
    VERITY_DLL=src/Verity/bin/Release/net10.0/verity.dll
fi
verity() { "$DOTNET" "$VERITY_DLL" "$@" --database "$DATABASE"; }

read -r PROXY_PORT NODE1 NODE2 NODE3 < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
NODES=("$NODE1" "$NODE2" "$NODE3")
PROXY=http://127.0.0.1:$PROXY_PORT

psql -d postgres -qc "CREATE DATABASE \"$DB\"" >/dev/null || { echo "FAIL could not create the database $DB"; exit 1; }
verity demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; echo "FAIL verity demo"; exit 1; }
TOKEN=$(verity tokens create --email "$USER_EMAIL" | tail -1)

# Three nodes started at once on the same database. The triage is due every 3 seconds here, so every node's
# scheduler and every node's catch-up at start want to run it; the week's claim lets one of them.
for i in 0 1 2; do
    env "Logging__LogLevel__Default=Warning" "Logging__LogLevel__Verity.Jobs.Scheduling=Information" \
        "VERITY_Jobs__Triage=0/3 * * * * ?" "VERITY_RateLimit__PerMinute=100000" \
        "$DOTNET" "$VERITY_DLL" serve --urls "http://127.0.0.1:${NODES[$i]}" --database "$DATABASE" >"$WORK/node$((i + 1)).log" 2>&1 &
    PIDS+=($!)
done

# The proxy: round-robin, no stickiness; it names the node that answered in X-Node (for this script only).
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 256

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend verity
    bind 127.0.0.1:$PROXY_PORT
    default_backend nodes
    http-response set-header X-Node %s

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    server node1 127.0.0.1:$NODE1 check inter 1s
    server node2 127.0.0.1:$NODE2 check inter 1s
    server node3 127.0.0.1:$NODE3 check inter 1s
EOF
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)

for port in "${NODES[@]}"; do
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
        sleep 0.5
    done
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || { tail -20 "$WORK"/node*.log; echo "FAIL node on port $port did not start"; exit 1; }
done
# Until haproxy's health checks see all three up.
for _ in $(seq 1 40); do
    seen=$(for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -D - "$PROXY/healthz" | awk -F': ' 'tolower($1) == "x-node" { print $2 }' | tr -d '\r'; done | sort -u | wc -l)
    [ "$seen" = 3 ] && break
    sleep 0.5
done
echo "Three nodes on ports ${NODES[*]} behind haproxy on $PROXY_PORT, database $DB."

keys=$(sql 'SELECT count(*) FROM "DataProtectionKeys"')
[ "$keys" = 1 ] && pass "the three nodes share one Data Protection key from the database" || fail "expected one Data Protection key, found $keys"

JAR=$WORK/cookies
# request METHOD PATH [curl options...]: prints the body to $WORK/body, the status and node to $STATUS and $NODE.
request() {
    local method=$1 path=$2
    shift 2
    curl -s -o "$WORK/body" -D "$WORK/headers" -b "$JAR" -c "$JAR" -X "$method" "$@" "$PROXY$path" >/dev/null
    STATUS=$(awk 'NR == 1 { print $2 }' "$WORK/headers")
    NODE=$(awk -F': ' 'tolower($1) == "x-node" { print $2 }' "$WORK/headers" | tr -d '\r')
}
token_in_page() { grep -o 'name="__RequestVerificationToken" value="[^"]*"' "$WORK/body" | head -1 | sed 's/.*value="//; s/"$//'; }

# 1. Sign in through the form: the form (and its antiforgery token) from one node, the post to the next.
request GET /signin
form_node=$NODE
antiforgery=$(token_in_page)
request POST /signin --data-urlencode "_handler=signin" --data-urlencode "__RequestVerificationToken=$antiforgery" \
    --data-urlencode "Form.Email=$USER_EMAIL" --data-urlencode "Form.Password=$PASSWORD"
location=$(awk -F': ' 'tolower($1) == "location" { print $2 }' "$WORK/headers" | tr -d '\r')
if [ "$STATUS" = 302 ] && [ "$form_node" != "$NODE" ] && grep -q $'\tverity\t' "$JAR" && [ "${location%%\?*}" != /signin ]; then
    pass "sign-in form from $form_node, posted to $NODE: signed in (redirected to $location)"
else
    fail "sign-in: form from $form_node, post to $NODE answered $STATUS (location $location)"
fi

# 2. The cookie opens pages on every node.
nodes_seen=()
pages_ok=1
for path in /accounts / /accounts / /accounts /; do
    request GET "$path"
    nodes_seen+=("$NODE")
    if [ "$STATUS" != 200 ] || ! grep -q 'Sign out' "$WORK/body"; then pages_ok=0; fail "GET $path with the cookie answered $STATUS on $NODE"; fi
done
distinct=$(printf '%s\n' "${nodes_seen[@]}" | sort -u | wc -l)
[ "$pages_ok" = 1 ] && [ "$distinct" = 3 ] && pass "the cookie opens pages on all three nodes (${nodes_seen[*]})" \
    || fail "pages with the cookie: answered by ${nodes_seen[*]}"

# 3. An API write repeated with the same Idempotency-Key, on two nodes: the same answer, one record.
name="Nodes $(date +%s%N)"
key=$(python3 -c 'import uuid; print(uuid.uuid4())')
api_post() {
    curl -s -o "$WORK/$1.json" -D "$WORK/$1.headers" -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: $key" \
        -H 'Content-Type: application/json' -d "{\"name\": \"$name\"}" "$PROXY/api/v1/accounts"
}
api_post first
api_post second
first_node=$(awk -F': ' 'tolower($1) == "x-node" { print $2 }' "$WORK/first.headers" | tr -d '\r')
second_node=$(awk -F': ' 'tolower($1) == "x-node" { print $2 }' "$WORK/second.headers" | tr -d '\r')
first_status=$(awk 'NR == 1 { print $2 }' "$WORK/first.headers")
second_status=$(awk 'NR == 1 { print $2 }' "$WORK/second.headers")
count=$(curl -s -G -H "Authorization: Bearer $TOKEN" --data-urlencode "q=$name" "$PROXY/api/v1/accounts" \
    | NAME=$name python3 -c 'import json, os, sys; print(sum(a["name"] == os.environ["NAME"] for a in json.load(sys.stdin)["items"]))')
if [ "$first_status" = 201 ] && [ "$second_status" = 201 ] && cmp -s "$WORK/first.json" "$WORK/second.json" \
    && grep -qi '^idempotent-replayed: true' "$WORK/second.headers" && [ "$first_node" != "$second_node" ] && [ "$count" = 1 ]; then
    pass "POST /api/v1/accounts with one Idempotency-Key on $first_node then $second_node: the same 201 answer, one account"
else
    fail "idempotent POST: $first_status on $first_node, $second_status on $second_node, $count accounts named \"$name\""
fi

# 4. A cookie-authenticated API write carries the page's antiforgery token, taken from a page of another node.
request GET /accounts
page_node=$NODE
antiforgery=$(token_in_page)
request POST /api/v1/me/tokens -H 'Content-Type: application/json' -d '{"name": "From the browser"}'
refused=$STATUS
request POST /api/v1/me/tokens -H 'Content-Type: application/json' -H "RequestVerificationToken: $antiforgery" -d '{"name": "From the browser"}'
if [ "$refused" = 403 ] && [ "$STATUS" = 201 ] && [ "$page_node" != "$NODE" ]; then
    pass "a cookie API POST without the antiforgery header is refused (403); with the token from $page_node's page, $NODE creates (201)"
else
    fail "cookie API POST: without the header $refused, with the token from $page_node on $NODE $STATUS"
fi

# 5. Sign out on one node; a copy of the cookie is refused on every node.
cp "$JAR" "$WORK/copy"
request GET /accounts
antiforgery=$(token_in_page)
request POST /signout --data-urlencode "__RequestVerificationToken=$antiforgery"
signout_node=$NODE
signout_status=$STATUS
# The node that signed out forgets the session at once; the others look at the database's access stamp at most once a second.
sleep 1.5
refused_by=()
for _ in 1 2 3; do
    status=$(curl -s -o /dev/null -D "$WORK/headers" -w '%{http_code}' -b "$WORK/copy" "$PROXY/api/v1/accounts")
    [ "$status" = 401 ] && refused_by+=("$(awk -F': ' 'tolower($1) == "x-node" { print $2 }' "$WORK/headers" | tr -d '\r')")
done
if [ "$signout_status" = 302 ] && [ "$(printf '%s\n' "${refused_by[@]}" | sort -u | wc -l)" = 3 ]; then
    pass "signed out on $signout_node: a copy of the old cookie answers 401 on all three nodes (${refused_by[*]})"
else
    fail "sign-out on $signout_node answered $signout_status; the old cookie was refused by: ${refused_by[*]:-none}"
fi

# 6. The triage, due on every node and caught up by every node at start, ran once for its week.
for _ in $(seq 1 40); do
    [ "$(sql 'SELECT count(*) FROM "JobPeriods" WHERE "Key" LIKE '"'"'triage:%-W%'"'"' AND "CompletedAt" IS NOT NULL')" -ge 1 ] && break
    sleep 0.5
done
sleep 4 # a few more firings of the 3-second schedule
runs=$(sql 'SELECT "Period" || '"'"' '"'"' || count(*) FROM "TriageRuns" WHERE "Period" IS NOT NULL GROUP BY "Period"')
skipped=$(cat "$WORK"/node*.log | grep -c 'already ran; skipping')
instances=$(sql 'SELECT count(*) FROM qrtz_scheduler_state' 2>/dev/null || echo "?")
if [ -n "$runs" ] && [ "$(wc -l <<<"$runs")" = 1 ] && [ "${runs##* }" = 1 ] && [ "$skipped" -ge 1 ]; then
    pass "the triage ran once for ${runs% *}; $skipped later firings and catch-ups found its claim and skipped ($instances schedulers in the Quartz cluster)"
else
    fail "the triage runs per period: ${runs:-none}; $skipped firings skipped"
fi

if [ "$FAILED" != 0 ]; then
    echo "--- last lines of the node logs ---"
    tail -n 15 "$WORK"/node*.log "$WORK/haproxy.log"
    exit 1
fi
