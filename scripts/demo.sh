#!/usr/bin/env bash
# Sets everything up, builds, and scans the bundled demo estate.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit $?
build/release/src/cli/ecsguard scan snapshot examples/estate "$@"
code=$?
echo "(ecsguard exited with $code: 0 clean, 1 findings, 2 scan incomplete, 3 usage error)" >&2
exit $code
