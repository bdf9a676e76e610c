package aggregate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// aggLineMax is the longest JSONL line of an aggregate file.
const aggLineMax = 1 << 20

// ReadFile reads an aggregate file (JSONL, one object per line, or CSV
// with a header of FileColumns in any order; the format is told apart by the
// first byte) and calls fn for each record in order. Unknown columns,
// missing kind, values of the wrong type and errors returned by fn stop the
// read with an error naming the file, line, column and value:
// "read agg.csv:12: input_tokens: not an integer "x"". Blank lines are
// skipped. JSONL objects may leave out columns their kind does not use.
func ReadFile(name string, r io.Reader, fn func(*FileRecord) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		b, err := br.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("read %s: empty aggregate file (want JSONL or CSV with a header %s,...)", name, FileColumns[0])
			}
			return fmt.Errorf("read %s: %w", name, err)
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			_, _ = br.ReadByte()
			continue
		}
		if b[0] == '{' {
			// A provider usage export (aggfile_vendor.go) is told apart by
			// what its first page holds.
			head, _ := br.Peek(64 << 10)
			if kind := sniffUsageExport(head); kind != "" {
				return readUsageExport(name, br, kind, fn)
			}
			return readAggJSONL(name, br, fn)
		}
		return readAggCSV(name, br, fn)
	}
}

var aggColumnIndex = func() map[string]int {
	m := make(map[string]int, len(FileColumns))
	for i, c := range FileColumns {
		m[c] = i
	}
	return m
}()

// setAggField sets the column col of r from its text (JSON strings
// unquoted, JSON null as ""). An empty text leaves the zero value.
func setAggField(r *FileRecord, col, text string) error {
	if text == "" {
		return nil
	}
	str := func(dst *string) error { *dst = text; return nil }
	num := func(dst *int64) error {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return fmt.Errorf("%s: not an integer %q", col, cut(text))
		}
		*dst = n
		return nil
	}
	flag := func(dst *bool) error {
		switch text {
		case "1", "true", "TRUE", "True":
			*dst = true
		case "0", "false", "FALSE", "False":
			*dst = false
		default:
			return fmt.Errorf("%s: not a boolean %q (want 1 or 0)", col, cut(text))
		}
		return nil
	}
	switch col {
	case "kind":
		return str(&r.Kind)
	case "workflow":
		return str(&r.Workflow)
	case "provider":
		return str(&r.Provider)
	case "model":
		return str(&r.Model)
	case "mode":
		return str(&r.Mode)
	case "billed":
		return flag(&r.Billed)
	case "logged_cost":
		return flag(&r.LoggedCost)
	case "day":
		return str(&r.Day)
	case "input_above":
		return num(&r.InputAbove)
	case "source":
		return str(&r.Source)
	case "team":
		return str(&r.Team)
	case "user_waiting":
		return num(&r.UserWaiting)
	case "ttft_bucket":
		return num(&r.TTFTBucket)
	case "tag":
		return str(&r.Tag)
	case "bin":
		return num(&r.Bin)
	case "reason":
		return str(&r.Reason)
	case "requests":
		return num(&r.Requests)
	case "input_tokens":
		return num(&r.InputTokens)
	case "cache_read_tokens":
		return num(&r.CacheReadTokens)
	case "cache_write_5m_tokens":
		return num(&r.CacheWrite5mTokens)
	case "cache_write_1h_tokens":
		return num(&r.CacheWrite1hTokens)
	case "output_tokens":
		return num(&r.OutputTokens)
	case "reasoning_tokens":
		return num(&r.ReasoningTokens)
	case "cancelled_streams":
		return num(&r.CancelledStreams)
	case "cancelled_output_tokens":
		return num(&r.CancelledOutputTokens)
	case "cancelled_with_max_tokens":
		return num(&r.CancelledWithMax)
	case "cancelled_headroom_tokens":
		return num(&r.CancelledHeadroomTokens)
	case "logged_cost_usd":
		d, err := decimal.NewFromString(text)
		if err != nil {
			return fmt.Errorf("%s: not a decimal number %q", col, cut(text))
		}
		r.LoggedCostUSD = d
		return nil
	case "group_values":
		var g []string
		if err := json.Unmarshal([]byte(text), &g); err != nil {
			return fmt.Errorf("%s: not a JSON array of strings %q", col, cut(text))
		}
		if len(g) > 0 {
			r.Groups = g
		}
		return nil
	case "ttft_sum_ms":
		return num(&r.TTFTSumMS)
	case "first_ts_us":
		return num(&r.FirstTSUS)
	case "last_ts_us":
		return num(&r.LastTSUS)
	}
	return fmt.Errorf("%s: unknown column (the columns are %s)", col, strings.Join(FileColumns, ", "))
}

func cut(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func readAggCSV(name string, r io.Reader, fn func(*FileRecord) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read %s:1: header: %w", name, err)
	}
	cols := append([]string(nil), header...)
	seen := map[string]bool{}
	for i, c := range cols {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		cols[i] = c
		if _, ok := aggColumnIndex[c]; !ok {
			return fmt.Errorf("read %s:1: header: %q: unknown column (the columns are %s)", name, c, strings.Join(FileColumns, ", "))
		}
		if seen[c] {
			return fmt.Errorf("read %s:1: header: %q: given twice", name, c)
		}
		seen[c] = true
	}
	if !seen["kind"] {
		return fmt.Errorf("read %s:1: header: no kind column (the header is %s)", name, strings.Join(FileColumns, ","))
	}
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		var rec FileRecord
		for i, v := range fields {
			if err := setAggField(&rec, cols[i], v); err != nil {
				return fmt.Errorf("read %s:%d: %w", name, line, err)
			}
		}
		if err := checkAndCall(&rec, fn); err != nil {
			return fmt.Errorf("read %s:%d: %w", name, line, err)
		}
	}
}

func readAggJSONL(name string, br *bufio.Reader, fn func(*FileRecord) error) error {
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 1<<16), aggLineMax)
	var line int64
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("read %s:%d: invalid json: %w", name, line, err)
		}
		var rec FileRecord
		// Visit the columns in their fixed order so the first error
		// reported does not depend on map order.
		for _, c := range FileColumns {
			v, ok := m[c]
			if !ok {
				continue
			}
			text, err := jsonText(v)
			if err != nil {
				return fmt.Errorf("read %s:%d: %s: %w", name, line, c, err)
			}
			if err := setAggField(&rec, c, text); err != nil {
				return fmt.Errorf("read %s:%d: %w", name, line, err)
			}
		}
		if len(m) > 0 {
			var unknown []string
			for k := range m {
				if _, ok := aggColumnIndex[k]; !ok {
					unknown = append(unknown, k)
				}
			}
			if len(unknown) > 0 {
				sort.Strings(unknown)
				return fmt.Errorf("read %s:%d: %s: unknown column (the columns are %s)", name, line, unknown[0], strings.Join(FileColumns, ", "))
			}
		}
		if err := checkAndCall(&rec, fn); err != nil {
			return fmt.Errorf("read %s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("read %s:%d: line longer than %d bytes", name, line+1, aggLineMax)
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

func checkAndCall(rec *FileRecord, fn func(*FileRecord) error) error {
	if rec.Kind == "" {
		return errors.New("kind: missing (row, evidence, arrival, tag, scanned, duplicate, rejected or filtered)")
	}
	return fn(rec)
}

// jsonText returns a JSON scalar as text: strings unquoted, null as "",
// numbers and booleans as written.
func jsonText(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case v[0] == '{' || v[0] == '[':
		return "", fmt.Errorf("want a string or number, got %s", cut(string(v)))
	}
	return string(v), nil
}
