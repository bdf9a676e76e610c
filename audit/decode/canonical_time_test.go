package decode

import "testing"

// TestStateTimestampMatchesParse feeds State.timestamp sequences that
// share a minute (so its cache answers) and variations around the cached
// shape, and checks every answer against parseTimestamp.
func TestStateTimestampMatchesParse(t *testing.T) {
	w := NewState(&testSink{}, "")
	inputs := []string{
		"2026-11-02T00:00:08.066Z",
		"2026-11-02T00:00:09.5Z",
		"2026-11-02T00:00:59.123456789Z",
		"2026-11-02T00:00:59.1234567891Z", // ten fraction digits
		"2026-11-02T00:00:00Z",
		"2026-11-02T00:00:60Z", // no such second
		"2026-11-02T00:00:5xZ",
		"2026-11-02T00:00:07.Z",
		"2026-11-02T00:00:07.0a1Z",
		"2026-11-02T00:00:07+00:00",
		"2026-11-02T00:00:07.5z",
		"2026-11-02T00:01:02.25Z",
		"2026-11-02T00:01:03Z",
		"2026-11-02 00:01:04.5Z",
		"2026-11-02 00:01:05Z",
		"2024-02-29T23:59:58.999Z",
		"2024-02-29T23:59:59.999Z",
		"2023-02-29T23:59:59Z",
		"1969-12-31T23:59:59.5Z",
		"1969-12-31T23:59:01Z",
		"1700000000",
		"2026-11-02T00:01:06.1Z",
	}
	for _, s := range inputs {
		got, gotOK := w.timestamp([]byte(s))
		want, wantOK := parseTimestamp([]byte(s))
		if gotOK != wantOK || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("%q: State.timestamp = %v, %v; parseTimestamp = %v, %v", s, got, gotOK, want, wantOK)
		}
	}
	if !w.tsMinuteOK {
		t.Error("the minute cache was never filled")
	}
}
