#!/usr/bin/env bash
# Sets everything up, builds, and scans the bundled demo estate.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --demo || exit $?
# The human view by default; pass your own flags (e.g. -f json) to change it.
if [ $# -eq 0 ]; then set -- -f table; fi
build/demo/src/cli/ecsguard scan snapshot examples/estate "$@"
code=$?
echo "(ecsguard exited with $code: 0 clean, 1 findings, 2 scan incomplete, 3 usage error)" >&2
echo "(the binary: build/demo/src/cli/ecsguard, built at -O1 for a quick first build;" \
  "./scripts/setup.sh builds the optimised build/release/src/cli/ecsguard)" >&2
exit $code
