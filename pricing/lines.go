package pricing

import (
	"regexp"
	"strconv"
	"strings"
)

// lineIndex maps key paths of a TOML document to the line that defines them.
// Paths carry array-of-tables indices ("models[2].prices[0].input") so that an
// error about one element of an array names that element's line. It is a light
// scan of the source, not a parser: BurntSushi/toml has already checked the
// syntax, and lineIndex only has to find where a key was written. Keys it
// cannot place fall back to their nearest enclosing table.
type lineIndex struct {
	lines map[string]int
	order []string // paths in document order, for lookups without indices
}

var (
	headerRe    = regexp.MustCompile(`^\[\[?\s*([^\[\]]+?)\s*\]\]?`)
	keyRe       = regexp.MustCompile(`^("[^"]*"|'[^']*'|[A-Za-z0-9_.\-]+)\s*=`)
	inlineKeyRe = regexp.MustCompile(`[{,]\s*([A-Za-z0-9_\-]+)\s*=`)
)

func scanLines(src string) *lineIndex {
	ix := &lineIndex{lines: map[string]int{}}
	counts := map[string]int{} // indexed array path → number of elements so far
	arrays := map[string]bool{}
	table := ""
	inMulti := ""
	depth := 0
	for n, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		lineNo := n + 1
		if inMulti != "" {
			if strings.Count(line, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		if depth > 0 {
			depth += bracketDelta(line)
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			m := headerRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			isArray := strings.HasPrefix(line, "[[")
			parts := splitKey(m[1])
			path := ""
			for i, p := range parts {
				if path != "" {
					path += "."
				}
				path += p
				plain := stripIndices(path)
				last := i == len(parts)-1
				if last && isArray {
					arrays[plain] = true
					idx := counts[path]
					counts[path] = idx + 1
					path += "[" + strconv.Itoa(idx) + "]"
				} else if arrays[plain] {
					path += "[" + strconv.Itoa(counts[path]-1) + "]"
				}
			}
			table = path
			ix.add(table, lineNo)
			continue
		}
		m := keyRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := strings.Join(splitKey(m[1]), ".")
		full := key
		if table != "" {
			full = table + "." + key
		}
		ix.add(full, lineNo)
		rest := line[len(m[0]):]
		for _, im := range inlineKeyRe.FindAllStringSubmatch(rest, -1) {
			ix.add(full+"."+im[1], lineNo)
		}
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(rest, q)%2 == 1 {
				inMulti = q
			}
		}
		if inMulti == "" {
			depth = bracketDelta(rest)
			if depth < 0 {
				depth = 0
			}
		}
	}
	return ix
}

func (ix *lineIndex) add(path string, line int) {
	if _, ok := ix.lines[path]; ok {
		return
	}
	ix.lines[path] = line
	ix.order = append(ix.order, path)
}

// line returns the line of path, or of its nearest recorded ancestor, or 0.
func (ix *lineIndex) line(path string) int {
	for path != "" {
		if l, ok := ix.lines[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return 0
		}
		path = path[:cut]
	}
	return 0
}

// linePlain returns the first line of a key path written without indices
// ("models.prices.foo"), as toml.MetaData.Undecoded reports it.
func (ix *lineIndex) linePlain(plain string) int {
	for _, p := range ix.order {
		if stripIndices(p) == plain {
			return ix.lines[p]
		}
	}
	// fall back to an ancestor
	if cut := strings.LastIndex(plain, "."); cut > 0 {
		return ix.linePlain(plain[:cut])
	}
	return 0
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

func stripIndices(p string) string { return indexRe.ReplaceAllString(p, "") }

// splitKey splits a dotted TOML key, unquoting quoted parts.
func splitKey(k string) []string {
	var parts []string
	for _, p := range strings.Split(k, ".") {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') {
			p = p[1 : len(p)-1]
		}
		parts = append(parts, p)
	}
	return parts
}

// bracketDelta counts unquoted '[' minus ']' on a line, to skip the
// continuation lines of a multi-line array.
func bracketDelta(s string) int {
	d := 0
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '#':
			return d
		case c == '[':
			d++
		case c == ']':
			d--
		}
	}
	return d
}
