#!/usr/bin/env bash
# bench.sh generates a ~1 GB canonical log with `costaudit gen`, builds
# costaudit, and times `costaudit analyze --format json` on it with
# /usr/bin/time -v, printing records/s, MB/s and peak RSS.
#
# Usage: scripts/bench.sh            (from anywhere in the repo)
# Environment:
#   SIZE=1GB        log size (costaudit gen --size syntax: 500MB, 2GiB, ...)
#   SEED=7          generator seed (the same seed gives the same log)
#   BENCH_DIR=...   where the binary, log and report go
#                   (default: ${TMPDIR:-/tmp}/costaudit-bench); a log of the
#                   same size and seed already there is reused
#   ANALYZE_ARGS=   extra flags for costaudit analyze
set -euo pipefail

SIZE=${SIZE:-1GB}
SEED=${SEED:-7}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/costaudit-bench}
ANALYZE_ARGS=${ANALYZE_ARGS:-}

cd "$(dirname "$0")/.."
mkdir -p "$BENCH_DIR"

if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is missing; installing the Debian package 'time'" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && apt-get install -y -qq time >/dev/null
	else
		sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
	fi
fi

bin="$BENCH_DIR/costaudit"
echo "bench: building costaudit" >&2
go build -o "$bin" ./cmd/costaudit

log="$BENCH_DIR/canonical-$SIZE-seed$SEED.jsonl"
if [ ! -s "$log" ]; then
	echo "bench: generating $log" >&2
	"$bin" gen --format canonical --seed "$SEED" --size "$SIZE" -o "$log"
else
	echo "bench: reusing $log" >&2
fi

bytes=$(stat -c %s "$log")
lines=$(wc -l <"$log")
# Read the file once so that the timed run measures costaudit, not the disk.
cat "$log" >/dev/null

report="$BENCH_DIR/report.json"
timing="$BENCH_DIR/time.txt"
echo "bench: costaudit analyze --format json $ANALYZE_ARGS $log" >&2
# shellcheck disable=SC2086 # ANALYZE_ARGS is a list of flags
if ! /usr/bin/time -v "$bin" analyze --format json $ANALYZE_ARGS "$log" >"$report" 2>"$timing"; then
	echo "bench: costaudit analyze failed:" >&2
	cat "$timing" >&2
	exit 1
fi

# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"
elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {
	n = split($NF, p, ":"); s = 0
	for (i = 1; i <= n; i++) s = s * 60 + p[i]
	print s }' "$timing")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $NF}' "$timing")
user=$(awk -F': ' '/User time/ {print $NF}' "$timing")
sys=$(awk -F': ' '/System time/ {print $NF}' "$timing")
# The report's own count of records (lines that held a request); fall back
# to input lines if the report does not say.
records=$(grep -oE '"records": *[0-9]+' "$report" | head -n 1 | grep -oE '[0-9]+$' || true)
records=${records:-$lines}

awk -v b="$bytes" -v l="$lines" -v r="$records" -v e="$elapsed" -v k="$rss_kb" -v u="$user" -v s="$sys" 'BEGIN {
	if (e <= 0) e = 0.01
	printf "log:        %.0f MB, %d lines, %d records\n", b / 1e6, l, r
	printf "wall:       %.2f s (user %s s, system %s s)\n", e, u, s
	printf "records/s:  %.0f\n", r / e
	printf "MB/s:       %.0f\n", b / 1e6 / e
	printf "peak RSS:   %.1f MB\n", k / 1024
}'
