package record

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// TestFieldsPinned pins the field table: names, order and kinds. A change
// here is a change of the canonical format: update README's "Canonical
// JSONL and CSV" table with it.
func TestFieldsPinned(t *testing.T) {
	want := []struct {
		name   string
		kind   Kind
		sum    bool
		bucket string
		input  bool
	}{
		{"ts", KindTime, false, "", false},
		{"request_id", KindString, false, "", false},
		{"provider", KindString, false, "", false},
		{"model", KindString, false, "", false},
		{"workflow", KindString, false, "", false},
		{"source", KindString, false, "", false},
		{"mode", KindString, false, "", false},
		{"user_waiting", KindTriState, false, "", false},
		{"input_tokens", KindTokens, true, "input", true},
		{"cache_read_tokens", KindTokens, true, "cache_read", true},
		{"cache_write_5m_tokens", KindTokens, true, "cache_write_5m", true},
		{"cache_write_1h_tokens", KindTokens, true, "cache_write_1h", true},
		{"output_tokens", KindTokens, true, "output", false},
		{"reasoning_tokens", KindTokens, true, "", false},
		{"latency_ms", KindMillis, false, "", false},
		{"ttft_ms", KindMillis, false, "", false},
		{"status", KindString, false, "", false},
		{"max_tokens", KindTokens, false, "", false},
		{"logged_cost_usd", KindDecimal, false, "", false},
		{"team", KindString, false, "", false},
		{"tags", KindTags, false, "", false},
	}
	if len(want) != int(NumFields) {
		t.Fatalf("%d fields, want %d", NumFields, len(want))
	}
	for i, w := range want {
		f := Fields[i]
		if f.Name != w.name || f.Kind != w.kind || f.Sum != w.sum || f.Bucket != w.bucket || f.Input != w.input {
			t.Errorf("field %d = %+v, want %+v", i, f, w)
		}
		if f.Doc == "" {
			t.Errorf("field %s: no Doc", f.Name)
		}
		if id, ok := FieldByName(w.name); !ok || id != FieldID(i) || id.String() != w.name {
			t.Errorf("FieldByName(%q) = %d, %v; want %d", w.name, id, ok, i)
		}
	}
	if _, ok := FieldByName("region"); ok {
		t.Error("FieldByName(region) found a field")
	}
	for _, c := range []struct {
		name string
		got  []string
		want string
	}{
		{"FieldNames", FieldNames, "ts request_id provider model workflow source mode user_waiting input_tokens cache_read_tokens cache_write_5m_tokens cache_write_1h_tokens output_tokens reasoning_tokens latency_ms ttft_ms status max_tokens logged_cost_usd team tags"},
		{"TokenFields", idNames(TokenFields), "input_tokens cache_read_tokens cache_write_5m_tokens cache_write_1h_tokens output_tokens reasoning_tokens"},
		{"BilledFields", idNames(BilledFields), "input_tokens cache_read_tokens cache_write_5m_tokens cache_write_1h_tokens output_tokens"},
		{"BilledNames", BilledNames, "input_tokens cache_read_tokens cache_write_5m_tokens cache_write_1h_tokens output_tokens"},
	} {
		if got := strings.Join(c.got, " "); got != c.want {
			t.Errorf("%s = %s, want %s", c.name, got, c.want)
		}
	}
}

func idNames(ids []FieldID) []string {
	out := make([]string, len(ids))
	for i, f := range ids {
		out[i] = f.String()
	}
	return out
}

func TestKindSQLType(t *testing.T) {
	for k, want := range map[Kind]string{
		KindTime: "VARCHAR", KindString: "VARCHAR", KindTokens: "BIGINT", KindMillis: "DOUBLE",
		KindTriState: "VARCHAR", KindDecimal: "VARCHAR", KindTags: "JSON",
	} {
		if got := k.SQLType(); got != want {
			t.Errorf("Kind(%d).SQLType() = %s, want %s", k, got, want)
		}
	}
}

// changedFields returns the names of the Record struct fields that differ
// between a and b.
func changedFields(a, b *Record) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var out []string
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return out
}

// TestAccessors checks that Count, Text and SetText reach one Record field
// per canonical field of their kinds, a different one for each: a field
// added to the table without its accessor case fails here.
func TestAccessors(t *testing.T) {
	seen := map[string]FieldID{}
	for i, fd := range Fields {
		f := FieldID(i)
		var before, after Record
		switch fd.Kind {
		case KindTokens, KindMillis:
			p := after.Count(f)
			if p == nil {
				t.Errorf("%s: Count is nil", fd.Name)
				continue
			}
			*p = 7
			if after.Count(f) != p || *after.Count(f) != 7 {
				t.Errorf("%s: Count does not return the same field", fd.Name)
			}
		case KindString, KindDecimal:
			after.SetText(f, "x")
			if got := after.Text(f); got != "x" {
				t.Errorf("%s: Text after SetText(x) = %q", fd.Name, got)
			}
		default:
			if after.Count(f) != nil {
				t.Errorf("%s (kind %d): Count is not nil", fd.Name, fd.Kind)
			}
			after.SetText(f, "x")
			if after.Text(f) != "" {
				t.Errorf("%s (kind %d): SetText set something", fd.Name, fd.Kind)
			}
			continue
		}
		ch := changedFields(&before, &after)
		if len(ch) != 1 {
			t.Errorf("%s: the accessor changed Record fields %v, want one", fd.Name, ch)
			continue
		}
		if o, dup := seen[ch[0]]; dup {
			t.Errorf("%s and %s both reach Record.%s", o, fd.Name, ch[0])
		}
		seen[ch[0]] = f
	}
}

// TestUsageMatchesTable checks Record.Usage and UsageCount against the
// billed buckets of the table.
func TestUsageMatchesTable(t *testing.T) {
	var r Record
	for i, f := range BilledFields {
		*r.Count(f) = int64(10 + i)
	}
	*r.Count(FieldReasoningTokens) = 99
	u := r.Usage()
	var want pricing.Usage
	want.Requests = 1
	for i, f := range BilledFields {
		p := UsageCount(&want, f)
		if p == nil {
			t.Fatalf("%s: UsageCount is nil", f)
		}
		*p = int64(10 + i)
	}
	if u != want {
		t.Errorf("Usage() = %+v, want %+v", u, want)
	}
	if u.TotalInput() != 10+11+12+13 {
		t.Errorf("TotalInput = %d", u.TotalInput())
	}
	var in int64
	for i, f := range BilledFields {
		if Fields[f].Input {
			in += int64(10 + i)
		}
	}
	if in != u.TotalInput() {
		t.Errorf("the Input fields sum to %d, TotalInput is %d", in, u.TotalInput())
	}
	for i := range Fields {
		if f := FieldID(i); Fields[f].Bucket == "" && UsageCount(&want, f) != nil {
			t.Errorf("%s: not billed, but UsageCount is not nil", f)
		}
	}
}

// TestTokenBits checks that TokenBits sees every token bucket.
func TestTokenBits(t *testing.T) {
	for _, f := range TokenFields {
		var r Record
		*r.Count(f) = MaxRecordTokens + 1
		if r.TokenBits() <= MaxRecordTokens {
			t.Errorf("%s above the bound: TokenBits = %d", f, r.TokenBits())
		}
		*r.Count(f) = -1
		if r.TokenBits() >= 0 {
			t.Errorf("%s negative: TokenBits = %d", f, r.TokenBits())
		}
	}
	var r Record
	*r.Count(FieldMaxTokens) = MaxRecordTokens + 1
	if r.TokenBits() != 0 {
		t.Errorf("max_tokens is not a bucket: TokenBits = %d", r.TokenBits())
	}
}

func TestHas(t *testing.T) {
	empty := Record{LatencyMS: -1, TTFTMS: -1, UserWaiting: -1}
	full := Record{TS: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), RequestID: "r", Provider: "p", Model: "m", Workflow: "w",
		Source: "s", Mode: pricing.ModeBatch, UserWaiting: 0, LatencyMS: 0, TTFTMS: 0, Status: "ok", MaxTokens: 1,
		LoggedCostUSD: "0", Team: "t", Tags: map[string]string{"k": "v"}}
	for i, fd := range Fields {
		f := FieldID(i)
		if got := full.Has(f); !got {
			t.Errorf("%s: Has = false on a full record", fd.Name)
		}
		if got, want := empty.Has(f), fd.Sum; got != want {
			t.Errorf("%s: Has = %v on an empty record, want %v", fd.Name, got, want)
		}
	}
}

func ExampleFields() {
	for _, f := range BilledFields {
		fmt.Printf("%s prices as %s: %s\n", f, Fields[f].Bucket, Fields[f].Doc)
	}
	// Output:
	// input_tokens prices as input: uncached input tokens
	// cache_read_tokens prices as cache_read: input tokens read from a prompt cache
	// cache_write_5m_tokens prices as cache_write_5m: input tokens written to a 5-minute cache
	// cache_write_1h_tokens prices as cache_write_1h: input tokens written to a 1-hour cache
	// output_tokens prices as output: output tokens, reasoning included
}
