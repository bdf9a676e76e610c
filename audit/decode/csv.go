package decode

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
)

// FormatCanonicalCSV is the canonical CSV format. It is never detected
// from JSON: a file is read as CSV by its name or its header line.
const FormatCanonicalCSV = "canonical-csv"

var canonicalCSVFormat = &Format{Name: FormatCanonicalCSV, New: newCSVDecoder}

// The canonical CSV format: a header row of canonical field names, then one
// request per row. Tags come either as one "tags" column holding a JSON
// object of strings, or as one "tag.KEY" column per tag (both may be used;
// tag.KEY columns win). Unknown columns are ignored but can be named by
// --workflow-key. Empty cells are absent values. Quoted cells may span
// lines; the line of a rejection is the row's first line.

// CSVTable maps a CSV header to canonical fields.
type CSVTable struct {
	header  []string
	field   [cfCount]int // column of each canonical field, -1 when absent
	tagCols map[int]string
}

// NewCSVTable reads a CSV header: it trims the column names in place and
// fails when a canonical column appears twice or ts or model is missing.
func NewCSVTable(header []string) (*CSVTable, error) {
	t := &CSVTable{header: header, tagCols: map[int]string{}}
	for i := range t.field {
		t.field[i] = -1
	}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if key, ok := strings.CutPrefix(h, "tag."); ok && key != "" {
			t.tagCols[i] = key
			continue
		}
		if f := canonField([]byte(h)); f >= 0 {
			if t.field[f] >= 0 {
				return nil, fmt.Errorf("csv header: column %q appears twice", h)
			}
			t.field[f] = i
		}
	}
	if t.field[cfTS] < 0 || t.field[cfModel] < 0 {
		return nil, fmt.Errorf("csv header %q: need at least the columns ts and model (and one token column): see the canonical CSV format", strings.Join(header, ","))
	}
	return t, nil
}

// csvDecoder decodes canonical CSV rows.
type csvDecoder struct {
	vals [cfCount][]byte
	buf  []byte
}

func newCSVDecoder() Decoder { return &csvDecoder{} }

// decode is not used: CSV arrives as rows.
func (d *csvDecoder) Decode(w *State, item []byte) {
	w.reject("", firstBytes(item), record.ReasonBadCSV, "not a CSV row")
}

// stringFields are the canonical fields whose CSV cells are text.
var csvStringField = [cfCount]bool{
	cfTS: true, cfRequestID: true, cfProvider: true, cfModel: true, cfWorkflow: true,
	cfSource: true, cfMode: true, cfStatus: true, cfTeam: true,
}

func (d *csvDecoder) DecodeRow(w *State, row []string) {
	if len(row) == 3 && row[0] == BadRowMarker {
		w.reject("", nil, record.ReasonBadCSV, row[1])
		return
	}
	t := w.file.CSV
	if len(row) != len(t.header) {
		csvFieldCount(w, t, row)
		return
	}
	d.vals = [cfCount][]byte{}
	// Cells become raw JSON values for buildCanonical, in one buffer: text
	// quoted (escaped only when it needs it), numbers as they are.
	var starts [cfCount][2]int
	d.buf = d.buf[:0]
	for f, col := range t.field {
		if col < 0 || col >= len(row) {
			continue
		}
		cell := strings.TrimSpace(row[col])
		if cell == "" {
			continue
		}
		start := len(d.buf)
		if csvStringField[f] && !(f == cfTS && isDigits(cell)) {
			if needsEscape(cell) {
				q, _ := json.Marshal(cell)
				d.buf = append(d.buf, q...)
			} else {
				d.buf = append(append(append(d.buf, '"'), cell...), '"')
			}
		} else {
			d.buf = append(d.buf, cell...)
		}
		starts[f] = [2]int{start, len(d.buf)}
	}
	for f := range d.vals {
		if starts[f][1] > 0 {
			d.vals[f] = d.buf[starts[f][0]:starts[f][1]]
		}
	}
	r := buildCanonical(w, &d.vals, nil)
	if r == nil {
		return
	}
	if len(t.tagCols) > 0 {
		tags := w.tagMap()
		for k, v := range r.Tags {
			tags[k] = v
		}
		for col, key := range t.tagCols {
			if col < len(row) && row[col] != "" {
				tags[w.intern.get([]byte(key))] = w.intern.get([]byte(row[col]))
			}
		}
		if len(tags) > 0 {
			r.Tags = tags
		}
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = ""
		for i, h := range t.header {
			if h == key && i < len(row) {
				r.Workflow = w.intern.get([]byte(row[i]))
			}
		}
		if tk, ok := strings.CutPrefix(key, "tags."); ok {
			r.Workflow = r.Tags[tk]
		} else if tk, ok := strings.CutPrefix(key, "tag."); ok {
			r.Workflow = r.Tags[tk]
		}
	}
	w.emit(r)
}

// csvFieldCount rejects a row whose cell count differs from the header's.
// Such a row is cut short or has an unquoted comma in a cell, so its cells
// cannot be matched to columns: pricing it would take a neighbour's value
// for a token count, or take a missing count for 0. The field named is the
// first column without a cell (a short row) or the first cell without a
// column (a long row, whose value the message quotes).
func csvFieldCount(w *State, t *CSVTable, row []string) {
	n := len(t.header)
	detail := fmt.Sprintf("%s: %d cells, the header has %d columns", csv.ErrFieldCount, len(row), n)
	var field string
	if len(row) < n {
		field = t.header[len(row)]
		if field == "" {
			field = fmt.Sprintf("column %d", len(row)+1)
		}
		detail += " (write an empty cell for each absent value)"
	} else {
		field = fmt.Sprintf("column %d", n+1)
		detail += fmt.Sprintf(" (extra cell %q: quote cells that hold commas)", record.ShortValue([]byte(row[n])))
	}
	w.reject(field, nil, record.ReasonBadCSV, detail)
}

// needsEscape reports whether s cannot be put between quotes as it is.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// BadRowMarker marks a line that does not parse as a CSV row; the scan
// hands such a line to the decoder as the row {BadRowMarker, why, the raw
// line}, which is rejected as ReasonBadCSV.
const BadRowMarker = "\x00bad-csv-row"

// AppendRow appends row re-encoded as one CSV line (a BadRowMarker row as
// its raw line), for the rejects file.
func AppendRow(dst []byte, row []string) []byte {
	if len(row) == 3 && row[0] == BadRowMarker {
		return append(append(dst, row[2]...), '\n')
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(row)
	cw.Flush()
	return append(dst, b.Bytes()...)
}
