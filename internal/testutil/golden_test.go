package testutil

import "testing"

func TestFirstDiff(t *testing.T) {
	cases := []struct{ want, got, diff string }{
		{"a\nb\n", "a\nc\n", "line 2:\n want \"b\"\n  got \"c\""},
		{"a\n", "a\nb\n", "line 2:\n want \"\"\n  got \"b\""},
		{"a\nb", "a", "line 2:\n want \"b\"\n  got \"\""},
	}
	for _, c := range cases {
		if d := FirstDiff([]byte(c.want), []byte(c.got)); d != c.diff {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", c.want, c.got, d, c.diff)
		}
	}
}
