package audit

// splitter cuts a JSON array of values, or a stream of JSON values, into
// its top-level elements without parsing them. It tracks nesting depth,
// strings and escapes only; each element is then decoded like a JSONL line,
// which is where invalid JSON is rejected. An element longer than max is
// passed on cut, as a "line too long" rejection, and not held in memory.
type splitter struct {
	r    *reader
	f    *fileCtx
	max  int
	base int // depth of the elements: 1 inside an array, 0 for a stream
	line int64

	depth  int
	inStr  bool
	esc    bool
	inElem bool
	scalar bool // the element is a bare scalar, ended by a delimiter
	start  int  // offset of the element in cur.data
	eline  int64
	elen   int64 // bytes of the element so far, kept or not
	cut    bool  // element exceeded max: no longer kept

	cur   *chunk
	count int64 // elements seen
}

func (s *splitter) feed(block []byte) {
	seg := 0 // start in block of the element bytes not yet copied
	for i := 0; i < len(block); i++ {
		c := block[i]
		if c == '\n' {
			s.line++
		}
		if !s.inElem {
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				continue
			case s.depth < s.base && c == '[':
				s.depth++
				continue
			case s.depth == s.base && s.base > 0 && (c == ',' || c == ']'):
				if c == ']' {
					s.depth--
				}
				continue
			}
			s.inElem = true
			s.start = len(s.cur.data)
			s.eline = s.line
			s.elen = 0
			s.cut = false
			seg = i
			switch c {
			case '{', '[':
				s.scalar = false
				s.depth++
				continue
			case '"':
				s.scalar = false
				s.inStr = true
				continue
			default:
				s.scalar = true
				continue
			}
		}
		// Inside an element.
		if s.inStr {
			switch {
			case s.esc:
				s.esc = false
			case c == '\\':
				s.esc = true
			case c == '"':
				s.inStr = false
				if s.depth == s.base {
					s.endElem(block, seg, i+1)
				}
			}
			continue
		}
		if s.scalar {
			switch c {
			case ' ', '\t', '\r', '\n', ',', ']', '[', '{', '"':
				s.endElem(block, seg, i)
				i-- // look at the delimiter again, outside the element
				if c == '\n' {
					s.line--
				}
			}
			continue
		}
		switch c {
		case '"':
			s.inStr = true
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth == s.base {
				s.endElem(block, seg, i+1)
			}
		}
	}
	if s.inElem {
		s.keep(block[seg:])
	}
}

// keep appends element bytes to the current chunk unless the element is
// already too long.
func (s *splitter) keep(b []byte) {
	s.elen += int64(len(b))
	if s.cut {
		return
	}
	if int(s.elen) > s.max {
		s.cut = true
		return
	}
	*s.cur.buf = append(*s.cur.buf, b...)
	s.cur.data = *s.cur.buf
}

func (s *splitter) endElem(block []byte, seg, end int) {
	s.keep(block[seg:end])
	s.inElem = false
	s.count++
	if s.cut {
		// Send what is collected so far, then the over-long element alone.
		prefix := append([]byte(nil), s.cur.data[s.start:]...)
		s.cur.data = s.cur.data[:s.start]
		*s.cur.buf = s.cur.data
		s.flush()
		s.r.send(&chunk{file: s.f, data: prefix[:min(len(prefix), s.max)], firstLine: s.eline, tooLong: s.elen})
		return
	}
	s.cur.elems = append(s.cur.elems, elemSpan{start: s.start, end: len(s.cur.data), line: s.eline})
	if len(s.cur.data) >= chunkSize {
		s.flush()
	}
}

// flush sends the current chunk (detecting the file's format from it when
// it is the first) and starts a new one.
func (s *splitter) flush() {
	if s.f.format == nil && len(s.cur.elems) > 0 {
		var samples [][]byte
		for i, e := range s.cur.elems {
			if i == 20 {
				break
			}
			samples = append(samples, s.cur.data[e.start:e.end])
		}
		s.f.format = s.r.chooseFormat(s.f, samples)
		s.r.formats[s.f.format.Name]++
	}
	if len(s.cur.elems) == 0 {
		return
	}
	s.r.send(s.cur)
	s.cur = &chunk{file: s.f, buf: s.r.getBuf(), elems: []elemSpan{}}
}

// finish sends what is left, an unterminated element included (it is
// rejected as invalid JSON by the decoder).
func (s *splitter) finish() {
	if s.inElem {
		s.inElem = false
		s.count++
		if s.cut {
			s.flush()
			s.r.send(&chunk{file: s.f, data: []byte{}, firstLine: s.eline, tooLong: s.elen})
		} else {
			s.cur.elems = append(s.cur.elems, elemSpan{start: s.start, end: len(s.cur.data), line: s.eline})
		}
	}
	s.flush()
	if len(s.cur.elems) == 0 {
		s.r.ss.pool <- s.cur.buf
	}
	if s.count == 0 {
		s.r.empty = append(s.r.empty, s.f.Name)
	}
}
