#!/usr/bin/env bash
# Hostile Terraform (tests/ingest/iac/tf/hostile/*) under a 4 GB address-space limit: every case
# ends in exit 2 (scan incomplete, something NOT_EVALUATED) with a report, never in an abort, and
# nothing outside the scanned root is quoted.
# Usage: tf_hostile_test.sh <ecsguard binary> <tests/ingest/iac/tf/hostile>
set -u
bin=$1
cd "$2" || exit 1
# ASan reserves terabytes of address space: under the asan preset the cap is left off and the
# budget alone must keep the run bounded.
[ -n "${ECSGUARD_SANITIZED:-}" ] || ulimit -v 4000000
failed=0
check() {  # case, expected exit code, text the JSON report must contain
  local out code
  out=$(timeout 120 "$bin" scan iac "$1" -f json 2>/tmp/tf_hostile_err.$$)
  code=$?
  if [[ $code -ne $2 ]]; then
    echo "FAIL $1: exit $code, expected $2: $(head -c 300 /tmp/tf_hostile_err.$$)"
    failed=1
  elif [[ $out != *"$3"* ]]; then
    echo "FAIL $1: the report does not contain: $3"
    failed=1
  else
    echo "ok   $1"
  fi
}
check doubling 2 'evaluation budget exceeded'
check join 2 'evaluation budget exceeded'
check format 2 'evaluation budget exceeded'
check replace 2 'evaluation budget exceeded'
check tuples 2 'evaluation budget exceeded'
check count 2 'count 1001 exceeds the limit of 1000 instances'
check cycle 2 'module cycle: cycle/a -> cycle/b -> cycle/a'
check self 2 'module cycle: self -> self'
check exfil 2 'is not read: outside the scanned root'
check evidence 1 '(truncated: 64 of 100 bytes)'
rm -f /tmp/tf_hostile_err.$$
exit $failed
