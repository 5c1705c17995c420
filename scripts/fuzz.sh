#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (the fuzz preset) and fuzzes each for a bounded time,
# starting from its corpus in fuzz/corpus. New inputs go to build/fuzz/new-corpus/<target>, not
# into the repository: add a reproducer to fuzz/corpus by hand, with the fix it tests.
#
#   scripts/fuzz.sh            every target, 30 seconds each
#   scripts/fuzz.sh 120 fuzz_hcl
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is not installed (apt-get install clang); nothing fuzzed" >&2
  exit 0
fi
declare -A corpus=([fuzz_snapshot]=snapshot [fuzz_cfn]=cfn [fuzz_tfplan]=tfplan [fuzz_hcl]=hcl
                   [fuzz_graphql]=graphql [fuzz_aws_xml]=aws/xml [fuzz_aws_config]=aws/config
                   [fuzz_tfjson]=tfjson)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=($(printf '%s\n' "${!corpus[@]}" | sort))
scripts/forget-other-generator.sh build/fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]}" >&2
for t in "${targets[@]}"; do
  new=build/fuzz/new-corpus/$t
  mkdir -p "$new"
  echo "fuzz: $t for ${seconds}s" >&2
  build/fuzz/fuzz/$t -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="build/fuzz/$t-" "$new" "fuzz/corpus/${corpus[$t]}" 2>build/fuzz/$t.log ||
    { tail -40 build/fuzz/$t.log >&2; echo "fuzz: $t found a failure (build/fuzz/$t-*)" >&2; exit 1; }
done
echo "fuzz: ${#targets[@]} targets, no failure" >&2
