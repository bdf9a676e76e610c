package loggen

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit"
	auditdecode "github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// fullRecord has a value for every field of the record table.
func fullRecord() audit.Record {
	r := audit.Record{
		TS: time.Date(2026, 11, 2, 9, 30, 0, 125_000_000, time.UTC), RequestID: "req-1", Provider: "anthropic",
		Model: "claude-sonnet-4-5", Workflow: "triage", Source: "webhook", Mode: pricing.ModeStream, UserWaiting: 1,
		Status: "ok", LoggedCostUSD: "0.0123", Team: "support", Tags: map[string]string{"env": "prod"},
	}
	for i, f := range record.Fields {
		if p := r.Count(record.FieldID(i)); p != nil && f.Kind != record.KindTime {
			*p = int64(100 + i)
		}
	}
	return r
}

// TestCanonicalWritesEveryField checks the generator's canonical JSONL and
// CSV against the record table: every field, in table order, read back by
// the canonical decoder to the record written.
func TestCanonicalWritesEveryField(t *testing.T) {
	r := fullRecord()
	e := &Event{Rec: r, Flow: &Workflow{}}
	c := &canonicalWriter{tags: map[*Workflow][]byte{}}
	line := c.appendLine(nil, e, &r, "")

	dec := json.NewDecoder(bytes.NewReader(line))
	var keys []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := strings.Join(keys, ","), strings.Join(record.FieldNames, ","); got != want {
		t.Errorf("JSONL keys\n%s\nwant the record table\n%s", got, want)
	}
	back, err := auditdecode.NewLineDecoder("gen").Decode(1, line)
	if err != nil {
		t.Fatalf("decode %s: %v", line, err)
	}
	if !reflect.DeepEqual(*back, r) {
		t.Errorf("JSONL read back as\n%+v\nwant\n%+v", *back, r)
	}

	var buf bytes.Buffer
	cw, err := newCSVWriter(&countingTarget{t: Target{W: &buf}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := cw.write(e); err != nil {
		t.Fatal(err)
	}
	if err := cw.close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], ","), strings.Join(record.FieldNames, ","); got != want {
		t.Errorf("CSV header\n%s\nwant the record table\n%s", got, want)
	}
	for i, cell := range rows[1] {
		if cell == "" {
			t.Errorf("CSV column %s is empty for a record that has it", rows[0][i])
		}
	}
}
