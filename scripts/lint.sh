#!/usr/bin/env bash
# Static checks that are too slow for every test run: clang-format (check only) and clang-tidy over
# Pramaan's own sources, using build/compile_commands.json.  scripts/lint.sh [--fix-format]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/compile_commands.json ]] || scripts/build.sh build
mapfile -t sources < <(git ls-files 'lims/*.cc' 'lims/*.h' 'reports/*.cc' 'reports/*.h' 'instruments/*.cc' 'instruments/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc')
if [[ ${1:-} == --fix-format ]]; then
  clang-format -i "${sources[@]}"
else
  clang-format --dry-run --Werror "${sources[@]}"
fi
mapfile -t units < <(printf '%s\n' "${sources[@]}" | grep '\.cc$' | grep -v '^tests/')
clang-tidy -p build --quiet "${units[@]}"
echo "lint: clean"
