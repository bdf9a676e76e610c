package decode

import (
	"strings"

	"github.com/costaudit/costaudit/audit/record"
)

// testSink keeps what the decoders report.
type testSink struct {
	recs    []record.Record
	rejects []string
	skips   int
}

func (s *testSink) Emit(r *record.Record) {
	c := *r
	c.RequestID = strings.Clone(r.RequestID)
	s.recs = append(s.recs, c)
}

func (s *testSink) Reject(field string, value []byte, reason, detail string) {
	s.rejects = append(s.rejects, field+": "+reason+" "+detail)
}

func (s *testSink) Skip() { s.skips++ }

// decodeLines decodes each line with the format's decoder, as a chunk of
// one file.
func decodeLines(st *State, f *Format, file *File, lines ...string) {
	st.BeginChunk(file, 0)
	dec := st.Decoder(f)
	for _, l := range lines {
		st.Begin()
		dec.Decode(st, []byte(l))
		st.End()
	}
	st.EndChunk()
}
