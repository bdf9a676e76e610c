// Package config reads costaudit.toml, the file that holds the defaults a
// team would otherwise repeat on every command line: inputs, price books,
// rules, workflow key, time zone, batch classes, output formats and paths,
// and the budgets of costaudit check.
//
// The package knows nothing about commands or flags. The caller describes
// the keys it accepts (Spec); Parse checks every key of the file against
// them, converts each value to the text a flag would receive, remembers the
// line it was written on, and resolves relative paths against the file's
// directory. Numbers are kept as decimal text, never as float64 arithmetic,
// so a budget of 0.1 is exactly one tenth.
package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
)

// FileName is the name costaudit looks for in the working directory.
const FileName = "costaudit.toml"

// Kind is the type a key's value must have.
type Kind int

// The kinds of value a key can hold.
const (
	String  Kind = iota // a TOML string
	List                // an array of strings (a single string is taken as one element)
	Decimal             // a decimal number: a string such as "0.05" or "5%", an integer, or a float written with at most 15 significant digits
	Int                 // a TOML integer
	Bool                // a TOML boolean
)

func (k Kind) String() string {
	switch k {
	case String:
		return "a string"
	case List:
		return "an array of strings"
	case Decimal:
		return `a decimal number (such as 0.05 or "0.05")`
	case Int:
		return "an integer"
	case Bool:
		return "true or false"
	}
	return "a value"
}

// Spec describes one accepted key. Key is dotted for keys inside a table
// ("check.max_batchable_usd"); Path says the value is a file path (or, for
// a List, paths) to resolve against the file's directory.
type Spec struct {
	Key  string
	Kind Kind
	Path bool
}

// Value is one key as written in the file, converted to flag text.
type Value struct {
	Key  string
	Line int
	// Text is the value of a String, Decimal, Int or Bool key as a flag
	// would receive it (paths resolved).
	Text string
	// List is the value of a List key (paths resolved).
	List []string
}

// File is a parsed costaudit.toml.
type File struct {
	// Path is the file as it was named (given with --config, or FileName).
	Path   string
	values map[string]Value
}

// Get returns the value of key and whether the file sets it.
func (f *File) Get(key string) (Value, bool) {
	if f == nil {
		return Value{}, false
	}
	v, ok := f.values[key]
	return v, ok
}

// Keys returns the keys the file sets, sorted.
func (f *File) Keys() []string {
	if f == nil {
		return nil
	}
	keys := make([]string, 0, len(f.values))
	for k := range f.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Where names the place a value came from: "costaudit.toml:4 (tz)".
func (f *File) Where(v Value) string {
	if v.Line > 0 {
		return fmt.Sprintf("%s:%d (%s)", f.Path, v.Line, v.Key)
	}
	return fmt.Sprintf("%s (%s)", f.Path, v.Key)
}

// Load reads and parses the file at path.
func Load(path string, specs []Spec) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data, specs)
}

// Parse parses data, the content of the file named path, accepting the
// keys in specs. An unknown key, a value of the wrong type or a TOML syntax
// error is an error that names path, the line and the key.
func Parse(path string, data []byte, specs []Spec) (*File, error) {
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	bySpec := map[string]Spec{}
	tables := map[string]bool{}
	for _, s := range specs {
		bySpec[s.Key] = s
		if i := strings.LastIndexByte(s.Key, '.'); i > 0 {
			tables[s.Key[:i]] = true
		}
	}
	lines := keyLines(data)
	dir := filepath.Dir(path)
	f := &File{Path: path, values: map[string]Value{}}
	for _, k := range md.Keys() {
		key := strings.Join(k, ".")
		line := lines[key]
		at := path
		if line > 0 {
			at = fmt.Sprintf("%s:%d", path, line)
		}
		if md.Type(k...) == "Hash" && len(k) == 1 && tables[key] {
			continue
		}
		s, ok := bySpec[key]
		if !ok {
			return nil, fmt.Errorf("%s: unknown key %q (%s)", at, key, knownKeys(specs, k))
		}
		v, err := convert(s, valueAt(raw, k), dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", at, key, err)
		}
		v.Key, v.Line = key, line
		f.values[key] = v
	}
	return f, nil
}

// knownKeys lists the keys accepted beside k, for the unknown-key error.
func knownKeys(specs []Spec, k toml.Key) string {
	prefix := ""
	if len(k) > 1 {
		prefix = strings.Join(k[:len(k)-1], ".") + "."
	}
	var names []string
	tables := map[string]bool{}
	for _, s := range specs {
		rest, ok := strings.CutPrefix(s.Key, prefix)
		if !ok {
			continue
		}
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			tables["["+prefix+rest[:i]+"]"] = true
			continue
		}
		names = append(names, rest)
	}
	for t := range tables {
		names = append(names, t)
	}
	sort.Strings(names)
	where := "at the top level"
	if prefix != "" {
		where = "in [" + strings.TrimSuffix(prefix, ".") + "]"
	}
	if len(names) == 0 {
		return "no keys are known " + where
	}
	return "known " + where + ": " + strings.Join(names, ", ")
}

func valueAt(raw map[string]any, k toml.Key) any {
	var cur any = raw
	for _, p := range k {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// convert turns one TOML value into flag text.
func convert(s Spec, v any, dir string) (Value, error) {
	resolve := func(p string) string {
		if !s.Path || p == "" || p == "-" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	bad := func() (Value, error) {
		return Value{}, fmt.Errorf("want %s, got %s", s.Kind, describe(v))
	}
	switch s.Kind {
	case String:
		str, ok := v.(string)
		if !ok {
			return bad()
		}
		return Value{Text: resolve(str)}, nil
	case List:
		switch x := v.(type) {
		case string:
			return Value{List: []string{resolve(x)}}, nil
		case []any:
			out := make([]string, 0, len(x))
			for i, e := range x {
				str, ok := e.(string)
				if !ok {
					return Value{}, fmt.Errorf("element %d: want a string, got %s", i+1, describe(e))
				}
				out = append(out, resolve(str))
			}
			return Value{List: out}, nil
		}
		return bad()
	case Int:
		n, ok := v.(int64)
		if !ok {
			return bad()
		}
		return Value{Text: strconv.FormatInt(n, 10)}, nil
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		return Value{Text: strconv.FormatBool(b)}, nil
	case Decimal:
		switch x := v.(type) {
		case string:
			// A percentage ("5%") is kept as written for the flag to read.
			num, pct := strings.CutSuffix(strings.TrimSpace(x), "%")
			d, err := decimal.NewFromString(strings.TrimSpace(num))
			if err != nil {
				return Value{}, fmt.Errorf("%q is not a decimal number or a percentage", x)
			}
			if pct {
				return Value{Text: d.String() + "%"}, nil
			}
			return Value{Text: d.String()}, nil
		case int64:
			return Value{Text: strconv.FormatInt(x, 10)}, nil
		case float64:
			// TOML floats are binary. The shortest text that reads back as
			// the same float is the literal the user wrote whenever it has
			// at most 15 significant digits; past that it may not be.
			text := strconv.FormatFloat(x, 'f', -1, 64)
			if significantDigits(text) > 15 {
				return Value{}, fmt.Errorf("%s has more digits than a TOML float keeps exactly; write it as a string, such as \"%s\"", text, text)
			}
			return Value{Text: text}, nil
		}
		return bad()
	}
	return bad()
}

func significantDigits(s string) int {
	s = strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""), "0")
	return len(s)
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case int64:
		return fmt.Sprintf("the integer %d", x)
	case float64:
		return fmt.Sprintf("the float %s", strconv.FormatFloat(x, 'g', -1, 64))
	case bool:
		return fmt.Sprintf("%t", x)
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("a %T", v)
}

// keyLines maps each dotted key to the line where it is first written.
// BurntSushi/toml does not expose key positions, so this reads the lines
// itself: table headers ([check]) set the prefix, `key = value` lines name
// a key (bare, quoted or dotted); lines inside multi-line strings are
// skipped.
func keyLines(data []byte) map[string]int {
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<24)
	table := ""
	inString := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if inString != "" {
			if strings.Count(line, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			name := strings.Trim(line, "[] \t")
			if i := strings.IndexByte(name, ']'); i >= 0 {
				name = name[:i]
			}
			table = strings.Join(splitKey(strings.TrimSpace(name)), ".")
			if _, ok := out[table]; !ok {
				out[table] = n
			}
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq <= 0 {
			continue
		}
		parts := splitKey(strings.TrimSpace(line[:eq]))
		if len(parts) == 0 {
			continue
		}
		key := strings.Join(parts, ".")
		if table != "" {
			key = table + "." + key
		}
		if _, ok := out[key]; !ok {
			out[key] = n
		}
		rest := line[eq+1:]
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(rest, q)%2 == 1 {
				inString = q
			}
		}
	}
	return out
}

// splitKey splits a TOML key (bare, "quoted" or dotted) into its parts; it
// returns nil when s is not a key.
func splitKey(s string) []string {
	var parts []string
	for {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil // an empty key, or a dot with nothing after it
		}
		var part string
		switch s[0] {
		case '"', '\'':
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return nil
			}
			part, s = s[1:1+end], s[2+end:]
		default:
			end := strings.IndexAny(s, ". \t")
			if end < 0 {
				end = len(s)
			}
			part, s = s[:end], s[end:]
			for _, r := range part {
				if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
					return nil
				}
			}
			if part == "" {
				return nil
			}
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if s[0] != '.' {
			return nil
		}
		s = s[1:]
	}
	return parts
}
