#!/usr/bin/env bash
# check-sql.sh runs the query of `costaudit sql` in real engines over the
# example log and checks that `costaudit analyze --aggregates` on each
# result gives the streaming engine's report. The only allowed differences
# are the coverage of the example's 3 lines that are not JSON (left out when
# loading the table: a table has no such rows) and the format name
# ("aggregates"). DuckDB is checked by go test -tags duckdb.
#
#   clickhouse: chDB (ClickHouse in-process, from npm; needs node and npm;
#               CHDB_DIR reuses a directory where `npm install chdb` ran)
#   postgres:   a throwaway PostgreSQL cluster (needs initdb, pg_ctl and psql
#               of PostgreSQL 12 or later; PG_BIN names their directory;
#               run as root it uses the postgres user)
#
# Usage: scripts/check-sql.sh [clickhouse|postgres|all] [LOG]
#   FLAGS="--tz Europe/Paris --since 2026-11-03" also passes those flags to
#   costaudit sql and to both analyze runs; SQL_FLAGS only to costaudit sql
#   (--tag-key feature) and ANALYZE_FLAGS only to analyze (--rules FILE).
set -euo pipefail
read -r -a flags <<<"${FLAGS:-}"
read -r -a sql_flags <<<"${SQL_FLAGS:-}"
read -r -a analyze_flags <<<"${ANALYZE_FLAGS:-}"
cd "$(dirname "$0")/.."
which=${1:-all}
log=${2:-examples/logs/canonical.jsonl}
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
	if [ -f "$work/pg/data/postmaster.pid" ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/costaudit" ./cmd/costaudit
"$work/costaudit" analyze -f json "${flags[@]}" "${analyze_flags[@]}" "$log" >"$work/stream.json"

# The lines of the log that are JSON objects, for loading into a table.
node -e '
const fs = require("fs");
const good = fs.readFileSync(process.argv[1], "utf8").split("\n").filter((l) => {
  try { const v = JSON.parse(l); return v !== null && typeof v === "object" && !Array.isArray(v); } catch { return false; }
});
fs.writeFileSync(process.argv[2], good.join("\n") + "\n");' "$log" "$work/records.jsonl"
chmod 644 "$work/records.jsonl"

# compare AGG.csv ENGINE: the report from the aggregates against the
# streaming report, allowing only the differences named above.
compare() {
	"$work/costaudit" analyze -f json "${flags[@]}" "${analyze_flags[@]}" --aggregates "$1" >"$1.json"
	node -e '
const fs = require("fs");
const [a, b] = [process.argv[1], process.argv[2]].map((p) => JSON.parse(fs.readFileSync(p, "utf8")));
const bad = a.coverage.rejected_by_reason["invalid json"] || 0;
a.coverage.lines -= bad;
a.coverage.rejected -= bad;
delete a.coverage.rejected_by_reason["invalid json"];
a.coverage.formats = { aggregates: 1 };
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
let diff = 0;
for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
  if (canon(a[k]) !== canon(b[k])) {
    console.error(`${process.argv[3]}: report key ${k} differs:\n  streaming ${canon(a[k]).slice(0, 400)}\n  sql       ${canon(b[k]).slice(0, 400)}`);
    diff++;
  }
}
if (diff) process.exit(1);
console.log(`${process.argv[3]}: same report as the streaming engine (${a.coverage.records} records, cost ${a.totals.cost_usd} USD; ${bad} non-JSON lines not in the table)`);
' "$work/stream.json" "$1.json" "$2"
}

check_clickhouse() {
	local chdb_dir=${CHDB_DIR:-$work/chdb}
	if [ ! -d "$chdb_dir/node_modules/chdb" ]; then
		mkdir -p "$chdb_dir"
		(cd "$chdb_dir" && npm install --silent chdb@3.4.0 >/dev/null)
	fi
	"$work/costaudit" sql --dialect clickhouse --table llm_requests "${flags[@]}" "${sql_flags[@]}" >"$work/clickhouse.sql"
	NODE_PATH="$chdb_dir/node_modules" node -e '
const { Session } = require("chdb");
const fs = require("fs");
const [records, sqlPath, outPath] = process.argv.slice(1);
const cols = "ts Nullable(String), request_id Nullable(String), provider Nullable(String), model Nullable(String), " +
  "workflow Nullable(String), source Nullable(String), mode Nullable(String), user_waiting Nullable(String), " +
  "input_tokens Nullable(Int64), cache_read_tokens Nullable(Int64), cache_write_5m_tokens Nullable(Int64), " +
  "cache_write_1h_tokens Nullable(Int64), output_tokens Nullable(Int64), reasoning_tokens Nullable(Int64), " +
  "ttft_ms Nullable(Float64), latency_ms Nullable(Float64), status Nullable(String), max_tokens Nullable(Int64), " +
  "logged_cost_usd Nullable(String), team Nullable(String), tags Map(String, String)";
const s = new Session();
s.query(`CREATE TABLE llm_requests (${cols}) ENGINE = Memory`);
s.query(`INSERT INTO llm_requests SELECT * FROM file(\x27${records}\x27, \x27JSONEachRow\x27, \x27${cols}\x27)`);
console.log("clickhouse: ClickHouse " + s.query("SELECT version()", "TSV").trim() + " (chDB), " + s.query("SELECT count() FROM llm_requests", "TSV").trim() + " records");
fs.writeFileSync(outPath, s.query(fs.readFileSync(sqlPath, "utf8"), "CSVWithNames"));
s.close();' "$work/records.jsonl" "$work/clickhouse.sql" "$work/clickhouse.csv"
	compare "$work/clickhouse.csv" clickhouse
}

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
	else
		"$@"
	fi
}

check_postgres() {
	PG_BIN=${PG_BIN:-$(dirname "$(readlink -f "$(command -v pg_ctl)")")}
	mkdir -p "$work/pg"
	[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
	as_pg "$PG_BIN/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
	as_pg "$PG_BIN/pg_ctl" -D "$work/pg/data" -o "-k $work/pg -c listen_addresses=" -l "$work/pg/log.txt" -w start >/dev/null
	local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -U postgres)
	"${psql[@]}" <<SQL
CREATE TABLE raw_lines (line text);
\copy raw_lines FROM '$work/records.jsonl' WITH (FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01')
CREATE TABLE llm_requests AS
SELECT j->>'ts' AS ts, j->>'request_id' AS request_id, j->>'provider' AS provider, j->>'model' AS model,
  j->>'workflow' AS workflow, j->>'source' AS source, j->>'mode' AS mode, (j->>'user_waiting')::boolean AS user_waiting,
  (j->>'input_tokens')::bigint AS input_tokens, (j->>'cache_read_tokens')::bigint AS cache_read_tokens,
  (j->>'cache_write_5m_tokens')::bigint AS cache_write_5m_tokens, (j->>'cache_write_1h_tokens')::bigint AS cache_write_1h_tokens,
  (j->>'output_tokens')::bigint AS output_tokens, (j->>'reasoning_tokens')::bigint AS reasoning_tokens,
  (j->>'ttft_ms')::double precision AS ttft_ms, (j->>'latency_ms')::double precision AS latency_ms,
  j->>'status' AS status, (j->>'max_tokens')::bigint AS max_tokens, j->>'logged_cost_usd' AS logged_cost_usd,
  j->>'team' AS team, j->'tags' AS tags
FROM (SELECT line::jsonb AS j FROM raw_lines) s;
SQL
	echo "postgres: $("${psql[@]}" -At -c 'SHOW server_version'), $("${psql[@]}" -At -c 'SELECT count(*) FROM llm_requests') records"
	"$work/costaudit" sql --dialect postgres --table llm_requests "${flags[@]}" "${sql_flags[@]}" | grep -v '^--' >"$work/postgres.sql"
	"${psql[@]}" -c "COPY ($(cat "$work/postgres.sql")) TO STDOUT WITH (FORMAT csv, HEADER)" >"$work/postgres.csv"
	compare "$work/postgres.csv" postgres
}

case $which in
clickhouse) check_clickhouse ;;
postgres) check_postgres ;;
all)
	check_clickhouse
	check_postgres
	;;
*)
	echo "usage: scripts/check-sql.sh [clickhouse|postgres|all] [LOG]" >&2
	exit 2
	;;
esac
