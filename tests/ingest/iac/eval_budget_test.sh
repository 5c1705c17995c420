#!/usr/bin/env bash
# Hostile CloudFormation templates whose intrinsics would produce gigabytes must end, under a 4 GB
# address-space cap, as an incomplete scan (exit 2) with "evaluation budget exceeded" in the
# report: never std::bad_alloc (exit 134). So must YAML aliases that would copy gigabytes, with
# the reader's limit in the report. The templates are generated here, not committed.
# Usage: eval_budget_test.sh ECSGUARD_BINARY ASAN(0|1)
set -euo pipefail
bin=$1
if [ "$2" = 1 ]; then
  echo "AddressSanitizer reserves more address space than the cap; skipping"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

header() {  # $1: the parameter's default
  printf 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  P:\n    Type: String\n'
  printf '    Default: "%s"\nResources:\n' "$1"
}
task() {  # $1: logical id, $2: the User expression
  printf '  %s:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n' "$1"
  printf '      NetworkMode: host\n      ContainerDefinitions:\n'
  printf '        - Name: web\n          Image: nginx\n          User: %s\n' "$2"
}

# 1. About 300 KB of nested !Join [!Ref P, !Split [",", ...]]: each level multiplies by ten.
expr='"a,b"'
for _ in $(seq 40); do expr="!Join [!Ref P, !Split [\",\", $expr]]"; done
{
  header ",,,,,,,,,,"
  for i in $(seq 250); do task "Task$i" "$expr"; done
} >"$dir/nested_join.yaml"

# 2 and 3. A parameter of 4 MB repeated 1500 times by Fn::Sub and by Fn::Join.
long=$(head -c 4000000 /dev/zero | tr '\0' x)
sub='"'
join='["", ['
for _ in $(seq 1500); do
  sub+='${P}'
  join+='!Ref P, '
done
{ header "$long"; task Task "!Sub $sub\""; } >"$dir/sub.yaml"
{ header "$long"; task Task "!Join ${join}x]]"; } >"$dir/join.yaml"
# 4. The same through a YAML alias of the parameter's default.
{ header "$long" | sed 's/Default: /Default: \&big /'; task Task "!Join ${join//!Ref P/*big}x]]"; } \
  >"$dir/alias.yaml"

failed=0
for t in nested_join sub join alias; do
  reason='evaluation budget exceeded ('
  [ "$t" = alias ] && reason='bytes of text after expanding aliases'
  size=$(wc -c <"$dir/$t.yaml")
  set +e
  (ulimit -v 4000000 && exec "$bin" scan iac "$dir/$t.yaml" -f json --no-history) \
    >"$dir/$t.json" 2>"$dir/$t.err"
  rc=$?
  set -e
  if [ "$rc" -ne 2 ]; then
    echo "FAIL $t ($size bytes): exit $rc, expected 2"
    tail -5 "$dir/$t.err"
    failed=1
  elif ! grep -qF "$reason" "$dir/$t.json"; then
    echo "FAIL $t: the report does not say \"$reason\""
    failed=1
  else
    echo "ok $t ($size bytes): exit 2, $reason"
  fi
done
exit "$failed"
