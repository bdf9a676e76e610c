package render

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/costaudit/costaudit/report"
)

// Renderer writes one report in one output format.
type Renderer func(w io.Writer, rep *report.Report, opts Options) error

// View selects what part of a report a renderer shows.
type View string

// Views understood by the table, json, csv and markdown renderers.
const (
	// ViewReport is the whole report (the default).
	ViewReport View = ""
	// ViewInventory is the latency inventory only: workflow, class,
	// confidence, evidence, requests and cost (costaudit classify).
	ViewInventory View = "inventory"
)

// Options tune a renderer. The zero value is valid: no colour, the default
// number of workflows on the first screen and money to the cent.
type Options struct {
	// Color lets the table renderer use ANSI colours and bold text.
	Color bool
	// TopN is how many workflows the first screen ranks; 0 means
	// DefaultTopN and a negative value means all of them.
	TopN int
	// Places is the number of decimal places money is rounded to in the
	// human formats (table, markdown); 0 means 2 (cents). Amounts below
	// one cent keep two significant digits instead. JSON and CSV always
	// carry the exact decimal.
	Places int
	// GroupBy names the --group-by keys the report was built with (team,
	// tag:KEY), for section titles.
	GroupBy []string
	// View selects the whole report or only the latency inventory.
	View View
	// Width is the terminal width in cells the table renderer fits its
	// lines and tables into (COLUMNS or the tty width); 0 means no limit.
	Width int

	// bounded makes the full sections show at most the --top rows, with
	// the rest summarized (the Markdown renderer sets it).
	bounded bool
}

// DefaultTopN is the number of workflows ranked on the first screen when
// Options.TopN is 0.
const DefaultTopN = 10

func (o Options) topN(n int) int {
	switch {
	case o.TopN < 0:
		return n
	case o.TopN == 0:
		return min(n, DefaultTopN)
	default:
		return min(n, o.TopN)
	}
}

func (o Options) places() int32 {
	if o.Places <= 0 {
		return 2
	}
	return int32(o.Places)
}

var (
	mu        sync.RWMutex
	renderers = map[string]Renderer{}
)

// Register makes a renderer available under a format name. Renderers in
// other files of this package call it from init. It panics on an empty
// name, a nil renderer or a name registered twice, which are programming
// errors.
func Register(format string, r Renderer) {
	mu.Lock()
	defer mu.Unlock()
	if format == "" || r == nil {
		panic("render: Register with empty format or nil renderer")
	}
	if _, dup := renderers[format]; dup {
		panic("render: format " + format + " registered twice")
	}
	renderers[format] = r
}

// Formats returns the registered format names, sorted.
func Formats() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(renderers))
	for name := range renderers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Has reports whether a format is registered.
func Has(format string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := renderers[format]
	return ok
}

// UnknownFormatError is returned by Render for a format nobody registered.
type UnknownFormatError struct {
	Format string
	Known  []string
}

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown format %q: use one of %s", e.Format, strings.Join(e.Known, ", "))
}

// Render writes rep to w in the named format.
func Render(w io.Writer, rep *report.Report, format string, opts Options) error {
	mu.RLock()
	r, ok := renderers[format]
	mu.RUnlock()
	if !ok {
		return &UnknownFormatError{Format: format, Known: Formats()}
	}
	if format != "json" {
		// JSON keeps names exactly (encoding/json escapes them); every
		// other format shows control characters as escapes (see Clean).
		rep = CleanCopy(rep)
	}
	return r(w, rep, opts)
}
