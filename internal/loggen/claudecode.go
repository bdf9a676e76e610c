package loggen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit"
)

// claudeCodeWriter writes Claude Code session logs: a tree of
// projects/<workflow>/<session-uuid>.jsonl files holding user lines and
// assistant lines whose message.usage is Anthropic usage. A new session
// starts after 30 minutes without a request or after 200 requests. One
// assistant message in three is split over two or three lines that repeat
// the same message.id, requestId and usage, as Claude Code logs a message
// with several content blocks; a decoder must count it once.
type claudeCodeWriter struct {
	t        *countingTarget
	sessions map[int]*ccSession
	order    []int
	buf      bytes.Buffer
	enc      *json.Encoder
	// content is Options.ContentBytes: the message text of each line.
	content int
}

type ccSession struct {
	id     string
	cwd    string
	f      io.WriteCloser
	w      *bufio.Writer
	last   time.Time
	n      int
	parent string
}

const (
	ccSessionGap = 30 * time.Minute
	ccSessionMax = 200
	ccVersion    = "2.0.31"
)

func newClaudeCodeWriter(t *countingTarget, content int) *claudeCodeWriter {
	c := &claudeCodeWriter{t: t, sessions: map[int]*ccSession{}, content: content}
	c.enc = json.NewEncoder(&c.buf)
	c.enc.SetEscapeHTML(false)
	return c
}

func (c *claudeCodeWriter) accepts(e *Event) bool { return vendorAccepts(FormatClaudeCode, e) }

// uuid formats two derived 64-bit values as an RFC 4122 version-4 UUID.
func uuid(x uint64) string {
	hi, lo := mix(x), mix(x^0xa0761d6478bd642f)
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	h := hexID(hi) + hexID(lo)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// pathElem makes a workflow name safe as one directory name.
func pathElem(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if out := b.String(); out != "" && out != "." && out != ".." {
		return out
	}
	return "_"
}

func (c *claudeCodeWriter) session(e *Event, rotate bool) (*ccSession, error) {
	s := c.sessions[e.FlowIndex]
	if s != nil && (!rotate || (e.Rec.TS.Sub(s.last) <= ccSessionGap && s.n < ccSessionMax)) {
		return s, nil
	}
	if s != nil {
		if err := s.close(); err != nil {
			return nil, err
		}
	} else {
		c.order = append(c.order, e.FlowIndex)
	}
	dir := pathElem(e.Rec.Workflow)
	id := uuid(e.ID)
	f, err := c.t.create("projects/" + dir + "/" + id + ".jsonl")
	if err != nil {
		return nil, err
	}
	s = &ccSession{id: id, cwd: "/home/dev/" + dir, f: f, w: bufio.NewWriterSize(f, 64<<10)}
	c.sessions[e.FlowIndex] = s
	return s, nil
}

func (s *ccSession) close() error {
	err := s.w.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

type ccLine struct {
	ParentUUID  *string `json:"parentUuid"`
	IsSidechain bool    `json:"isSidechain"`
	UserType    string  `json:"userType"`
	CWD         string  `json:"cwd"`
	SessionID   string  `json:"sessionId"`
	Version     string  `json:"version"`
	GitBranch   string  `json:"gitBranch"`
	Message     any     `json:"message"`
	RequestID   string  `json:"requestId,omitempty"`
	Type        string  `json:"type"`
	UUID        string  `json:"uuid"`
	Timestamp   string  `json:"timestamp"`
}

type ccUserMessage struct {
	Role string `json:"role"`
	// Content is a string, or tool_result blocks.
	Content any `json:"content"`
}

type ccToolResult struct {
	Type      string `json:"type"`
	ToolUseID string `json:"tool_use_id"`
	Content   string `json:"content"`
}

// userContent is the content of a user line: the placeholder, or with
// Options.ContentBytes a prompt or (every other request) a tool result.
func (c *claudeCodeWriter) userContent(id uint64) any {
	if c.content == 0 {
		return placeholder
	}
	text := contentText(id^1, c.content)
	if mix(id^5)%2 == 0 {
		return text
	}
	return []ccToolResult{{Type: "tool_result", ToolUseID: "toolu_01" + hexID(mix(id^7)), Content: text}}
}

// assistantContent is the content block of assistant line i of parts:
// thinking before the last line, and on the last the text, or with
// Options.ContentBytes a tool call in one request of three.
func (c *claudeCodeWriter) assistantContent(id uint64, i, parts int, last anthropicContent) anthropicContent {
	if c.content == 0 {
		if i < parts-1 {
			return anthropicContent{Type: "thinking"}
		}
		return last
	}
	text := contentText(id^uint64(16+i), c.content)
	if i < parts-1 {
		return anthropicContent{Type: "thinking", Thinking: text, Signature: "sig_" + hexID(mix(id^uint64(32+i)))}
	}
	if m := mix(id ^ 6); m%3 == 0 {
		tool := ccTools[(m>>8)%uint64(len(ccTools))]
		return anthropicContent{Type: "tool_use", ID: "toolu_01" + hexID(mix(id^7)), Name: tool.name, Input: map[string]string{tool.field: text}}
	}
	return anthropicContent{Type: "text", Text: text}
}

func (c *claudeCodeWriter) write(e *Event) error {
	s, err := c.session(e, !e.Dup)
	if err != nil {
		return err
	}
	if e.Rec.TS.After(s.last) {
		s.last = e.Rec.TS
	}
	s.n++
	return c.emit(s, e, &e.Rec, "", false)
}

func (c *claudeCodeWriter) writeBad(e *Event, k BadKind) (BadKind, error) {
	s, err := c.session(e, false)
	if err != nil {
		return k, err
	}
	rec := e.Rec
	ts := ""
	switch k {
	case BadNegativeTokens:
		rec.OutputTokens = -1 - int64(e.ID%500)
	case BadTimestamp:
		ts = badTimestamps[e.ID%uint64(len(badTimestamps))]
	case BadMissingModel:
		rec.Model = ""
	}
	return k, c.emit(s, e, &rec, ts, k == BadInvalidJSON)
}

// emit writes a user line and the assistant line(s) of one request; bad
// requests get a single assistant line.
func (c *claudeCodeWriter) emit(s *ccSession, e *Event, r *audit.Record, badTS string, cut bool) error {
	bad := badTS != "" || cut || r.Model == "" || r.OutputTokens < 0
	userID, asstID := uuid(e.ID^1), uuid(e.ID^2)
	base := ccLine{IsSidechain: false, UserType: "external", CWD: s.cwd, SessionID: s.id, Version: ccVersion, GitBranch: "main"}
	if !bad {
		u := base
		if s.parent != "" {
			p := s.parent
			u.ParentUUID = &p
		}
		u.Type, u.UUID, u.Timestamp = "user", userID, r.TS.UTC().Format(tsLayout)
		u.Message = ccUserMessage{Role: "user", Content: c.userContent(e.ID)}
		if err := c.line(s, u, false, e.ID); err != nil {
			return err
		}
	}
	at := r.TS
	switch {
	case r.LatencyMS >= 0:
		at = r.TS.Add(time.Duration(r.LatencyMS) * time.Millisecond)
	case r.TTFTMS >= 0:
		at = r.TS.Add(time.Duration(r.TTFTMS) * time.Millisecond)
	}
	parts := 1
	if m := mix(e.ID ^ 3); !bad && m%3 == 0 {
		parts = 2 + int(m>>32)%2
	}
	msg := anthropicMessage(e, r)
	stop := msg.StopReason
	parent := userID
	for i := range parts {
		a := base
		p := parent
		a.ParentUUID = &p
		a.Type, a.RequestID = "assistant", "req_011"+hexID(mix(e.ID))
		a.UUID = asstID
		if i > 0 {
			a.UUID = uuid(e.ID ^ uint64(2+i))
		}
		a.Timestamp = tsString(at, badTS)
		m := msg
		m.StopReason = nil
		if i == parts-1 {
			m.StopReason = stop
		}
		m.Content = []anthropicContent{c.assistantContent(e.ID, i, parts, msg.Content[0])}
		a.Message = m
		if err := c.line(s, a, cut, e.ID); err != nil {
			return err
		}
		parent = a.UUID
	}
	if !bad {
		s.parent = parent
	}
	return nil
}

func (c *claudeCodeWriter) line(s *ccSession, l ccLine, cut bool, id uint64) error {
	c.buf.Reset()
	if err := c.enc.Encode(l); err != nil {
		return err
	}
	b := c.buf.Bytes()
	if cut {
		b = append(cutLine(b, id), '\n')
	}
	_, err := s.w.Write(b)
	return err
}

func (c *claudeCodeWriter) close() error {
	var first error
	for _, fi := range c.order {
		if err := c.sessions[fi].close(); err != nil && first == nil {
			first = fmt.Errorf("close session: %w", err)
		}
	}
	return first
}
