#!/usr/bin/env bash
# Builds Pramaan, starts its private MariaDB under var/, migrates, loads the demo lab and serves
# http://localhost:8080. Works on a fresh Debian 12 machine as root. Ctrl-C stops limsd; the
# database keeps running (scripts/db.sh stop stops it).
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIMS_BUILD_TESTS=OFF
scripts/db.sh start
build/lims/server/limsd --load-demo   # migrates first; demo data is loaded once
scripts/db.sh grants                  # the audit trail becomes INSERT/SELECT only for limsd
# The demo lab's administrator: its password is generated once, printed, and kept in var/ (0600).
if [[ ! -s var/demo-admin.password ]]; then
  password=$(build/lims/server/limsd --create-admin demo-admin </dev/null | sed -n 's/^password for demo-admin: //p')
  if [[ -n $password ]]; then
    (umask 077; echo "$password" >var/demo-admin.password)
  fi
fi
[[ -s var/demo-admin.password ]] && echo "Sign in as demo-admin with the password in var/demo-admin.password: $(cat var/demo-admin.password)"
# Certificates are signed with a demo lab CA and key made once under var/keys (the private key is
# mode 0600); production sets LIMS_SIGNING_KEY and LIMS_SIGNING_CERT instead.
if [[ -z ${LIMS_SIGNING_KEY:-} ]]; then export LIMS_SIGNING_DEMO_DIR=${LIMS_SIGNING_DEMO_DIR:-$PWD/var/keys}; fi
# Instrument PCs drop result files into var/drop/<instrument id>/; they are imported as the
# technician account "instruments" once an administrator has created it (docs/instruments/imports.md).
export LIMS_INSTRUMENTS_DROP_DIR=${LIMS_INSTRUMENTS_DROP_DIR:-$PWD/var/drop}
export LIMS_INSTRUMENTS_DROP_USER=${LIMS_INSTRUMENTS_DROP_USER:-instruments}
echo "Pramaan is starting on http://localhost:${LIMS_HTTP_PORT:-8080} (Ctrl-C to stop)"
exec build/lims/server/limsd
