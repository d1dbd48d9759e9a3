#!/usr/bin/env bash
# A private MariaDB server for Pramaan under var/ (no system service, no prompts, works as root).
#
#   scripts/db.sh start    initialise on first use, start mariadbd, create the database and users
#   scripts/db.sh stop     stop the server cleanly (SIGTERM, wait for shutdown)
#   scripts/db.sh status   exit 0 when the server answers
#   scripts/db.sh env      print LIMS_* variables that point limsd at this server
#   scripts/db.sh grants   after migrating: replace the account's database-wide UPDATE by the
#                          table-level grants of schema/grants/serving_account.sql (the audit trail becomes
#                          INSERT/SELECT only for limsd)
#
# Environment: LIMS_DB_DIR (state directory, default <repo>/var/db), LIMS_DB_PORT (loopback TCP port,
# default 3307; "none" for a socket-only server), LIMS_DB_NAME (default pramaan), LIMS_DB_BINLOG=1
# (server-id 1 and a row-based binary log, for scripts/replica.sh).
# Files in LIMS_DB_DIR: data/, mysqld.sock, mysqld.pid, error.log, root.password and app.password
# (both mode 0600, generated on first start).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${LIMS_DB_DIR:-$ROOT/var/db}
PORT=${LIMS_DB_PORT:-3307}
NAME=${LIMS_DB_NAME:-pramaan}
APP_USER=pramaan
SOCK=$DIR/mysqld.sock
PIDFILE=$DIR/mysqld.pid

log() { echo "db: $*" >&2; }
die() { echo "db: error: $*" >&2; exit 1; }
# shellcheck source=scripts/mariadbd-lib.sh
source "$ROOT/scripts/mariadbd-lib.sh"

client() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }
root_client() { MYSQL_PWD=$(cat "$DIR/root.password") client "$@"; }

ping() {
  local pw=""; [[ -f $DIR/root.password ]] && pw=$(cat "$DIR/root.password")
  MYSQL_PWD=$pw mariadb-admin --no-defaults --socket="$SOCK" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

initialise() {
  log "initialising a new data directory in $DIR/data"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  mariadb-install-db --no-defaults --datadir="$DIR/data" --auth-root-authentication-method=normal \
    --skip-test-db --user="$(id -un)" >"$DIR/install.log" 2>&1 || die "mariadb-install-db failed; see $DIR/install.log"
}

launch() {
  local net=(--port="$PORT" --bind-address=127.0.0.1)
  [[ $PORT == none ]] && net=(--skip-networking)
  # A binary log for a replica to follow (scripts/replica.sh, docs/read-replica.md): opt-in.
  local binlog=()
  [[ ${LIMS_DB_BINLOG:-0} == 1 ]] && binlog=(--server-id=1 --log-bin="$DIR/data/binlog" --binlog-format=ROW
    --binlog-expire-logs-seconds=604800)
  rm -f "$SOCK"
  # setsid: the server must outlive this script and not receive the caller's terminal signals.
  setsid mariadbd --no-defaults --datadir="$DIR/data" --socket="$SOCK" "${net[@]}" \
    --pid-file="$PIDFILE" --log-error="$DIR/error.log" --skip-name-resolve --user="$(id -un)" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --max-connections=300 "${binlog[@]}" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 300); do
    ping && return 0
    kill -0 $! 2>/dev/null || die "mariadbd exited during start-up; see $DIR/error.log"
    sleep 0.1
  done
  die "mariadbd did not answer within 30 s; see $DIR/error.log"
}

bootstrap() {
  [[ -f $DIR/.bootstrapped ]] && return 0
  write_secret "$DIR/root.password"
  write_secret "$DIR/app.password"
  local root_pw app_pw
  root_pw=$(cat "$DIR/root.password"); app_pw=$(cat "$DIR/app.password")
  # The fresh server's root has no password yet; set it first, then use it.
  client -e "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw';" 2>/dev/null || true
  root_client <<SQL
CREATE DATABASE IF NOT EXISTS \`$NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$APP_USER'@'localhost' IDENTIFIED BY '$app_pw';
CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$app_pw';
-- Least privilege: the application never deletes or drops (records are kept, corrections are new rows).
GRANT SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES ON \`$NAME\`.* TO '$APP_USER'@'localhost';
GRANT SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX, REFERENCES, LOCK TABLES ON \`$NAME\`.* TO '$APP_USER'@'127.0.0.1';
SQL
  touch "$DIR/.bootstrapped"
  log "created database $NAME and user $APP_USER (password in $DIR/app.password)"
}

start() {
  if running_pid >/dev/null && ping; then
    log "already running (pid $(running_pid)) on $SOCK"
    return 0
  fi
  [[ -d $DIR/data/mysql ]] || initialise
  launch
  bootstrap
  log "running (pid $(running_pid)) on $SOCK${PORT:+ and 127.0.0.1:$PORT}"
}

stop() { stop_server "mariadbd"; }

print_env() {
  if [[ $PORT == none ]]; then
    echo "LIMS_DB_URL=mysql://$APP_USER@localhost/$NAME?socket=$SOCK"
  else
    echo "LIMS_DB_URL=mysql://$APP_USER@127.0.0.1:$PORT/$NAME"
  fi
  echo "LIMS_DB_PASSWORD_FILE=$DIR/app.password"
}

# Table-level grants need the tables, so this runs after the migrations; it is idempotent.
grants() {
  local host who sql
  for host in localhost 127.0.0.1; do
    who="'$APP_USER'@'$host'"
    sql=$(sed -e "s/@DB@/$NAME/g" -e "s/@USER@/$who/g" "$ROOT/schema/grants/serving_account.sql")
    # REVOKE of a grant the account does not hold is an error: only revoke what is there.
    if ! root_client -N -e "SHOW GRANTS FOR $who" | grep -q "UPDATE.* ON \`$NAME\`\.\* TO"; then
      sql=$(grep -v '^REVOKE' <<<"$sql")
    fi
    root_client "$NAME" <<<"$sql"
  done
  log "table-level UPDATE grants applied for $APP_USER (schema/grants/serving_account.sql)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) ping ;;
  env) print_env ;;
  grants) grants ;;
  *) echo "usage: $0 start|stop|status|env|grants" >&2; exit 2 ;;
esac
