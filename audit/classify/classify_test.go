package classify

import (
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/audit/aggregate"
)

// hintsStart is the first day of the test evidence, a Monday.
var hintsStart = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

func TestClassifyHints(t *testing.T) {
	type hw struct {
		yes, no      int64
		sources      map[string]int64
		batch        int64
		streamsTTFT  int64
		nightlyBurst bool
		slowBurst    bool // 20 requests a night over 40 minutes
		few          bool // 10 requests in all: too few for a pattern
		slow         bool // every request logs a latency of 45 s
	}
	mk := func(h hw) *aggregate.WorkflowStats {
		w := aggregate.NewWorkflowStats("w")
		w.Requests = 100
		w.UserWaitingYes, w.UserWaitingNo = h.yes, h.no
		for k, v := range h.sources {
			w.Sources[k] = v
		}
		w.Modes["batch"] = h.batch
		w.Modes["sync"] = 100 - h.batch
		w.Streams, w.StreamsTTFT = h.streamsTTFT, h.streamsTTFT
		for range h.streamsTTFT {
			w.TTFT.Observe(400)
		}
		if h.slow {
			for range w.Requests {
				w.Latency.Observe(45000)
			}
		}
		days, per := 5, 20
		if h.few {
			w.Requests, w.Modes["sync"], w.Sources["api"], days, per = 10, 10, 10, 1, 10
		}
		for d := range days {
			for i := range per {
				at := hintsStart.AddDate(0, 0, d).Add(time.Duration(i) * 30 * time.Second)
				switch {
				case h.nightlyBurst:
					at = at.Add(2 * time.Hour)
				case h.slowBurst:
					at = at.Add(2*time.Hour + time.Duration(i)*90*time.Second)
				default:
					at = at.Add(time.Duration(i) * 37 * time.Minute)
				}
				w.Arrival.Observe(at)
			}
		}
		return w
	}
	span := Window{StartMS: hintsStart.UnixMilli(), EndMS: hintsStart.AddDate(0, 0, 5).UnixMilli() - 1}
	for _, tc := range []struct {
		name        string
		h           hw
		class, conf string
		evidence0   string
		batched     bool
	}{
		{"user waiting", hw{yes: 100}, Realtime, ConfidenceHigh, "user_waiting=true on 100% of 100 requests", false},
		{"interactive source", hw{sources: map[string]int64{"ide": 95, "api": 5}}, Realtime, ConfidenceHigh, "source ide on 95% of 100 requests (interactive caller)", false},
		{"waiting beats cron", hw{yes: 100, sources: map[string]int64{"cron": 100}, nightlyBurst: true}, Realtime, ConfidenceMedium, "user_waiting=true on 100% of 100 requests", false},
		{"some waiting", hw{yes: 10, no: 90, sources: map[string]int64{"cron": 100}}, Realtime, ConfidenceMedium, "mixed workflow: user_waiting=true on 10% of 100 requests, but user_waiting=false on 90% of 100 requests: nobody waits; source cron on 100% of 100 requests (scheduled job): kept realtime", false},
		{"streaming with ttft", hw{streamsTTFT: 80}, Realtime, ConfidenceMedium, "streamed with time to first token measured on 80% of 100 requests (median under 500 ms): someone watches the tokens arrive", false},
		{"already batched", hw{no: 100, batch: 100}, Scheduled, ConfidenceHigh, "already batched: mode batch on 100% of 100 requests", true},
		{"cron", hw{sources: map[string]int64{"cron": 100}}, Scheduled, ConfidenceMedium, "source cron on 100% of 100 requests (scheduled job)", false},
		{"mostly etl", hw{sources: map[string]int64{"etl": 60, "api": 40}}, Scheduled, ConfidenceLow, "source etl on 60% of 100 requests (scheduled job)", false},
		{"webhook", hw{sources: map[string]int64{"webhook": 100}}, NearRealtime, ConfidenceHigh, "source webhook on 100% of 100 requests (event-driven caller)", false},
		{"nobody waits", hw{no: 100}, NearRealtime, ConfidenceMedium, "user_waiting=false on 100% of 100 requests: nobody waits", false},
		{"queue drained nightly", hw{sources: map[string]int64{"queue": 100}, nightlyBurst: true}, Scheduled, ConfidenceMedium,
			"100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC (5 of the 5 days the data window holds that time), all at full speed from the first minute and keeping their pace, lasting 10 min (median)", false},
		{"slow nightly queue", hw{sources: map[string]int64{"queue": 100}, slowBurst: true}, Scheduled, ConfidenceMedium,
			"100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC (5 of the 5 days the data window holds that time), all at full speed from the first minute and keeping their pace, lasting 39 min (median)", false},
		{"slow nightly, no hints", hw{slowBurst: true}, Scheduled, ConfidenceMedium, "100 of 100 requests are in 5 runs that start daily at 02:00:00 UTC", false},
		{"people by day, no hints", hw{}, Realtime, ConfidenceMedium, "99 of 100 requests are in no machine run; 81% of them 01:00–11:00 UTC: people could keep hours like these", false},
		{"slow answers for people", hw{sources: map[string]int64{"ide": 100}, slow: true}, Realtime, ConfidenceMedium, "source ide on 100% of 100 requests (interactive caller)", false},
		{"nothing", hw{sources: map[string]int64{"api": 100}, few: true}, Realtime, ConfidenceLow, Unclassified, false},
	} {
		c := Workflow(mk(tc.h), nil, time.UTC, span)
		if tc.h.slow && c.Evidence[len(c.Evidence)-1] != "but latency_ms of 30 s or more on 100% of the 100 requests that logged one: long for a person at a keyboard" {
			t.Errorf("%s: last evidence %q", tc.name, c.Evidence[len(c.Evidence)-1])
		}
		if c.Class != tc.class || c.Confidence != tc.conf || !strings.HasPrefix(c.Evidence[0], tc.evidence0) || c.AlreadyBatched != tc.batched {
			t.Errorf("%s: got %s %s %q batched=%v, want %s %s %q", tc.name, c.Class, c.Confidence, c.Evidence, c.AlreadyBatched, tc.class, tc.conf, tc.evidence0)
		}
	}
}
