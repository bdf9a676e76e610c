// Package aggsql writes the SQL query that sums a table of canonical
// request records into the aggregate interchange format (aggregate.FileRecord,
// columns aggregate.FileColumns), for DuckDB, ClickHouse, BigQuery and
// PostgreSQL. Run the query where the records live and read its result
// with costaudit analyze --aggregates: the heavy GROUP BY runs in the
// warehouse, and costaudit prices, classifies and reports the sums.
//
// The query mirrors the canonical decoder of the streaming engine: the same
// defaults (mode sync, status ok, workflow "(unnamed)", provider in lower
// case), the same timestamps (RFC 3339, a missing zone meaning UTC, or Unix
// seconds, milliseconds, microseconds or nanoseconds by magnitude), the same
// rejections with the same reasons (missing ts or model, a bad timestamp, a
// negative token count, an unknown mode, status or user_waiting, no token
// count at all), and de-duplication by request_id keeping the copy with the
// most tokens. Copies of one request id that tie on tokens but differ in
// content are settled by the streaming engine with a content fingerprint
// the query cannot compute; the query keeps the one that started first.
//
// Tested engines: the DuckDB query runs in the tests (go test -tags duckdb)
// and gives the streaming engine's report; the ClickHouse query was run in
// ClickHouse 26.7 (chDB 3.4.0) and the PostgreSQL query in PostgreSQL 15
// with the same result (scripts/check-sql.sh). The BigQuery query is
// golden-tested only. PostgreSQL needs version 12 or later (MATERIALIZED
// CTEs); ClickHouse runs it with prefer_column_name_to_alias = 1 (set by
// the query).
package aggsql

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// Dialects are the SQL dialects Generate writes.
var Dialects = []string{"bigquery", "clickhouse", "duckdb", "postgres"}

// Fields are the canonical record fields a query reads, the keys --map
// may override: every field of the record table (record.Fields) but tags,
// which are mapped with the key "tags.KEY".
var Fields = func() []string {
	var out []string
	for _, f := range record.Fields {
		if f.Kind != record.KindTags {
			out = append(out, f.Name)
		}
	}
	return out
}()

// Options say what query to write.
type Options struct {
	// Dialect is one of Dialects.
	Dialect string
	// Table is the table (or table expression, such as
	// read_parquet('logs/*.parquet') in DuckDB) holding the records.
	Table string
	// Map maps a canonical field (one of Fields, or tags.KEY) to the
	// column or SQL expression that holds it; unmapped fields are read from
	// the column of the same name.
	Map map[string]string
	// Thresholds are the long-context thresholds of the price books
	// (LongContextThresholds); input_above is computed from them.
	Thresholds []int64
	// TagKeys are the tag keys whose values are counted per workflow, for
	// classification rules that match on tags.
	TagKeys []string
	// GroupBy lists the extra row keys, as analyze --group-by: "team" or
	// "tag:KEY". Their tag keys are counted per workflow too.
	GroupBy []string
	// RejectColumn names a column of the table holding a rejection reason
	// found before the query (such as "invalid json" for a line that is not
	// JSON), NULL for rows that are records; empty for none. Rows with a
	// reason are counted as rejected with it.
	RejectColumn string
	// MicrosColumn names a column of the table holding the request start
	// in microseconds since 1970-01-01 UTC where the table has it typed
	// (NULL where it does not): those rows skip parsing ts as text. Empty
	// for none.
	MicrosColumn string
	// TZ is the IANA time zone of the rows' calendar days ("" means UTC);
	// arrival records stay in UTC.
	TZ string
	// Since and Until bound the records summed, [Since, Until); a zero
	// time leaves that side open. Records outside are counted as filtered.
	Since, Until time.Time
}

// LongContextThresholds returns every distinct long-context threshold
// ("above = N" of a price tier) of every model entry of cat, ascending.
func LongContextThresholds(cat *pricing.Catalog) ([]int64, error) {
	seen := map[int64]bool{}
	for _, m := range cat.Models() {
		for _, v := range m.Versions {
			at, err := pricing.ParseDate(v)
			if err != nil {
				return nil, fmt.Errorf("model %s/%s: effective_from %q: %w", m.Provider, m.ID, v, err)
			}
			k, err := cat.Key(m.Provider, m.ID, at, math.MaxInt64)
			if err != nil {
				continue // the entry is not in force at its own date (an override)
			}
			for t := int8(1); t <= k.Tier; t++ {
				tk := k
				tk.Tier = t
				if a := cat.Entry(tk).TierAbove; a > 0 {
					seen[a] = true
				}
			}
		}
	}
	out := make([]int64, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

var (
	identRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	tzRE     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+/-]*$`)
	tagKeyRE = regexp.MustCompile(`^[A-Za-z0-9_.:/-]+$`)
)

// CheckMap validates one Options.Map entry (the CLI's --map argument) "field=column" and returns its parts.
func CheckMap(arg string) (field, expr string, err error) {
	field, expr, ok := strings.Cut(arg, "=")
	field, expr = strings.TrimSpace(field), strings.TrimSpace(expr)
	if !ok || field == "" || expr == "" {
		return "", "", fmt.Errorf("map %q: want canonical_field=column, e.g. ts=created_at", arg)
	}
	if k, ok := strings.CutPrefix(field, "tags."); ok {
		if !tagKeyRE.MatchString(k) {
			return "", "", fmt.Errorf("map %q: tag key %q: use letters, digits and _ . : / -", arg, k)
		}
		return field, expr, nil
	}
	for _, f := range Fields {
		if f == field {
			return field, expr, nil
		}
	}
	return "", "", fmt.Errorf("map %q: unknown canonical field %q (fields: %s, tags.KEY)", arg, field, strings.Join(Fields, ", "))
}

// dialect writes the expressions that differ between engines.
type dialect struct {
	name string
	// str casts to a string; i64 to a 64-bit integer; dec to the decimal
	// of logged costs.
	str, i64, dec func(string) string
	// isoUS turns an RFC 3339 text (zone optional, meaning UTC) into
	// microseconds since 1970-01-01 UTC, NULL when it does not parse.
	isoUS func(string) string
	// re matches a text against an anchored regular expression; f64 casts
	// a text to a float.
	re  func(s, pattern string) string
	f64 func(string) string
	// day formats microseconds as the UTC date YYYY-MM-DD; dayIn as the
	// date in a time zone.
	day   func(string) string
	dayIn func(x, tz string) string
	// idiv and mod are integer division and remainder.
	idiv, mod func(a, b string) string
	// tag reads a tag from the tags column; jsonArray writes texts as a
	// JSON array of strings.
	tag       func(key string) string
	jsonArray func(texts []string) string
	decZero   string
}

func dialectFor(name string) (*dialect, error) {
	d := &dialect{name: name}
	d.idiv = func(a, b string) string { return "(" + a + ") / " + b }
	d.mod = func(a, b string) string { return "(" + a + ") % " + b }
	switch name {
	case "duckdb":
		d.str = func(x string) string { return "CAST(" + x + " AS VARCHAR)" }
		d.i64 = func(x string) string { return "CAST(" + x + " AS BIGINT)" }
		d.dec = func(x string) string { return "TRY_CAST(CAST(" + x + " AS VARCHAR) AS DECIMAL(38,18))" }
		d.decZero = "CAST(0 AS DECIMAL(38,18))"
		d.isoUS = func(s string) string {
			return "CASE WHEN regexp_matches(" + s + ", '" + zoneRE + "') THEN epoch_us(TRY_CAST(" + s + " AS TIMESTAMPTZ)) ELSE epoch_us(TRY_CAST(" + s + " AS TIMESTAMP)) END"
		}
		d.re = func(s, p string) string { return "regexp_matches(" + s + ", '" + p + "')" }
		d.f64 = func(s string) string { return "TRY_CAST(" + s + " AS DOUBLE)" }
		d.day = func(x string) string { return "strftime(make_timestamp(" + x + "), '%Y-%m-%d')" }
		d.dayIn = func(x, tz string) string {
			return "strftime(timezone('" + tz + "', timezone('UTC', make_timestamp(" + x + "))), '%Y-%m-%d')"
		}
		d.idiv = func(a, b string) string { return "(" + a + ") // " + b }
		// to_json reads a STRUCT, a MAP and a JSON column alike.
		d.tag = func(k string) string { return "json_extract_string(to_json(tags), '$.\"" + k + "\"')" }
		d.jsonArray = func(x []string) string { return "CAST(to_json([" + strings.Join(x, ", ") + "]) AS VARCHAR)" }
	case "clickhouse":
		d.str = func(x string) string { return "toString(" + x + ")" }
		d.i64 = func(x string) string { return "toInt64(" + x + ")" }
		d.dec = func(x string) string { return "toDecimal128OrNull(toString(" + x + "), 18)" }
		d.decZero = "toDecimal128(0, 18)"
		d.isoUS = func(s string) string {
			return "toUnixTimestamp64Micro(parseDateTime64BestEffortOrNull(" + s + ", 6, 'UTC'))"
		}
		d.re = func(s, p string) string { return "match(" + s + ", '" + p + "')" }
		d.f64 = func(s string) string { return "toFloat64OrNull(" + s + ")" }
		d.day = func(x string) string {
			return "formatDateTime(fromUnixTimestamp64Micro(" + x + ", 'UTC'), '%Y-%m-%d', 'UTC')"
		}
		d.dayIn = func(x, tz string) string {
			return "formatDateTime(fromUnixTimestamp64Micro(" + x + ", 'UTC'), '%Y-%m-%d', '" + tz + "')"
		}
		d.idiv = func(a, b string) string { return "intDiv(" + a + ", " + b + ")" }
		// A Map answers '' for a missing key; a missing tag is NULL.
		d.tag = func(k string) string { return "if(mapContains(tags, '" + k + "'), tags['" + k + "'], NULL)" }
		d.jsonArray = func(x []string) string { return "toJSONString([" + strings.Join(x, ", ") + "])" }
	case "bigquery":
		d.str = func(x string) string { return "CAST(" + x + " AS STRING)" }
		d.i64 = func(x string) string { return "CAST(" + x + " AS INT64)" }
		d.dec = func(x string) string { return "SAFE_CAST(CAST(" + x + " AS STRING) AS BIGNUMERIC)" }
		d.decZero = "CAST(0 AS BIGNUMERIC)"
		d.isoUS = func(s string) string { return "UNIX_MICROS(SAFE_CAST(" + s + " AS TIMESTAMP))" }
		d.re = func(s, p string) string { return "REGEXP_CONTAINS(" + s + ", r'" + p + "')" }
		d.f64 = func(s string) string { return "SAFE_CAST(" + s + " AS FLOAT64)" }
		d.day = func(x string) string { return "FORMAT_TIMESTAMP('%Y-%m-%d', TIMESTAMP_MICROS(" + x + "), 'UTC')" }
		d.dayIn = func(x, tz string) string {
			return "FORMAT_TIMESTAMP('%Y-%m-%d', TIMESTAMP_MICROS(" + x + "), '" + tz + "')"
		}
		d.idiv = func(a, b string) string { return "DIV(" + a + ", " + b + ")" }
		d.mod = func(a, b string) string { return "MOD(" + a + ", " + b + ")" }
		d.tag = func(k string) string { return "JSON_VALUE(tags, '$." + k + "')" }
		d.jsonArray = func(x []string) string { return "TO_JSON_STRING([" + strings.Join(x, ", ") + "])" }
	case "postgres":
		d.str = func(x string) string { return "CAST(" + x + " AS TEXT)" }
		d.i64 = func(x string) string { return "CAST(" + x + " AS BIGINT)" }
		d.dec = func(x string) string {
			t := "CAST(" + x + " AS TEXT)"
			return "CASE WHEN " + t + " ~ '" + decimalRE + "' THEN CAST(" + t + " AS NUMERIC) END"
		}
		d.decZero = "CAST(0 AS NUMERIC)"
		d.isoUS = pgISOMicros
		d.re = func(s, p string) string { return "(" + s + " ~ '" + p + "')" }
		d.f64 = func(s string) string { return "CAST(" + s + " AS DOUBLE PRECISION)" }
		d.day = func(x string) string {
			return "to_char(to_timestamp(" + x + " / 1000000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		}
		d.dayIn = func(x, tz string) string {
			return "to_char(to_timestamp(" + x + " / 1000000.0) AT TIME ZONE '" + tz + "', 'YYYY-MM-DD')"
		}
		d.tag = func(k string) string { return "tags->>'" + k + "'" }
		d.jsonArray = func(x []string) string { return "CAST(json_build_array(" + strings.Join(x, ", ") + ") AS TEXT)" }
	default:
		return nil, fmt.Errorf("dialect %q: unknown (allowed: %s)", name, strings.Join(Dialects, ", "))
	}
	return d, nil
}

// Regular expressions of timestamps (RE2 and POSIX alike): the start of an
// RFC 3339 time, and a zone at its end.
const (
	isoRE  = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}"
	zoneRE = "([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$"
)

// decimalRE matches the decimal numbers of logged costs.
const decimalRE = "^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$"

// pgISOMicros parses an RFC 3339 text into microseconds with arithmetic
// that cannot fail, so the query runs on PostgreSQL before 16 (which has
// no safe cast): a text that is not a valid time gives NULL.
func pgISOMicros(s string) string {
	part := func(from, n int) string { return fmt.Sprintf("CAST(substr(%s, %d, %d) AS INT)", s, from, n) }
	y, mo, d, h, mi, sec := part(1, 4), part(6, 2), part(9, 2), part(12, 2), part(15, 2), part(18, 2)
	first := "make_date(" + y + ", " + mo + ", 1)"
	frac := "COALESCE(CAST(rpad(substr(substring(" + s + " from '^.{19}[.]([0-9]+)'), 1, 6), 6, '0') AS BIGINT), 0)"
	sign := "substring(" + s + " from '([+-])[0-9]{2}:?[0-9]{0,2}$')"
	zh := "COALESCE(CAST(substring(" + s + " from '[+-]([0-9]{2}):?[0-9]{0,2}$') AS INT), 0)"
	zm := "COALESCE(CAST(substring(" + s + " from '[+-][0-9]{2}:?([0-9]{2})$') AS INT), 0)"
	offset := "CASE WHEN " + sign + " = '-' THEN -1 ELSE 1 END * (" + zh + " * 3600 + " + zm + " * 60) * CAST(1000000 AS BIGINT)"
	value := "(" + first + " - DATE '1970-01-01' + " + d + " - 1) * CAST(86400000000 AS BIGINT) + " + h + " * CAST(3600000000 AS BIGINT) + " +
		mi + " * CAST(60000000 AS BIGINT) + " + sec + " * CAST(1000000 AS BIGINT) + " + frac + " - COALESCE(" + offset + ", 0)"
	// Nested CASEs: PostgreSQL evaluates a CASE branch only when taken,
	// unlike the operands of AND.
	return "CASE WHEN " + s + " ~ '" + pgTimeRE + "' AND substr(" + s + ", 1, 4) <> '0000' THEN " +
		"CASE WHEN " + mo + " BETWEEN 1 AND 12 AND " + h + " <= 23 AND " + mi + " <= 59 AND " + sec + " <= 59 THEN " +
		"CASE WHEN " + d + " BETWEEN 1 AND EXTRACT(DAY FROM " + first + " + INTERVAL '1 month' - INTERVAL '1 day') THEN " +
		value + " END END END"
}

// pgTimeRE matches the RFC 3339 times pgISOMicros reads.
const pgTimeRE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$"

// Generate returns the query.
func Generate(o Options) (string, error) {
	d, err := dialectFor(o.Dialect)
	if err != nil {
		return "", err
	}
	if o.TZ != "" && !tzRE.MatchString(o.TZ) {
		return "", fmt.Errorf("time zone %q: want an IANA name such as Europe/Paris", o.TZ)
	}
	if o.MicrosColumn != "" && !identRE.MatchString(o.MicrosColumn) {
		return "", fmt.Errorf("micros column %q: want a column name", o.MicrosColumn)
	}
	if o.RejectColumn != "" && !identRE.MatchString(o.RejectColumn) {
		return "", fmt.Errorf("reject column %q: want a column name", o.RejectColumn)
	}
	if strings.TrimSpace(o.Table) == "" {
		return "", fmt.Errorf("table: empty; name the table of canonical records")
	}
	for f := range o.Map {
		if _, _, err := CheckMap(f + "=x"); err != nil {
			return "", err
		}
	}
	if err := aggregate.CheckGroupBy(o.GroupBy); err != nil {
		return "", err
	}
	// The tag keys counted: those asked for, then those grouped by, as the
	// aggregator counts them.
	seen := map[string]bool{}
	var tags []string
	for _, k := range o.TagKeys {
		if !seen[k] {
			seen[k] = true
			tags = append(tags, k)
		}
	}
	for _, gb := range o.GroupBy {
		if k, ok := strings.CutPrefix(gb, "tag:"); ok && !seen[k] {
			seen[k] = true
			tags = append(tags, k)
		}
	}
	o.TagKeys = tags
	for _, k := range o.TagKeys {
		if !tagKeyRE.MatchString(k) {
			return "", fmt.Errorf("tag key %q: use letters, digits and _ . : / -", k)
		}
	}
	col := func(f string) string {
		if e, ok := o.Map[f]; ok {
			return "(" + e + ")"
		}
		return f
	}
	g := &gen{d: d, o: o}
	g.write(o, col)
	return g.b.String(), nil
}

type gen struct {
	d *dialect
	o Options
	b strings.Builder
}

func (g *gen) p(format string, args ...any) { fmt.Fprintf(&g.b, format, args...) }

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// specialLabel marks the text fields that ca_raw reads with their own
// expression (an id, a lower-cased provider, the unnamed workflow, the mode
// and status texts normalized later); the other text fields are labels,
// read as they are.
var specialLabel = map[record.FieldID]bool{
	record.FieldRequestID: true, record.FieldProvider: true, record.FieldModel: true,
	record.FieldWorkflow: true, record.FieldMode: true, record.FieldStatus: true,
}

func (g *gen) write(o Options, col func(string) string) {
	d := g.d
	str := func(f string) string { return d.str(col(f)) }
	label := func(f string) string { return "COALESCE(" + str(f) + ", '')" }
	// The token fields, from the record table: the billed buckets (a
	// record needs one), the summed buckets (billed and reasoning) and
	// every token count (the buckets and max_tokens).
	tokens := record.BilledNames
	var summed, counts, input []string
	for _, f := range record.Fields {
		if f.Sum {
			summed = append(summed, f.Name)
		}
		if f.Kind == record.KindTokens {
			counts = append(counts, f.Name)
		}
		if f.Input {
			input = append(input, "COALESCE("+f.Name+", 0)")
		}
	}

	g.p("-- costaudit aggregate query (%s), format: costaudit analyze --aggregates.\n", d.name)
	g.p("-- Long-context thresholds from the price books: %s.\n", thresholdList(o.Thresholds))
	// ca_raw: the mapped fields, typed.
	// DuckDB and PostgreSQL compute ca_rec, read by every kind, once when
	// told; the others inline it.
	mat := ""
	if d.name == "duckdb" || d.name == "postgres" {
		mat = "MATERIALIZED "
	}
	g.p("WITH ca_raw AS (\n  SELECT\n")
	g.p("    %s AS ts_text,\n", str("ts"))
	g.p("    NULLIF(%s, '') AS request_id,\n", str("request_id"))
	g.p("    LOWER(%s) AS provider,\n", label("provider"))
	g.p("    %s AS model,\n", str("model"))
	g.p("    COALESCE(NULLIF(%s, ''), %s) AS workflow,\n", str("workflow"), sqlString(aggregate.UnnamedWorkflow))
	// The other labels (source, team) are read as they are, "" when absent.
	for i, f := range record.Fields {
		if f.Kind == record.KindString && !specialLabel[record.FieldID(i)] {
			g.p("    %s AS %s,\n", label(f.Name), f.Name)
		}
	}
	g.p("    COALESCE(NULLIF(%s, ''), 'sync') AS mode_text,\n", str("mode"))
	g.p("    CASE WHEN %s IS NULL THEN -1 WHEN %s IN ('true', '1') THEN 1 WHEN %s IN ('false', '0') THEN 0 ELSE -2 END AS user_waiting,\n",
		col("user_waiting"), str("user_waiting"), str("user_waiting"))
	for _, f := range counts {
		g.p("    %s AS %s,\n", d.i64(col(f)), f)
	}
	g.p("    %s AS ttft_ms,\n", d.i64("FLOOR("+col("ttft_ms")+" + 0.5)"))
	g.p("    %s AS latency_ms,\n", col("latency_ms"))
	g.p("    %s AS status_text,\n", str("status"))
	g.p("    %s AS logged_text,\n", str("logged_cost_usd"))
	g.p("    %s AS logged_cost_usd", d.dec(col("logged_cost_usd")))
	if o.RejectColumn != "" {
		g.p(",\n    %s AS pre_reject", o.RejectColumn)
	}
	if o.MicrosColumn != "" {
		g.p(",\n    %s AS ts_us", d.i64(o.MicrosColumn))
	}
	for i, k := range o.TagKeys {
		e := d.tag(k)
		if m, ok := o.Map["tags."+k]; ok {
			e = "(" + m + ")"
		}
		g.p(",\n    %s AS tag_%d", d.str(e), i)
	}
	g.p("\n  FROM %s\n),\n", o.Table)

	// ca_ts: the timestamp in microseconds, parsed as the canonical decoder
	// does: Unix seconds, milliseconds, microseconds or nanoseconds by
	// magnitude, fractional Unix seconds, or RFC 3339 (no zone means UTC).
	n := d.i64("ts_text")
	g.p("ca_ts AS (\n  SELECT\n    ca_raw.*,\n    CASE\n")
	if o.MicrosColumn != "" {
		g.p("      WHEN ts_us IS NOT NULL THEN ts_us\n")
	}
	g.p("      WHEN %s THEN CASE WHEN %s > 100000000000000000 THEN %s WHEN %s > 100000000000000 THEN %s WHEN %s > 100000000000 THEN %s * 1000 ELSE %s * 1000000 END\n",
		d.re("ts_text", "^[0-9]{1,18}$"), n, d.idiv(n, "1000"), n, n, n, n, n)
	g.p("      WHEN %s AND %s <= 100000000000 THEN %s\n", d.re("ts_text", "^[0-9]+[.][0-9]*$"), d.f64("ts_text"), d.i64("FLOOR("+d.f64("ts_text")+" * 1000000)"))
	g.p("      WHEN %s THEN %s\n", d.re("ts_text", isoRE), d.isoUS("ts_text"))
	g.p("    END AS us\n  FROM ca_raw\n),\n")

	// ca_chk: normalized values and the rejection reason, in the order the
	// canonical decoder checks them.
	g.p("ca_chk AS (\n  SELECT\n    ca_ts.*,\n")
	g.p("    CASE WHEN mode_text IN ('sync', 'stream', 'batch', 'flex', 'priority') THEN mode_text END AS mode,\n")
	g.p("    CASE\n")
	g.p("      WHEN status_text IS NULL OR status_text IN ('', 'ok', 'success', 'succeeded', 'completed') THEN 'ok'\n")
	g.p("      WHEN status_text IN ('error', 'errored', 'failed', 'failure') THEN 'error'\n")
	g.p("      WHEN status_text IN ('cancelled', 'canceled', 'aborted') THEN 'cancelled'\n")
	g.p("      WHEN status_text = 'expired' THEN 'expired'\n")
	g.p("    END AS status,\n")
	g.p("    %s AS total_input,\n", strings.Join(input, " + "))
	g.p("    CASE\n")
	if o.RejectColumn != "" {
		g.p("      WHEN pre_reject IS NOT NULL THEN pre_reject\n")
	}
	g.p("      WHEN ts_text IS NULL THEN 'missing field ts'\n")
	g.p("      WHEN us IS NULL THEN %s\n", sqlString(record.ReasonBadTimestamp))
	g.p("      WHEN model IS NULL THEN 'missing field model'\n")
	g.p("      WHEN model = '' THEN %s\n", sqlString(record.ReasonBadValue))
	var neg, none []string
	for _, f := range summed {
		neg = append(neg, f+" < 0")
	}
	for _, f := range tokens {
		none = append(none, f+" IS NULL")
	}
	g.p("      WHEN %s THEN %s\n", strings.Join(neg, " OR "), sqlString(record.ReasonNegative))
	g.p("      WHEN %s THEN 'missing field tokens'\n", strings.Join(none, " AND "))
	g.p("      WHEN mode_text NOT IN ('sync', 'stream', 'batch', 'flex', 'priority') THEN %s\n", sqlString(record.ReasonBadValue))
	g.p("      WHEN NOT (status_text IS NULL OR status_text IN ('', 'ok', 'success', 'succeeded', 'completed', 'error', 'errored', 'failed', 'failure', 'cancelled', 'canceled', 'aborted', 'expired')) THEN %s\n", sqlString(record.ReasonBadValue))
	g.p("      WHEN user_waiting = -2 THEN %s\n", sqlString(record.ReasonBadValue))
	g.p("      WHEN latency_ms < 0 OR ttft_ms < 0 THEN %s\n", sqlString(record.ReasonBadValue))
	g.p("      WHEN max_tokens < -1 THEN %s\n", sqlString(record.ReasonNegative))
	g.p("      WHEN logged_text IS NOT NULL AND logged_cost_usd IS NULL THEN %s\n", sqlString(record.ReasonBadValue))
	g.p("      WHEN us < %d OR us >= %d THEN %s\n", record.MinTimestamp.UnixMicro(), record.MaxTimestamp.UnixMicro(), sqlString(record.ReasonTimestampRange))
	var big []string
	for _, f := range summed {
		big = append(big, fmt.Sprintf("%s > %d", f, int64(record.MaxRecordTokens)))
	}
	g.p("      WHEN %s THEN %s\n", strings.Join(big, " OR "), sqlString(record.ReasonTooManyTokens))
	g.p("    END AS reason\n  FROM ca_ts\n),\n")

	// ca_num: valid records numbered within their request id.
	g.p("ca_num AS (\n  SELECT\n    ca_chk.*,\n")
	g.p("    ROW_NUMBER() OVER (PARTITION BY request_id ORDER BY total_input + COALESCE(output_tokens, 0) DESC, CASE WHEN status IN ('error', 'expired') OR (status = 'cancelled' AND mode = 'batch') THEN 0 ELSE 1 END DESC, us) AS copy_no\n")
	g.p("  FROM ca_chk\n  WHERE reason IS NULL\n),\n")

	// ca_rec: the kept records, with the derived keys.
	g.p("ca_rec AS %s(\n  SELECT\n    ca_num.*,\n", mat)
	g.p("    CASE WHEN status IN ('error', 'expired') OR (status = 'cancelled' AND mode = 'batch') THEN 0 ELSE 1 END AS billed,\n")
	g.p("    CASE WHEN status = 'cancelled' AND mode = 'stream' THEN 1 ELSE 0 END AS cancelled,\n")
	g.p("    CASE WHEN logged_cost_usd IS NULL THEN 0 ELSE 1 END AS logged_cost,\n")
	local := o.TZ != "" && o.TZ != "UTC"
	if local {
		g.p("    %s AS day,\n", d.dayIn("us", o.TZ))
		g.p("    %s AS utc_day,\n", d.day("us"))
	} else {
		g.p("    %s AS day,\n", d.day("us"))
	}
	if len(o.GroupBy) > 0 {
		vals := make([]string, len(o.GroupBy))
		for i, gb := range o.GroupBy {
			if k, ok := strings.CutPrefix(gb, "tag:"); ok {
				vals[i] = "COALESCE(tag_" + strconv.Itoa(indexOf(o.TagKeys, k)) + ", '')"
			} else {
				vals[i] = "team"
			}
		}
		g.p("    %s AS group_values,\n", d.jsonArray(vals))
	}
	window := !o.Since.IsZero() || !o.Until.IsZero()
	if window {
		var cond []string
		if !o.Since.IsZero() {
			cond = append(cond, fmt.Sprintf("us >= %d", o.Since.UnixMicro()))
		}
		if !o.Until.IsZero() {
			cond = append(cond, fmt.Sprintf("us < %d", o.Until.UnixMicro()))
		}
		g.p("    CASE WHEN %s THEN 1 ELSE 0 END AS in_window,\n", strings.Join(cond, " AND "))
	}
	g.p("    %s AS bin,\n", d.idiv(d.mod("us", "86400000000"), "600000000"))
	g.p("    %s AS ca_minute,\n", d.idiv("us", "60000000"))
	g.p("    CASE")
	if len(o.Thresholds) == 0 {
		g.p(" WHEN 1 = 0 THEN 1")
	}
	for i := len(o.Thresholds) - 1; i >= 0; i-- {
		g.p(" WHEN total_input > %d THEN %d", o.Thresholds[i], o.Thresholds[i])
	}
	g.p(" ELSE 0 END AS input_above,\n")
	g.p("    CASE WHEN ttft_ms IS NULL THEN -1")
	for i, b := range aggregate.TTFTBoundsMS {
		g.p(" WHEN ttft_ms < %d THEN %d", b, i)
	}
	g.p(" ELSE %d END AS ttft_bucket\n", len(aggregate.TTFTBoundsMS))
	g.p("  FROM ca_num\n  WHERE request_id IS NULL OR copy_no = 1\n)\n")

	// rec is where the summed records come from: inside the window.
	rec := "ca_rec"
	if window {
		rec = "ca_rec WHERE in_window = 1"
	}
	arrivalDay := map[string]string{}
	if local {
		arrivalDay["day"] = "utc_day"
	}
	rowKeys := []string{"workflow", "provider", "model", "mode", "billed", "logged_cost", "day", "input_above"}
	if len(o.GroupBy) > 0 {
		rowKeys = append(rowKeys, "group_values")
	}
	sum := func(x string) string { return d.i64("SUM(" + x + ")") }
	cnt := d.i64("COUNT(*)")
	arrivalDay["requests"] = cnt
	arrivalDay["first_ts_us"] = d.i64("MIN(us)")
	// The priced usage of a minute (for pricing the job part of a mixed
	// workflow): the reader prices each group as it prices a row.
	for _, f := range tokens {
		arrivalDay[f] = sum("COALESCE(" + f + ", 0)")
	}
	rowExprs := map[string]string{
		"requests":                  cnt,
		"cancelled_streams":         sum("cancelled"),
		"cancelled_output_tokens":   sum("CASE WHEN cancelled = 1 THEN COALESCE(output_tokens, 0) ELSE 0 END"),
		"cancelled_with_max_tokens": sum(fmt.Sprintf("CASE WHEN cancelled = 1 AND max_tokens > 0 AND max_tokens <= %d THEN 1 ELSE 0 END", int64(record.MaxRecordTokens))),
		"cancelled_headroom_tokens": sum(fmt.Sprintf("CASE WHEN cancelled = 1 AND max_tokens > COALESCE(output_tokens, 0) AND max_tokens <= %d THEN max_tokens - COALESCE(output_tokens, 0) ELSE 0 END", int64(record.MaxRecordTokens))),
		"logged_cost_usd":           "COALESCE(SUM(logged_cost_usd), " + d.decZero + ")",
		"first_ts_us":               d.i64("MIN(us)"),
		"last_ts_us":                d.i64("MAX(us)"),
	}
	for _, f := range summed {
		rowExprs[f] = sum("COALESCE(" + f + ", 0)")
	}
	kinds := []struct {
		kind  string
		from  string
		keys  []string
		exprs map[string]string
	}{
		{aggregate.KindRow, rec, rowKeys, rowExprs},
		{aggregate.KindEvidence, rec, []string{"workflow", "source", "mode", "model", "team", "user_waiting", "ttft_bucket"}, map[string]string{
			"requests":    cnt,
			"ttft_sum_ms": sum("CASE WHEN ttft_ms IS NULL THEN 0 ELSE ttft_ms END"),
		}},
		{aggregate.KindArrival, rec, []string{"workflow", "provider", "model", "mode", "billed", "day", "input_above", "bin", "ca_minute"}, arrivalDay},
		{aggregate.KindScanned, "ca_raw", nil, map[string]string{"requests": cnt}},
		{aggregate.KindDuplicate, "ca_num WHERE request_id IS NOT NULL AND copy_no > 1", nil, map[string]string{"requests": cnt}},
		{aggregate.KindRejected, "ca_chk WHERE reason IS NOT NULL", []string{"reason"}, map[string]string{"requests": cnt}},
	}
	if window {
		kinds = append(kinds, struct {
			kind  string
			from  string
			keys  []string
			exprs map[string]string
		}{aggregate.KindFiltered, "ca_rec WHERE in_window = 0", nil, map[string]string{"requests": cnt}})
	}
	// The logged_cost key of a row is an expression; group by it.
	strCols := map[string]bool{"kind": true, "workflow": true, "provider": true, "model": true, "mode": true, "day": true, "source": true, "team": true, "tag": true, "reason": true, "group_values": true}
	first := true
	emit := func(kind, from string, keys []string, exprs map[string]string, where string) {
		if !first {
			g.p("UNION ALL\n")
		}
		first = false
		g.p("SELECT\n")
		isKey := map[string]bool{}
		for _, k := range keys {
			isKey[k] = true
		}
		for i, c := range aggregate.FileColumns {
			var e string
			switch {
			case c == "kind":
				e = sqlString(kind)
			case exprs[c] != "" && !isKey[c]:
				e = exprs[c]
			case isKey[c] && exprs[c] != "":
				e = exprs[c]
			case isKey[c]:
				e = c
				if !strCols[c] {
					e = d.i64(c)
				}
			case c == "logged_cost_usd":
				e = d.decZero
			case strCols[c]:
				e = "''"
			default:
				e = d.i64("0")
			}
			sep := ","
			if i == len(aggregate.FileColumns)-1 {
				sep = ""
			}
			g.p("  %s AS %s%s\n", e, c, sep)
		}
		g.p("FROM %s\n", from)
		if where != "" {
			g.p("WHERE %s\n", where)
		}
		if len(keys) > 0 {
			var gb []string
			for _, k := range keys {
				if e, ok := exprs[k]; ok {
					gb = append(gb, e)
				} else {
					gb = append(gb, k)
				}
			}
			g.p("GROUP BY %s\n", strings.Join(gb, ", "))
		}
	}
	for _, k := range kinds {
		emit(k.kind, k.from, k.keys, k.exprs, "")
		if k.kind == aggregate.KindArrival {
			for i, tk := range o.TagKeys {
				where := "tag_" + strconv.Itoa(i) + " IS NOT NULL"
				if window {
					where = "in_window = 1 AND " + where
				}
				emit(aggregate.KindTag, "ca_rec", []string{"workflow", "tag"}, map[string]string{
					"tag":      "CONCAT(" + sqlString(tk+"=") + ", tag_" + strconv.Itoa(i) + ")",
					"requests": cnt,
				}, where)
			}
		}
	}
	var order []string
	for i := 1; i <= 17; i++ {
		order = append(order, strconv.Itoa(i))
	}
	// Arrival records of one bin differ by minute: first_ts_us orders them.
	order = append(order, strconv.Itoa(indexOf(aggregate.FileColumns, "first_ts_us")+1))
	g.p("ORDER BY %s\n", strings.Join(order, ", "))
	if d.name == "clickhouse" {
		// Output aliases such as output_tokens must not shadow the columns
		// of the same name inside other aggregates.
		g.p("SETTINGS prefer_column_name_to_alias = 1\n")
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func thresholdList(t []int64) string {
	if len(t) == 0 {
		return "none"
	}
	s := make([]string, len(t))
	for i, v := range t {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, ", ")
}
