package audit

import (
	"reflect"
	"testing"

	"github.com/costaudit/costaudit/audit/aggregate"
	"github.com/costaudit/costaudit/audit/classify" // classify is a function of decode_format.go until the decoders move out
	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// TestModelNamesListed checks that spellings of one model are listed as
// one, that a record without a model never shows in a workflow's model
// list, and that a workflow's request count is the count its evidence
// speaks of (unbilled and unpriced records included).
func TestModelNamesListed(t *testing.T) {
	cat, err := pricing.Load(pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."})
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		rec("2026-05-01T10:00:00Z", "openai", "GPT-4O", "w", pricing.ModeSync, 100, 10),
		rec("2026-05-01T10:00:01Z", "openai", "gpt-4o ", "w", pricing.ModeSync, 100, 10),
		rec("2026-05-01T10:00:02Z", "openai", "gpt-4o", "w", pricing.ModeSync, 100, 10),
		rec("2026-05-01T10:00:03Z", "openai", "", "w", pricing.ModeBatch, 0, 0),
		rec("2026-05-01T10:00:04Z", "", "Mystery-1", "w", pricing.ModeSync, 1, 1),
		rec("2026-05-01T10:00:05Z", "", "mystery-1", "w", pricing.ModeSync, 1, 1),
	}
	recs[3].Status = StatusError
	agg := aggregate.New(cat, aggregate.Options{})
	for i := range recs {
		agg.Consume(&recs[i])
	}
	rep, err := BuildReport(agg, Stats{Lines: 6, Records: 6}, nil, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ByModel) != 1 || rep.ByModel[0].Model != "gpt-4o" || rep.ByModel[0].Requests != 3 {
		t.Errorf("by model %+v", rep.ByModel)
	}
	if !reflect.DeepEqual(rep.Coverage.UnpricedModels, map[string]int64{"mystery-1": 2}) {
		t.Errorf("unpriced models %v", rep.Coverage.UnpricedModels)
	}
	w := rep.Workflows[0]
	if !reflect.DeepEqual(w.Models, []string{"gpt-4o", "mystery-1"}) || w.Requests != 6 {
		t.Errorf("workflow models %q, requests %d", w.Models, w.Requests)
	}
}

// TestRuleModelCaseInsensitive checks that a rule's model glob matches the
// listed (lower-cased) model whatever the case of either.
func TestRuleModelCaseInsensitive(t *testing.T) {
	rules, err := classify.ParseRules("r.toml", []byte("[[rule]]\nmodel = \"GPT-4o*\"\nclass = \"scheduled\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	agg := aggregate.New(cat, aggregate.Options{})
	r := rec("2026-11-02T10:00:00Z", "acme", "GPT-4O-MINI", "w", pricing.ModeSync, 1, 1)
	agg.Consume(&r)
	for _, c := range classify.Workflows(agg.Workflows(), rules, agg.Options().TZ) {
		if c.Class != classify.Scheduled {
			t.Errorf("class %s, evidence %q", c.Class, c.Evidence)
		}
	}
}
