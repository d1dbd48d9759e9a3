#!/usr/bin/env bash
# Configures (first time) and builds Pramaan.  scripts/build.sh BUILD_DIR [extra cmake -D options]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: build.sh BUILD_DIR [cmake options]}
shift
cmake -S "$ROOT" -B "$ROOT/$BUILD" -Wno-dev "$@" >/dev/null
cmake --build "$ROOT/$BUILD" -j "$(nproc)"
