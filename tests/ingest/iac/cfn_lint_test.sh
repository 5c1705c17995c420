#!/usr/bin/env bash
# Every CloudFormation template shipped in examples/iac/cloudformation must pass cfn-lint.
# Exit 77 (ctest: skipped) when cfn-lint is not installed.
set -euo pipefail
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is not installed; skipping"
  exit 77
fi
cd "$1"
shopt -s nullglob
templates=(*.yaml *.yml *.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "no templates in $1"
  exit 1
fi
cfn-lint --version
cfn-lint -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates clean"
