#!/usr/bin/env bash
# bench-compare.sh times costaudit side by side with DuckDB and ccusage on
# the same inputs, in one run, and prints the ratios issue 18 sets targets
# for (costaudit's wall time over the other tool's):
#
#   canonical-1GB   1 GB canonical log: gen --format canonical --seed 7 --size 1GB
#                   costaudit analyze --format json  vs  DuckDB read_json GROUP BY
#   short-1M        1M shorter records (~290 MB): gen --strip-hints --requests 1000000 --seed 7
#                   costaudit analyze --format json  vs  DuckDB read_json GROUP BY
#   claude-code     a ~1.5 GB Claude Code tree of ~400k lines of ~3.7 KB, mostly
#                   message text: gen --format claude-code --content-bytes 2900 --size 1.5GB --seed 7
#                   costaudit analyze --format json  vs  ccusage claude daily --json --offline
#
# DuckDB runs from its Go package (engine/duckdb/internal/benchquery, built
# with -tags duckdb): read_json with explicit columns, GROUP BY workflow,
# provider, model, mode, day over the token sums, SET threads = $THREADS. It
# de-duplicates, prices and classifies nothing, so it is a lower bound on a SQL
# engine's share of the same audit. ccusage is 20.0.24 (installed with npm
# when missing).
#
# Each command runs $RUNS times after one untimed warm-up run (the page cache
# then holds the input); the figures are medians of wall time, CPU time
# (user + system) and peak RSS (/usr/bin/time). With BASE=path, a second
# costaudit binary (the build before a change) runs too, and the script fails
# unless its report is byte-identical to the new one on every input.
#
# Usage: scripts/bench-compare.sh           (from anywhere in the repo)
# Environment:
#   BENCH_DIR=...  binaries, logs and reports (default ${TMPDIR:-/tmp}/costaudit-bench;
#                  logs already there are reused, named as below)
#   RUNS=5         timed runs per command
#   THREADS=2      DuckDB threads (costaudit uses one worker per CPU)
#   BASE=          a costaudit binary to compare reports and times with
#   ONLY=          a space-separated subset of: canonical-1GB short-1M claude-code
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/costaudit-bench}
RUNS=${RUNS:-5}
THREADS=${THREADS:-2}
BASE=${BASE:-}
ONLY=${ONLY:-canonical-1GB short-1M claude-code}
CCUSAGE_VERSION=20.0.24

cd "$(dirname "$0")/.."
mkdir -p "$BENCH_DIR"
say() { echo "bench-compare: $*" >&2; }

for tool in /usr/bin/time jq; do
	if ! command -v "$tool" >/dev/null; then
		say "$tool is missing (Debian packages 'time', 'jq')"
		exit 2
	fi
done
if [ -n "$BASE" ] && [ ! -x "$BASE" ]; then
	say "BASE=$BASE is not an executable"
	exit 2
fi
if ! command -v ccusage >/dev/null || [[ "$(ccusage --version 2>/dev/null)" != *" $CCUSAGE_VERSION" ]]; then
	say "installing ccusage $CCUSAGE_VERSION with npm"
	npm install -g "ccusage@$CCUSAGE_VERSION" >&2
fi

say "building costaudit and DuckDB's query (-tags duckdb)"
bin="$BENCH_DIR/costaudit-new"
go build -o "$bin" ./cmd/costaudit
go build -tags duckdb -o "$BENCH_DIR/benchquery" ./engine/duckdb/internal/benchquery

canonical="$BENCH_DIR/canonical-1GB-seed7.jsonl"
short="$BENCH_DIR/short-1M-seed7.jsonl"
cctree="$BENCH_DIR/claude-code-1.5GB-seed7"
wanted() { [[ " $ONLY " == *" $1 "* ]]; }
if wanted canonical-1GB && [ ! -s "$canonical" ]; then
	say "generating $canonical"
	"$bin" gen --format canonical --seed 7 --size 1GB -o "$canonical"
fi
if wanted short-1M && [ ! -s "$short" ]; then
	say "generating $short"
	"$bin" gen --format canonical --strip-hints --requests 1000000 --seed 7 -o "$short"
fi
if wanted claude-code && [ ! -d "$cctree/projects" ]; then
	say "generating $cctree"
	"$bin" gen --format claude-code --content-bytes 2900 --size 1.5GB --seed 7 -o "$cctree"
fi

# measure NAME CMD...: runs CMD once untimed, then RUNS times under
# /usr/bin/time, and appends "NAME wall cpu rss_mb" (medians) to results.
results="$BENCH_DIR/compare-results.txt"
: >"$results"
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
measure() {
	local name=$1
	shift
	local t="$BENCH_DIR/time-$name.txt"
	"$@" >/dev/null
	: >"$t"
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -a -o "$t" -f "%e %U %S %M" "$@" >/dev/null
	done
	local wall cpu rss
	wall=$(awk '{print $1}' "$t" | median)
	cpu=$(awk '{print $2 + $3}' "$t" | median)
	rss=$(awk '{print $4 / 1024}' "$t" | median)
	echo "$name $wall $cpu $rss" >>"$results"
	printf '%-28s wall %6.2f s  cpu %6.2f s  rss %6.0f MB   (runs: %s)\n' "$name" "$wall" "$cpu" "$rss" "$(awk '{printf "%s ", $1}' "$t")" >&2
}

# compare_reports NAME INPUT: times costaudit (and BASE) on INPUT and checks that
# BASE's report is byte-identical.
compare_reports() {
	local name=$1 input=$2
	measure "costaudit:$name" "$bin" analyze --format json --no-progress -o "$BENCH_DIR/report-new-$name.json" "$input"
	if [ -n "$BASE" ]; then
		measure "base:$name" "$BASE" analyze --format json --no-progress -o "$BENCH_DIR/report-base-$name.json" "$input"
		if cmp -s "$BENCH_DIR/report-base-$name.json" "$BENCH_DIR/report-new-$name.json"; then
			say "$name: report byte-identical to BASE's"
		else
			say "$name: report DIFFERS from BASE's ($BENCH_DIR/report-{base,new}-$name.json)"
			exit 1
		fi
	fi
}

say "$(nproc) CPUs, RUNS=$RUNS, DuckDB $("$BENCH_DIR/benchquery" -version) with $THREADS threads, $(ccusage --version)"
if wanted canonical-1GB; then
	compare_reports canonical-1GB "$canonical"
	measure duckdb:canonical-1GB "$BENCH_DIR/benchquery" -threads "$THREADS" "$canonical"
fi
if wanted short-1M; then
	compare_reports short-1M "$short"
	measure duckdb:short-1M "$BENCH_DIR/benchquery" -threads "$THREADS" "$short"
fi
if wanted claude-code; then
	compare_reports claude-code "$cctree"
	measure ccusage:claude-code env CLAUDE_CONFIG_DIR="$cctree" TZ=UTC ccusage claude daily --json --offline
fi

echo
printf '| run | wall (median of %s) | CPU user+sys | peak RSS |\n|---|---|---|---|\n' "$RUNS"
awk '{printf "| %s | %.2f s | %.2f s | %.0f MB |\n", $1, $2, $3, $4}' "$results"
echo
ratio() { # ratio LABEL A B: A's wall and CPU over B's
	awk -v a="$2" -v b="$3" -v l="$1" '
		$1 == a { aw = $2; ac = $3 } $1 == b { bw = $2; bc = $3 }
		END { if (aw && bw) printf "%-34s %.2f (CPU time %.2f)\n", l, aw / bw, ac / bc }' "$results"
}
ratio "costaudit/DuckDB, canonical-1GB:" costaudit:canonical-1GB duckdb:canonical-1GB
ratio "costaudit/DuckDB, short-1M:" costaudit:short-1M duckdb:short-1M
ratio "costaudit/ccusage, claude-code:" costaudit:claude-code ccusage:claude-code
if [ -n "$BASE" ]; then
	for n in canonical-1GB short-1M claude-code; do
		ratio "new/base, $n:" "costaudit:$n" "base:$n"
	done
fi
