package simulate

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/costaudit/costaudit/pricing"
)

// fakePricer knows one model and fails for the rest like the catalog does.
type fakePricer struct{}

func (fakePricer) Prices(provider, model string, _ time.Time, _ int64) (Prices, error) {
	if model == "known-model" {
		return Prices{Provider: "anthropic", Model: model, Source: "book fake", Book: "fake", Input: d("3"), Output: d("15"),
			HasBatch: true, BatchInput: d("1.5"), BatchOutput: d("7.5")}, nil
	}
	return Prices{}, fmt.Errorf("no price book prices %s/%s: %w", provider, model, pricing.ErrUnknownModel)
}

const goodScenario = `name = "bad-values"
period = "month"

[[workload]]
name = "tickets"
requests = 25000
input_tokens = 1500
output_tokens = 250
model = "known-model"

[batch]

[cache]
hit_rate = 0.5
`

// TestScenarioErrors checks that every bad value names the file, the line,
// the key and the allowed range.
func TestScenarioErrors(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"negative volume", "requests = 25000", "requests = -5",
			"s.toml:6: workload[1].requests: -5 is out of range (allowed: 0 or more)"},
		{"hit rate 1.4", "hit_rate = 0.5", "hit_rate = 1.4",
			"s.toml:14: cache.hit_rate: 1.4 is out of range (allowed: 0 to 1)"},
		{"unknown model", `model = "known-model"`, `model = "gpt-9-ultra"`,
			`s.toml:9: workload[1].model: no price book prices /gpt-9-ultra: unknown model (allowed: a model of the price books; see costaudit pricebook list)`},
		{"unknown key", "hit_rate = 0.5", "hit_rate = 0.5\nhitrate = 0.5",
			"s.toml:15: cache.hitrate: unknown key (allowed here: batch_hit_rate, hit_rate, prefix_tokens, segments, ttl, workflows)"},
		{"wrong type", "requests = 25000", `requests = true`,
			"s.toml:6: workload.requests: expected a number, found bool"},
		{"not a number", "requests = 25000", `requests = "lots"`,
			`s.toml:6: workload.requests: "lots" is not a number`},
		{"bad ttl", "hit_rate = 0.5", "hit_rate = 0.5\nttl = \"10m\"",
			`s.toml:15: cache.ttl: unknown ttl "10m" (allowed: 5m, 1h)`},
		{"bad mode", `model = "known-model"`, "model = \"known-model\"\nmode = \"turbo\"",
			`s.toml:10: workload[1].mode: unknown mode "turbo" (allowed: sync, stream, batch)`},
		{"missing hit rate", "hit_rate = 0.5", "ttl = \"1h\"",
			"s.toml:13: cache.hit_rate: missing (required)"},
		{"syntax", "[batch]", "[batch",
			"s.toml:12: "},
		{"share above 1", "requests = 25000", "share = 1.5",
			"s.toml:6: workload[1].share: 1.5 is out of range (allowed: more than 0, at most 1)"},
		{"eligible share", `name = "tickets"`, "name = \"tickets\"\neligible_share = -0.1",
			"s.toml:6: workload[1].eligible_share: -0.1 is out of range (allowed: 0 to 1)"},
		{"workflows in a described scenario", "[batch]", "[batch]\nworkflows = [\"x\"]",
			"s.toml:12: batch.workflows: workflows selects logged workflows"},
		{"negative price", `model = "known-model"`, "prices = { input = \"-3\", source = \"me\" }",
			"s.toml:9: workload[1].prices.input: -3 is out of range (allowed: 0 or more)"},
		{"explicit prices need a source", `model = "known-model"`, "prices = { input = \"3\" }",
			"s.toml:9: workload[1].prices.source: missing"},
		{"draws", "[batch]", "[batch]\n[completion]\ndeadline_hours = 4\ndraws = 0",
			"s.toml:14: completion.draws: 0 is out of range (allowed: a whole number from 1 to 10000000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(goodScenario, tt.from, tt.to, 1)
			if src == goodScenario {
				t.Fatalf("replacement %q not found", tt.from)
			}
			f, err := ParseFile("s.toml", []byte(src))
			if err == nil {
				_, err = Run(f, Options{Pricer: fakePricer{}})
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n  %s\nwant prefix\n  %s", err, tt.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FileError", err)
			}
		})
	}
	if f, err := ParseFile("s.toml", []byte(goodScenario)); err != nil {
		t.Fatalf("good scenario: %v", err)
	} else if _, err := Run(f, Options{Pricer: fakePricer{}}); err != nil && !strings.Contains(err.Error(), "prefix_tokens") {
		t.Fatalf("good scenario: %v", err)
	}
}

func TestUnknownModelWraps(t *testing.T) {
	src := strings.Replace(goodScenario, `"known-model"`, `"nope"`, 1)
	f, err := ParseFile("s.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(f, Options{Pricer: fakePricer{}})
	if !errors.Is(err, pricing.ErrUnknownModel) {
		t.Errorf("error %v does not wrap pricing.ErrUnknownModel", err)
	}
}
