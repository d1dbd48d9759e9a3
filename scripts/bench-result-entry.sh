#!/usr/bin/env bash
# Result entries per second at 16 concurrent clients against a real limsd + MariaDB with durable
# commits (innodb_flush_log_at_trx_commit=1), next to the raw single-row durable INSERT rate of the
# same MariaDB at 16 clients (mariadb-slap), measured in the same run.
#
# Everything is private and temporary: a MariaDB under a temp dir (scripts/db.sh with LIMS_DB_DIR
# and LIMS_DB_PORT), a limsd on a free port, an administrator, a technician and an organisation,
# then TESTS pending tests registered by `result_entry_bench prepare`. Both servers are stopped and
# the temp dir removed on exit.
#
#   scripts/bench-result-entry.sh
#
# Environment: CLIENTS (16), DURATION (seconds of the result-entry run, 10), TESTS (pending tests
# to prepare, 40000), SKIP_BUILD=1 (use build-bench as it is), PROFILE=1 (perf-record limsd and
# mariadbd during the run), KEEP=1 (keep the temp dir).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-10}
TESTS=${TESTS:-40000}
BUILD=build-bench
BENCH=$ROOT/$BUILD/bench/result_entry_bench
LIMSD=$ROOT/$BUILD/lims/server/limsd
REQUIREMENTS=REACH-XVII-47-CRVI-LEATHER,REACH-XVII-61-DMFU,REACH-XVII-43-BENZIDINE-LEATHER,REACH-XVII-50-BAP

log() { echo "bench-result-entry: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"
API_TIMEOUT=30

TMP=$(mktemp -d /tmp/pramaan-bench-result-entry.XXXXXX)
LIMSD_PID=""
cleanup() {
  set +e
  stop_pid "$LIMSD_PID"
  [[ -d $TMP/db ]] && LIMS_DB_DIR=$TMP/db timeout 90 scripts/db.sh stop
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ------------------------------------------------------------------------------------
# There is no LIMS_BUILD_BENCH option: bench/ is always part of the build; only the two targets
# needed here are built.
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building $BUILD (RelWithDebInfo): limsd, result_entry_bench"
  timeout 3600 cmake -S "$ROOT" -B "$ROOT/$BUILD" -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMS_BUILD_TESTS=OFF \
    >/dev/null
  timeout 3600 cmake --build "$ROOT/$BUILD" -j "$(nproc)" --target limsd result_entry_bench >"$TMP/build.log" 2>&1 ||
    { tail -30 "$TMP/build.log"; die "build failed"; }
fi
[[ -x $BENCH && -x $LIMSD ]] || die "missing $BENCH or $LIMSD"

# --- private MariaDB --------------------------------------------------------------------------
export LIMS_DB_DIR=$TMP/db
DB_PORT=$(free_port)
log "starting a private MariaDB in $LIMS_DB_DIR on 127.0.0.1:$DB_PORT"
LIMS_DB_PORT=$DB_PORT timeout 120 scripts/db.sh start
ROOT_PW=$(cat "$LIMS_DB_DIR/root.password")
sql() { MYSQL_PWD=$ROOT_PW mariadb --no-defaults --socket="$LIMS_DB_DIR/mysqld.sock" -uroot -N -B "$@"; }
read -r FLUSH SYNC_BINLOG LOG_BIN VERSION < <(sql -e \
  "SELECT @@innodb_flush_log_at_trx_commit, @@sync_binlog, @@log_bin, @@version")
echo "MariaDB $VERSION: innodb_flush_log_at_trx_commit=$FLUSH sync_binlog=$SYNC_BINLOG log_bin=$LOG_BIN"
[[ $FLUSH == 1 ]] || die "innodb_flush_log_at_trx_commit is $FLUSH, not 1: commits would not be durable"

# Server counters (one "name value" per line) and the per-unit difference of two snapshots.
COUNTERS="'Questions','Com_stmt_prepare','Com_stmt_execute','Com_stmt_close','Com_select','Com_insert','Com_update',\
'Com_commit','Com_rollback','Com_set_option','Com_admin_commands','Handler_commit','Innodb_os_log_fsyncs',\
'Innodb_data_fsyncs','Innodb_row_lock_waits','Innodb_row_lock_time','Innodb_deadlocks'"
snapshot() { sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ($COUNTERS)" >"$1"; }
per_unit() {  # before after units label
  awk -v n="$3" -v label="$4" 'NR==FNR { a[$1]=$2; next }
    { d=$2-a[$1]; printf "  %-24s %10d  %8.2f per %s\n", $1, d, (n>0 ? d/n : 0), label }' "$1" "$2"
}

# CPU time of limsd and mariadbd (clock ticks) and of the whole machine (busy and total ticks), to
# tell CPU-bound from waiting: the machine is small and shared.
TICKS=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_mark() {
  {
    echo "limsd $(proc_ticks "$LIMSD_PID")"
    echo "mariadbd $(proc_ticks "$(cat "$LIMS_DB_DIR/mysqld.pid")")"
    awk '/^cpu / { t = 0; for (i = 2; i <= NF; ++i) t += $i; print "machine_busy", t - $5 - $6; print "machine_total", t }' \
      /proc/stat
  } >"$1"
}
cpu_report() {  # before after units label
  awk -v n="$3" -v label="$4" -v hz="$TICKS" 'NR==FNR { a[$1]=$2; next } { d[$1]=$2-a[$1] }
    END {
      printf "  CPU: limsd %.2f s (%.2f ms per %s), mariadbd %.2f s (%.2f ms per %s), machine busy %.0f%% of %d cores\n",
        d["limsd"]/hz, (n>0 ? 1000*d["limsd"]/hz/n : 0), label, d["mariadbd"]/hz, (n>0 ? 1000*d["mariadbd"]/hz/n : 0),
        label, (d["machine_total"]>0 ? 100*d["machine_busy"]/d["machine_total"] : 0), cores
    }' cores="$(nproc)" "$1" "$2"
}

# --- limsd ------------------------------------------------------------------------------------
export LIMS_DB_URL="mysql://pramaan@127.0.0.1:$DB_PORT/pramaan"
export LIMS_DB_PASSWORD_FILE=$LIMS_DB_DIR/app.password
export LIMS_DB_POOL_SIZE=32 LIMS_HTTP_THREADS=32  # >= CLIENTS: every client gets a thread and a connection
export LIMS_HTTP_PORT=0 LIMS_HTTP_PORT_FILE=$TMP/port
export LIMS_AUTH_ARGON2_T=1 LIMS_AUTH_ARGON2_M_KIB=1024  # cheap logins: set-up only, not measured
ADMIN_PW="Adm-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
TECH_PW="Tec-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
# In the temp dir, so that no lims.properties of the working tree is read.
(cd "$TMP" && timeout 120 "$LIMSD" --create-admin benchadmin <<<"$ADMIN_PW" >"$TMP/create-admin.log" 2>&1) ||
  { cat "$TMP/create-admin.log"; die "limsd --create-admin failed"; }
start_limsd "$TMP"
log "limsd (pid $LIMSD_PID) serving $URL with $LIMS_HTTP_THREADS threads and $LIMS_DB_POOL_SIZE connections"

login() { api POST /api/v1/auth/login "" "{\"username\":\"$1\",\"password\":\"$2\"}" | json token; }

ADMIN_TOKEN=$(login benchadmin "$ADMIN_PW")
api POST /api/v1/users "$ADMIN_TOKEN" \
  "{\"username\":\"benchtech\",\"password\":\"$TECH_PW\",\"name\":\"Bench Technician\",\"roles\":[\"technician\"]}" \
  >/dev/null
TECH_TOKEN=$(login benchtech "$TECH_PW")
ORG=$(api POST /api/v1/organizations "$ADMIN_TOKEN" \
  '{"name":"Bench Footwear Exports Pvt Ltd","iec":"0512345678","address":"Sikandra, Agra","district":"Agra"}' |
  json id)
log "organisation $ORG, technician benchtech"

# --- pending tests ----------------------------------------------------------------------------
log "registering samples for $TESTS pending tests"
timeout 900 "$BENCH" prepare "$URL" "$TECH_TOKEN" "$ORG" "$TESTS" "$TMP/test-ids" "$CLIENTS" "$REQUIREMENTS"

# --- result entry -----------------------------------------------------------------------------
# PROFILE=1: perf samples (with call stacks) of limsd and mariadbd during the run; sampling costs
# some CPU, so a profiled run's figures are a little lower.
PERF_PID=""
if [[ ${PROFILE:-0} == 1 ]] && command -v perf >/dev/null; then
  perf record -F 499 -g -p "$LIMSD_PID,$(cat "$LIMS_DB_DIR/mysqld.pid")" -o "$TMP/perf.data" -- sleep "$DURATION" \
    >/dev/null 2>&1 &
  PERF_PID=$!
fi
snapshot "$TMP/status.before"
cpu_mark "$TMP/cpu.before"
set +e
timeout $((DURATION + 120)) "$BENCH" "$URL" "$TECH_TOKEN" "$TMP/test-ids" "$CLIENTS" "$DURATION" | tee "$TMP/run.out"
set -e
snapshot "$TMP/status.after"
cpu_mark "$TMP/cpu.after"
RUN=$(grep '^RESULT ' "$TMP/run.out") || die "the bench printed no result"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
REQUESTS=$(field requests "$RUN")
echo "server counters during result entry (per request):"
per_unit "$TMP/status.before" "$TMP/status.after" "$REQUESTS" request
cpu_report "$TMP/cpu.before" "$TMP/cpu.after" "$REQUESTS" request
if [[ -n $PERF_PID ]]; then
  wait "$PERF_PID" || true
  report() {  # file lines perf-report-options: the first lines of a report, whitespace squeezed
    local file=$1 lines=$2
    shift 2
    perf report -i "$TMP/perf.data" --stdio -g none "$@" >"$file" 2>/dev/null || true
    grep -v -e '^#' -e '^$' "$file" | sed -E 's/ +/ /g; s/ - - *$//; s/^/ /' | head -"$lines" || true
  }
  echo "CPU samples by process and library (self):"
  report "$TMP/perf-dso.txt" 16 --no-children --sort comm,dso
  echo "top symbols (self):"
  report "$TMP/perf-self.txt" 30 --no-children --sort comm,symbol
  echo "top functions including callees (where call stacks could be walked):"
  report "$TMP/perf-children.txt" 60 --children --sort comm,symbol
fi

# --- raw durable INSERTs ----------------------------------------------------------------------
# Over TCP like limsd; root may only use the socket, so a user of its own for the slap schema.
SLAP_PW="Slp-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
sql -e "CREATE USER 'slap'@'127.0.0.1' IDENTIFIED BY '$SLAP_PW'; GRANT ALL ON slapbench.* TO 'slap'@'127.0.0.1'"
slap() {  # queries -> prints the seconds mariadb-slap reports
  MYSQL_PWD=$SLAP_PW timeout 600 mariadb-slap --no-defaults --host=127.0.0.1 --port="$DB_PORT" --user=slap \
    --create-schema=slapbench --concurrency="$CLIENTS" --iterations=1 --number-of-queries="$1" \
    --create="CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))" \
    --query="INSERT INTO t (v) VALUES ('x')" |
    sed -n 's/.*Average number of seconds to run all queries: \([0-9.]*\) seconds.*/\1/p'
}
# A short calibration run, then one sized to last about as long as the result-entry run.
CAL_Q=$((CLIENTS * 400 > 2000 ? CLIENTS * 400 : 2000))
CAL_S=$(slap "$CAL_Q")
[[ -n $CAL_S ]] || die "mariadb-slap reported no time"
SLAP_Q=$(awk -v q="$CAL_Q" -v s="$CAL_S" -v t="$DURATION" -v c="$CLIENTS" \
  'BEGIN { n = (s > 0 ? q / s : q) * t; n = int(n / c) * c; if (n < q) n = q; if (n > 400000) n = 400000; print n }')
snapshot "$TMP/slap.before"
cpu_mark "$TMP/slap-cpu.before"
SLAP_S=$(slap "$SLAP_Q")
cpu_mark "$TMP/slap-cpu.after"
snapshot "$TMP/slap.after"
[[ -n $SLAP_S ]] || die "mariadb-slap reported no time"
RAW_RATE=$(awk -v q="$SLAP_Q" -v s="$SLAP_S" 'BEGIN { printf "%.1f", q / s }')
echo "mariadb-slap: $SLAP_Q autocommitted single-row INSERTs at concurrency $CLIENTS in $SLAP_S s = $RAW_RATE/s"
echo "server counters during mariadb-slap (per INSERT):"
per_unit "$TMP/slap.before" "$TMP/slap.after" "$SLAP_Q" insert
cpu_report "$TMP/slap-cpu.before" "$TMP/slap-cpu.after" "$SLAP_Q" insert

# --- summary ----------------------------------------------------------------------------------
RATE=$(field entries_per_s "$RUN")
P50=$(field p50_ms "$RUN")
P99=$(field p99_ms "$RUN")
cat <<EOF

==== summary (innodb_flush_log_at_trx_commit=$FLUSH, sync_binlog=$SYNC_BINLOG, log_bin=$LOG_BIN; $(nproc) cores) ====
raw durable INSERT/s at $CLIENTS clients (mariadb-slap): $RAW_RATE
result entries/s at $CLIENTS clients (limsd):           $RATE  (errors $(field errors "$RUN")$([[ $(field ran_out "$RUN") == 1 ]] && echo ", ids ran out"))
ratio entries / raw INSERTs:                           $(awk -v a="$RATE" -v b="$RAW_RATE" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')  (target >= 0.1)
result entry latency p50 / p99 ms:                     $P50 / $P99  (target p99 < 50)
EOF
