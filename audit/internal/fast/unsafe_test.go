package fast

import "testing"

func TestString(t *testing.T) {
	b := []byte("req_01")
	s := String(b)
	if s != "req_01" {
		t.Fatalf("String = %q", s)
	}
	b[0] = 'R' // the string shares b's memory
	if s != "Req_01" {
		t.Fatalf("String does not alias its bytes: %q", s)
	}
	if String(nil) != "" || String([]byte{}) != "" {
		t.Fatal("String of no bytes is not empty")
	}
}

func TestSameMap(t *testing.T) {
	a := map[string]string{"k": "v"}
	b := map[string]string{"k": "v"}
	c := a
	if !SameMap(a, c) || SameMap(a, b) || SameMap(a, nil) || !SameMap(nil, nil) {
		t.Fatal("SameMap does not compare map identity")
	}
}
