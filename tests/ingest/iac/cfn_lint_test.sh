#!/usr/bin/env bash
# Every CloudFormation template in the folders given (examples/iac/cloudformation, the test
# templates) must pass cfn-lint, run once over all of them: its start-up is most of its time.
# Exit 77 (ctest: skipped) when cfn-lint is not installed.
set -euo pipefail
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is not installed; skipping"
  exit 77
fi
shopt -s nullglob
templates=()
for dir in "$@"; do
  found=("$dir"/*.yaml "$dir"/*.yml "$dir"/*.json)
  if [ ${#found[@]} -eq 0 ]; then
    echo "no templates in $dir"
    exit 1
  fi
  templates+=("${found[@]}")
done
cfn-lint --version
cfn-lint -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates clean"
