package blindtest

import (
	"bytes"
	"testing"
)

// TestWorkloadsDeterministic checks that one seed gives the same bytes, that
// every record lies in its window and that every truth names a workflow that
// has records.
func TestWorkloadsDeterministic(t *testing.T) {
	a, b := blindSet(), Workloads(blindSeed)
	for i := range a {
		var x, y bytes.Buffer
		if err := a[i].WriteJSONL(&x); err != nil {
			t.Fatal(err)
		}
		if err := b[i].WriteJSONL(&y); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Errorf("%s: two runs with seed %d differ", a[i].Name, blindSeed)
		}
		for _, r := range a[i].Records {
			if r.TS.Before(a[i].Start) || !r.TS.Before(a[i].End) {
				t.Errorf("%s: %s at %s outside [%s, %s)", a[i].Name, r.RequestID, r.TS, a[i].Start, a[i].End)
			}
		}
		for _, tr := range a[i].Truth {
			if n := a[i].Requests(tr.Workflow); n == 0 {
				t.Errorf("%s: truth for %s but no records", a[i].Name, tr.Workflow)
			}
			if tr.Class == Mixed && (tr.HumanRequests == 0 || tr.MachineRequests == 0) {
				t.Errorf("%s: mixed %s has %d human and %d machine requests", a[i].Name, tr.Workflow, tr.HumanRequests, tr.MachineRequests)
			}
		}
	}
}
