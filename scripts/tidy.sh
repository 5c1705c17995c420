#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy, each with its reason) over every source file in src/,
# with the release preset's compile commands; any finding fails. It configures its own build
# folder (build/tidy, nothing is built there) without precompiled headers: the compile commands of
# a build that has them name GCC's .gch files, which clang cannot read.
#
#   scripts/tidy.sh                      every file in src/
#   scripts/tidy.sh src/query/query.cpp  only these
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-tidy >/dev/null; then
  echo "tidy: clang-tidy is not installed (apt-get install clang-tidy)" >&2
  exit 1
fi
db=build/tidy
scripts/forget-other-generator.sh "$db"
cmake --preset release -B "$db" -DECSGUARD_PCH=OFF -DECSGUARD_UNITY=OFF >/dev/null
files=("$@")
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(git ls-files 'src/*.cpp')
# The compile commands are GCC's: clang must not fail on a GCC-only warning flag, and its own
# compiler warnings are not findings here (GCC's -Werror build owns those); only the checks are.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$db" --quiet --warnings-as-errors='*' \
    --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-error --extra-arg=-w 2>/dev/null ||
  { echo "tidy: findings above (fix them, or NOLINTNEXTLINE(check) with the reason)" >&2; exit 1; }
echo "tidy: ${#files[@]} files, no finding" >&2
