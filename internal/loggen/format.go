package loggen

import (
	"fmt"
	"io"
	"strings"
)

// Format is an output log format.
type Format string

// The formats Generate writes. See doc.go for what each one drops.
const (
	FormatCanonical       Format = "canonical"        // costaudit canonical JSONL
	FormatCanonicalCSV    Format = "canonical-csv"    // canonical CSV, same column names
	FormatOpenAI          Format = "openai"           // wrapped Chat Completions objects
	FormatOpenAIResponses Format = "openai-responses" // bare Responses API objects
	FormatOpenAIBatch     Format = "openai-batch"     // Batch API output and error lines
	FormatAnthropic       Format = "anthropic"        // wrapped Messages responses
	FormatAnthropicBatch  Format = "anthropic-batch"  // Message Batches result lines
	FormatOTel            Format = "otel"             // OTLP JSON file-exporter lines, GenAI spans
	FormatLiteLLM         Format = "litellm"          // LiteLLM SpendLogs rows as JSONL
	FormatClaudeCode      Format = "claude-code"      // projects/<workflow>/<session>.jsonl tree
	FormatGemini          Format = "gemini"           // wrapped Gemini generateContent responses
	FormatBedrock         Format = "bedrock"          // wrapped Bedrock Converse responses
	FormatLangfuse        Format = "langfuse"         // Langfuse generation observations as JSONL
)

// Formats returns every format in a fixed order.
func Formats() []Format {
	return []Format{FormatCanonical, FormatCanonicalCSV, FormatOpenAI, FormatOpenAIResponses, FormatOpenAIBatch,
		FormatAnthropic, FormatAnthropicBatch, FormatOTel, FormatLiteLLM, FormatClaudeCode,
		FormatGemini, FormatBedrock, FormatLangfuse}
}

// ParseFormat returns the format named s, or an error listing them all.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, 10)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown format %q (allowed: %s)", s, strings.Join(names, ", "))
}

// IsTree reports whether the format writes a directory tree rather than one
// stream (Target.Create rather than Target.W).
func (f Format) IsTree() bool { return f == FormatClaudeCode }

// FileName is the name of the format's sample under a directory: a file for
// stream formats, a directory for tree formats.
func (f Format) FileName() string {
	switch f {
	case FormatCanonicalCSV:
		return "canonical.csv"
	case FormatClaudeCode:
		return "claude-code"
	}
	return string(f) + ".jsonl"
}

// Target is where a run writes: W for stream formats, Create for tree
// formats (called with slash-separated relative paths, each once).
type Target struct {
	W      io.Writer
	Create func(rel string) (io.WriteCloser, error)
}

type countingTarget struct {
	t Target
	n int64
}

func (c *countingTarget) Write(p []byte) (int, error) {
	n, err := c.t.W.Write(p)
	c.n += int64(n)
	return n, err
}

type countingFile struct {
	io.WriteCloser
	n *int64
}

func (c countingFile) Write(p []byte) (int, error) {
	n, err := c.WriteCloser.Write(p)
	*c.n += int64(n)
	return n, err
}

func (c *countingTarget) create(rel string) (io.WriteCloser, error) {
	f, err := c.t.Create(rel)
	if err != nil {
		return nil, err
	}
	return countingFile{f, &c.n}, nil
}

// writer renders events in one format.
type writer interface {
	// accepts reports whether the format can carry the event.
	accepts(e *Event) bool
	write(e *Event) error
	// writeBad writes a deliberately bad line derived from e and returns
	// its kind, which may differ from k where the format has no place for
	// k (a timestamp in a format without one).
	writeBad(e *Event, k BadKind) (BadKind, error)
	close() error
}

func newWriter(f Format, t *countingTarget, opts Options) (writer, error) {
	if f.IsTree() {
		if t.t.Create == nil {
			return nil, fmt.Errorf("format %s writes a directory tree: give an output directory", f)
		}
	} else if t.t.W == nil {
		return nil, fmt.Errorf("format %s: no output writer", f)
	}
	switch f {
	case FormatCanonical:
		return newCanonicalWriter(t), nil
	case FormatCanonicalCSV:
		return newCSVWriter(t, opts.StripHints)
	case FormatOpenAI, FormatOpenAIResponses, FormatOpenAIBatch,
		FormatAnthropic, FormatAnthropicBatch, FormatOTel, FormatLiteLLM,
		FormatGemini, FormatBedrock, FormatLangfuse:
		return newVendorWriter(f, t), nil
	case FormatClaudeCode:
		return newClaudeCodeWriter(t, opts.ContentBytes), nil
	}
	_, err := ParseFormat(string(f))
	return nil, err
}
