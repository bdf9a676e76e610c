package render

import (
	"encoding/json"
	"io"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

func init() { Register("json", JSON) }

// JSON writes the report as the schema_version 1 interchange document (the
// report.Report struct, documented in README.md): the report struct, indented by two spaces, with a trailing
// newline. Money is an exact decimal string. Lists that are empty are
// written as [] and maps as {}, never null, so every key of the contract
// is always present with its type. With ViewInventory it writes the
// inventory document of costaudit classify instead.
func JSON(w io.Writer, rep *report.Report, opts Options) error {
	var v any = Normalize(rep)
	if opts.View == ViewInventory {
		v = newInventory(rep)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// inventoryJSON is the JSON document of costaudit classify: the window,
// coverage and spend by class, and the latency inventory.
type inventoryJSON struct {
	Kind          string              `json:"kind"` // "classify"
	SchemaVersion int                 `json:"schema_version"`
	Window        report.Window       `json:"window"`
	Coverage      report.Coverage     `json:"coverage"`
	ByClass       []report.ClassRow   `json:"by_class"`
	Workflows     []inventoryWorkflow `json:"workflows"`
	Assumptions   []report.Assumption `json:"assumptions"`
	Notes         []string            `json:"notes"`
}

// inventoryWorkflow is one row of the latency inventory.
type inventoryWorkflow struct {
	Workflow   string          `json:"workflow"`
	Class      string          `json:"class"`
	Confidence string          `json:"confidence"`
	Evidence   []string        `json:"evidence"`
	Requests   int64           `json:"requests"`
	CostUSD    decimal.Decimal `json:"cost_usd"`
}

func newInventory(rep *report.Report) *inventoryJSON {
	n := Normalize(rep)
	inv := &inventoryJSON{
		Kind:          "classify",
		SchemaVersion: n.SchemaVersion,
		Window:        n.Window,
		Coverage:      n.Coverage,
		ByClass:       n.ByClass,
		Workflows:     make([]inventoryWorkflow, len(n.Workflows)),
		Assumptions:   n.Assumptions,
		Notes:         n.Notes,
	}
	for i, w := range n.Workflows {
		inv.Workflows[i] = inventoryWorkflow{w.Workflow, w.Class, w.Confidence, w.Evidence, w.Requests, w.CostUSD}
	}
	return inv
}

// Normalize returns a copy of rep in which every nil list and map that the
// JSON contract always carries is empty instead, so it marshals as [] or {}
// rather than null. Lists marked omitempty in the contract stay as they
// are. rep itself is not changed.
func Normalize(rep *report.Report) *report.Report {
	r := *rep
	if r.SchemaVersion == 0 {
		r.SchemaVersion = report.SchemaVersion
	}
	r.Pricebooks = orEmpty(r.Pricebooks)
	r.Coverage.RejectedByReason = mapOrEmpty(r.Coverage.RejectedByReason)
	r.Coverage.UnpricedModels = mapOrEmpty(r.Coverage.UnpricedModels)
	r.Coverage.Formats = mapOrEmpty(r.Coverage.Formats)
	r.ByClass = orEmpty(r.ByClass)
	r.ByModel = orEmpty(r.ByModel)
	r.ByMode = orEmpty(r.ByMode)
	r.ByDay = orEmpty(r.ByDay)
	r.Opportunities = orEmpty(r.Opportunities)
	r.Reconciliation = orEmpty(r.Reconciliation)
	r.Prices = orEmpty(r.Prices)
	r.Assumptions = orEmpty(r.Assumptions)
	r.Notes = orEmpty(r.Notes)
	r.EarlyCancel.Workflows = orEmpty(r.EarlyCancel.Workflows)
	r.Workflows = make([]report.Workflow, len(rep.Workflows))
	for i, w := range rep.Workflows {
		w.Evidence = orEmpty(w.Evidence)
		w.Providers = orEmpty(w.Providers)
		w.Models = orEmpty(w.Models)
		w.Modes = orEmpty(w.Modes)
		w.Lines = orEmpty(w.Lines)
		r.Workflows[i] = w
	}
	if r.Scenarios != nil {
		r.Scenarios = make([]report.Scenario, len(rep.Scenarios))
		for i, s := range rep.Scenarios {
			s.Figures = orEmpty(s.Figures)
			s.Assumptions = orEmpty(s.Assumptions)
			for j := range s.Tables {
				if s.Tables[j].Rows == nil || s.Tables[j].Columns == nil {
					t := s.Tables[j]
					t.Rows = orEmpty(t.Rows)
					t.Columns = orEmpty(t.Columns)
					s.Tables = append([]report.Table(nil), s.Tables...)
					s.Tables[j] = t
				}
			}
			r.Scenarios[i] = s
		}
	}
	return &r
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func mapOrEmpty[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}
