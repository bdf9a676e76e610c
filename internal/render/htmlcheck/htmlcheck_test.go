package htmlcheck

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	_ "github.com/costaudit/costaudit/internal/testutil" // registers -update: go test ./... -update runs here too
)

// pngOf draws a w×h white image with the first ink pixels (row by row)
// coloured c, and encodes it.
func pngOf(t *testing.T, w, h, ink int, c color.RGBA) *bytes.Buffer {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		col := color.RGBA{255, 255, 255, 255}
		if i < ink {
			col = c
		}
		img.SetRGBA(i%w, i/w, col)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestInkShare(t *testing.T) {
	tests := []struct {
		name     string
		ink      int
		c        color.RGBA
		wantInk  int
		wantFrac float64
	}{
		{"blank", 0, color.RGBA{}, 0, 0},
		{"quarter black", 25, color.RGBA{0, 0, 0, 255}, 25, 0.25},
		{"anti-aliasing stays background", 30, color.RGBA{250, 250, 248, 255}, 0, 0},
		{"light grey is ink", 10, color.RGBA{240, 240, 240, 255}, 10, 0.10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := InkShare(pngOf(t, 10, 10, tt.ink, tt.c))
			if err != nil {
				t.Fatal(err)
			}
			if s.Ink != tt.wantInk || s.Fraction() != tt.wantFrac || s.Pixels != 100 {
				t.Errorf("InkShare = %+v (%.2f), want ink %d (%.2f) of 100", s, s.Fraction(), tt.wantInk, tt.wantFrac)
			}
			if s.Background != (color.RGBA{255, 255, 255, 255}) {
				t.Errorf("background %v, want white", s.Background)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	if _, err := Check(pngOf(t, 10, 10, 20, color.RGBA{0, 0, 0, 255}), 0.05, 0.6); err != nil {
		t.Errorf("20%% ink: %v", err)
	}
	if _, err := Check(pngOf(t, 10, 10, 2, color.RGBA{0, 0, 0, 255}), 0.05, 0.6); err == nil || !strings.Contains(err.Error(), "2.0% of 100 pixels") {
		t.Errorf("2%% ink: err = %v, want a too-little-ink error", err)
	}
	if _, err := Check(strings.NewReader("not a png"), 0.05, 0.6); err == nil || !strings.Contains(err.Error(), "decode screenshot") {
		t.Errorf("garbage: err = %v", err)
	}
}
