#!/usr/bin/env bash
# CSV import speed: a generated Salesforce-style export of ROWS accounts (default 100,000) imported by
# `verity import accounts` into a fresh SQLite database, then again with every row changed (updates);
# the same on PostgreSQL when BENCH_POSTGRES holds a connection string to a server (a database is created
# and dropped). The command prints its own rows per second: the import alone, after start-up and migration.
#   bench/import.sh [ROWS] [WORKDIR]          BENCH_POSTGRES="Host=127.0.0.1;Username=verity;Password=verity;Database=postgres"
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
work=${2:-/tmp/verity-import-bench}
mkdir -p "$work"
dotnet publish src/Verity -c Release -o "$work/verity" >/dev/null
verity="$work/verity/verity"

# Salesforce-style: a BOM, labels for headers, 15-character ids, columns Verity leaves out.
generate() { # FILE EMPLOYEES_OFFSET
  awk -v n="$rows" -v offset="$2" 'BEGIN {
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    split("Manufacturing,Energy,Software,Retail,Banking,Healthcare,Logistics", industries, ",");
    printf "\xef\xbb\xbfAccount ID,Account Name,Type,Industry,Employees,Annual Revenue,Billing City,arr,renewalDate\r\n";
    for (i = 1; i <= n; i++) {
      id = ""; x = i;
      for (k = 0; k < 8; k++) { id = substr(digits, (x % 62) + 1, 1) id; x = int(x / 62) }
      printf "001Bn000%s,\"Account %d, Inc.\",Customer - Direct,%s,%d,%d,Berlin,%d.00,2027-%02d-%02d\r\n",
        substr(id, 2), i, industries[(i % 7) + 1], (i % 5000) + offset, i * 1000, (i % 900) * 1000, (i % 12) + 1, (i % 28) + 1;
    }
  }' > "$1"
}
generate "$work/accounts.csv" 10
generate "$work/accounts-changed.csv" 20
echo "== $(wc -l < "$work/accounts.csv") lines, $(du -h "$work/accounts.csv" | cut -f1) (load average: $(cut -d' ' -f1-3 /proc/loadavg))"

run() { # LABEL DATABASE
  "$verity" migrate --database "$2" >/dev/null
  echo "-- $1, dry run";          "$verity" import accounts "$work/accounts.csv" --dry-run --database "$2" | tail -1
  echo "-- $1, fresh import";     /usr/bin/time -f "   whole process: %e s, peak %M KB" "$verity" import accounts "$work/accounts.csv" --database "$2" | tail -2
  echo "-- $1, every row changed"; "$verity" import accounts "$work/accounts-changed.csv" --database "$2" | tail -2
}

sqlite="$work/import.db"
rm -f "$sqlite" "$sqlite-wal" "$sqlite-shm"
run SQLite "sqlite:$sqlite"

if [ -n "${BENCH_POSTGRES:-}" ]; then
  database="verity_import_bench_$$"
  # The same server in libpq's words, for psql.
  libpq=$(echo "$BENCH_POSTGRES" | sed -e 's/;/ /g' -e 's/Host=/host=/I' -e 's/Port=/port=/I' -e 's/Username=/user=/I' -e 's/Password=/password=/I' -e 's/Database=/dbname=/I')
  psql "$libpq" -qc "CREATE DATABASE $database" >/dev/null
  trap 'psql "$libpq" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null' EXIT
  run PostgreSQL "postgres:$(echo "$BENCH_POSTGRES" | sed "s/Database=[^;]*/Database=$database/")"
fi
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
