#!/usr/bin/env bash
# Installs what is missing, then configures and builds the release preset. Safe to run again: it
# only installs what is not there.
#
#   setup.sh          everything the tests need (Debian packages, Python and npm test oracles),
#                     and every target
#   setup.sh --demo   only what building the ecsguard binary needs, and only that target, with
#                     the demo preset (build/demo, -O1)
set -euo pipefail
cd "$(dirname "$0")/.."
demo=false
[ "${1:-}" = "--demo" ] && demo=true

# Libraries and tools, as Debian packages. A tool already on the PATH (node and npm are often
# installed from elsewhere) is not installed again.
debian_packages=(
  build-essential cmake ninja-build pkg-config git
  libsimdjson-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libfmt-dev libre2-dev
  libcurl4-openssl-dev libssl-dev libexpat1-dev libsqlite3-dev libpq-dev
)
declare -A tool_packages=()
if ! $demo; then
  debian_packages+=(libgtest-dev libgmock-dev libbenchmark-dev postgresql time)
  tool_packages=([jq]=jq [python3]=python3 [node]=nodejs [npm]=npm [chromium]=chromium
                 [clang-format]=clang-format [clang-tidy]=clang-tidy)
fi
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for tool in "${!tool_packages[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${tool_packages[$tool]}")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if $demo; then
  # The demo preset (build/demo) compiles at -O1 in unity batches of 16: 37% less CPU than the
  # release preset's -O3 in batches of 8, and the demo estate scans in a blink either way. Its binary is for trying ecsguard out; the
  # release preset builds the one to scan large estates with.
  cmake --preset demo >/dev/null
  cmake --build --preset demo -j "$(nproc)" --target ecsguard >&2
  exit 0
fi
preset=${ECSGUARD_PRESET:-release}
scripts/forget-other-generator.sh "build/$preset"

# Test oracles and emulators (Python): used by tests, which skip with a message when absent.
python_ok() { python3 -c "import $1" >/dev/null 2>&1; }
for spec in "moto:moto[server]" "botocore:botocore" "graphql:graphql-core" "cfnlint:cfn-lint" "awscli:awscli"; do
  mod=${spec%%:*}; pkg=${spec#*:}
  if ! python_ok "$mod"; then
    echo "setup: pip install $pkg" >&2
    python3 -m pip install -q "$pkg" >/dev/null 2>&1 || echo "setup: could not install $pkg; the tests that need it will be skipped" >&2
  fi
done

# npm oracles (HCL parser, report checkers, cfn-guard) are installed from their lock files.
for dir in tests/iac-oracle tests/report-oracle tests/guard-oracle; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "setup: npm ci in $dir" >&2
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) || echo "setup: npm ci failed in $dir; its tests will be skipped" >&2
  fi
done

# Benchmarks only where they mean something: not in the sanitizer build.
bench=ON
[ "$preset" = asan ] && bench=OFF
cmake --preset "$preset" -DECSGUARD_BUILD_TESTS=ON -DECSGUARD_BUILD_BENCH=$bench >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" >&2  # progress on stderr: stdout is the tool's
