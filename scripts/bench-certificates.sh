#!/usr/bin/env bash
# The figures of the "signed certificates" issue, on this machine, in one run:
#  1. issue_bench: certificates/s and p50/p95 of RenderCertificate, SignPdf (P-256) and both, at 1
#     and 2 threads (CPU only, in-process).
#  2. The whole issue path over HTTP with storage: a private MariaDB (durable commits) and limsd,
#     K approved samples (technician enters, a second user reviews), then
#     POST /api/v1/samples/{number}/certificate by a signatory from 1, 2 and 4 client threads
#     (bench/issue_bench.py issue). The signatory's password is verified with Argon2 on every issue:
#     the timed runs use cheap parameters (LIMS_AUTH_ARGON2_T=1, M_KIB=1024); a last run restarts
#     limsd with the production defaults (the hash is upgraded at the next login) and issues a few
#     more at 1 thread to show what production Argon2 adds.
#  3. WeasyPrint (Debian package, installed here if missing) rendering a comparable one-page A4,
#     15-row certificate in-process: p50 over N renders after one warm-up, and its ratio to our
#     render+sign p50 at 1 thread.
#  4. wrk -t2 -c16 against GET /api/v1/verify/{number} on limsd, and against nginx (private config,
#     free port) serving a static copy of that response; requests/s of both and the ratio.
# Everything is private and temporary; servers are stopped and the temp dir removed on exit.
#
#   scripts/bench-certificates.sh
#
# Batches (POST /api/v1/certificates/batch, one re-authentication per BATCH certificates) run at 1
# and 2 client threads with cheap Argon2, and once more with the production Argon2.
#
# Environment: RUNS (issue_bench operations per thread, 100), ISSUES (certificates per HTTP run, 60),
# BATCH (certificates per batch request, 25), BATCH_ISSUES (certificates per batch run, 200),
# WEASY_N (10), WRK_SECONDS (10), SKIP_BUILD=1 (use build-bench as it is), KEEP=1 (keep the temp dir).
# The machine is small and shared: figures are noisy; run twice before trusting a difference.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-100}
ISSUES=${ISSUES:-60}
WEASY_N=${WEASY_N:-10}
WRK_SECONDS=${WRK_SECONDS:-10}
PROD_ISSUES=5
BATCH=${BATCH:-25}
BATCH_ISSUES=${BATCH_ISSUES:-200}
PROD_BATCH=$((BATCH * 4))
BUILD=build-bench
BENCH=$ROOT/$BUILD/bench/issue_bench
LIMSD=$ROOT/$BUILD/lims/server/limsd
CLIENT=$ROOT/bench/issue_bench.py
SYS_PY=/usr/bin/python3  # the Debian python, where the weasyprint package lives

log() { echo "bench-certificates: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/bench-lib.sh
source "$ROOT/scripts/bench-lib.sh"

TMP=$(mktemp -d /tmp/pramaan-bench-certificates.XXXXXX)
# nginx's workers drop to an unprivileged user when started as root: the static file lives in a
# world-readable dir of its own, not under the private (0700) $TMP.
WWW=$(mktemp -d /tmp/pramaan-bench-certificates-www.XXXXXX)
chmod 755 "$WWW"
LIMSD_PID=""
NGINX_PID=""
cleanup() {
  set +e
  stop_pid "$NGINX_PID"
  stop_pid "$LIMSD_PID"
  [[ -d $TMP/db ]] && LIMS_DB_DIR=$TMP/db timeout 90 scripts/db.sh stop
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $TMP $WWW"; else rm -rf "$TMP" "$WWW"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# --- tools ------------------------------------------------------------------------------------
missing=()
"$SYS_PY" -c 'import weasyprint' 2>/dev/null || missing+=(weasyprint)
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt-get)"
  [[ $(id -u) == 0 ]] && SUDO="" || SUDO=sudo
  # policy-rc.d normally keeps the packaged nginx service from starting; nothing here relies on it.
  DEBIAN_FRONTEND=noninteractive timeout 900 $SUDO apt-get install -y --no-install-recommends "${missing[@]}" \
    >"$TMP/apt.log" 2>&1 || { tail -20 "$TMP/apt.log"; die "apt-get install ${missing[*]} failed"; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- build ------------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building $BUILD (RelWithDebInfo): limsd, issue_bench"
  timeout 3600 cmake -S "$ROOT" -B "$ROOT/$BUILD" -Wno-dev -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMS_BUILD_TESTS=OFF \
    >/dev/null
  timeout 3600 cmake --build "$ROOT/$BUILD" -j "$(nproc)" --target limsd issue_bench >"$TMP/build.log" 2>&1 ||
    { tail -30 "$TMP/build.log"; die "build failed"; }
fi
[[ -x $BENCH && -x $LIMSD ]] || die "missing $BENCH or $LIMSD"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: figures are noisy)"

# --- 1. render / sign in-process ----------------------------------------------------------------
echo "== 1. in-process: RenderCertificate, SignPdf (P-256), both; $RUNS per thread"
timeout 900 "$BENCH" "$RUNS" 2 | tee "$TMP/inproc.out"
BOTH_P50=$(field p50_ms "$(grep 'op=render+sign threads=1 ' "$TMP/inproc.out")")

# --- 3. WeasyPrint (before the servers, so it has the machine) ---------------------------------
echo "== 3. WeasyPrint $("$SYS_PY" -c 'import weasyprint; print(weasyprint.__version__)'): one-page A4, 15 rows, DejaVu"
WEASY=$(cd "$TMP" && timeout 900 "$SYS_PY" "$CLIENT" weasyprint "$WEASY_N") || die "weasyprint failed"
echo "$WEASY"
awk -v w="$(field p50_ms "$WEASY")" -v o="$BOTH_P50" \
  'BEGIN { printf "  weasyprint p50 %.1f ms / our render+sign p50 %.2f ms = %.0fx\n", w, o, (o > 0 ? w / o : 0) }'

# --- private MariaDB --------------------------------------------------------------------------
export LIMS_DB_DIR=$TMP/db
DB_PORT=$(free_port)
log "starting a private MariaDB in $LIMS_DB_DIR on 127.0.0.1:$DB_PORT"
LIMS_DB_PORT=$DB_PORT timeout 120 scripts/db.sh start >"$TMP/db-start.log" 2>&1 || { cat "$TMP/db-start.log"; die "db start failed"; }
ROOT_PW=$(cat "$LIMS_DB_DIR/root.password")
sql() { MYSQL_PWD=$ROOT_PW mariadb --no-defaults --socket="$LIMS_DB_DIR/mysqld.sock" -uroot -N -B "$@"; }
read -r FLUSH VERSION < <(sql -e "SELECT @@innodb_flush_log_at_trx_commit, @@version")
echo "== MariaDB $VERSION: innodb_flush_log_at_trx_commit=$FLUSH"

# --- limsd ------------------------------------------------------------------------------------
export LIMS_DB_URL="mysql://pramaan@127.0.0.1:$DB_PORT/pramaan"
export LIMS_DB_PASSWORD_FILE=$LIMS_DB_DIR/app.password
export LIMS_DB_POOL_SIZE=16 LIMS_HTTP_THREADS=16
export LIMS_HTTP_PORT=0 LIMS_HTTP_PORT_FILE=$TMP/port
export LIMS_SIGNING_DEMO_DIR=$TMP/keys
export LIMS_VERIFY_RATE_PER_MINUTE=100000000
export LIMS_AUTH_ARGON2_T=1 LIMS_AUTH_ARGON2_M_KIB=1024
PW="Bch-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
(cd "$TMP" && timeout 120 "$LIMSD" --create-admin benchadmin <<<"$PW" >"$TMP/create-admin.log" 2>&1) ||
  { cat "$TMP/create-admin.log"; die "limsd --create-admin failed"; }

serve() {
  start_limsd "$TMP"
  log "limsd (pid $LIMSD_PID) serving $URL"
}
serve

login() { api POST /api/v1/auth/login "" "{\"username\":\"$1\",\"password\":\"$PW\"}" | json token; }
user() {  # username role
  api POST /api/v1/users "$ADMIN" \
    "{\"username\":\"$1\",\"password\":\"$PW\",\"name\":\"Bench $2\",\"roles\":[\"$2\"]}" >/dev/null
}
ADMIN=$(login benchadmin)
user benchtech technician
user benchreviewer reviewer
user benchsignatory signatory
TECH=$(login benchtech)
REVIEWER=$(login benchreviewer)
SIGNATORY=$(login benchsignatory)
ORG=$(api POST /api/v1/organizations "$ADMIN" \
  '{"name":"Bench Footwear Exports Pvt Ltd","iec":"0512345678","address":"Sikandra, Agra","district":"Agra"}' | json id)

# --- 2. issuing over HTTP -----------------------------------------------------------------------
THREADS_LIST=(1 2 4)
BATCH_THREADS=(1 2)
K=$((ISSUES * ${#THREADS_LIST[@]} + BATCH_ISSUES * ${#BATCH_THREADS[@]} + PROD_ISSUES + PROD_BATCH + 2))
log "preparing $K approved samples"
timeout 1200 python3 "$CLIENT" prepare "$URL" "$TECH" "$REVIEWER" "$ORG" "$K" "$TMP/samples" 4
# One untimed issue first: the first certificate warms limsd's caches and connections.
timeout 120 python3 "$CLIENT" issue "$URL" "$SIGNATORY" "$PW" "$TMP/samples" 1 1 0 >/dev/null
SKIP=1
echo "== 2. POST /api/v1/samples/{number}/certificate, $ISSUES per run, Argon2 t=1 m=1 MiB (cheap, bench only)"
for t in "${THREADS_LIST[@]}"; do
  timeout 900 python3 "$CLIENT" issue "$URL" "$SIGNATORY" "$PW" "$TMP/samples" "$t" "$ISSUES" "$SKIP"
  SKIP=$((SKIP + ISSUES))
done
echo "== 2a. POST /api/v1/certificates/batch, $BATCH a request, $BATCH_ISSUES certificates per run, cheap Argon2"
for t in "${BATCH_THREADS[@]}"; do
  timeout 900 python3 "$CLIENT" batch "$URL" "$SIGNATORY" "$PW" "$TMP/samples" "$t" "$BATCH_ISSUES" "$BATCH" "$SKIP"
  SKIP=$((SKIP + BATCH_ISSUES))
done
NUMBER=$(api GET "/api/v1/certificates?limit=1" "$ADMIN" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); l=d if isinstance(d,list) else next(v for v in d.values() if isinstance(v,list)); print(l[0]["number"])')

# --- 4. verification endpoint vs nginx ----------------------------------------------------------
echo "== 4. wrk -t2 -c16 -d${WRK_SECONDS}s: GET /api/v1/verify/$NUMBER on limsd vs the same bytes from nginx"
mkdir -p "$WWW/api/v1/verify" "$TMP/nginx"
chmod -R 755 "$WWW"
curl -sS --fail "$URL/api/v1/verify/$NUMBER" -o "$WWW/api/v1/verify/$NUMBER"
echo "  response $(stat -c %s "$WWW/api/v1/verify/$NUMBER") bytes"
wrk_rps() {  # url -> requests/s; fails on non-2xx answers
  local out
  out=$(timeout $((WRK_SECONDS + 60)) wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency "$1")
  echo "$out" | sed 's/^/    /' >&2
  if grep -q 'Non-2xx' <<<"$out"; then
    curl -sS -i --max-time 10 "$1" | head -20 >&2
    die "non-2xx answers from $1"
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}
LIMSD_RPS=$(wrk_rps "$URL/api/v1/verify/$NUMBER")
NGINX_PORT=$(free_port)
cat >"$TMP/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $(nproc);
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  default_type application/json;
  server { listen 127.0.0.1:$NGINX_PORT; root $WWW; }
}
CONF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/error.log" >"$TMP/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/api/v1/verify/$NUMBER" && break; sleep 0.1; done
kill -0 "$NGINX_PID" 2>/dev/null || { cat "$TMP/nginx/error.log"; die "nginx did not start"; }
NGINX_RPS=$(wrk_rps "http://127.0.0.1:$NGINX_PORT/api/v1/verify/$NUMBER")
stop_pid "$NGINX_PID"
NGINX_PID=""
awk -v l="$LIMSD_RPS" -v n="$NGINX_RPS" \
  'BEGIN { printf "  verify: limsd %.0f req/s, nginx static %.0f req/s, limsd/nginx = %.2f\n", l, n, (n > 0 ? l / n : 0) }'

# --- 2b. production Argon2 -----------------------------------------------------------------------
echo "== 2b. the same issue path with production Argon2 (defaults: t=2, m=64 MiB), $PROD_ISSUES at 1 thread"
stop_pid "$LIMSD_PID"
LIMSD_PID=""
unset LIMS_AUTH_ARGON2_T LIMS_AUTH_ARGON2_M_KIB
serve
SIGNATORY=$(login benchsignatory)  # upgrades the stored hash to the production parameters
sql -e "SELECT LEFT(password_hash, 32) FROM pramaan.users WHERE username = 'benchsignatory'" 2>/dev/null |
  sed 's/^/  signatory hash now /' || true
timeout 300 python3 "$CLIENT" issue "$URL" "$SIGNATORY" "$PW" "$TMP/samples" 1 "$PROD_ISSUES" "$SKIP"
SKIP=$((SKIP + PROD_ISSUES))
echo "== 2c. batches of $BATCH with production Argon2: one re-authentication per batch, 1 thread"
timeout 300 python3 "$CLIENT" batch "$URL" "$SIGNATORY" "$PW" "$TMP/samples" 1 "$PROD_BATCH" "$BATCH" "$SKIP"
