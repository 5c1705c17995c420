#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, integration, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# ECSGUARD_TEST_JOBS: tests run at once (default: one per core).
ctest --preset "${ECSGUARD_PRESET:-release}" -j "${ECSGUARD_TEST_JOBS:-$(nproc)}" "$@"
