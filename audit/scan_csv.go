package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/costaudit/costaudit/audit/decode"
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
	long []byte // a line longer than the bufio buffer, assembled
	rec  []byte // the unescaped field contents of the record being parsed
	ends []int
}

// read reads the next physical line. Its text is valid until the next
// read; false at the end of the input.
func (s *csvSplitter) read() (csvLine, bool) {
	if s.eof {
		return csvLine{}, false
	}
	var buf []byte
	tooLong, assembled := false, false
	for {
		part, err := s.br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull || assembled:
			if !assembled {
				s.long, assembled = s.long[:0], true
			}
			if len(s.long)+len(part) <= s.max+1 {
				s.long = append(s.long, part...)
			} else {
				tooLong = true
			}
			buf = s.long
		default:
			buf = part
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
	if n := len(buf); n > 0 && buf[n-1] == '\n' {
		buf = buf[:n-1]
	}
	if n := len(buf); n > 0 && buf[n-1] == '\r' {
		buf = buf[:n-1]
	}
	if len(buf) > s.max {
		buf, tooLong = buf[:s.max], true
	}
	s.next++
	return csvLine{text: buf, n: s.next, tooLong: tooLong}, true
}

// first returns the next line: a line read ahead, or a new one.
func (s *csvSplitter) first() (csvLine, bool) {
	if len(s.pend) > 0 {
		l := s.pend[0]
		s.pend = s.pend[1:]
		return l, true
	}
	return s.read()
}

// ahead returns the i-th line after the current record's first (0 = the
// next one), reading and keeping it; false at the end of the input.
func (s *csvSplitter) ahead(i int) (csvLine, bool) {
	for len(s.pend) <= i {
		l, ok := s.read()
		if !ok {
			return csvLine{}, false
		}
		l.text = append([]byte(nil), l.text...)
		s.pend = append(s.pend, l)
	}
	return s.pend[i], true
}

const unterminated = "unterminated quoted field: the line is rejected and reading goes on at the next line"

// record returns the next record's fields and the line it starts on; for a
// line that cannot start a record, fields is nil, bad says why and raw is
// the line. ok is false at the end of the input.
func (s *csvSplitter) record() (fields []string, start int64, bad string, raw []byte, ok bool) {
	for {
		first, ok := s.first()
		if !ok {
			return nil, 0, "", nil, false
		}
		if first.tooLong {
			return nil, first.n, fmt.Sprintf("line over the %d-byte limit", s.max), first.text, true
		}
		quotes := bytes.Count(first.text, []byte{'"'})
		if quotes%2 == 0 {
			if len(bytes.TrimSpace(first.text)) == 0 {
				continue
			}
			f, err := s.parse(first.text)
			if err != nil {
				return nil, first.n, err.Error(), first.text, true
			}
			return f, first.n, "", nil, true
		}
		// An open quote: the record goes on over the next lines, which are
		// read ahead and kept (first's text must be copied first: reading
		// reuses the buffer).
		firstText := append([]byte(nil), first.text...)
		used, size := 0, len(firstText)
		for quotes%2 == 1 {
			next, ok := s.ahead(used)
			if !ok || next.tooLong || size+len(next.text) > s.max {
				return nil, first.n, unterminated, firstText, true
			}
			quotes += bytes.Count(next.text, []byte{'"'})
			size += len(next.text) + 1
			used++
		}
		joined := append(append([]byte(nil), firstText...), '\n')
		for i := 0; i < used; i++ {
			if i > 0 {
				joined = append(joined, '\n')
			}
			joined = append(joined, s.pend[i].text...)
		}
		f, err := s.parse(joined)
		if err != nil {
			// Only the first line is lost: the lines read ahead may be
			// rows. A record over several lines that does not parse is
			// most likely a quote opened on the first and never closed.
			return nil, first.n, unterminated, firstText, true
		}
		s.pend = s.pend[used:]
		return f, first.n, "", nil, true
	}
}

// parse splits one CSV record (which may span lines) into fields, with
// encoding/csv's strict rules: a quote inside an unquoted field, or
// anything but a comma after a closing quote, is an error. The fields
// share one string.
func (s *csvSplitter) parse(b []byte) ([]string, error) {
	rec, ends := s.rec[:0], s.ends[:0]
	i := 0
	for {
		if i < len(b) && b[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					return nil, errors.New("extraneous or missing \" in quoted-field")
				}
				rec = append(rec, b[i:i+j]...)
				i += j + 1
				if i < len(b) && b[i] == '"' {
					rec = append(rec, '"')
					i++
					continue
				}
				break
			}
			ends = append(ends, len(rec))
			if i == len(b) {
				break
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
		rec = append(rec, cell...)
		ends = append(ends, len(rec))
		if j < 0 {
			break
		}
		i = end + 1
	}
	s.rec, s.ends = rec, ends
	str := string(rec)
	fields := make([]string, len(ends))
	prev := 0
	for k, e := range ends {
		fields[k] = str[prev:e]
		prev = e
	}
	return fields, nil
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
		r.empty = append(r.empty, f.Name)
		return nil
	}
	if header == nil {
		return fmt.Errorf("csv header: %s", bad)
	}
	tbl, err := decode.NewCSVTable(header)
	if err != nil {
		return err
	}
	f.CSV = tbl
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
			row = []string{decode.BadRowMarker, bad, string(raw)}
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
