package numfmt

import (
	"math"
	"testing"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too
)

func TestInt(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1,000"},
		{17500, "17,500"},
		{123456, "123,456"},
		{1234567, "1,234,567"},
		{-1, "-1"},
		{-999, "-999"},
		{-1000, "-1,000"},
		{-1234567, "-1,234,567"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, c := range cases {
		if got := Int(c.n); got != c.want {
			t.Errorf("Int(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestGroup(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0"},
		{"0.5", "0.5"},
		{"999.999", "999.999"},
		{"1000.00", "1,000.00"},
		{"-1234.50", "-1,234.50"},
		{"1234567.000001", "1,234,567.000001"},
		{"-0.25", "-0.25"},
		{"100000", "100,000"},
	}
	for _, c := range cases {
		if got := Group(c.in); got != c.want {
			t.Errorf("Group(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCount(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{{0, "0 requests"}, {1, "1 request"}, {2, "2 requests"}, {1234, "1,234 requests"}}
	for _, c := range cases {
		if got := Count(c.n, "request"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	cases := []struct {
		k, n int64
		want string
	}{
		{0, 10, "0%"}, {1, 1000, "<1%"}, {999, 1000, "99%"}, {1000, 1000, "100%"},
		{945, 1000, "95%"}, {944, 1000, "94%"}, {5, 0, "0%"}, {1, 3, "33%"}, {2, 3, "67%"},
	}
	for _, c := range cases {
		if got := Percent(c.k, c.n); got != c.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", c.k, c.n, got, c.want)
		}
	}
}
