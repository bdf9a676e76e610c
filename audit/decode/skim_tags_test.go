package decode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// TestSkimmedTagMaps decodes lines whose tag objects repeat, outnumber the
// skimmer's memory of nested values, and are followed by other nested
// members that take their place in it, and checks every record's tags
// against encoding/json.
func TestSkimmedTagMaps(t *testing.T) {
	sink := &testSink{}
	w := NewState(sink, "")
	type item struct{ tags, extra string }
	var items []item
	// Fill the skimmer's memory with eight tag objects, then meet the
	// oldest again in a line whose next nested member takes its place,
	// and then that member's bytes as tags.
	for i := 0; i < knownValues; i++ {
		items = append(items, item{fmt.Sprintf(`{"env":"prod","n":"%d"}`, i), ""})
	}
	items = append(items, item{`{"env":"prod","n":"0"}`, `,"meta":{"env":"x","n":"meta"}`}, item{`{"env":"x","n":"meta"}`, ""})
	for i := 0; i < 400; i++ {
		it := item{fmt.Sprintf(`{"env":"prod","n":"%d"}`, i%11), ""}
		if i%3 == 0 {
			it.extra = fmt.Sprintf(`,"meta":{"k":"%08d"}`, i%13)
		}
		if i%7 == 0 {
			it.extra += `,"other":` + fmt.Sprintf(`{"env":"prod","n":"%d"}`, (i+1)%11)
		}
		items = append(items, it)
	}
	var want []map[string]string
	var lines []string
	for i, it := range items {
		tags := it.tags
		line := fmt.Sprintf(`{"ts":"2026-11-02T00:00:%02dZ","model":"m","input_tokens":1,"tags":%s%s}`, i%60, tags, it.extra)
		var m map[string]string
		if err := json.Unmarshal([]byte(tags), &m); err != nil {
			t.Fatal(err)
		}
		want = append(want, m)
		lines = append(lines, line)
	}
	decodeLines(w, canonicalFormat, &File{Name: "tags.jsonl"}, lines...)
	var got []map[string]string
	for _, r := range sink.recs {
		got = append(got, r.Tags)
	}
	if len(sink.rejects) != 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("rejected %v; tags differ:\ngot  %v\nwant %v", sink.rejects, got, want)
	}
}
