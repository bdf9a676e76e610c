package loggen

import (
	"strings"
)

// contentWords are the prose of generated message text: the words of an
// assistant explaining a code change, a few of them outside ASCII.
var contentWords = []string{
	"the", "function", "returns", "an", "error", "when", "file", "is", "missing", "so", "we",
	"should", "check", "it", "before", "reading", "test", "passes", "now", "after", "change",
	"to", "handler", "request", "retry", "logic", "in", "package", "config", "value", "default",
	"update", "README", "and", "run", "again", "this", "fixes", "bug", "where", "cache", "was",
	"never", "invalidated", "let", "me", "look", "at", "the", "caller", "first", "—", "naïve",
	"approach", "works", "but", "allocates", "per", "line", "→", "use", "a", "buffer", "instead",
}

// contentSnippets are the code of generated message text: lines with the
// quotes, backslashes, tabs and newlines that JSON must escape.
var contentSnippets = []string{
	"\n```go\nif err != nil {\n\treturn fmt.Errorf(\"read %s: %w\", path, err)\n}\n```\n",
	"\n$ go test ./... -run 'TestScan/.*' -count=1\nok  \tgithub.com/acme/app/scan\t0.412s\n",
	"\n```json\n{\"path\": \"C:\\\\Users\\\\dev\\\\app\", \"retries\": 3}\n```\n",
	"\n\tfor i := range n {\n\t\tsum += xs[i] // \"hot\" loop\n\t}\n",
	"\nTraceback (most recent call last):\n  File \"main.py\", line 12, in <module>\nKeyError: 'user_id'\n",
}

// contentText returns about n bytes of deterministic message text derived
// from id: sentences of contentWords with a code snippet now and then.
func contentText(id uint64, n int) string {
	var b strings.Builder
	b.Grow(n + 128)
	x := mix(id)
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		return mix(x)
	}
	start := true
	for b.Len() < n {
		r := next()
		if r%29 == 0 {
			b.WriteString(contentSnippets[(r>>8)%uint64(len(contentSnippets))])
			start = true
			continue
		}
		w := contentWords[(r>>8)%uint64(len(contentWords))]
		if start {
			b.WriteString(strings.ToUpper(w[:1]))
			b.WriteString(w[1:])
			start = false
		} else {
			b.WriteByte(' ')
			b.WriteString(w)
		}
		if (r>>40)%11 == 0 {
			b.WriteString(". ")
			start = true
		}
	}
	return b.String()
}

// ccTools are the tools of generated tool_use blocks, with the input field
// that carries the generated text.
var ccTools = []struct{ name, field string }{
	{"Bash", "command"}, {"Read", "file_path"}, {"Edit", "new_string"}, {"Grep", "pattern"}, {"Write", "content"},
}
