#!/usr/bin/env bash
# bench-workflows.sh measures the peak memory of costaudit analyze on a log
# with very many workflows: by default 300,000 workflows of one request
# each (about 40 MB), the shape that once took 3.2 GB (json) and 13.9 GB
# (xlsx). It generates the log with the small awk generator below, builds
# costaudit, runs analyze once per output format under /usr/bin/time -v and
# prints the wall time and peak RSS of each, then fails when a run exceeds
# LIMIT_MB (the target: 1 GB in every format).
#
# Usage: scripts/bench-workflows.sh            (from anywhere in the repo)
# Environment:
#   WORKFLOWS=300000   number of workflows (one request each)
#   FORMATS="json table csv markdown html xlsx focus"
#   LIMIT_MB=1000      fail when a run's peak RSS is above this
#   BENCH_DIR=...      where the binary, log and reports go
#                      (default: ${TMPDIR:-/tmp}/costaudit-bench-workflows);
#                      a log of the same size already there is reused
#   ANALYZE_ARGS=      extra flags for costaudit analyze (e.g. --max-workflows 0)
set -euo pipefail

WORKFLOWS=${WORKFLOWS:-300000}
FORMATS=${FORMATS:-json table csv markdown html xlsx focus}
LIMIT_MB=${LIMIT_MB:-1000}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/costaudit-bench-workflows}
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

log="$BENCH_DIR/workflows-$WORKFLOWS.jsonl"
if [ ! -s "$log" ]; then
	echo "bench: generating $log ($WORKFLOWS workflows)" >&2
	# One canonical record per workflow, over 28 days and four models, with
	# token counts that differ from one workflow to the next (so the
	# costliest ones are well defined). The same N gives the same bytes.
	awk -v n="$WORKFLOWS" 'BEGIN {
		split("gpt-4o-mini gpt-4o claude-sonnet-4-5 o4-mini", models, " ")
		for (i = 0; i < n; i++) {
			d = 1 + (i % 28); h = int(i / 28) % 24; mi = int(i / 672) % 60; s = i % 60
			printf "{\"ts\":\"2026-06-%02dT%02d:%02d:%02dZ\",\"request_id\":\"r%d\",\"model\":\"%s\",\"workflow\":\"wf-%07d\",\"input_tokens\":%d,\"output_tokens\":%d}\n",
				d, h, mi, s, i, models[(i % 4) + 1], i, 100 + (i % 900), 10 + (i % 300)
		}
	}' >"$log.tmp"
	mv "$log.tmp" "$log"
else
	echo "bench: reusing $log" >&2
fi
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null # read it once so the runs measure costaudit, not the disk
awk -v p="$log" -v b="$bytes" -v n="$WORKFLOWS" 'BEGIN { printf "log: %s, %.0f MB, %d workflows\n", p, b / 1e6, n }'

fail=0
for f in $FORMATS; do
	out="$BENCH_DIR/report.$f"
	timing="$BENCH_DIR/time.$f.txt"
	# shellcheck disable=SC2086 # ANALYZE_ARGS is a list of flags
	if ! /usr/bin/time -v "$bin" analyze --no-progress --format "$f" -o "$out" $ANALYZE_ARGS "$log" 2>"$timing"; then
		echo "bench: costaudit analyze --format $f failed:" >&2
		cat "$timing" >&2
		exit 1
	fi
	rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $NF}' "$timing")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($NF, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		print s }' "$timing")
	verdict=ok
	if [ "$((rss_kb / 1024))" -gt "$LIMIT_MB" ]; then
		verdict="OVER ${LIMIT_MB} MB"
		fail=1
	fi
	awk -v f="$f" -v w="$wall" -v k="$rss_kb" -v v="$verdict" 'BEGIN { printf "%-9s wall %7.1f s   peak RSS %7.1f MB   %s\n", f, w, k / 1024, v }'
done
exit "$fail"
