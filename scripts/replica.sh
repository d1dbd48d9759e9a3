#!/usr/bin/env bash
# A private MariaDB read replica of the private server of scripts/db.sh, for limsd's db.read_url
# (docs/read-replica.md). The primary must run with a binary log: LIMS_DB_BINLOG=1 scripts/db.sh start.
#
#   scripts/replica.sh start    initialise on first use (seeded from a consistent dump of the primary
#                               with its GTID position), start mariadbd read-only, replicate by GTID,
#                               wait until it has caught up
#   scripts/replica.sh stop     stop the replica cleanly
#   scripts/replica.sh status   replication state (Slave_IO_Running, Slave_SQL_Running, lag)
#   scripts/replica.sh env      LIMS_DB_READ_* variables that point limsd's auditor reads at it
#
# Environment: LIMS_REPLICA_DIR (default <repo>/var/replica), LIMS_REPLICA_PORT (default 3308), and
# the primary's LIMS_DB_DIR / LIMS_DB_PORT / LIMS_DB_NAME as for scripts/db.sh.
# Files in LIMS_REPLICA_DIR: data/, mysqld.sock, mysqld.pid, error.log, root.password and
# reader.password (0600); the replication account's password is kept in the primary's dir
# (replication.password, 0600). No password is printed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${LIMS_REPLICA_DIR:-$ROOT/var/replica}
PORT=${LIMS_REPLICA_PORT:-3308}
PRIMARY_DIR=${LIMS_DB_DIR:-$ROOT/var/db}
PRIMARY_PORT=${LIMS_DB_PORT:-3307}
NAME=${LIMS_DB_NAME:-pramaan}
READER=pramaan_reader
SOCK=$DIR/mysqld.sock
PIDFILE=$DIR/mysqld.pid

log() { echo "replica: $*" >&2; }
die() { echo "replica: error: $*" >&2; exit 1; }
# shellcheck source=scripts/mariadbd-lib.sh
source "$ROOT/scripts/mariadbd-lib.sh"

primary() { MYSQL_PWD=$(cat "$PRIMARY_DIR/root.password") mariadb --no-defaults --socket="$PRIMARY_DIR/mysqld.sock" -uroot "$@"; }
replica() { MYSQL_PWD=$(cat "$DIR/root.password") mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }

ping_replica() {
  local pw=""; [[ -f $DIR/root.password ]] && pw=$(cat "$DIR/root.password")
  MYSQL_PWD=$pw mariadb-admin --no-defaults --socket="$SOCK" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

check_primary() {
  [[ -f $PRIMARY_DIR/root.password ]] || die "no primary in $PRIMARY_DIR: run scripts/db.sh start first"
  [[ $PRIMARY_PORT != none ]] || die "the replica connects to the primary over TCP: give it a LIMS_DB_PORT"
  primary -e "SELECT 1" >/dev/null 2>&1 || die "the primary in $PRIMARY_DIR does not answer"
  [[ $(primary -N -B -e "SELECT @@log_bin") == 1 ]] ||
    die "the primary has no binary log: restart it with LIMS_DB_BINLOG=1 scripts/db.sh start"
}

# The account the replica connects with: REPLICATION SLAVE only, from loopback only.
replication_account() {
  write_secret "$PRIMARY_DIR/replication.password"
  primary <<SQL
CREATE USER IF NOT EXISTS 'replication'@'127.0.0.1' IDENTIFIED BY '$(cat "$PRIMARY_DIR/replication.password")';
GRANT REPLICATION SLAVE ON *.* TO 'replication'@'127.0.0.1';
SQL
}

launch() {
  rm -f "$SOCK"
  # read_only: only replication (and root) write; the reader account cannot. relay logs and the
  # replication position survive restarts in data/.
  setsid mariadbd --no-defaults --datadir="$DIR/data" --socket="$SOCK" --port="$PORT" --bind-address=127.0.0.1 \
    --pid-file="$PIDFILE" --log-error="$DIR/error.log" --skip-name-resolve --user="$(id -un)" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=128M \
    --server-id=2 --read-only=1 --relay-log="$DIR/data/relay" --log-slave-updates=0 </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 300); do
    ping_replica && return 0
    kill -0 $! 2>/dev/null || die "mariadbd exited during start-up; see $DIR/error.log"
    sleep 0.1
  done
  die "the replica did not answer within 30 s; see $DIR/error.log"
}

# First start: a consistent dump of the primary's database with its GTID position, loaded into
# the new server, then replication from that position.
seed() {
  log "seeding from a consistent dump of $NAME on the primary"
  MYSQL_PWD=$(cat "$PRIMARY_DIR/root.password") mariadb-dump --no-defaults --socket="$PRIMARY_DIR/mysqld.sock" -uroot \
    --single-transaction --gtid --master-data=1 --databases "$NAME" >"$DIR/seed.sql"
  replica <"$DIR/seed.sql"   # sets gtid_slave_pos to the dump's position
  rm -f "$DIR/seed.sql"
  write_secret "$DIR/reader.password"
  replica <<SQL
CREATE USER IF NOT EXISTS '$READER'@'127.0.0.1' IDENTIFIED BY '$(cat "$DIR/reader.password")';
CREATE USER IF NOT EXISTS '$READER'@'localhost' IDENTIFIED BY '$(cat "$DIR/reader.password")';
GRANT SELECT ON \`$NAME\`.* TO '$READER'@'127.0.0.1';
GRANT SELECT ON \`$NAME\`.* TO '$READER'@'localhost';
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='replication',
  MASTER_PASSWORD='$(cat "$PRIMARY_DIR/replication.password")', MASTER_USE_GTID=slave_pos;
SQL
  touch "$DIR/.seeded"
}

wait_caught_up() {
  local target; target=$(primary -N -B -e "SELECT @@gtid_binlog_pos")
  for _ in $(seq 1 300); do
    if [[ -z $target ]] || [[ $(replica -N -B -e "SELECT MASTER_GTID_WAIT('$target', 0.1)") == 0 ]]; then
      log "caught up with the primary (GTID ${target:-none})"
      return 0
    fi
  done
  die "the replica did not catch up within 30 s; see: scripts/replica.sh status"
}

start() {
  check_primary
  if running_pid >/dev/null && ping_replica; then log "already running (pid $(running_pid))"; return 0; fi
  if [[ ! -d $DIR/data/mysql ]]; then
    mkdir -p "$DIR"; chmod 700 "$DIR"
    mariadb-install-db --no-defaults --datadir="$DIR/data" --auth-root-authentication-method=normal \
      --skip-test-db --user="$(id -un)" >"$DIR/install.log" 2>&1 || die "mariadb-install-db failed; see $DIR/install.log"
  fi
  launch
  if [[ ! -f $DIR/.seeded ]]; then
    write_secret "$DIR/root.password"
    MYSQL_PWD="" mariadb --no-defaults --socket="$SOCK" -uroot \
      -e "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(cat "$DIR/root.password")'" 2>/dev/null || true
    replication_account
    seed
  fi
  replica -e "START SLAVE"
  wait_caught_up
  log "running (pid $(running_pid)) on 127.0.0.1:$PORT, replicating 127.0.0.1:$PRIMARY_PORT"
}

stop() { stop_server "the replica"; }

status() {
  ping_replica || die "not running"
  replica -e "SHOW SLAVE STATUS\G" | grep -E "Slave_IO_Running|Slave_SQL_Running|Seconds_Behind_Master|Gtid_IO_Pos|Last_.*Error:"
}

print_env() {
  echo "LIMS_DB_READ_URL=mysql://$READER@127.0.0.1:$PORT/$NAME"
  echo "LIMS_DB_READ_PASSWORD_FILE=$DIR/reader.password"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
