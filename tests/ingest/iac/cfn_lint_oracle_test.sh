#!/usr/bin/env bash
# cfn-lint as the oracle for what CloudFormation accepts: the reproducers ecsguard rejects
# (repeated keys, several documents) are errors to cfn-lint too, and the merge-key template it
# expands is no error (only the W1100 warning that `aws cloudformation package` is needed).
# Exit 77 (ctest: skipped) when cfn-lint is not installed.
set -uo pipefail
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is not installed; skipping"
  exit 77
fi
cd "$1"
# One run for all files (cfn-lint starts slowly); errors are the E rules of its parseable output.
out=$(cfn-lint --format parseable -- *.yaml *.json 2>&1)
failed=0
check() {  # $1: file, $2: "error" or "clean"
  local errors
  errors=$(grep -c "^$1:[0-9:]*:E" <<<"$out")
  if [ "$2" = error ] && [ "$errors" -eq 0 ]; then
    echo "FAIL $1: cfn-lint reports no error"
    failed=1
  elif [ "$2" = clean ] && [ "$errors" -ne 0 ]; then
    echo "FAIL $1: cfn-lint reports an error"
    failed=1
  else
    echo "ok $1: $2"
  fi
}
check duplicate_key.yaml error
check duplicate_key.json error
check case_variant_key.yaml error
check multi_document.yaml error
check merge_key.yaml clean
[ "$failed" -eq 0 ] || echo "$out"
exit "$failed"
