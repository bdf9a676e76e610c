package loggen

import (
	"reflect"
	"testing"
)

// TestAdversarialDeterministic checks that a seed draws the same records,
// that every record lies inside its scenario's window and every workflow
// has a ground truth, and that another seed draws other records.
func TestAdversarialDeterministic(t *testing.T) {
	a, b, c := Adversarial(7), Adversarial(7), Adversarial(8)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed drew different scenarios")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 7 and 8 drew the same scenarios")
	}
	for _, sc := range a {
		seen := map[string]bool{}
		for _, r := range sc.Records {
			if r.TS.Before(sc.Start) || !r.TS.Before(sc.End) {
				t.Errorf("%s: record %s at %s outside [%s, %s)", sc.Name, r.RequestID, r.TS, sc.Start, sc.End)
			}
			if _, ok := sc.Truth[r.Workflow]; !ok {
				t.Errorf("%s: workflow %s has no ground truth", sc.Name, r.Workflow)
			}
			seen[r.Workflow] = true
		}
		for wf := range sc.Truth {
			if !seen[wf] {
				t.Errorf("%s: ground truth for %s, which has no records", sc.Name, wf)
			}
		}
	}
}
