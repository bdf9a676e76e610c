#!/usr/bin/env bash
# bench-duckdb.sh compares the streaming engine with the DuckDB engine on
# the same log: costaudit analyze --format json on a ~1 GB canonical JSONL
# (costaudit gen), --engine duckdb on that JSONL, and --engine duckdb on its
# Parquet copy (typed columns, zstd, written by DuckDB). It prints wall
# time, records/s, MB/s and peak RSS for each, and checks that the three
# reports agree (the Parquet one may differ only in coverage.formats).
#
# Usage: scripts/bench-duckdb.sh            (from anywhere in the repo)
# Environment:
#   SIZE=1GB        log size (costaudit gen --size syntax)
#   SEED=7          generator seed
#   BENCH_DIR=...   where binaries, logs and reports go (default
#                   ${TMPDIR:-/tmp}/costaudit-bench, shared with bench.sh,
#                   whose log of the same size and seed is reused)
#   WORKERS=0       --workers for both engines (0: one per CPU)
set -euo pipefail

SIZE=${SIZE:-1GB}
SEED=${SEED:-7}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/costaudit-bench}
WORKERS=${WORKERS:-0}

cd "$(dirname "$0")/.."
mkdir -p "$BENCH_DIR"
if [ ! -x /usr/bin/time ]; then
	echo "bench-duckdb: /usr/bin/time is missing (Debian package 'time')" >&2
	exit 1
fi

echo "bench-duckdb: building costaudit (pure Go) and costaudit -tags duckdb" >&2
go build -o "$BENCH_DIR/costaudit" ./cmd/costaudit
go build -tags duckdb -o "$BENCH_DIR/costaudit-duckdb" ./cmd/costaudit

log="$BENCH_DIR/canonical-$SIZE-seed$SEED.jsonl"
if [ ! -s "$log" ]; then
	echo "bench-duckdb: generating $log" >&2
	"$BENCH_DIR/costaudit" gen --format canonical --seed "$SEED" --size "$SIZE" -o "$log"
fi
parquet="${log%.jsonl}.parquet"
if [ ! -s "$parquet" ] || [ "$parquet" -ot "$log" ]; then
	echo "bench-duckdb: writing the Parquet copy $parquet" >&2
	go run -tags duckdb ./engine/duckdb/internal/toparquet "$parquet" "$log"
fi

# run NAME FILE ARGS...: time one analyze run, print one result line.
run() {
	local name=$1 file=$2
	shift 2
	cat "$file" >/dev/null # warm the page cache: measure costaudit, not the disk
	local timing="$BENCH_DIR/time-$name.txt"
	if ! /usr/bin/time -v "$@" analyze --format json --no-progress --workers "$WORKERS" -o "$BENCH_DIR/report-$name.json" "$file" 2>"$timing"; then
		echo "bench-duckdb: $name failed:" >&2
		cat "$timing" >&2
		exit 1
	fi
	local bytes records
	bytes=$(stat -c %s "$file")
	records=$(grep -oE '"records": *[0-9]+' "$BENCH_DIR/report-$name.json" | head -n 1 | grep -oE '[0-9]+$')
	awk -F': ' -v n="$name" -v b="$bytes" -v r="$records" '
		/Elapsed \(wall clock\)/ { k = split($NF, p, ":"); e = 0; for (i = 1; i <= k; i++) e = e * 60 + p[i] }
		/Maximum resident set size/ { rss = $NF }
		/User time/ { u = $NF }
		/System time/ { s = $NF }
		END {
			if (e <= 0) e = 0.01
			printf "%-16s %8.0f MB %10d records %8.2f s %10.0f records/s %7.0f MB/s %8.1f MB peak RSS (user %s s, sys %s s)\n", n, b / 1e6, r, e, r / e, b / 1e6 / e, rss / 1024, u, s
			printf "| %s | %.0f MB | %.1f s | %.0f | %.0f | %.0f MB |\n", n, b / 1e6, e, r / e, b / 1e6 / e, rss / 1024 >> md
		}' md="$BENCH_DIR/table.md" "$timing"
}

echo "bench-duckdb: $(nproc) CPUs, SIZE=$SIZE SEED=$SEED WORKERS=$WORKERS" >&2
printf '| run | input | wall | records/s | MB/s | peak RSS |\n|---|---|---|---|---|---|\n' >"$BENCH_DIR/table.md"
run streaming-jsonl "$log" "$BENCH_DIR/costaudit"
run duckdb-jsonl "$log" "$BENCH_DIR/costaudit-duckdb" --engine duckdb
run duckdb-parquet "$parquet" "$BENCH_DIR/costaudit-duckdb" --engine duckdb

if cmp -s "$BENCH_DIR/report-streaming-jsonl.json" "$BENCH_DIR/report-duckdb-jsonl.json"; then
	echo "reports: duckdb-jsonl identical to streaming-jsonl"
else
	echo "reports: duckdb-jsonl DIFFERS from streaming-jsonl" >&2
	exit 1
fi
if sed 's/"parquet": 1/"canonical": 1/' "$BENCH_DIR/report-duckdb-parquet.json" | cmp -s - "$BENCH_DIR/report-streaming-jsonl.json"; then
	echo "reports: duckdb-parquet identical to streaming-jsonl except coverage.formats"
	echo
	cat "$BENCH_DIR/table.md"
else
	echo "reports: duckdb-parquet DIFFERS from streaming-jsonl beyond coverage.formats" >&2
	exit 1
fi
