package pricing

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// This file holds the two price rules that 2026 brought: time-of-day
// windows inside a dated entry (DeepSeek's peak and off-peak hours) and
// modifiers that scale an entry's prices for a way of calling the model
// (Anthropic's US-only data residency at 1.1x, fast mode).

// ErrModifierMode is wrapped by errors for a price asked under a delivery
// mode that an active modifier does not combine with (fast mode in a batch).
var ErrModifierMode = errors.New("modifier does not combine with this delivery mode")

type fileWindow struct {
	Label        rawVal `toml:"label"`
	Days         rawVal `toml:"days"`
	From         rawVal `toml:"from"`
	Until        rawVal `toml:"until"`
	Note         rawVal `toml:"note"`
	Input        rawVal `toml:"input"`
	CacheRead    rawVal `toml:"cache_read"`
	CacheWrite5m rawVal `toml:"cache_write_5m"`
	CacheWrite1h rawVal `toml:"cache_write_1h"`
	Output       rawVal `toml:"output"`
}

type fileModifier struct {
	Name       rawVal `toml:"name"`
	Multiplier rawVal `toml:"multiplier"`
	Excludes   rawVal `toml:"excludes_modes"`
	Note       rawVal `toml:"note"`
	Source     rawVal `toml:"source"`
}

// window is a weekly time-of-day window of an entry: on the days set in
// days (0 Sunday … 6 Saturday, UTC), from minute from (inclusive) to minute
// until (exclusive) of the day, the window's prices replace the entry's. A
// window with until <= from runs past midnight into the next day; its day
// is the day it starts.
type window struct {
	label       string
	days        [7]bool
	from, until int // minutes after 00:00 UTC; until 1440 is the end of the day
	p           prices
}

// modifier scales every token price of an entry by mult when it is active
// (see Catalog.WithModifiers); excluded lists the delivery modes it does not
// combine with.
type modifier struct {
	name     string
	mult     decimal.Decimal
	excluded []Mode
	note     string
	source   string
}

var (
	clockRe    = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	dayNames   = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	modifierRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_\-]*$`)
)

// clock parses "HH:MM" (UTC) into minutes after midnight; "24:00" is allowed
// for until, the end of the day.
func (d *decoder) clock(path string, r rawVal, isUntil bool) (int, bool) {
	s := d.str(path, r, true)
	if s == "" {
		return 0, false
	}
	if isUntil && s == "24:00" {
		return 1440, true
	}
	m := clockRe.FindStringSubmatch(s)
	if m == nil {
		d.fail(path, "%q is not a UTC time of day; write \"HH:MM\" such as \"16:30\"", s)
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	return h*60 + mm, true
}

func (d *decoder) windows(p string, fws []fileWindow) []window {
	var out []window
	labels := map[string]bool{}
	for i := range fws {
		wp := fmt.Sprintf("%s[%d]", p, i)
		fw := &fws[i]
		w := window{}
		w.label = d.str(wp+".label", fw.Label, true)
		if w.label != "" {
			if labels[w.label] || w.label == "standard" {
				d.fail(wp+".label", "label %q is already used in this entry; give each window its own label (not \"standard\")", w.label)
			}
			labels[w.label] = true
		}
		if fw.Days.set {
			for _, s := range d.strings(wp+".days", fw.Days) {
				found := false
				for k, n := range dayNames {
					if strings.EqualFold(s, n) {
						w.days[k], found = true, true
					}
				}
				if !found {
					d.fail(wp+".days", "%q is not a day (allowed: %s)", s, strings.Join(dayNames, ", "))
				}
			}
		} else {
			for k := range w.days {
				w.days[k] = true
			}
		}
		var ok1, ok2 bool
		w.from, ok1 = d.clock(wp+".from", fw.From, false)
		w.until, ok2 = d.clock(wp+".until", fw.Until, true)
		if ok1 && ok2 && w.from == w.until {
			d.fail(wp+".until", "a window from %s until %s is empty; for a whole day write from = \"00:00\", until = \"24:00\"", fmtClock(w.from), fmtClock(w.until))
		}
		d.str(wp+".note", fw.Note, false)
		w.p = d.prices(wp, fw.Input, fw.CacheRead, fw.CacheWrite5m, fw.CacheWrite1h, fw.Output)
		out = append(out, w)
	}
	return out
}

func (d *decoder) modifiers(p string, fms []fileModifier) []*modifier {
	var out []*modifier
	seen := map[string]bool{}
	for i := range fms {
		mp := fmt.Sprintf("%s[%d]", p, i)
		fm := &fms[i]
		m := &modifier{}
		m.name = strings.ToLower(d.str(mp+".name", fm.Name, true))
		if m.name != "" && !modifierRe.MatchString(m.name) {
			d.fail(mp+".name", "%q must be lowercase letters, digits, '_' or '-'", m.name)
		}
		if seen[m.name] {
			d.fail(mp+".name", "modifier %q is defined twice here", m.name)
		}
		seen[m.name] = true
		if !fm.Multiplier.set {
			d.fail(mp+".multiplier", "missing; write the factor on every token price as a decimal string, e.g. \"1.1\"")
		} else if v, ok := d.money(mp+".multiplier", fm.Multiplier, true); ok {
			if !v.IsPositive() {
				d.fail(mp+".multiplier", "multiplier %s must be greater than 0", v)
			}
			m.mult = v
		}
		for _, s := range d.strings(mp+".excludes_modes", fm.Excludes) {
			md, err := ParseMode(s)
			if err != nil || s == "" {
				d.fail(mp+".excludes_modes", "%q: not a delivery mode (allowed: sync, stream, batch, flex, priority)", s)
				continue
			}
			m.excluded = append(m.excluded, md)
		}
		m.note = d.str(mp+".note", fm.Note, false)
		m.source = d.str(mp+".source", fm.Source, false)
		out = append(out, m)
	}
	return out
}

func fmtClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// contains reports whether the window holds the UTC time t.
func (w *window) contains(t time.Time) bool {
	mins := t.Hour()*60 + t.Minute()
	day := int(t.Weekday())
	if w.from < w.until {
		return w.days[day] && mins >= w.from && mins < w.until
	}
	// past midnight: the part after from belongs to today, the part before
	// until to the window that started yesterday.
	if mins >= w.from {
		return w.days[day]
	}
	return mins < w.until && w.days[(day+6)%7]
}

// windowAt returns the band (1 + index) of the first window of e holding
// t, or 0 when none does.
func windowAt(e *entry, t time.Time) int8 {
	for i := range e.windows {
		if e.windows[i].contains(t) {
			return int8(i + 1)
		}
	}
	return 0
}

// windowBounds returns a stretch [from, until) around t in which the window
// of e does not change: the nearest window edges (of any day) either side of
// t. It may be shorter than the window itself, never longer.
func windowBounds(e *entry, t time.Time) (time.Time, time.Time) {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	var from, until time.Time
	for off := -1; off <= 1; off++ {
		base := day.AddDate(0, 0, off)
		for i := range e.windows {
			w := &e.windows[i]
			for _, m := range []int{w.from, w.until} {
				edge := base.Add(time.Duration(m) * time.Minute)
				if !edge.After(t) && (from.IsZero() || edge.After(from)) {
					from = edge
				}
				if edge.After(t) && (until.IsZero() || edge.Before(until)) {
					until = edge
				}
			}
		}
	}
	return from, until
}

// WindowInfo is one time-of-day window of an entry at list prices.
type WindowInfo struct {
	Label  string   `json:"label"`
	Days   []string `json:"days"`
	From   string   `json:"from"`  // HH:MM UTC
	Until  string   `json:"until"` // HH:MM UTC, exclusive
	Prices Prices   `json:"prices"`
}

func (w *window) info(fee decimal.Decimal) WindowInfo {
	wi := WindowInfo{Label: w.label, From: fmtClock(w.from), Until: fmtClock(w.until), Prices: toPrices(w.p, fee, decimal.NewFromInt(1))}
	for k, on := range w.days {
		if on {
			wi.Days = append(wi.Days, dayNames[k])
		}
	}
	return wi
}

// ModifierInfo names one modifier a model's entry offers.
type ModifierInfo struct {
	Name       string          `json:"name"`
	Multiplier decimal.Decimal `json:"multiplier"`
	Excludes   []Mode          `json:"excludes_modes,omitempty"`
	Note       string          `json:"note,omitempty"`
	Source     string          `json:"source,omitempty"`
}

// modifiersOf returns the modifiers an entry of m offers: the entry's own,
// then the book's whose names the entry does not redefine, sorted by name.
func modifiersOf(m *model, e *entry) []*modifier {
	out := append([]*modifier(nil), e.modifiers...)
	for _, bm := range m.book.modifiers {
		dup := false
		for _, em := range e.modifiers {
			if em.name == bm.name {
				dup = true
			}
		}
		if !dup {
			out = append(out, bm)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// activeModifiers returns the modifiers of an entry that the catalog has
// switched on.
func (c *Catalog) activeModifiers(m *model, e *entry) []*modifier {
	if len(c.active) == 0 {
		return nil
	}
	var out []*modifier
	for _, md := range modifiersOf(m, e) {
		if c.active[md.name] {
			out = append(out, md)
		}
	}
	return out
}

// applyModifiers scales p by every active modifier, or fails when one of
// them excludes mode.
func applyModifiers(p prices, mods []*modifier, m *model, mode Mode) (prices, []string, error) {
	var names []string
	for _, md := range mods {
		for _, x := range md.excluded {
			if x == mode {
				return prices{}, nil, fmt.Errorf("%s/%s: %w: %s does not combine with %s (book %s); price the request without the %s modifier or in another mode", m.provider, m.id, ErrModifierMode, md.name, mode, m.book.id, md.name)
			}
		}
		p.in = p.in.Mul(md.mult)
		p.cr = p.cr.Mul(md.mult)
		p.cw5 = p.cw5.Mul(md.mult)
		p.cw1h = p.cw1h.Mul(md.mult)
		p.out = p.out.Mul(md.mult)
		names = append(names, md.name+" ×"+md.mult.String())
	}
	return p, names, nil
}

// Modifiers lists the names of every modifier any loaded book defines,
// sorted.
func (c *Catalog) Modifiers() []string {
	seen := map[string]bool{}
	for _, b := range c.books {
		for _, md := range b.modifiers {
			seen[md.name] = true
		}
		for _, m := range b.models {
			for _, e := range m.entries {
				for _, md := range e.modifiers {
					seen[md.name] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// WithModifiers returns a catalog that prices every request with the named
// modifiers switched on (for example "us-only" for Anthropic's US-only
// inference, "fast" for fast mode): each entry that defines a modifier of
// that name has its token prices multiplied by it, entries that do not are
// priced as before. A name no loaded book defines is an error. Quotes under
// a mode an active modifier excludes fail with ErrModifierMode.
func (c *Catalog) WithModifiers(names ...string) (*Catalog, error) {
	known := c.Modifiers()
	active := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		i := sort.SearchStrings(known, n)
		if i == len(known) || known[i] != n {
			k := strings.Join(known, ", ")
			if k == "" {
				k = "none"
			}
			return nil, fmt.Errorf("modifier %q: no loaded price book defines it (known: %s)", n, k)
		}
		active[n] = true
	}
	return &Catalog{books: c.books, models: c.models, names: c.names, providers: c.providers, segs: c.segs, active: active, unknownHint: c.unknownHint}, nil
}

// DefaultUnknownModelHint is the fix an ErrUnknownModel error names unless
// WithUnknownModelHint says otherwise.
const DefaultUnknownModelHint = "add it to a price book"

// WithUnknownModelHint returns the catalog with hint as the fix that
// ErrUnknownModel errors name, such as the flag of a command that loads
// more books. Prices and modifiers are those of c.
func (c *Catalog) WithUnknownModelHint(hint string) *Catalog {
	return &Catalog{books: c.books, models: c.models, names: c.names, providers: c.providers, segs: c.segs, active: c.active, unknownHint: hint}
}
