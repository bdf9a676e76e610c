package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too
)

var testSpecs = []Spec{
	{Key: "inputs", Kind: List, Path: true},
	{Key: "tz", Kind: String},
	{Key: "rules", Kind: String, Path: true},
	{Key: "strict", Kind: Bool},
	{Key: "analyze.top", Kind: Int},
	{Key: "analyze.output", Kind: String, Path: true},
	{Key: "check.max_batchable_share", Kind: Decimal},
	{Key: "check.max_batchable_usd", Kind: Decimal},
	{Key: "check.min_usd", Kind: Decimal},
}

func TestParseValuesLinesAndPaths(t *testing.T) {
	src := `# team defaults
inputs = ["logs/", "/abs/*.jsonl", "-"]
tz = "Europe/Paris"
rules = 'rules.toml'
strict = true
"check".min_usd = "12.50 %"

[analyze]
top = 25
output = "out/report.json"

[check]
max_batchable_share = 0.05   # a bare float keeps the literal's digits
max_batchable_usd = "12.345678901234567890"
`
	f, err := Parse(filepath.Join("conf", "costaudit.toml"), []byte(src), testSpecs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Value{
		"inputs":                    {Key: "inputs", Line: 2, List: []string{filepath.Join("conf", "logs"), "/abs/*.jsonl", "-"}},
		"tz":                        {Key: "tz", Line: 3, Text: "Europe/Paris"},
		"rules":                     {Key: "rules", Line: 4, Text: filepath.Join("conf", "rules.toml")},
		"strict":                    {Key: "strict", Line: 5, Text: "true"},
		"check.min_usd":             {Key: "check.min_usd", Line: 6, Text: "12.5%"},
		"analyze.top":               {Key: "analyze.top", Line: 9, Text: "25"},
		"analyze.output":            {Key: "analyze.output", Line: 10, Text: filepath.Join("conf", "out", "report.json")},
		"check.max_batchable_share": {Key: "check.max_batchable_share", Line: 13, Text: "0.05"},
		"check.max_batchable_usd":   {Key: "check.max_batchable_usd", Line: 14, Text: "12.34567890123456789"},
	}
	for k, w := range want {
		got, ok := f.Get(k)
		if !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %+v, %v; want %+v", k, got, ok, w)
		}
	}
	if got := f.Keys(); len(got) != len(want) {
		t.Errorf("keys %v, want %d", got, len(want))
	}
	v, _ := f.Get("tz")
	if got := f.Where(v); got != filepath.Join("conf", "costaudit.toml")+":3 (tz)" {
		t.Errorf("where = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown top-level key", "tz = \"UTC\"\ntimezone = \"UTC\"\n", `c.toml:2: unknown key "timezone" (known at the top level: [analyze], [check], inputs, rules, strict, tz)`},
		{"unknown key in a table", "[check]\nmax_batchable_sahre = 0.1\n", `c.toml:2: unknown key "check.max_batchable_sahre" (known in [check]: max_batchable_share, max_batchable_usd, min_usd)`},
		{"unknown table", "[chek]\nx = 1\n", `c.toml:1: unknown key "chek"`},
		{"wrong type", "tz = 5\n", `c.toml:1: tz: want a string, got the integer 5`},
		{"float in an int", "[analyze]\ntop = 2.5\n", `c.toml:2: analyze.top: want an integer, got the float 2.5`},
		{"not a decimal", "[check]\nmax_batchable_usd = \"ten\"\n", `c.toml:2: check.max_batchable_usd: "ten" is not a decimal number or a percentage`},
		{"float past 15 digits", "[check]\nmax_batchable_usd = 0.12345678901234567\n", `write it as a string, such as "0.12345678901234566"`},
		{"list of numbers", "inputs = [1]\n", `c.toml:1: inputs: element 1: want a string, got the integer 1`},
		{"syntax", "tz = \"UTC\ninputs = []\n", `c.toml:1: `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(c.src), testSpecs)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestSplitKey(t *testing.T) {
	cases := map[string][]string{
		"tz":                  {"tz"},
		"check.min_usd":       {"check", "min_usd"},
		`"check" . "min usd"`: {"check", "min usd"},
		"a b":                 nil,
		"a. ":                 nil,
		"":                    nil,
		`"open`:               nil,
	}
	for in, want := range cases {
		if got := splitKey(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse: any file is parsed or refused with an error, never a panic,
// and every value it returns names a line of the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte("inputs = [\"logs/\"]\ntz = \"UTC\"\n[check]\nmax_batchable_usd = 2.5\n"))
	f.Add([]byte("\"check\".min_usd = \"5%\"\n[analyze]\ntop = 3\n"))
	f.Add([]byte("tz = \"\"\"\nmulti = 1\n\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("f.toml", data, testSpecs)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, k := range file.Keys() {
			v, _ := file.Get(k)
			if v.Line < 0 || v.Line > lines {
				t.Errorf("%s: line %d of a %d-line file", k, v.Line, lines)
			}
		}
	})
}
