package blindtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/internal/cli"
)

// knownFailures lists, exactly, what the classifier gets wrong on the blind
// set at the time of writing. The test fails when a failure appears that is
// not listed and when a listed failure is fixed, so the list is kept true.
// Each entry is "workload/workflow: kind: detail".
var knownFailures = []string{
	// Three single requests at 03:00:00.1 on three days.
	"stjohns-3d/sparse-cron: class: truth scheduled, got realtime (low)",
	// One 02:00 run of 500 requests in a 1-day window.
	"london-1d/nightly-export: class: truth scheduled, got realtime (low)",
	// A queue drained all day: nobody waits, but not a 24 h job either.
	"london-1d/queue-worker: class: truth near-realtime, got scheduled (medium)",
}

var (
	blindOnce sync.Once
	blindWL   []*Workload
)

// blindSet returns the workloads of blindSeed, generated once per test binary.
func blindSet() []*Workload {
	blindOnce.Do(func() { blindWL = Workloads(blindSeed) })
	return blindWL
}

// minCostRight is the target: at least 90% of cost classed right.
const minCostRight = 0.90

type report struct {
	Totals struct {
		CostUSD decimal.Decimal `json:"cost_usd"`
	} `json:"totals"`
	Workflows []struct {
		Workflow   string          `json:"workflow"`
		Class      string          `json:"class"`
		Confidence string          `json:"confidence"`
		Evidence   []string        `json:"evidence"`
		Requests   int             `json:"requests"`
		CostUSD    decimal.Decimal `json:"cost_usd"`
		WhatIf     struct {
			SavingsUSD decimal.Decimal `json:"savings_usd"`
			Eligible   bool            `json:"eligible"`
		} `json:"what_if"`
	} `json:"workflows"`
	Opportunities []struct {
		Workflow string `json:"workflow"`
		Lever    string `json:"lever"`
	} `json:"opportunities"`
}

// analyze runs `costaudit analyze --format json --tz TZ` on the workload.
func analyze(t *testing.T, w *Workload, extra ...string) *report {
	t.Helper()
	path := filepath.Join(t.TempDir(), w.Name+".jsonl")
	var buf bytes.Buffer
	if err := w.WriteJSONL(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) }}
	args := append([]string{"analyze", "--format", "json", "--tz", w.TZ}, extra...)
	if code := cli.Main(append(args, path), env); code != 0 {
		t.Fatalf("%s: analyze exit %d: %s", w.Name, code, errb.String())
	}
	var r report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%s: report: %v", w.Name, err)
	}
	return &r
}

// score is the blind set's result.
type score struct {
	workflows, right int
	cost, costRight  decimal.Decimal
	failures         []string
	lines            []string
}

func TestBlindClassifier(t *testing.T) {
	t.Logf("seed %d", blindSeed)
	s := score{}
	for _, w := range blindSet() {
		r := analyze(t, w)
		s.cost = s.cost.Add(r.Totals.CostUSD)
		opp := map[string]bool{}
		for _, o := range r.Opportunities {
			if o.Lever == "batch" {
				opp[o.Workflow] = true
			}
		}
		for _, tr := range w.Truth {
			s.workflows++
			key := w.Name + "/" + tr.Workflow
			var rows []int
			for i, row := range r.Workflows {
				if row.Workflow == tr.Workflow || (tr.Class == Mixed && strings.HasPrefix(row.Workflow, tr.Workflow) &&
					!isNameChar(row.Workflow[len(tr.Workflow)])) {
					rows = append(rows, i)
				}
			}
			if len(rows) == 0 {
				s.failures = append(s.failures, key+": missing: no workflow row")
				continue
			}
			cost := decimal.Zero
			right := false
			batchedReq := 0
			realtimeReq := 0
			var bad []string
			for _, i := range rows {
				row := r.Workflows[i]
				cost = cost.Add(row.CostUSD)
				batched := row.WhatIf.Eligible || row.WhatIf.SavingsUSD.IsPositive() || opp[row.Workflow]
				if batched {
					batchedReq += row.Requests
					bad = append(bad, fmt.Sprintf("eligible=%t savings=%s opportunity=%t", row.WhatIf.Eligible, row.WhatIf.SavingsUSD, opp[row.Workflow]))
				}
				if row.Class == Realtime {
					realtimeReq += row.Requests
				}
			}
			first := r.Workflows[rows[0]]
			switch tr.Class {
			case Mixed:
				if len(rows) == 1 {
					right = first.Class == Realtime && batchedReq == 0
				} else {
					right = realtimeReq >= tr.HumanRequests && batchedReq <= tr.MachineRequests
				}
			default:
				right = len(rows) == 1 && first.Class == tr.Class
			}
			if tr.NeverBatch && ((tr.Class != Mixed && batchedReq > 0) || (tr.Class == Mixed && (len(rows) == 1 && batchedReq > 0 || batchedReq > tr.MachineRequests))) {
				s.failures = append(s.failures, key+": never-batched: "+strings.Join(bad, "; "))
			}
			if right {
				s.right++
				s.costRight = s.costRight.Add(cost)
			} else {
				s.failures = append(s.failures, fmt.Sprintf("%s: class: truth %s, got %s (%s)", key, tr.Class, first.Class, first.Confidence))
			}
			s.lines = append(s.lines, fmt.Sprintf("%-44s truth %-13s got %-13s %-6s $%s", key, tr.Class, first.Class, first.Confidence, cost.StringFixed(2)))
			for _, i := range rows {
				for _, e := range r.Workflows[i].Evidence {
					for _, f := range checkEvidence(w, tr.Workflow, r.Workflows[i].Requests, e) {
						s.failures = append(s.failures, key+": evidence: "+f)
					}
				}
			}
		}
	}
	for _, l := range s.lines {
		t.Log(l)
	}
	share := s.costRight.Div(s.cost).InexactFloat64()
	t.Logf("workflows right %d of %d; cost right $%s of $%s (%.1f%%)", s.right, s.workflows, s.costRight.StringFixed(2), s.cost.StringFixed(2), 100*share)
	if share < minCostRight {
		t.Errorf("cost classed right %.1f%%, want at least %.0f%%", 100*share, 100*minCostRight)
	}
	sort.Strings(s.failures)
	want := append([]string(nil), knownFailures...)
	sort.Strings(want)
	if strings.Join(s.failures, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures differ from knownFailures\ngot:\n\t%s\nwant:\n\t%s", strings.Join(s.failures, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// knownFailuresNearRealtime lists, exactly, what goes wrong under
// --batch-classes near-realtime: a realtime or mixed workflow batched, or a
// workflow classed scheduled (rightly or not) left out of batch.
var knownFailuresNearRealtime = []string{}

// TestBlindBatchNearRealtime checks the hard rule when the user lets batch
// take near-realtime work too: realtime and mixed workflows are still never
// batched, and scheduled work is not dropped.
func TestBlindBatchNearRealtime(t *testing.T) {
	var failures []string
	for _, w := range blindSet() {
		r := analyze(t, w, "--batch-classes", "near-realtime")
		truth := map[string]Truth{}
		for _, tr := range w.Truth {
			truth[tr.Workflow] = tr
		}
		for _, row := range r.Workflows {
			tr, ok := truth[row.Workflow]
			if !ok {
				continue
			}
			key := w.Name + "/" + row.Workflow
			batched := row.WhatIf.Eligible || row.WhatIf.SavingsUSD.IsPositive()
			if batched && (tr.Class == Realtime || tr.Class == Mixed) {
				failures = append(failures, fmt.Sprintf("%s: batched: truth %s, class %s", key, tr.Class, row.Class))
			}
			if !batched && (row.Class == Scheduled || row.Class == NearRealtime) {
				failures = append(failures, fmt.Sprintf("%s: not batched: class %s under --batch-classes near-realtime", key, row.Class))
			}
		}
	}
	sort.Strings(failures)
	want := append([]string(nil), knownFailuresNearRealtime...)
	sort.Strings(want)
	if strings.Join(failures, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures differ from knownFailuresNearRealtime\ngot:\n\t%s\nwant:\n\t%s", strings.Join(failures, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

var (
	ofRe       = regexp.MustCompile(`([\d,]+) of ([\d,]+) (?:requests|records)`)
	allHumanRe = regexp.MustCompile(`^([\d,]+) of ([\d,]+) requests are in no machine run; (?:(\d+)% of them (\d\d):(\d\d)–(\d\d):(\d\d) ([^ ,:]+)(?:, (\d+)% on Saturdays and Sundays)?|they arrive at all hours \(no 12 consecutive hours in ([^ ]+) hold 80% of them\)(?:, (\d+)% on Saturdays and Sundays)?)`)
	runsRe     = regexp.MustCompile(`in (\d+) runs? that start (daily|weekly on (\w+)s) at (\d\d):(\d\d):(\d\d)–(\d\d):(\d\d):(\d\d) ([^ ]+) `)
	lateRe     = regexp.MustCompile(`([\d,]+) more (?:are|is) in (\d+) runs? that start later but within an hour`)
)

func atoi(s string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		panic(err)
	}
	return n
}

// checkEvidence returns what is false in one evidence string, checked against
// the generated records of the workflow in the workload's zone.
func checkEvidence(w *Workload, wf string, shown int, e string) []string {
	loc, _ := time.LoadLocation(w.TZ)
	var recs []time.Time
	for _, r := range w.Records {
		if r.Workflow == wf {
			recs = append(recs, r.TS.In(loc))
		}
	}
	all := len(recs)
	var bad []string
	for _, m := range ofRe.FindAllStringSubmatch(e, -1) {
		if n := atoi(m[2]); n != all && n != shown {
			bad = append(bad, fmt.Sprintf("%q: total %d is neither the %d records nor the %d requests shown", m[0], n, all, shown))
		}
	}
	for _, z := range []string{"UTC", "GMT"} {
		if w.TZ != "UTC" && w.TZ != "Europe/London" && strings.Contains(e, " "+z) {
			bad = append(bad, fmt.Sprintf("names %s under --tz %s", z, w.TZ))
		}
	}
	if m := allHumanRe.FindStringSubmatch(e); m != nil && atoi(m[1]) == atoi(m[2]) && atoi(m[2]) == all {
		if m[3] != "" {
			lo := atoi(m[4])*60 + atoi(m[5])
			hi := atoi(m[6])*60 + atoi(m[7])
			in := 0
			for _, t := range recs {
				mm := t.Hour()*60 + t.Minute()
				if mm >= lo && mm < hi {
					in++
				}
			}
			if got := 100 * in / all; abs(got-atoi(m[3])) > 1 {
				bad = append(bad, fmt.Sprintf("hours %s:%s–%s:%s: claims %s%%, the records show %d%%", m[4], m[5], m[6], m[7], m[3], got))
			}
			if m[8] != w.TZ {
				bad = append(bad, fmt.Sprintf("zone %s, want %s", m[8], w.TZ))
			}
		} else {
			var byHour [24]int
			for _, t := range recs {
				byHour[t.Hour()]++
			}
			for h := 0; h < 24; h++ {
				n := 0
				for k := 0; k < 12; k++ {
					n += byHour[(h+k)%24]
				}
				if 10*n >= 8*all {
					bad = append(bad, fmt.Sprintf("claims no 12 hours hold 80%%, but %02d:00–%02d:00 holds %d%%", h, (h+12)%24, 100*n/all))
					break
				}
			}
		}
		if wk := m[9] + m[11]; wk != "" {
			n := 0
			for _, t := range recs {
				if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
					n++
				}
			}
			if got := 100 * n / all; abs(got-atoi(wk)) > 1 {
				bad = append(bad, fmt.Sprintf("weekend share: claims %s%%, the records show %d%%", wk, got))
			}
		}
	}
	if m := runsRe.FindStringSubmatch(e); m != nil {
		lo := atoi(m[4])*3600 + atoi(m[5])*60 + atoi(m[6])
		hi := atoi(m[7])*3600 + atoi(m[8])*60 + atoi(m[9]) + 1
		var day time.Weekday = -1
		if m[3] != "" {
			for d := time.Sunday; d <= time.Saturday; d++ {
				if d.String() == m[3] {
					day = d
				}
			}
		}
		in, late := 0, 0
		for _, s := range runStarts(recs) {
			if s.Sub(w.Start) < 10*time.Minute {
				continue // a run cut by the window's start: its start is not seen
			}
			if day >= 0 && s.Weekday() != day {
				continue
			}
			sec := s.Hour()*3600 + s.Minute()*60 + s.Second()
			switch {
			case sec >= lo && sec < hi:
				in++
			case sec >= hi && sec < lo+3600:
				late++
			}
		}
		what := "daily"
		if day >= 0 {
			what = "weekly on " + m[3] + "s"
		}
		if claimed := atoi(m[1]); claimed != in {
			bad = append(bad, fmt.Sprintf("runs %s at %s:%s:%s–%s:%s:%s: claims %d, the records show %d", what, m[4], m[5], m[6], m[7], m[8], m[9], claimed, in))
		}
		claimedLate := 0
		if l := lateRe.FindStringSubmatch(e); l != nil {
			claimedLate = atoi(l[2])
		}
		if claimedLate != late {
			bad = append(bad, fmt.Sprintf("runs later within an hour of %s:%s:%s: claims %d, the records show %d", m[4], m[5], m[6], claimedLate, late))
		}
	}
	return bad
}

// runStarts returns the first request of each run: records less than ten
// minutes apart belong to one run.
func runStarts(ts []time.Time) []time.Time {
	sorted := append([]time.Time(nil), ts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })
	var starts []time.Time
	for i, t := range sorted {
		if i == 0 || t.Sub(sorted[i-1]) > 10*time.Minute {
			starts = append(starts, t)
		}
	}
	return starts
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestCheckEvidenceCatchesFalseClaims shows the evidence checker is not
// vacuous: claims that contradict the records are flagged.
func TestCheckEvidenceCatchesFalseClaims(t *testing.T) {
	var ch, sp *Workload
	for _, w := range blindSet() {
		switch w.Name {
		case "chatham-60d":
			ch = w
		case "saopaulo-30d":
			sp = w
		}
	}
	n := ch.Requests("weekly-catch-report")
	m := sp.Requests("faturas-monthly")
	tests := []struct {
		w        *Workload
		wf, e    string
		wantFlag bool
	}{
		{ch, "weekly-catch-report", fmt.Sprintf("%d of %d requests are in 8 runs that start weekly on Sundays at 22:00:00–22:00:00 Pacific/Chatham (8 of 8)", n, n), false},
		{ch, "weekly-catch-report", fmt.Sprintf("%d of %d requests are in 8 runs that start weekly on Saturdays at 22:00:00–22:00:00 Pacific/Chatham (8 of 8)", n, n), true},
		{ch, "weekly-catch-report", fmt.Sprintf("%d of %d requests are in 8 runs that start weekly on Sundays at 09:15:00–09:15:00 Pacific/Chatham (8 of 8)", n, n), true},
		{ch, "weekly-catch-report", fmt.Sprintf("5 of %d requests", n+1), true},
		{sp, "faturas-monthly", fmt.Sprintf("%d of %d requests are in no machine run; 100%% of them 04:00–05:00 America/Sao_Paulo, 0%% on Saturdays and Sundays", m, m), false},
		{sp, "faturas-monthly", fmt.Sprintf("%d of %d requests are in no machine run; 100%% of them 07:00–08:00 America/Sao_Paulo, 0%% on Saturdays and Sundays", m, m), true},
		{sp, "faturas-monthly", fmt.Sprintf("%d of %d requests are in no machine run; 100%% of them 04:00–05:00 America/Sao_Paulo, 40%% on Saturdays and Sundays", m, m), true},
		{sp, "faturas-monthly", fmt.Sprintf("%d of %d requests are in no machine run; they arrive at all hours (no 12 consecutive hours in America/Sao_Paulo hold 80%% of them)", m, m), true},
	}
	for i, tc := range tests {
		got := checkEvidence(tc.w, tc.wf, tc.w.Requests(tc.wf), tc.e)
		if (len(got) > 0) != tc.wantFlag {
			t.Errorf("case %d %q: flagged %v, want flagged=%t", i, tc.e, got, tc.wantFlag)
		}
	}
}
