#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, integration, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --preset "${ECSGUARD_PRESET:-release}" -j "$(nproc)" "$@"
