package render

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/report"
)

// TestCSVTokenColumnsMatchTable checks the csv workflow columns against the
// record table: one column per billed bucket, named as the field, holding
// the report.Workflow count whose JSON key is that name.
func TestCSVTokenColumnsMatchTable(t *testing.T) {
	var wf report.Workflow
	v := reflect.ValueOf(&wf).Elem()
	want := map[string]int64{}
	for i := range v.NumField() {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if _, ok := record.FieldByName(tag); ok && v.Field(i).Kind() == reflect.Int64 {
			v.Field(i).SetInt(int64(1000 + i))
			want[tag] = int64(1000 + i)
		}
	}
	for _, f := range record.BilledFields {
		if !slices.Contains(CSVWorkflowColumns, f.String()) {
			t.Errorf("CSVWorkflowColumns lacks the billed bucket %s", f)
		}
		n, ok := want[f.String()]
		if !ok {
			t.Errorf("report.Workflow has no count with the JSON key %s", f)
			continue
		}
		if got := workflowTokens(&wf, f); got != n {
			t.Errorf("workflowTokens(%s) = %d, want %d", f, got, n)
		}
	}
}
