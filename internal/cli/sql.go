package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/aggregate/aggsql"
)

// sqlOptions are the flags of costaudit sql.
type sqlOptions struct {
	Output     string
	Dialect    string
	Table      string
	Maps       []string
	TagKeys    []string
	GroupBy    []string
	Pricebooks []string
	TZ         string
	Since      string
	Until      string
}

func newSQLCmd(env Env) *cobra.Command {
	o := &sqlOptions{}
	cmd := &cobra.Command{
		Use:   "sql --dialect DIALECT --table TABLE",
		Short: "Print the warehouse query that sums your records into an aggregate file for analyze --aggregates",
		Long: `sql prints one SQL query that reads a table of canonical request records
(the fields of costaudit's canonical JSONL: ts, request_id, provider, model,
workflow, source, mode, user_waiting, the token buckets, ttft_ms, status,
max_tokens, logged_cost_usd, team, tags) and sums it into costaudit's
aggregate format: token sums per workflow, model, mode, day and long-context
tier, classification evidence, arrival counts per 10 minutes, and the
coverage counts. Run it where the data lives, export the result as CSV or
JSONL, and report from it with costaudit analyze --aggregates FILE.

The long-context thresholds come from the price books (embedded, plus
--pricebook): pass analyze the same --pricebook flags, and the same --tz,
--since, --until and --group-by (analyze checks every row against them).
Columns named differently in your table are mapped with --map
canonical_field=column (a column name or an SQL expression).

The DuckDB query is run by the tests; the ClickHouse and PostgreSQL queries
were checked in ClickHouse 26.7 and PostgreSQL 15 (scripts/check-sql.sh);
the BigQuery query is checked against its reviewed text only.`,
		Example: `  costaudit sql --dialect duckdb --table "read_parquet('logs/*.parquet')" > agg.sql
  duckdb -csv < agg.sql > agg.csv && costaudit analyze --aggregates agg.csv
  costaudit sql --dialect bigquery --table proj.llm.requests --map ts=created_at --map model=model_name
  costaudit sql --dialect clickhouse --table llm_requests --tag-key feature`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputName(o.Output, "sql"); err != nil {
				return err
			}
			if err := refuseOverwrite(env, [][2]string{{"-o", o.Output}}, o.Pricebooks); err != nil {
				return err
			}
			return withOutput(env, o.Output, func(env Env) error { return runSQL(env.Stdout, o) })
		},
	}
	f := cmd.Flags()
	bindOutputFlag(f, &o.Output, "the query")
	f.StringVar(&o.Dialect, "dialect", "", "write the query in `DIALECT`: "+strings.Join(aggsql.Dialects, ", "))
	f.StringVar(&o.Table, "table", "", "the `TABLE` of canonical records (or a table expression such as read_parquet('x/*.parquet'))")
	f.StringArrayVar(&o.Maps, "map", nil, "read a canonical field from another column: `FIELD=COLUMN` (e.g. ts=created_at, tags.env=labels['env']); repeatable")
	f.StringArrayVar(&o.GroupBy, "group-by", nil, "also key the rows by `KEY`: team or tag:NAME, as analyze --group-by (give analyze the same); repeatable")
	f.StringArrayVar(&o.TagKeys, "tag-key", nil, "count the values of tag `KEY` per workflow, for --rules that match on tags; repeatable")
	f.StringArrayVar(&o.Pricebooks, "pricebook", nil, "price book `PATH` loaded after the embedded books, for their long-context thresholds; repeatable")
	f.StringVar(&o.TZ, "tz", "UTC", "IANA time `ZONE` of the rows' calendar days and of date-only --since/--until (give analyze the same --tz)")
	f.StringVar(&o.Since, "since", "", "only records at or after `TIME` (a date in --tz, or RFC 3339); the others are counted as filtered")
	f.StringVar(&o.Until, "until", "", "only records before `TIME`; a date includes that whole day")
	return cmd
}

// runSQL validates the options and prints the query.
func runSQL(w io.Writer, o *sqlOptions) error {
	if o.Dialect == "" {
		return usagef("--dialect: missing (one of %s)", strings.Join(aggsql.Dialects, ", "))
	}
	known := false
	for _, d := range aggsql.Dialects {
		known = known || d == o.Dialect
	}
	if !known {
		return usagef("--dialect %q: unknown (one of %s)", o.Dialect, strings.Join(aggsql.Dialects, ", "))
	}
	if strings.TrimSpace(o.Table) == "" {
		return usagef("--table: missing; name the table of canonical records")
	}
	m := map[string]string{}
	for _, a := range o.Maps {
		field, expr, err := aggsql.CheckMap(a)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("--%w", err)}
		}
		if _, dup := m[field]; dup {
			return usagef("--map %s: field %s mapped twice", a, field)
		}
		m[field] = expr
	}
	if err := aggregate.CheckGroupBy(o.GroupBy); err != nil {
		return &UsageError{Err: fmt.Errorf("--%w", err)}
	}
	tz, err := time.LoadLocation(o.TZ)
	if err != nil || o.TZ == "" {
		return usagef("--tz %q: unknown time zone (use an IANA name such as UTC or Europe/Paris)", o.TZ)
	}
	since, err := parseTimeFlag("since", o.Since, tz, false)
	if err != nil {
		return err
	}
	until, err := parseTimeFlag("until", o.Until, tz, true)
	if err != nil {
		return err
	}
	if !since.IsZero() && !until.IsZero() && !until.After(since) {
		return usagef("--until %s is not after --since %s", o.Until, o.Since)
	}
	cat, err := loadCatalog(o.Pricebooks)
	if err != nil {
		return err
	}
	th, err := aggsql.LongContextThresholds(cat)
	if err != nil {
		return err
	}
	q, err := aggsql.Generate(aggsql.Options{Dialect: o.Dialect, Table: o.Table, Map: m, Thresholds: th, TagKeys: o.TagKeys, GroupBy: o.GroupBy,
		TZ: tz.String(), Since: since, Until: until})
	if err != nil {
		return &UsageError{Err: err}
	}
	_, err = fmt.Fprint(w, q)
	return err
}
