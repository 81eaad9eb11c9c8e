#!/usr/bin/env bash
# HTTP load on Verity beside a ceiling: the minimal ASP.NET Core app in bench/Ceiling.
#
#   bench/load.sh [DATABASE]
#
# DATABASE is sqlite:PATH or postgres:CONNSTRING holding a `verity demo --scale N` book (default: a SQLite
# file in $TMPDIR, generated with 10,000 accounts when missing). Both servers run on core 0 (taskset), wrk
# on core 1; each Verity endpoint runs right after a ceiling run, so a noisy machine moves both alike and
# the ratio stays readable. Endpoints are read as the generated admin and as a CSM with ~50 accounts.
#
# Settings (environment): DURATION (10s), WARMUP (3s), CONNECTIONS (64), THREADS (1), SCALE (10000),
# SERVER_CPU (0), WRK_CPU (1), PORT (5191), CEILING_PORT (5190), ONLY (a regular expression: run only the
# endpoints whose names match it, e.g. ONLY='compliance|accounts page').
# Needs: the .NET SDK, wrk, curl, jq, taskset.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
SCALE=${SCALE:-10000}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
PORT=${PORT:-5191}
CEILING_PORT=${CEILING_PORT:-5190}
ONLY=${ONLY:-}
TMP=${TMPDIR:-/tmp}
DATABASE=${1:-sqlite:$TMP/verity-scale-$SCALE.db}
PASSWORD=verity-demo-2026
WORK=$(mktemp -d "$TMP/verity-load.XXXXXX")
BASE=http://127.0.0.1:$PORT
CEILING=http://127.0.0.1:$CEILING_PORT/

for tool in wrk curl jq taskset dotnet; do
    command -v "$tool" >/dev/null || { echo "bench/load.sh needs $tool (Debian: apt-get install -y wrk curl jq util-linux)" >&2; exit 1; }
done

echo "Publishing Release (ReadyToRun, as a deployment would)..."
dotnet publish -c Release src/Verity -o "$WORK/verity" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet build -c Release bench/Ceiling -v q -nologo >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
VERITY=$WORK/verity/verity.dll

if [[ $DATABASE == sqlite:* && ! -f ${DATABASE#sqlite:} ]]; then
    echo "Generating $SCALE accounts into $DATABASE..."
    dotnet "$VERITY" demo --scale "$SCALE" --database "$DATABASE"
fi

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 1200); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.05
    done
    echo "$1 did not answer; see $WORK/*.log" >&2
    exit 1
}

# The ceiling starts first and alone, so its time to a first answer is a baseline for Verity's on the same core.
DOTNET_gcServer=0 ASPNETCORE_URLS=$CEILING taskset -c "$SERVER_CPU" dotnet bench/Ceiling/bin/Release/net10.0/Ceiling.dll >"$WORK/ceiling.log" 2>&1 &
PIDS+=($!)
STARTED=$(date +%s.%N)
wait_for "$CEILING"
CEILING_START=$(echo "$(date +%s.%N) - $STARTED" | bc)
# Rate limits are per caller; wrk is one caller asking far faster than any person would.
# Scheduled jobs off: a fresh start on a generated book catches up the week's triage over 200,000 objectives, minutes of
# work that would land in whichever endpoint is measured then (bench/triage.sh measures the triage itself).
Jobs__Enabled=false RateLimit__PerMinute=100000000 taskset -c "$SERVER_CPU" dotnet "$VERITY" serve --urls "$BASE" --database "$DATABASE" >"$WORK/verity.log" 2>&1 &
PIDS+=($!)
STARTED=$(date +%s.%N)
wait_for "$BASE/healthz"
VERITY_START=$(echo "$(date +%s.%N) - $STARTED" | bc)
echo "Verity answered /healthz $VERITY_START s after start (migrations included; target < 2 s); the ceiling answered $CEILING_START s after its start (ratio $(echo "scale=1; $VERITY_START / $CEILING_START" | bc))."

token() { dotnet "$VERITY" tokens create --email "$1" --database "$DATABASE" | tail -1; }

# A cookie header for the pages, signed in through the sign-in form as a browser would.
cookie() {
    local jar="$WORK/$1.jar" form
    form=$(curl -s -c "$jar" -b "$jar" "$BASE/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -c "$jar" -b "$jar" -o /dev/null -X POST "$BASE/signin" --data-urlencode "_handler=signin" \
        --data-urlencode "__RequestVerificationToken=$form" --data-urlencode "Form.Email=$1" --data-urlencode "Form.Password=$PASSWORD"
    awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar"
}

ADMIN=admin@scale.verity
CSM=csm001@scale.verity
ADMIN_TOKEN=$(token $ADMIN)
CSM_TOKEN=$(token $CSM)
ADMIN_COOKIE=$(cookie $ADMIN)
CSM_COOKIE=$(cookie $CSM)

# The CSM's first account, its plan and the plan's first objective: records both callers may read.
ACCOUNT=$(curl -fs -H "Authorization: Bearer $CSM_TOKEN" "$BASE/api/v1/accounts?limit=1" | jq -r '.items[0].id')
PLAN=$(curl -fs -H "Authorization: Bearer $CSM_TOKEN" "$BASE/api/v1/plans?accountId=$ACCOUNT&limit=1" | jq -r '.items[0].id')
OBJECTIVE=$(curl -fs -H "Authorization: Bearer $CSM_TOKEN" "$BASE/api/v1/plans/$PLAN" | jq -r '.objectives[0].id')
OBJECTIVES=$(curl -fs -H "Authorization: Bearer $CSM_TOKEN" "$BASE/api/v1/plans/$PLAN" | jq '.objectives | length')
echo "Plan $PLAN ($OBJECTIVES objectives), objective $OBJECTIVE."

cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT %.1f %.2f %.2f %.2f %d %d %d\n", summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
        summary.requests, errors, summary.errors.status))
end
LUA

# wrk stops, but the server still works through the requests queued behind a slow endpoint: wait them out,
# so they are not counted against the next run.
settle() {
    for _ in $(seq 1 600); do
        [[ $(curl -s -o /dev/null -w '%{time_total}' "$BASE/healthz") < 0.050 ]] && return 0
        sleep 0.2
    done
}

# run DURATION URL [HEADER] -> "rps p50 p95 p99 requests errors non2xx"
run() {
    local duration=$1 url=$2 header=${3:-}
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 30s -s "$WORK/report.lua")
    [[ -n $header ]] && args+=(-H "$header")
    taskset -c "$WRK_CPU" wrk "${args[@]}" "$url" | awk '/^RESULT/ { $1 = ""; print substr($0, 2) }'
}

ENDPOINTS=(
    "healthz|$BASE/healthz|"
    "GET /api/v1/objectives/{id} (admin)|$BASE/api/v1/objectives/$OBJECTIVE|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/objectives/{id} (CSM)|$BASE/api/v1/objectives/$OBJECTIVE|Authorization: Bearer $CSM_TOKEN"
    "GET /api/v1/plans/{id} (admin)|$BASE/api/v1/plans/$PLAN|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/plans/{id} (CSM)|$BASE/api/v1/plans/$PLAN|Authorization: Bearer $CSM_TOKEN"
    "plan page /plans/{id} (admin)|$BASE/plans/$PLAN|Cookie: $ADMIN_COOKIE"
    "plan page /plans/{id} (CSM)|$BASE/plans/$PLAN|Cookie: $CSM_COOKIE"
    "objective page /objectives/{id} (CSM)|$BASE/objectives/$OBJECTIVE|Cookie: $CSM_COOKIE"
    "account page /accounts/{id} (CSM)|$BASE/accounts/$ACCOUNT|Cookie: $CSM_COOKIE"
    "export business review pptx (CSM)|$BASE/api/v1/plans/$PLAN/export?format=pptx&artifact=businessReview|Authorization: Bearer $CSM_TOKEN"
    "export mutual plan pdf (CSM)|$BASE/api/v1/plans/$PLAN/export?format=pdf&artifact=mutualPlan|Authorization: Bearer $CSM_TOKEN"
    "GET /api/v1/compliance/csp (admin)|$BASE/api/v1/compliance/csp|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/compliance/csp (CSM)|$BASE/api/v1/compliance/csp|Authorization: Bearer $CSM_TOKEN"
    "compliance page /compliance (admin)|$BASE/compliance|Cookie: $ADMIN_COOKIE"
    "compliance page /compliance (CSM)|$BASE/compliance|Cookie: $CSM_COOKIE"
    "accounts page /accounts (admin)|$BASE/accounts|Cookie: $ADMIN_COOKIE"
    "accounts page /accounts (CSM)|$BASE/accounts|Cookie: $CSM_COOKIE"
    "GET /api/v1/portfolio (admin)|$BASE/api/v1/portfolio|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/portfolio (CSM)|$BASE/api/v1/portfolio|Authorization: Bearer $CSM_TOKEN"
    "portfolio page /portfolio (admin)|$BASE/portfolio|Cookie: $ADMIN_COOKIE"
    "portfolio page /portfolio (CSM)|$BASE/portfolio|Cookie: $CSM_COOKIE"
    "GET /api/v1/portfolio.csv (admin)|$BASE/api/v1/portfolio.csv|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/search?q=north (admin)|$BASE/api/v1/search?q=north|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/search?q=north (CSM)|$BASE/api/v1/search?q=north|Authorization: Bearer $CSM_TOKEN"
    "search page /search?q=pipeline (admin)|$BASE/search?q=pipeline|Cookie: $ADMIN_COOKIE"
    "GET /api/v1/me/work (admin)|$BASE/api/v1/me/work|Authorization: Bearer $ADMIN_TOKEN"
    "GET /api/v1/me/work (CSM)|$BASE/api/v1/me/work|Authorization: Bearer $CSM_TOKEN"
    "your week page / (admin)|$BASE/|Cookie: $ADMIN_COOKIE"
    "your week page / (CSM)|$BASE/|Cookie: $CSM_COOKIE"
    "accounts page /accounts?q=north (admin)|$BASE/accounts?q=north|Cookie: $ADMIN_COOKIE"
)
if [[ -n $ONLY ]]; then
    SELECTED=()
    for entry in "${ENDPOINTS[@]}"; do
        [[ ${entry%%|*} =~ $ONLY ]] && SELECTED+=("$entry")
    done
    ENDPOINTS=("${SELECTED[@]}")
fi

echo "Warming up (ceiling, then each endpoint for $WARMUP)..."
run "$WARMUP" "$CEILING" >/dev/null
for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r _ url header <<<"$entry"
    status=$(curl -s -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$url")
    [[ $status == 200 ]] || { echo "$url answered $status before the run" >&2; exit 1; }
    run "$WARMUP" "$url" "$header" >/dev/null
    settle
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), database ${DATABASE%%:*}"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION; server on core $SERVER_CPU, wrk on core $WRK_CPU; load before: $(uptime | sed 's/.*load average: //')"
printf '\n| %-38s | %9s | %8s | %8s | %8s | %9s | %9s | %s\n' "endpoint" "rps" "p50 ms" "p95 ms" "p99 ms" "% ceiling" "CPU µs/req" "errors/non-2xx"
printf '|%s|%s|%s|%s|%s|%s|%s|%s\n' "$(printf -- '-%.0s' {1..40})" "----------:" "---------:" "---------:" "---------:" "----------:" "----------:" "---"
# The server's own CPU time (user + system, from /proc) per answered request: far steadier than rps on a shared machine.
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name url header <<<"$entry"
    read -r crps cp50 cp95 cp99 _ _ _ <<<"$(run "$DURATION" "$CEILING")"
    cpu_before=$(cpu_ticks "${PIDS[1]}")
    read -r rps p50 p95 p99 requests errors non2xx <<<"$(run "$DURATION" "$url" "$header")"
    settle
    cpu=$(echo "($(cpu_ticks "${PIDS[1]}") - $cpu_before) * 1000000 / $TICKS / ($requests + 1)" | bc)
    printf '| %-38s | %9s | %8s | %8s | %8s | %8.2f%% | %9s | %s\n' "ceiling (before the next)" "$crps" "$cp50" "$cp95" "$cp99" 100 "" ""
    printf '| %-38s | %9s | %8s | %8s | %8s | %8.3f%% | %9s | %s\n' "$name" "$rps" "$p50" "$p95" "$p99" "$(echo "100 * $rps / $crps" | bc -l)" "$cpu" "$errors/$non2xx of $requests"
done
echo
echo "load after: $(uptime | sed 's/.*load average: //'); Verity RSS: $(ps -o rss= -p "${PIDS[1]}" | awk '{printf "%.0f MB", $1 / 1024}')"
