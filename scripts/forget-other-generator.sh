#!/usr/bin/env bash
# The presets build with Ninja (it compiles a library's files while the libraries it links to are
# still being built, where Make waits for each whole target). A build folder configured earlier
# with another generator makes `cmake --preset` fail; this forgets that configuration
# (CMakeCache.txt and CMakeFiles/) so that the next configure starts over in the same folder,
# and the next build compiles everything again.
#
#   scripts/forget-other-generator.sh build/release
set -euo pipefail
cache="$1/CMakeCache.txt"
if [ -f "$cache" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache"; then
  echo "build: $1 was configured with another generator; configuring it again for Ninja" >&2
  rm -rf "$cache" "$1/CMakeFiles"
fi
