#!/usr/bin/env bash
# Runs bench/token_auth_bench against a scratch database on the private MariaDB (created, migrated,
# dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/db.sh start
root_pw=$(cat var/db/root.password)
db=pramaan_bench_$$
MYSQL_PWD=$root_pw mariadb --no-defaults --socket=var/db/mysqld.sock -uroot -e "CREATE DATABASE $db"
trap 'MYSQL_PWD=$root_pw mariadb --no-defaults --socket=var/db/mysqld.sock -uroot -e "DROP DATABASE $db"' EXIT
export LIMS_DB_URL="mysql://root@localhost/$db?socket=$PWD/var/db/mysqld.sock" LIMS_DB_PASSWORD=$root_pw
build/lims/server/limsd --migrate >/dev/null 2>&1
build/bench/token_auth_bench
