package audit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// tagsConsumer keeps the tags of every record.
type tagsConsumer struct{ tags []map[string]string }

func (c *tagsConsumer) Consume(r *Record) { c.tags = append(c.tags, r.Tags) }

// TestSkimmedTagMaps decodes lines whose tag objects repeat, outnumber the
// skimmer's memory of nested values, and are followed by other nested
// members that take their place in it, and checks every record's tags
// against encoding/json.
func TestSkimmedTagMaps(t *testing.T) {
	c := &tagsConsumer{}
	w := newWorker(&scanState{opts: &ScanOptions{}, dd: newDedupSet()}, c)
	w.file = &fileCtx{name: "tags.jsonl"}
	dec := newCanonicalDecoder(w)
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
	for i, it := range items {
		tags := it.tags
		line := fmt.Sprintf(`{"ts":"2026-11-02T00:00:%02dZ","model":"m","input_tokens":1,"tags":%s%s}`, i%60, tags, it.extra)
		var m map[string]string
		if err := json.Unmarshal([]byte(tags), &m); err != nil {
			t.Fatal(err)
		}
		want = append(want, m)
		w.begin(int64(i+1), []byte(line))
		dec.decode(w, []byte(line))
		w.end()
	}
	w.flushPending()
	if w.stats.Rejected != 0 || !reflect.DeepEqual(c.tags, want) {
		t.Fatalf("rejected %d; tags differ:\ngot  %v\nwant %v", w.stats.Rejected, c.tags, want)
	}
}
