package render

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"a b c", 0, []string{"a b c"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"- evidence item that wraps", 12, []string{"- evidence", "  item that", "  wraps"}},
		{"supercalifragilistic", 8, []string{"supercal", "ifragili", "stic"}},
		{"a\nb c", 1, []string{"a", "b", "c"}},
		{"→ über café", 6, []string{"→ über", "café"}},
	} {
		got := wrapText(c.in, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		for _, l := range got {
			if c.width > 0 && textWidth(l) > c.width {
				t.Errorf("wrapText(%q, %d): line %q is too wide", c.in, c.width, l)
			}
		}
	}
}

func TestApportion(t *testing.T) {
	for _, c := range []struct {
		parts []string
		want  []string
	}{
		// Rounded one by one these give 0.34+0.34+0.34 = 1.02 for a total of 1.00.
		{[]string{"0.335", "0.335", "0.33"}, []string{"0.34", "0.33", "0.33"}},
		{[]string{"4.874", "1.668", "0.041"}, []string{"4.87", "1.67", "0.04"}},
		{[]string{"1.005", "2.005"}, []string{"1.01", "2"}},
		// A sub-cent part keeps two significant digits.
		{[]string{"5", "0.0042"}, []string{"5", "0.0042"}},
		{[]string{"1.25", "-0.5"}, []string{"1.25", "-0.5"}},
	} {
		parts := make([]decimal.Decimal, len(c.parts))
		for i, p := range c.parts {
			parts[i] = dec(p)
		}
		got := apportion(parts, 2)
		for i := range got {
			if !got[i].Equal(dec(c.want[i])) {
				t.Errorf("apportion(%v)[%d] = %s, want %s", c.parts, i, got[i], c.want[i])
			}
		}
	}
}

func TestSavingsShown(t *testing.T) {
	for _, c := range []struct{ cost, newCost, want string }{
		{"896.25", "448.125", "448.12"}, // 896.25 − 448.13 on the page
		{"0.7149", "0.35745", "0.35"},
		{"0.004", "0.002", "0.002"},
	} {
		if got := savingsShown(dec(c.cost), dec(c.newCost), 2); !got.Equal(dec(c.want)) {
			t.Errorf("savingsShown(%s, %s) = %s, want %s", c.cost, c.newCost, got, c.want)
		}
	}
}

func TestFitColumnsDropsBeforeSquashing(t *testing.T) {
	g := newGrid(left("workflow"), droppable(right("requests"), 1), right("cost"), droppable(wrapped("evidence", 60), 2))
	g.add("nightly-enrichment", "138", "$0.71", strings.Repeat("source cron on 100% of requests ", 3))
	keep, widths := fitColumns(g, 40)
	if len(keep) != 3 || keep[2] != 2 {
		t.Fatalf("kept %v, want the evidence column dropped", keep)
	}
	total := 1
	for _, w := range widths {
		total += w + 2
	}
	if total > 40 {
		t.Errorf("widths %v take %d cells, want at most 40", widths, total)
	}
}
