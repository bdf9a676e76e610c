package audit

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/costaudit/costaudit/audit/decode"
)

// reader is the single goroutine that reads the inputs one after the other,
// detects each file's format and layout, and cuts the bytes into chunks for
// the workers. Its memory is the buffer pool: (2·workers+2) buffers of
// 1 MiB, grown only for lines longer than that (up to MaxLineBytes).
type reader struct {
	ss        *scanState
	work      chan<- *chunk
	seq       int64
	formats   map[string]int64
	empty     []string
	warnings  []string
	bytesRead int64
	lastProg  int64
}

// countingReader counts the raw bytes read and reports progress.
type countingReader struct {
	r  io.Reader
	rd *reader
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.rd.bytesRead += int64(n)
	if c.rd.ss.opts.Progress != nil && c.rd.bytesRead-c.rd.lastProg >= 1<<20 {
		c.rd.lastProg = c.rd.bytesRead
		c.rd.ss.opts.Progress(c.rd.bytesRead)
	}
	return n, err
}

type countingCloser struct {
	countingReader
	c io.Closer
}

func (c *countingCloser) Close() error { return c.c.Close() }

func (r *reader) stopped() bool {
	return r.ss.abort.Load() || r.seq > r.ss.stop.Load()
}

func (r *reader) readAll(inputs []Input) error {
	r.formats = map[string]int64{}
	for i, in := range inputs {
		if r.stopped() {
			break
		}
		if err := r.readInput(i, in); err != nil {
			r.ss.abort.Store(true)
			return err
		}
	}
	if r.ss.opts.Progress != nil && r.bytesRead != r.lastProg {
		r.ss.opts.Progress(r.bytesRead)
	}
	return nil
}

func (r *reader) getBuf() *[]byte {
	b := <-r.ss.pool
	if cap(*b) < r.ss.bufSize {
		*b = make([]byte, 0, r.ss.bufSize)
	}
	*b = (*b)[:0]
	return b
}

func (r *reader) send(c *chunk) {
	c.seq = r.seq
	r.seq++
	r.work <- c
}

// fill reads into b until it is full or the stream ends.
func fill(rd io.Reader, b *[]byte) (eof bool, err error) {
	data := *b
	for len(data) < cap(data) {
		n, err := rd.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			*b = data
			return true, nil
		}
		if err != nil {
			*b = data
			return false, err
		}
	}
	*b = data
	return false, nil
}

// Layouts of a JSON file.
const (
	layoutLines  = iota // one JSON value per line
	layoutArray         // one JSON array of objects (pretty-printed or not)
	layoutStream        // pretty-printed objects one after the other
	layoutCSV
)

func (r *reader) readInput(idx int, in Input) error {
	ird := in
	ird.Open = func() (io.ReadCloser, error) {
		rc, err := in.Open()
		if err != nil {
			return nil, err
		}
		return &countingCloser{countingReader{rc, r}, rc}, nil
	}
	rd, closeFn, comp, err := openDecompressed(ird)
	if err != nil {
		return err
	}
	defer closeFn()
	f := &fileCtx{File: decode.File{Name: in.Name, ModTime: in.ModTime, Stem: fileStem(in.Name)}, index: idx}

	b := r.getBuf()
	eof, err := fill(rd, b)
	if err != nil {
		r.ss.pool <- b
		return readErr(in.Name, comp, err)
	}
	data := *b
	if len(bytes.TrimSpace(data)) == 0 && eof {
		r.ss.pool <- b
		r.empty = append(r.empty, in.Name)
		return nil
	}
	if off := binaryOffset(data); off >= 0 {
		r.ss.pool <- b
		return fmt.Errorf("read %s: binary file (byte 0x%02x at offset %d), not a text log: give JSONL, JSON, CSV, or gzip/zstd of them", in.Name, data[off], off)
	}
	// Drop a UTF-8 byte order mark.
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		copy(data, data[3:])
		*b = data[:len(data)-3]
		data = *b
	}

	layout := detectLayout(in.Name, data, r.ss.opts.FormatIn)
	if layout == layoutCSV {
		f.format = decode.FormatByName(decode.FormatCanonicalCSV)
		r.formats[f.format.Name]++
		src := io.MultiReader(bytes.NewReader(data), rd)
		err := r.readCSV(f, src)
		r.ss.pool <- b
		if err != nil {
			return readErr(in.Name, comp, err)
		}
		return nil
	}
	if layout == layoutLines {
		f.format = r.chooseFormat(f, sampleLines(data, eof))
		r.formats[f.format.Name]++
		if err := r.readLines(f, rd, b, eof); err != nil {
			return readErr(in.Name, comp, err)
		}
		return nil
	}
	if err := r.readElements(f, rd, b, eof, layout); err != nil {
		return readErr(in.Name, comp, err)
	}
	return nil
}

// chooseFormat returns the forced format or the one detected from samples.
// A forced format that differs from the one the samples show is warned of.
func (r *reader) chooseFormat(f *fileCtx, samples [][]byte) *decode.Format {
	det, ok := decode.Detect(samples)
	if forced := r.ss.opts.FormatIn; forced != "" {
		if ok && det.Name != forced && !(forced == decode.FormatOpenAI && det.Name == decode.FormatOpenAIBatch) {
			r.warnings = append(r.warnings, fmt.Sprintf("%s: read as %s (--format-in), but its first records look like %s", f.Name, forced, det.Name))
		}
		return decode.FormatByName(forced)
	}
	return det
}

// readLines cuts a JSONL stream into newline-aligned chunks. b holds the
// first bytes read.
func (r *reader) readLines(f *fileCtx, rd io.Reader, b *[]byte, eof bool) error {
	max := r.ss.opts.MaxLineBytes
	line := int64(1)
	for {
		if r.stopped() {
			r.ss.pool <- b
			return nil
		}
		data := *b
		if !eof && len(data) < cap(data) {
			var err error
			eof, err = fill(rd, b)
			if err != nil {
				r.ss.pool <- b
				return err
			}
			data = *b
		}
		if len(data) == 0 {
			r.ss.pool <- b
			return nil
		}
		cut := bytes.LastIndexByte(data, '\n')
		if eof {
			cut = len(data) - 1
		}
		if cut < 0 {
			// A full buffer without a newline: one line longer than the
			// buffer. Grow up to the limit, then give up on the line.
			if cap(data) <= max {
				nb := make([]byte, len(data), min(2*cap(data), max+1))
				copy(nb, data)
				*b = nb
				continue
			}
			total, rest, rerr := discardLine(rd, int64(len(data)))
			r.send(&chunk{file: f, buf: b, data: data[:max], firstLine: line, tooLong: total})
			line++
			b = r.getBuf()
			*b = append(*b, rest...)
			if rerr == io.EOF {
				eof = true
			} else if rerr != nil {
				r.ss.pool <- b
				return rerr
			}
			continue
		}
		body := data[:cut+1]
		rest := data[cut+1:]
		nb := r.getBuf()
		*nb = append(*nb, rest...)
		r.send(&chunk{file: f, buf: b, data: body, firstLine: line})
		line += int64(bytes.Count(body, []byte{'\n'}))
		b = nb
		if eof && len(rest) == 0 {
			r.ss.pool <- b
			return nil
		}
	}
}

// discardLine reads up to and including the next newline, returning the
// length of the whole line (seen bytes included, newline excluded) and the
// bytes read after the newline.
func discardLine(rd io.Reader, seen int64) (int64, []byte, error) {
	var scratch [64 << 10]byte
	for {
		n, err := rd.Read(scratch[:])
		if i := bytes.IndexByte(scratch[:n], '\n'); i >= 0 {
			rest := append([]byte(nil), scratch[i+1:n]...)
			if err == io.EOF && len(rest) > 0 {
				err = nil
			}
			if err == io.EOF {
				// More may follow only if the reader has it.
				err = nil
			}
			return seen + int64(i), rest, err
		}
		seen += int64(n)
		if err != nil {
			return seen, nil, err
		}
	}
}

// binaryOffset returns the offset of the first byte in the head of data
// that no text log holds (NUL or another control character than tab, CR,
// LF, FF and ESC), or -1.
func binaryOffset(data []byte) int {
	head := data[:min(len(data), 8<<10)]
	for i, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b {
			return i
		}
	}
	return -1
}

// detectLayout decides how a file's bytes are split into items.
func detectLayout(name string, data []byte, forced string) int {
	if forced == decode.FormatCanonicalCSV {
		return layoutCSV
	}
	t := bytes.TrimLeft(data, " \t\r\n")
	if forced == "" {
		lower := strings.ToLower(stripCompressionExt(name))
		if strings.HasSuffix(lower, ".csv") {
			return layoutCSV
		}
		if len(t) > 0 && t[0] != '{' && t[0] != '[' {
			first, _, _ := bytes.Cut(t, []byte{'\n'})
			if looksLikeCSVHeader(first) {
				return layoutCSV
			}
		}
	}
	if len(t) > 0 && t[0] == '[' {
		return layoutArray
	}
	if len(t) > 0 && t[0] == '{' {
		first, _, _ := bytes.Cut(t, []byte{'\n'})
		if len(bytes.TrimSpace(first)) == 1 {
			return layoutStream
		}
	}
	return layoutLines
}

func looksLikeCSVHeader(line []byte) bool {
	hasTS, hasModel := false, false
	for _, col := range strings.Split(strings.TrimSpace(string(line)), ",") {
		switch strings.Trim(strings.TrimSpace(col), `"`) {
		case "ts":
			hasTS = true
		case "model":
			hasModel = true
		}
	}
	return hasTS && hasModel
}

// sampleLines returns up to 20 non-blank complete lines from the head of a
// file, for format detection.
func sampleLines(data []byte, eof bool) [][]byte {
	var out [][]byte
	for len(data) > 0 && len(out) < 20 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if eof {
				out = append(out, bytes.TrimSpace(data))
			}
			break
		}
		if l := bytes.TrimSpace(data[:i]); len(l) > 0 {
			out = append(out, l)
		}
		data = data[i+1:]
	}
	return out
}

func fileStem(name string) string {
	base := filepath.Base(stripCompressionExt(name))
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// readElements splits a JSON array or a stream of pretty-printed objects
// into its elements, each decoded like a JSONL line.
func (r *reader) readElements(f *fileCtx, rd io.Reader, first *[]byte, eof bool, layout int) error {
	sp := &splitter{r: r, f: f, max: r.ss.opts.MaxLineBytes, line: 1}
	if layout == layoutArray {
		sp.base = 1
	}
	sp.cur = &chunk{file: f, buf: r.getBuf(), elems: []elemSpan{}}
	block := *first
	for {
		if r.stopped() {
			break
		}
		sp.feed(block)
		if eof {
			break
		}
		*first = (*first)[:0]
		var err error
		eof, err = fill(rd, first)
		if err != nil {
			r.ss.pool <- first
			r.ss.pool <- sp.cur.buf
			return err
		}
		block = *first
	}
	r.ss.pool <- first
	sp.finish()
	return nil
}
