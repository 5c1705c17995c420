#!/usr/bin/env bash
# Side-by-side timing of `ecsguard scan snapshot` against its baselines on one JSON Lines file:
#   ecsguard scan snapshot FILE -f json -o DIR     the product (default controls), recorded in a
#                                                  history database of the run's own (--db)
#   simdjson_floor FILE                            bare simdjson on-demand pass (the floor)
#   simdjson_floor --seed FILE                     the seed control computed by hand on simdjson
#   jq -n -r -f bench/seed_filter.jq FILE          what a user would write without ecsguard
# Prints a markdown table: wall time (hyperfine when installed, else repeated runs timed here),
# peak RSS (/usr/bin/time -v) and the seed result each tool found, checked against the
# generator's <FILE minus .jsonl>.seed-expected.txt when it exists.
#
# It builds nothing and installs nothing. Prepare with:
#   cmake --preset release && cmake --build --preset release -j2   # ecsguard + simdjson_floor
#   python3 bench/gen_estate.py                                     # bench/data/estate-100000.jsonl
#   apt-get install hyperfine time jq                               # optional: hyperfine
#
# Usage: bench/run_snapshot_bench.sh [-b BUILD_DIR] [-r RUNS] [-w WARMUP] [FILE]
#   -b  build directory holding src/cli/ecsguard and bench/simdjson_floor (default build/release)
#   -r  timed runs per tool (default 5); -w  warm-up runs per tool (default 1)
#   NO_HYPERFINE=1 in the environment times the runs with the script's own loop
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$root/build/release"
runs=5
warmup=1
while getopts "b:r:w:h" opt; do
  case "$opt" in
    b) build="$OPTARG" ;;
    r) runs="$OPTARG" ;;
    w) warmup="$OPTARG" ;;
    *) sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 3 ;;
  esac
done
shift $((OPTIND - 1))
file="${1:-$root/bench/data/estate-100000.jsonl}"

die() { echo "run_snapshot_bench: $*" >&2; exit 3; }
[ -f "$file" ] || die "$file not found; generate it with: python3 bench/gen_estate.py"
command -v jq >/dev/null || die "jq is required (Debian package jq)"
expected="${file%.jsonl}.seed-expected.txt"
[ -f "$expected" ] || expected=""

ecsguard="$build/src/cli/ecsguard"
floor="$build/bench/simdjson_floor"
have_time=0; [ -x /usr/bin/time ] && have_time=1
have_hyperfine=0; [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null && have_hyperfine=1
[ "$have_time" = 1 ] || echo "note: /usr/bin/time not found (Debian package time); peak RSS is not measured" >&2
[ "$have_hyperfine" = 1 ] || echo "note: hyperfine not found (Debian package hyperfine); timing $runs runs here" >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# name|kind|command (kind: ecsguard reads its report, lines reads stdout as ARNs, none)
tools=()
if [ -x "$ecsguard" ]; then
  # The scan is recorded in a history database of its own (--db), as every scan is: the figure
  # includes recording it, but not the size of this machine's own history.
  tools+=("ecsguard scan snapshot|ecsguard|$(printf '%q ' "$ecsguard" scan snapshot "$file" -f json -o "$work/ecsguard-out" -q --db "$work/history.db")")
else
  echo "note: $ecsguard is not built (cmake --build --preset release -j2); its row is left empty" >&2
fi
if [ -x "$floor" ]; then
  tools+=("simdjson floor|none|$(printf '%q ' "$floor" "$file")")
  tools+=("simdjson --seed (hand-written)|lines|$(printf '%q ' "$floor" --seed "$file")")
else
  echo "note: $floor is not built (cmake --build $build -j2 --target simdjson_floor); its rows are left empty" >&2
fi
tools+=("jq seed_filter.jq|lines|$(printf '%q ' jq -n -r -f "$here/seed_filter.jq" "$file")")

# Wall time: mean, stddev, min (seconds) of the timed runs.
time_tool() {
  local cmd="$1" json="$work/hf.json"
  if [ "$have_hyperfine" = 1 ]; then
    # -i: ecsguard exits 1 when it has findings, 2 when a revision was not evaluated.
    hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1 ||
      hyperfine -i --style none --warmup "$warmup" --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1
    jq -r '.results[0] | "\(.mean) \(.stddev // 0) \(.min)"' "$json"
  else
    local i t0 t1 samples=()
    for ((i = 0; i < warmup; i++)); do eval "$cmd" >/dev/null 2>&1 || true; done
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s.%N); eval "$cmd" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
      samples+=("$(echo "$t1 - $t0" | bc -l 2>/dev/null || awk "BEGIN{print $t1 - $t0}")")
    done
    printf '%s\n' "${samples[@]}" | awk '{s+=$1; q+=$1*$1; if(NR==1||$1<m)m=$1} END {
      mean=s/NR; v=q/NR-mean*mean; if(v<0)v=0; printf "%f %f %f\n", mean, sqrt(v), m}'
  fi
}

# One more run under /usr/bin/time -v: peak RSS, exit status, and the output kept for checking.
measure_run() {
  local cmd="$1" out="$2" tv="$work/time.txt"
  rm -rf "$work/ecsguard-out"
  if [ "$have_time" = 1 ]; then
    eval "/usr/bin/time -v -o $tv $cmd" >"$out" 2>"$work/stderr.txt" || true
    awk -F': ' '/Maximum resident set size/ {rss=$2} /Exit status/ {rc=$2} END {print rss+0, rc+0}' "$tv"
  else
    local rc=0
    eval "$cmd" >"$out" 2>"$work/stderr.txt" || rc=$?
    echo "0 $rc"
  fi
}

echo "file: $file ($(du -h "$file" | cut -f1), $(wc -l <"$file") lines)" >&2
[ -n "$expected" ] && echo "expected seed result: $expected ($(wc -l <"$expected") ARNs)" >&2

rows=()
for entry in "${tools[@]}"; do
  IFS='|' read -r name kind cmd <<<"$entry"
  echo "running: $name" >&2
  read -r mean sd min < <(time_tool "$cmd")
  read -r rss rc < <(measure_run "$cmd" "$work/out.txt")
  found="—"
  case "$kind" in
    lines) sort "$work/out.txt" >"$work/found.txt" ;;
    ecsguard)
      if ls "$work"/ecsguard-out/*.json >/dev/null 2>&1; then
        jq -r '.findings[]? | select(.controlId == "aws-ecs-1-privileged-network-mode" and .status == "FAIL")
               | .resource.arn' "$work"/ecsguard-out/*.json | sort >"$work/found.txt"
      else
        : >"$work/found.txt"; kind=none; found="no report (exit $rc)"
      fi ;;
  esac
  if [ "$kind" != none ]; then
    found="$(wc -l <"$work/found.txt")"
    if [ -n "$expected" ]; then
      if cmp -s "$work/found.txt" "$expected"; then found="$found (= expected)"; else found="$found (**differs**)"; fi
    fi
  fi
  case "$rc" in 0|1|2) ;; *) found="$found; exit $rc: $(head -c 200 "$work/stderr.txt" | tr '\n' ' ')" ;; esac
  rss_mib="n/a"; [ "$rss" -gt 0 ] && rss_mib="$(awk "BEGIN{printf \"%.0f\", $rss/1024}")"
  rows+=("$(awk -v n="$name" -v m="$mean" -v s="$sd" -v lo="$min" -v r="$rss_mib" -v f="$found" \
    'BEGIN{printf "| %s | %.3f ± %.3f | %.3f | %s | %s |", n, m, s, lo, r, f}')")
done
[ -x "$ecsguard" ] || rows=("| ecsguard scan snapshot | not built | | | |" "${rows[@]}")
[ -x "$floor" ] || rows+=("| simdjson floor | not built | | | |")

echo
echo "| tool | wall mean ± sd (s) | min (s) | peak RSS (MiB) | seed violations found |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $runs runs + $warmup warm-up, $([ "$have_hyperfine" = 1 ] && hyperfine --version || echo 'timed by the script'), $(jq --version)"
