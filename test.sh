#!/usr/bin/env bash
# Builds Pramaan with warnings as errors and AddressSanitizer + UndefinedBehaviorSanitizer, starts
# the private MariaDB under var/ and runs every test with ctest (unit, integration against the real
# MariaDB, end-to-end against a real limsd over HTTP). Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
scripts/build.sh build-test -DCMAKE_BUILD_TYPE=Debug -DLIMS_WERROR=ON -DLIMS_SANITIZE=ON -DLIMS_BUILD_TESTS=ON
scripts/db.sh start
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec ctest --test-dir build-test --output-on-failure -j "$(nproc)" "$@"
