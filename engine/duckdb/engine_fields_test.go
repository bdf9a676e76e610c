//go:build duckdb

package duckdb

import (
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/record"
)

// TestJSONLSelectCarriesEveryField checks that the engine reads every
// field of the record table from JSONL, typed by its kind.
func TestJSONLSelectCarriesEveryField(t *testing.T) {
	q := JSONLSelect([]string{"logs.jsonl"})
	for _, f := range record.Fields {
		typ := "VARCHAR"
		if f.Kind == record.KindTags {
			typ = "JSON"
		}
		if !strings.Contains(q, `"`+f.Name+`": "`+typ+`"`) {
			t.Errorf("JSONLSelect does not parse %s as %s", f.Name, typ)
		}
		if !strings.Contains(q, " AS "+f.Name+",") {
			t.Errorf("JSONLSelect does not select %s", f.Name)
		}
	}
	if len(jsonColumns) != int(record.NumFields) {
		t.Errorf("jsonColumns has %d fields, the record table %d", len(jsonColumns), record.NumFields)
	}
}
