#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/, then runs each target for a fixed time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 seconds each, every target
#   FUZZ_BUILD_DIR=DIR scripts/fuzz.sh ...     build in DIR instead of build-fuzz/
#
# The seeds in fuzz/corpus/TARGET are copied to var/fuzz/corpus/TARGET, which the fuzzer grows (the
# repository stays clean, and later runs start from what earlier ones found). Crash, leak, timeout
# and out-of-memory inputs go to var/fuzz/artifacts/TARGET/, full logs to var/fuzz/logs/TARGET.log.
# Reproduce one with: build-fuzz/fuzz/TARGET var/fuzz/artifacts/TARGET/crash-...
# Prints executions, coverage and crashes per target; exits 1 when any target produced an artifact.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ALL_TARGETS=(fuzz_request fuzz_json_body fuzz_decimal fuzz_catalog fuzz_sql_script fuzz_slip_result
             fuzz_analytical_table fuzz_utm_curve fuzz_text_input)

SECONDS_EACH=${1:-60}
if [[ ! "$SECONDS_EACH" =~ ^[0-9]+$ ]] || ((SECONDS_EACH < 1)); then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]   targets: ${ALL_TARGETS[*]}" >&2
  exit 2
fi
(($# > 0)) && shift
TARGETS=("$@")
((${#TARGETS[@]} == 0)) && TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do
  if [[ ! " ${ALL_TARGETS[*]} " =~ " $t " ]]; then
    echo "fuzz.sh: unknown target $t (known: ${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done

CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz.sh: $CXX not found (apt-get install clang)" >&2; exit 2; }

# Every library gets coverage and sanitizer instrumentation; the targets add libFuzzer's main.
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
INSTRUMENT="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo "== configuring $BUILD ($CXX, ASan + UBSan + libFuzzer)"
cmake -S "$ROOT" -B "$BUILD" -Wno-dev \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLIMS_FUZZ=ON -DLIMS_BUILD_TESTS=OFF -DLIMS_SANITIZE=OFF \
  -DCMAKE_CXX_FLAGS="$INSTRUMENT" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
echo "== building ${TARGETS[*]}"
cmake --build "$BUILD" -j "$(nproc)" --target "${TARGETS[@]}"

VAR="$ROOT/var/fuzz"
mkdir -p "$VAR/corpus" "$VAR/artifacts" "$VAR/logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

declare -a SUMMARY=()
failed=0
for t in "${TARGETS[@]}"; do
  corpus="$VAR/corpus/$t"
  artifacts="$VAR/artifacts/$t"
  log="$VAR/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$ROOT/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  args=(-max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [[ -f "$ROOT/fuzz/$t.dict" ]] && args+=(-dict="$ROOT/fuzz/$t.dict")
  stamp=$(mktemp)
  echo "== $t: ${SECONDS_EACH}s, corpus $(find "$corpus" -type f | wc -l) inputs, log $log"
  rc=0
  "$BUILD/fuzz/$t" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # The last status line ("#123 DONE cov: 456 ft: 789 corp: 12/3Kb ..." or a crash's "#123 ...").
  status=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
  corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$status")
  mapfile -t found < <(find "$artifacts" -type f -newer "$stamp" | sort)
  rm -f "$stamp"
  SUMMARY+=("$(printf '%-16s execs %-10s cov %-6s ft %-7s corpus %-12s crashes %d  (exit %d)' \
    "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${#found[@]}" "$rc")")
  if ((${#found[@]} > 0 || rc != 0)); then
    failed=1
    for f in "${found[@]}"; do echo "   artifact: $f"; done
    grep -E '^(==[0-9]+==ERROR|SUMMARY:|== fuzz invariant|== at |.*runtime error:)' "$log" | head -8 | sed 's/^/   /' || true
  fi
done

echo
echo "== fuzzing summary (${SECONDS_EACH}s per target)"
printf '%s\n' "${SUMMARY[@]}"
if ((failed)); then
  echo "== FAILED: crashes or errors above (logs in var/fuzz/logs, inputs in var/fuzz/artifacts)"
  exit 1
fi
echo "== no crashes"
