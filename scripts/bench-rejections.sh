#!/usr/bin/env bash
# The figures of the rejection history (issue 8) on a large database, in one run:
#  1. a private MariaDB in a temp dir (free port), `limsd --migrate` (schema and catalog), then
#     bench/history_generator.py: RESULTS test results (default 1,000,000) over 5 years, 75
#     districts, 2,000 exporters, with the fact tables of schema/010 as limsd writes them;
#  2. limsd (RelWithDebInfo, build-bench) and an auditor created through the API;
#  3. N requests each (default 50, one connection per request) of: a filtered rejection page
#     (district + last 12 months; requirement + last 12 months; exporter, whole history) and the
#     summary for every group_by (month, requirement, exporter, district, product), over the last 12
#     months and over the whole history, a district's and an exporter's summary, the signed PDF
#     report and an audit page: p50 / p95 / max in ms (bench/rejections_client.py);
#  4. GET /api/v1/rejections?format=csv (every rejection row): time to first and last byte, rows,
#     and limsd's VmRSS (/proc/<pid>/status) sampled every 100 ms while it streams (max);
#  5. the EXPLAIN of every statement limsd ran for 3. (MariaDB's slow log with
#     log_slow_verbosity=explain, from a second limsd whose sessions log), with the rows read.
# Targets (issue 8): p95 < 100 ms; the CSV of all rows < 15 s with limsd's RSS < 100 MB.
#
#   scripts/bench-rejections.sh
#
# Environment: RESULTS (1000000), N (50), FAIL_SCALE (1.0: multiplies the generator's failure
# probabilities), DB_BUFFER_POOL (innodb_buffer_pool_size, 1G; scripts/db.sh starts with 128M),
# SKIP_BUILD=1 (use build-bench as it is), KEEP=1 (keep the temp dir and its database files),
# EXPLAIN=0 (skip 5.), ONLY_CSV=1 (only 4.: for the export of a rejection-heavy history, e.g.
# RESULTS=2000000 FAIL_SCALE=1000, where half of all tests fail: ~1M rejection rows).
# The machine is small and shared: figures are noisy; run twice before trusting a difference.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RESULTS=${RESULTS:-1000000}
N=${N:-50}
FAIL_SCALE=${FAIL_SCALE:-1.0}
DB_BUFFER_POOL=${DB_BUFFER_POOL:-1G}
BUILD=build-bench
LIMSD=$ROOT/$BUILD/lims/server/limsd

log() { echo "bench-rejections: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"

TMP=$(mktemp -d /tmp/pramaan-bench-rejections.XXXXXX)
LIMSD_PID=""
cleanup() {
  set +e
  stop_pid "$LIMSD_PID"
  [[ -d $TMP/db ]] && LIMS_DB_DIR=$TMP/db timeout 120 scripts/db.sh stop
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ------------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building $BUILD (RelWithDebInfo): limsd"
  timeout 3600 cmake -S "$ROOT" -B "$ROOT/$BUILD" -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMS_BUILD_TESTS=OFF \
    >/dev/null
  timeout 3600 cmake --build "$ROOT/$BUILD" -j "$(nproc)" --target limsd >"$TMP/build.log" 2>&1 ||
    { tail -30 "$TMP/build.log"; die "build failed"; }
fi
[[ -x $LIMSD ]] || die "missing $LIMSD"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: figures are noisy)"

# --- private MariaDB, migrated ------------------------------------------------------------------
export LIMS_DB_DIR=$TMP/db
DB_PORT=$(free_port)
log "starting a private MariaDB in $LIMS_DB_DIR on 127.0.0.1:$DB_PORT"
LIMS_DB_PORT=$DB_PORT timeout 120 scripts/db.sh start >"$TMP/db-start.log" 2>&1 || { cat "$TMP/db-start.log"; die "db start failed"; }
ROOT_PW=$(cat "$LIMS_DB_DIR/root.password")
sql() { MYSQL_PWD=$ROOT_PW mariadb --no-defaults --socket="$LIMS_DB_DIR/mysqld.sock" -uroot "$@"; }
sql -e "SET GLOBAL innodb_buffer_pool_size = $(numfmt --from=iec "$DB_BUFFER_POOL")"
read -r POOL VERSION < <(sql -N -B -e "SELECT @@innodb_buffer_pool_size, @@version")
echo "== MariaDB $VERSION, innodb_buffer_pool_size $(numfmt --to=iec "$POOL")"

export LIMS_DB_URL="mysql://pramaan@127.0.0.1:$DB_PORT/pramaan"
export LIMS_DB_PASSWORD_FILE=$LIMS_DB_DIR/app.password
export LIMS_DB_POOL_SIZE=8 LIMS_HTTP_THREADS=8
export LIMS_HTTP_PORT=0 LIMS_HTTP_PORT_FILE=$TMP/port
export LIMS_SIGNING_DEMO_DIR=$TMP/keys
export LIMS_AUTH_ARGON2_T=1 LIMS_AUTH_ARGON2_M_KIB=1024
(cd "$TMP" && timeout 300 "$LIMSD" --migrate >"$TMP/migrate.log" 2>&1) || { cat "$TMP/migrate.log"; die "limsd --migrate failed"; }

# --- 1. history -----------------------------------------------------------------------------------
echo "== 1. bench/history_generator.py --results $RESULTS --fail-scale $FAIL_SCALE"
timeout 3600 python3 "$ROOT/bench/history_generator.py" --socket "$LIMS_DB_DIR/mysqld.sock" \
  --password-file "$LIMS_DB_DIR/root.password" --results "$RESULTS" --fail-scale "$FAIL_SCALE" --tmp "$TMP/load" |
  sed 's/^/  /'
rm -rf "$TMP/load"
sql -N -B -e "SELECT table_name, ROUND((data_length + index_length) / 1048576) FROM information_schema.tables
  WHERE table_schema = 'pramaan' AND table_name IN ('rejections', 'sample_outcomes', 'requirement_month_counts', 'tests', 'results')" |
  awk '{ printf "  size %-26s %6d MiB (data + indexes)\n", $1, $2 }'

# --- 2. limsd and an auditor ------------------------------------------------------------------------
PW="Bch-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
(cd "$TMP" && timeout 120 "$LIMSD" --create-admin benchadmin <<<"$PW" >"$TMP/create-admin.log" 2>&1) ||
  { cat "$TMP/create-admin.log"; die "limsd --create-admin failed"; }
start_limsd "$TMP"
log "limsd (pid $LIMSD_PID) serving $URL"

login() { api POST /api/v1/auth/login "" "{\"username\":\"$1\",\"password\":\"$PW\"}" | json token; }
ADMIN=$(login benchadmin)
api POST /api/v1/users "$ADMIN" \
  "{\"username\":\"benchauditor\",\"password\":\"$PW\",\"name\":\"Bench auditor\",\"roles\":[\"auditor\"]}" >/dev/null
AUDITOR=$(login benchauditor)

# Typical filter values from the data: the busiest exporter, the last 12 months.
EXPORTER=$(sql -N -B pramaan -e "SELECT exporter_id FROM sample_outcomes GROUP BY exporter_id ORDER BY COUNT(*) DESC LIMIT 1")
TO=$(sql -N -B -e "SELECT DATE_FORMAT(UTC_TIMESTAMP() + INTERVAL 1 DAY, '%Y-%m-%d')")
FROM=$(sql -N -B -e "SELECT DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL 1 YEAR, '%Y-%m-%d')")

# --- 3. latency, 4. CSV ---------------------------------------------------------------------------
CLIENT="python3 $ROOT/bench/rejections_client.py"
if [[ ${ONLY_CSV:-0} != 1 ]]; then
  echo "== 3. latency over $N requests each (one connection per request), period $FROM .. $TO"
  timeout 1800 $CLIENT latency "$URL" "$AUDITOR" "$N" "$FROM" "$TO" "$EXPORTER"
fi

echo "== 4. GET /api/v1/rejections?format=csv (every rejection row)"
timeout 1800 $CLIENT csv "$URL" "$AUDITOR" "$LIMSD_PID"

# --- 5. EXPLAIN of exactly what limsd runs --------------------------------------------------------
# MariaDB copies slow_query_log into each session when it connects: a second limsd, started with
# the log on, runs every case once and its statements are logged with their plans and r_rows
# (what was really read). The timings above ran without the log.
if [[ ${ONLY_CSV:-0} != 1 && ${EXPLAIN:-1} == 1 ]]; then
  echo "== 5. EXPLAIN (log_slow_verbosity=query_plan,explain: the plans of limsd's own statements)"
  sql -e "SET GLOBAL long_query_time = 0, log_slow_verbosity = 'query_plan,explain',
    slow_query_log_file = '$TMP/slow.log', slow_query_log = 1"
  rm -f "$TMP/port2"
  (cd "$TMP" && LIMS_HTTP_PORT_FILE=$TMP/port2 LIMS_DB_POOL_SIZE=2 exec "$LIMSD" >>"$TMP/limsd-explain.log" 2>&1) &
  EXPLAIN_PID=$!
  for _ in $(seq 1 600); do [[ -s $TMP/port2 ]] && break; sleep 0.1; done
  [[ -s $TMP/port2 ]] || die "the second limsd did not start"
  timeout 600 $CLIENT explain "http://127.0.0.1:$(cat "$TMP/port2")" "$AUDITOR" "$FROM" "$TO" "$EXPORTER" "$TMP/slow.log" || true
  sql -e "SET GLOBAL slow_query_log = 0, long_query_time = 10"
  stop_pid "$EXPLAIN_PID"
fi
