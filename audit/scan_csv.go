package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvLine is one physical line of a CSV file, without its line ending.
type csvLine struct {
	text    []byte
	n       int64 // 1-based line number
	tooLong bool  // the line was longer than the limit and is cut
}

// csvSplitter cuts a CSV stream into records (RFC 4180: quoted fields may
// hold commas, doubled quotes and newlines). Unlike encoding/csv, a quote
// that is never closed does not swallow the rest of the file: the record
// it starts is rejected alone (its first line), and reading goes on at the
// next line, so every later row is still read and every lost line counted.
type csvSplitter struct {
	br   *bufio.Reader
	max  int
	next int64
	pend []csvLine // lines read ahead while looking for a closing quote
	eof  bool
	err  error
}

// line returns the i-th line ahead (0 = the next one), reading it when
// needed; false at the end of the input.
func (s *csvSplitter) line(i int) (csvLine, bool) {
	for len(s.pend) <= i {
		if s.eof {
			return csvLine{}, false
		}
		var buf []byte
		tooLong := false
		for {
			part, err := s.br.ReadSlice('\n')
			if len(buf)+len(part) <= s.max+1 {
				buf = append(buf, part...)
			} else {
				tooLong = true
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				s.eof = true
			} else if err != nil {
				s.eof, s.err = true, err
			}
			break
		}
		if s.eof && len(buf) == 0 && !tooLong {
			return csvLine{}, false
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		s.next++
		s.pend = append(s.pend, csvLine{text: buf, n: s.next, tooLong: tooLong})
	}
	return s.pend[i], true
}

// record returns the next record's fields and the line it starts on; for a
// line that cannot start a record, fields is nil, bad says why and raw is
// the line. ok is false at the end of the input.
func (s *csvSplitter) record() (fields []string, start int64, bad string, raw []byte, ok bool) {
	for {
		first, ok := s.line(0)
		if !ok {
			return nil, 0, "", nil, false
		}
		if first.tooLong {
			s.pend = s.pend[1:]
			return nil, first.n, fmt.Sprintf("line over the %d-byte limit", s.max), first.text, true
		}
		quotes := bytes.Count(first.text, []byte{'"'})
		if quotes%2 == 0 && len(bytes.TrimSpace(first.text)) == 0 {
			s.pend = s.pend[1:]
			continue
		}
		used, size := 1, len(first.text)
		for quotes%2 == 1 {
			next, ok := s.line(used)
			if !ok || next.tooLong || size+len(next.text) > s.max {
				s.pend = s.pend[1:]
				return nil, first.n, unterminated, first.text, true
			}
			quotes += bytes.Count(next.text, []byte{'"'})
			size += len(next.text) + 1
			used++
		}
		texts := make([][]byte, used)
		for i := range texts {
			texts[i] = s.pend[i].text
		}
		f, err := parseCSVRecord(bytes.Join(texts, []byte{'\n'}))
		if err != nil {
			// Only the first line is lost: the others may be rows. A
			// record over several lines that does not parse is most
			// likely a quote opened on the first and never closed.
			s.pend = s.pend[1:]
			why := err.Error()
			if used > 1 {
				why = unterminated
			}
			return nil, first.n, why, first.text, true
		}
		s.pend = s.pend[used:]
		return f, first.n, "", nil, true
	}
}

const unterminated = "unterminated quoted field: the line is rejected and reading goes on at the next line"

// parseCSVRecord splits one CSV record (which may span lines) into fields,
// with encoding/csv's strict rules: a quote inside an unquoted field, or
// anything but a comma after a closing quote, is an error.
func parseCSVRecord(b []byte) ([]string, error) {
	var fields []string
	var sb strings.Builder
	i := 0
	for {
		if i < len(b) && b[i] == '"' {
			sb.Reset()
			i++
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					return nil, errors.New("extraneous or missing \" in quoted-field")
				}
				sb.Write(b[i : i+j])
				i += j + 1
				if i < len(b) && b[i] == '"' {
					sb.WriteByte('"')
					i++
					continue
				}
				break
			}
			fields = append(fields, sb.String())
			if i == len(b) {
				return fields, nil
			}
			if b[i] != ',' {
				return nil, errors.New("extraneous or missing \" in quoted-field")
			}
			i++
			continue
		}
		j := bytes.IndexByte(b[i:], ',')
		end := len(b)
		if j >= 0 {
			end = i + j
		}
		cell := b[i:end]
		if bytes.IndexByte(cell, '"') >= 0 {
			return nil, errors.New("bare \" in non-quoted-field")
		}
		fields = append(fields, string(cell))
		if j < 0 {
			return fields, nil
		}
		i = end + 1
	}
}

// readCSV parses a CSV file in the reader goroutine (quoted fields may span
// lines, so rows cannot be cut at newlines in parallel) and sends chunks of
// rows to the workers.
func (r *reader) readCSV(f *fileCtx, src io.Reader) error {
	sp := &csvSplitter{br: bufio.NewReaderSize(src, 64<<10), max: r.ss.opts.MaxLineBytes}
	header, _, bad, _, ok := sp.record()
	if !ok {
		if sp.err != nil {
			return sp.err
		}
		r.empty = append(r.empty, f.name)
		return nil
	}
	if header == nil {
		return fmt.Errorf("csv header: %s", bad)
	}
	tbl, err := newCSVTable(header)
	if err != nil {
		return err
	}
	f.csv = tbl
	c := &chunk{file: f}
	size := 0
	flush := func() {
		if len(c.rows) > 0 {
			r.send(c)
		}
		c = &chunk{file: f}
		size = 0
	}
	for {
		if r.stopped() {
			return nil
		}
		row, line, bad, raw, ok := sp.record()
		if !ok {
			break
		}
		if row == nil {
			row = []string{csvBadRowMarker, bad, string(raw)}
		}
		c.rows = append(c.rows, row)
		c.rowLines = append(c.rowLines, line)
		for _, v := range row {
			size += len(v) + 1
		}
		if size >= chunkSize/2 || len(c.rows) >= 8192 {
			flush()
		}
	}
	flush()
	return sp.err
}

// csvBadRowMarker marks a line that does not parse as a CSV row; the row
// is {csvBadRowMarker, why, the raw line}.
const csvBadRowMarker = "\x00bad-csv-row"
