package aggsql

import (
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/record"
)

// TestQueryCarriesEveryField checks the query against the record table:
// every field but tags (read per tag key) may be mapped and is read by
// ca_raw, and every token bucket is summed into the row of the same name.
func TestQueryCarriesEveryField(t *testing.T) {
	mapped := map[string]bool{}
	for _, f := range Fields {
		mapped[f] = true
	}
	for _, d := range Dialects {
		q, err := Generate(Options{Dialect: d, Table: "logs"})
		if err != nil {
			t.Fatal(err)
		}
		raw, _, _ := strings.Cut(q, "\n  FROM logs\n")
		for _, f := range record.Fields {
			if f.Kind == record.KindTags {
				continue
			}
			if !mapped[f.Name] {
				t.Errorf("Fields lacks %s: --map cannot name it", f.Name)
			}
			if !strings.Contains(raw, " AS "+f.Name+",\n") && !strings.Contains(raw, " AS "+f.Name+"_text,\n") && !strings.HasSuffix(raw, " AS "+f.Name) {
				t.Errorf("%s: ca_raw does not read %s", d, f.Name)
			}
		}
		for _, f := range record.TokenFields {
			name := f.String()
			if !strings.Contains(q, "SUM(COALESCE("+name+", 0))") || !strings.Contains(q, " AS "+name+",\n") {
				t.Errorf("%s: the rows do not sum %s", d, name)
			}
		}
	}
	if len(Fields) != int(record.NumFields)-1 {
		t.Errorf("Fields has %d names, want the %d fields of the record table but tags", len(Fields), record.NumFields-1)
	}
	// Every summed bucket is a column of the aggregate file.
	cols := map[string]bool{}
	for _, c := range aggregate.FileColumns {
		cols[c] = true
	}
	for _, f := range record.TokenFields {
		if !cols[f.String()] {
			t.Errorf("aggregate.FileColumns lacks the token bucket %s", f)
		}
	}
}
