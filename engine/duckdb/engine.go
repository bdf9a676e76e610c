//go:build duckdb

package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/audit"
	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
	"github.com/costaudit/costaudit/audit/record"
)

// Options say what to read and how.
type Options struct {
	// Inputs are files, directories (walked for *.jsonl, *.ndjson, *.json
	// and *.parquet, optionally .gz or .zst for JSON) or glob patterns.
	// Files ending in .parquet are read as Parquet, the rest as canonical
	// JSONL.
	Inputs []string
	// Query says how to sum the records: the long-context thresholds of the
	// price books (aggsql.LongContextThresholds), the tag keys counted for
	// classification rules, the time zone of days and the time window.
	// Its Dialect, Table and RejectColumn are set by Aggregate.
	Query aggsql.Options
	// Threads caps DuckDB's worker threads; 0 lets DuckDB choose.
	Threads int
}

// Result describes what Aggregate read.
type Result struct {
	// Files is the number of input files; Formats counts them by format
	// ("canonical" for JSONL, "parquet" for Parquet).
	Files   int
	Formats map[string]int64
}

// Format names of the inputs in Result.Formats.
const (
	FormatJSONL   = "canonical"
	FormatParquet = "parquet"
)

// jsonColumns are the canonical fields read from JSONL and Parquet, with
// their DuckDB types (record.Kind.SQLType), in the order of the field
// table.
var jsonColumns = func() [][2]string {
	cols := make([][2]string, len(record.Fields))
	for i, f := range record.Fields {
		cols[i] = [2]string{f.Name, f.Kind.SQLType()}
	}
	return cols
}()

// microsColumn is the column of the engine's table holding a typed
// timestamp in microseconds (Parquet), NULL for JSONL lines.
const microsColumn = "ts_micros"

// rejectColumn is the column of the engine's table holding the reason a
// line is not a record before any field is looked at.
const rejectColumn = "line_reject"

// JSONLSelect returns a DuckDB SELECT that reads canonical JSONL files line
// by line (a line is never merged with the next, whatever it holds), with
// the canonical fields typed as the aggregate query expects, the column
// line_reject ("invalid json", "not a json object", "non-integer token
// count" or "bad value" for a line that is not a record as the canonical
// decoder reads it, NULL for the others) and the column ts_micros (NULL:
// JSONL timestamps are text). Blank lines are skipped; lines that are not
// UTF-8 go to DuckDB's reject_errors table.
func JSONLSelect(files []string) string {
	// json_transform parses each line once into text fields (numbers keep
	// their JSON spelling), far faster than one path lookup per field.
	var st, sel, nonInt, badValue []string
	for _, c := range jsonColumns {
		typ := "VARCHAR"
		if c[1] == "JSON" {
			typ = "JSON"
		}
		st = append(st, fmt.Sprintf(`"%s": "%s"`, c[0], typ))
		v := "v." + c[0]
		switch c[1] {
		case "VARCHAR", "JSON":
			sel = append(sel, v+" AS "+c[0])
		case "BIGINT":
			n := countValue(v)
			sel = append(sel, n+" AS "+c[0])
			nonInt = append(nonInt, "("+v+" <> '' AND "+n+" IS NULL)")
		default:
			sel = append(sel, "TRY_CAST("+v+" AS "+c[1]+") AS "+c[0])
			badValue = append(badValue, "("+v+" IS NOT NULL AND TRY_CAST("+v+" AS DOUBLE) IS NULL)")
		}
	}
	sel = append(sel, "CAST(NULL AS BIGINT) AS "+microsColumn)
	// One parse per line: try() turns a line that is not JSON into NULL;
	// a JSON value that is not an object either is NULL too ("null") or
	// does not start with "{" (then its fields are NULL).
	return fmt.Sprintf("SELECT CASE WHEN v IS NULL AND NOT json_valid(line) THEN '%s' WHEN v IS NULL OR NOT starts_with(ltrim(line), '{') THEN '%s' WHEN %s THEN '%s' WHEN %s THEN '%s' END AS %s, %s "+
		"FROM (SELECT line, try(json_transform(line, '{%s}')) AS v "+
		"FROM read_csv(%s, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', auto_detect = false, null_padding = false, strict_mode = false, ignore_errors = true, store_rejects = true) "+
		"WHERE line IS NOT NULL AND trim(line) <> '')",
		audit.ReasonInvalidJSON, audit.ReasonNotObject, strings.Join(nonInt, " OR "), audit.ReasonNotInteger,
		strings.Join(badValue, " OR "), audit.ReasonBadValue, rejectColumn,
		strings.Join(sel, ", "), strings.Join(st, ", "), sqlList(files))
}

// countValue returns the SQL reading a token count from its JSON text as
// the canonical decoder does: "" is absent, digits are the count, a number
// with an integral value (12.0, 1e3) is that count, a negative number that
// is not the integer -1 is -2 (rejected later; max_tokens -1 means no
// ceiling), an integer too large for a count (more than 18 digits, or a
// float integer above 2^53) is the largest BIGINT (rejected later as "token
// count too large"), anything else is NULL (rejected as a non-integer token
// count). TRY_CAST alone would round "1.5".
func countValue(v string) string {
	f := "TRY_CAST(" + v + " AS DOUBLE)"
	num := "regexp_full_match(" + v + ", '-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?')"
	return "CASE WHEN " + v + " = '' THEN NULL" +
		" WHEN regexp_full_match(" + v + ", '-?[0-9]{1,18}') THEN CASE WHEN CAST(" + v + " AS BIGINT) < -1 THEN -2 ELSE CAST(" + v + " AS BIGINT) END" +
		" WHEN regexp_full_match(" + v + ", '[0-9]{19,}') THEN 9223372036854775807" +
		" WHEN " + num + " AND " + f + " < 0 THEN -2" +
		" WHEN " + num + " AND " + f + " = trunc(" + f + ") AND " + f + " <= 9007199254740992 THEN CAST(" + f + " AS BIGINT)" +
		" WHEN " + num + " AND " + f + " = trunc(" + f + ") THEN 9223372036854775807 END"
}

// Expand turns the inputs into sorted lists of JSONL and Parquet files.
func Expand(inputs []string) (jsonl, parquet []string, err error) {
	seen := map[string]bool{}
	add := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		if strings.HasSuffix(strings.ToLower(p), ".parquet") {
			parquet = append(parquet, p)
		} else {
			jsonl = append(jsonl, p)
		}
	}
	for _, in := range inputs {
		if in == "-" {
			return nil, nil, fmt.Errorf("input -: the duckdb engine reads files, not standard input")
		}
		st, err := os.Stat(in)
		switch {
		case err == nil && st.IsDir():
			err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && wanted(p) {
					add(p)
				}
				return nil
			})
			if err != nil {
				return nil, nil, fmt.Errorf("input %s: %w", in, err)
			}
		case err == nil:
			add(in)
		case strings.ContainsAny(in, "*?["):
			m, gerr := filepath.Glob(in)
			if gerr != nil {
				return nil, nil, fmt.Errorf("input %s: %w", in, gerr)
			}
			if len(m) == 0 {
				return nil, nil, fmt.Errorf("input %s: no file matches", in)
			}
			for _, p := range m {
				add(p)
			}
		default:
			return nil, nil, fmt.Errorf("input %s: %w", in, err)
		}
	}
	sort.Strings(jsonl)
	sort.Strings(parquet)
	if len(jsonl)+len(parquet) == 0 {
		return nil, nil, fmt.Errorf("inputs %s: no .jsonl, .ndjson, .json or .parquet file", strings.Join(inputs, " "))
	}
	return jsonl, parquet, nil
}

func wanted(p string) bool {
	p = strings.ToLower(p)
	if strings.HasSuffix(p, ".parquet") {
		return true
	}
	p = strings.TrimSuffix(strings.TrimSuffix(p, ".gz"), ".zst")
	return strings.HasSuffix(p, ".jsonl") || strings.HasSuffix(p, ".ndjson") || strings.HasSuffix(p, ".json")
}

func sqlList(files []string) string {
	q := make([]string, len(files))
	for i, f := range files {
		q[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Aggregate reads the inputs with DuckDB, runs the aggregate query of
// package aggsql over them and calls fn with each aggregate record. The
// coverage records count every non-blank JSONL line and every Parquet row:
// a line that is not JSON is rejected as "invalid json", as the streaming
// engine does.
func Aggregate(ctx context.Context, o Options, fn func(*aggregate.FileRecord) error) (Result, error) {
	jsonl, parquet, err := Expand(o.Inputs)
	if err != nil {
		return Result{}, err
	}
	res := Result{Files: len(jsonl) + len(parquet), Formats: map[string]int64{}}
	if len(jsonl) > 0 {
		res.Formats[FormatJSONL] = int64(len(jsonl))
	}
	if len(parquet) > 0 {
		res.Formats[FormatParquet] = int64(len(parquet))
	}
	db, err := open()
	if err != nil {
		return res, fmt.Errorf("duckdb: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("duckdb: %w", err)
	}
	defer conn.Close()
	settings := []string{"SET TimeZone = 'UTC'", "SET preserve_insertion_order = false"}
	if o.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", o.Threads))
	}
	for _, s := range settings {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return res, fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}

	var parts []string
	if len(jsonl) > 0 {
		parts = append(parts, JSONLSelect(jsonl))
	}
	if len(parquet) > 0 {
		have, err := parquetColumns(ctx, conn, parquet)
		if err != nil {
			return res, err
		}
		sel := []string{"CAST(NULL AS VARCHAR) AS " + rejectColumn}
		// A typed timestamp skips the text parsing of ts.
		switch have["ts"] {
		case "TIMESTAMP WITH TIME ZONE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S":
			sel = append(sel, "epoch_us(ts) AS "+microsColumn)
		default:
			sel = append(sel, "CAST(NULL AS BIGINT) AS "+microsColumn)
		}
		for _, c := range jsonColumns {
			typ, ok := have[c[0]]
			switch {
			case !ok:
				sel = append(sel, "CAST(NULL AS "+c[1]+") AS "+c[0])
			case c[0] == "tags" && typ != "VARCHAR" && typ != "JSON":
				// Tags in a MAP or a STRUCT become a JSON object.
				sel = append(sel, "CAST(to_json(tags) AS JSON) AS tags")
			default:
				sel = append(sel, c[0])
			}
		}
		parts = append(parts, fmt.Sprintf("SELECT %s FROM read_parquet(%s, union_by_name = true)", strings.Join(sel, ", "), sqlList(parquet)))
	}
	table := "(" + strings.Join(parts, " UNION ALL BY NAME ") + ") AS logs"
	qo := o.Query
	qo.Dialect, qo.Table, qo.RejectColumn = "duckdb", table, rejectColumn
	qo.MicrosColumn = microsColumn
	q, err := aggsql.Generate(qo)
	if err != nil {
		return res, err
	}

	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return res, fmt.Errorf("duckdb: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return res, fmt.Errorf("duckdb: %w", err)
		}
		if err := fn(rec); err != nil {
			return res, err
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("duckdb: %w", err)
	}
	if len(jsonl) > 0 {
		// Lines DuckDB could not read as text (invalid UTF-8) are kept in
		// reject_errors; count them so that no line goes missing.
		var bad int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM reject_errors").Scan(&bad); err != nil {
			return res, fmt.Errorf("duckdb: %w", err)
		}
		if bad > 0 {
			for _, r := range []*aggregate.FileRecord{
				{Kind: aggregate.KindScanned, Requests: bad},
				{Kind: aggregate.KindRejected, Reason: ReasonInvalidUTF8, Requests: bad},
			} {
				if err := fn(r); err != nil {
					return res, err
				}
			}
		}
	}
	return res, nil
}

// ReasonInvalidUTF8 is the rejection reason of a JSONL line that is not
// valid UTF-8, which DuckDB cannot read as text. (The streaming engine
// reads such a line and keeps its bytes as they are.)
const ReasonInvalidUTF8 = "invalid utf-8"

// parquetColumns returns the column names of the Parquet files and their
// DuckDB types.
func parquetColumns(ctx context.Context, conn *sql.Conn, files []string) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(%s, union_by_name = true))", sqlList(files)))
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	defer rows.Close()
	have := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		have[name] = typ
	}
	return have, rows.Err()
}

func scanRecord(rows *sql.Rows) (*aggregate.FileRecord, error) {
	var (
		r      aggregate.FileRecord
		bil    int64
		lc     int64
		dec    any
		groups string
	)
	err := rows.Scan(&r.Kind, &r.Workflow, &r.Provider, &r.Model, &r.Mode, &bil, &lc, &r.Day,
		&r.InputAbove, &r.Source, &r.Team, &r.UserWaiting, &r.TTFTBucket, &r.Tag, &r.Bin, &r.Reason, &groups,
		&r.Requests, &r.InputTokens, &r.CacheReadTokens, &r.CacheWrite5mTokens, &r.CacheWrite1hTokens,
		&r.OutputTokens, &r.ReasoningTokens, &r.CancelledStreams, &r.CancelledOutputTokens,
		&r.CancelledWithMax, &r.CancelledHeadroomTokens, &dec, &r.TTFTSumMS, &r.FirstTSUS, &r.LastTSUS)
	if err != nil {
		return nil, err
	}
	r.Billed, r.LoggedCost = bil == 1, lc == 1
	d, err := decimalOf(dec)
	if err != nil {
		return nil, fmt.Errorf("logged_cost_usd: %w", err)
	}
	r.LoggedCostUSD = d
	if groups != "" {
		if err := json.Unmarshal([]byte(groups), &r.Groups); err != nil {
			return nil, fmt.Errorf("groups %q: %w", groups, err)
		}
		if len(r.Groups) == 0 {
			r.Groups = nil
		}
	}
	return &r, nil
}

// decimalOf converts the DuckDB DECIMAL the driver returns to an exact
// decimal.
func decimalOf(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case nil:
		return decimal.Zero, nil
	case string:
		return decimal.NewFromString(x)
	case fmt.Stringer:
		return decimal.NewFromString(x.String())
	}
	return decimal.Decimal{}, fmt.Errorf("unexpected value %T %v", v, v)
}
