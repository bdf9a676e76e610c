package audit

import (
	"bytes"
	"reflect"
	"testing"
)

// TestScanCSVUnterminatedQuote checks that a cell whose quote is never
// closed costs only its own line: later rows are read, every line is
// counted, and --rejects keeps the lost line as written.
func TestScanCSVUnterminatedQuote(t *testing.T) {
	const log = "ts,model,workflow,input_tokens\n" +
		"2026-05-01T10:00:00Z,gpt-4o,a,1\n" +
		"2026-05-01T10:00:01Z,gpt-4o,\"broken,2\n" + // never closed
		"2026-05-01T10:00:02Z,gpt-4o,b,3\n" +
		"2026-05-01T10:00:03Z,gpt-4o,\"multi\nline\",4\n" + // a valid cell over two lines
		"2026-05-01T10:00:04Z,gpt-4o,c\"x,5\n" + // a bare quote
		"2026-05-01T10:00:05Z,gpt-4o,d,6\n" +
		"2026-05-01T10:00:06Z,gpt-4o,\"e\"\"q\",7\n" +
		"2026-05-01T10:00:07Z,gpt-4o,\"open,8\n" // unterminated at the end
	var rejects bytes.Buffer
	st, recs, err := scanAll(t, []Input{BytesInput("q.csv", []byte(log))}, ScanOptions{Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, st)
	if st.Lines != 8 || st.Records != 5 || st.RejectedByReason[ReasonBadCSV] != 3 {
		t.Errorf("stats %+v", st)
	}
	var got []int64
	var flows []string
	for _, r := range recs {
		got = append(got, r.InputTokens)
		flows = append(flows, r.Workflow)
	}
	if !reflect.DeepEqual(got, []int64{1, 3, 4, 6, 7}) || flows[2] != "multi\nline" || flows[4] != `e"q` {
		t.Errorf("records %v %q", got, flows)
	}
	want := "2026-05-01T10:00:01Z,gpt-4o,\"broken,2\n2026-05-01T10:00:04Z,gpt-4o,c\"x,5\n2026-05-01T10:00:07Z,gpt-4o,\"open,8\n"
	if rejects.String() != want {
		t.Errorf("rejects %q, want %q", rejects.String(), want)
	}
	if want := "read q.csv:3: invalid csv: unterminated quoted field: the line is rejected and reading goes on at the next line"; st.FirstReject != want {
		t.Errorf("first reject %q", st.FirstReject)
	}
}
