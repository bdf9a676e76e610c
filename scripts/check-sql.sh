#!/usr/bin/env bash
# check-clickhouse.sh runs the ClickHouse query of `costaudit sql` in a real
# ClickHouse (chDB, the in-process ClickHouse from npm) over the example log
# and checks that `costaudit analyze --aggregates` on its result gives the
# streaming engine's report. The only allowed differences are the coverage
# of the 3 example lines that are not JSON (left out when loading the table)
# and the format name ("aggregates").
#
# Usage: scripts/check-clickhouse.sh [LOG]   (needs go, node and npm;
# CHDB_DIR reuses an existing `npm install chdb` directory)
set -euo pipefail
cd "$(dirname "$0")/.."
log=${1:-examples/logs/canonical.jsonl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

chdb_dir=${CHDB_DIR:-$work/chdb}
if [ ! -d "$chdb_dir/node_modules/chdb" ]; then
	mkdir -p "$chdb_dir"
	(cd "$chdb_dir" && npm install --silent chdb@3.4.0 >/dev/null)
fi

go build -o "$work/costaudit" ./cmd/costaudit
"$work/costaudit" sql --dialect clickhouse --table llm_requests >"$work/query.sql"
"$work/costaudit" analyze -f json "$log" >"$work/stream.json"

cat >"$work/run.js" <<'JS'
const { Session } = require("chdb");
const fs = require("fs");
const [log, sqlPath, outPath] = process.argv.slice(2);
// Load the lines that are JSON objects: ClickHouse's JSONEachRow error
// recovery would also drop the line after a broken one.
const good = fs.readFileSync(log, "utf8").split("\n").filter((l) => {
  try { return typeof JSON.parse(l) === "object"; } catch { return false; }
});
fs.writeFileSync(outPath + ".in.jsonl", good.join("\n") + "\n");
const cols = "ts Nullable(String), request_id Nullable(String), provider Nullable(String), model Nullable(String), " +
  "workflow Nullable(String), source Nullable(String), mode Nullable(String), user_waiting Nullable(String), " +
  "input_tokens Nullable(Int64), cache_read_tokens Nullable(Int64), cache_write_5m_tokens Nullable(Int64), " +
  "cache_write_1h_tokens Nullable(Int64), output_tokens Nullable(Int64), reasoning_tokens Nullable(Int64), " +
  "ttft_ms Nullable(Float64), latency_ms Nullable(Float64), status Nullable(String), max_tokens Nullable(Int64), " +
  "logged_cost_usd Nullable(String), team Nullable(String), tags Map(String, String)";
const s = new Session();
s.query(`CREATE TABLE llm_requests (${cols}) ENGINE = Memory`);
s.query(`INSERT INTO llm_requests SELECT * FROM file('${outPath}.in.jsonl', 'JSONEachRow', '${cols}')`);
console.error("ClickHouse " + s.query("SELECT version()", "TSV").trim() + ": " + s.query("SELECT count() FROM llm_requests", "TSV").trim() + " records loaded");
fs.writeFileSync(outPath, s.query(fs.readFileSync(sqlPath, "utf8"), "CSVWithNames"));
JS
NODE_PATH="$chdb_dir/node_modules" node "$work/run.js" "$log" "$work/query.sql" "$work/agg.csv"
"$work/costaudit" analyze -f json --aggregates "$work/agg.csv" >"$work/agg.json"

cat >"$work/compare.js" <<'JS'
const fs = require("fs");
const [a, b] = process.argv.slice(2).map((p) => JSON.parse(fs.readFileSync(p, "utf8")));
const bad = a.coverage.rejected_by_reason["invalid json"] || 0;
a.coverage.lines -= bad;
a.coverage.rejected -= bad;
delete a.coverage.rejected_by_reason["invalid json"];
a.coverage.formats = { aggregates: 1 };
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
let diff = 0;
for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
  if (canon(a[k]) !== canon(b[k])) {
    console.error(`report key ${k} differs:\n  streaming  ${canon(a[k]).slice(0, 400)}\n  clickhouse ${canon(b[k]).slice(0, 400)}`);
    diff++;
  }
}
if (diff) process.exit(1);
console.error(`same report (${a.coverage.records} records, cost ${a.totals.cost_usd} USD); ${bad} non-JSON lines left out of the table`);
JS
node "$work/compare.js" "$work/stream.json" "$work/agg.json"
