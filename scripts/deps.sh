#!/usr/bin/env bash
# Installs every Debian package that building, running and testing Pramaan needs.
# Idempotent and quiet when everything is present; refreshes stale package lists first.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkgconf
  libpoco-dev libmysqlcppconn-dev libmariadb-dev libhpdf-dev libspdlog-dev libssl-dev libgtest-dev libargon2-dev
  # fonts for reports, subset at build time with fonttools' pyftsubset (Debian's python3)
  fonts-dejavu-core fonttools python3
  # the sRGB ICC profile for the PDF/A OutputIntent of certificates
  icc-profiles-free
  # run: a private MariaDB server started by scripts/db.sh
  mariadb-server mariadb-client
  # tests: external checks of PDFs and HTTP
  poppler-utils qpdf curl openssl
  # sample labels: barcodes encoded with libzint, and read back by the tests with zbarimg
  libzint-dev zbar-tools
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi

# Package lists empty or older than a day: refresh them before installing.
lists=/var/lib/apt/lists
if [[ -z "$(find "$lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]]; then
  echo "deps: apt-get update" >&2
  apt-get update -qq >/dev/null
fi
echo "deps: installing ${missing[*]}" >&2
# The server package must not start a system service: we run our own mariadbd under var/.
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; created_policy=1
fi
trap '[[ $created_policy -eq 1 ]] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
