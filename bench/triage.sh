#!/usr/bin/env bash
# The weekly triage over a generated book (default 10,000 accounts, ~200,000 objectives) on SQLite.
# Times the first run (every finding new) once, then the steady state (a second run the same week) with farm-bench,
# paired with `verity migrate` on the same database: the process start, configuration and database open that every
# command pays, so the ratio's excess is the triage's own work.
#   bench/triage.sh [ACCOUNTS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${1:-10000}
work=${2:-/tmp/verity-triage-bench}
mkdir -p "$work"
dotnet publish src/Verity -c Release -o "$work/verity" >/dev/null
verity="$work/verity/verity"
book="$work/book-$accounts.db"
if [ ! -f "$book" ]; then
  "$verity" demo --scale "$accounts" --database "sqlite:$book"
fi

# Each measurement starts from the generated book without findings.
db="$work/triage.db"
cp "$book" "$db"; rm -f "$db-wal" "$db-shm"
"$verity" migrate --database "sqlite:$db" >/dev/null
echo "== first run (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/time -f "wall %e s, peak %M KB" "$verity" triage --database "sqlite:$db"
echo "== steady state, paired with the start-up baseline (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
farm-bench -n 3 --warmup 0 --timeout 600 --vs "$verity migrate --database sqlite:$db" -- "$verity" triage --database "sqlite:$db"
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
