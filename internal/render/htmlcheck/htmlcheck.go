// Package htmlcheck checks a screenshot of the HTML report: that the page
// drew something (charts, tables, text) rather than an empty or broken
// canvas. scripts/html-screenshot.sh and the render tests use it.
package htmlcheck

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// Share is the result of a screenshot check.
type Share struct {
	Pixels     int        // pixels looked at
	Ink        int        // pixels that differ from the background
	Background color.RGBA // the most common colour, taken as the background
}

// Fraction is Ink / Pixels.
func (s Share) Fraction() float64 {
	if s.Pixels == 0 {
		return 0
	}
	return float64(s.Ink) / float64(s.Pixels)
}

// InkShare decodes a PNG and counts the pixels that differ from its most
// common colour by more than a small tolerance (anti-aliasing of a white
// page stays background).
func InkShare(r io.Reader) (Share, error) {
	img, err := png.Decode(r)
	if err != nil {
		return Share{}, fmt.Errorf("decode screenshot: %w", err)
	}
	b := img.Bounds()
	counts := map[color.RGBA]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[rgba(img, x, y)]++
		}
	}
	var bg color.RGBA
	best := -1
	for c, n := range counts {
		if n > best || (n == best && less(c, bg)) {
			bg, best = c, n
		}
	}
	s := Share{Pixels: b.Dx() * b.Dy(), Background: bg}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if far(rgba(img, x, y), bg) {
				s.Ink++
			}
		}
	}
	return s, nil
}

// Check returns an error unless the ink share is within [min, max].
func Check(r io.Reader, min, max float64) (Share, error) {
	s, err := InkShare(r)
	if err != nil {
		return s, err
	}
	if f := s.Fraction(); f < min || f > max {
		return s, fmt.Errorf("screenshot: %.1f%% of %d pixels differ from the background %v; want %.1f%%–%.1f%%",
			100*f, s.Pixels, s.Background, 100*min, 100*max)
	}
	return s, nil
}

func rgba(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

func less(a, b color.RGBA) bool {
	if a.R != b.R {
		return a.R < b.R
	}
	if a.G != b.G {
		return a.G < b.G
	}
	if a.B != b.B {
		return a.B < b.B
	}
	return a.A < b.A
}

// far reports whether two colours differ by more than 8 in any channel.
func far(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return int(x) > int(y)+8 || int(y) > int(x)+8 }
	return d(a.R, b.R) || d(a.G, b.G) || d(a.B, b.B)
}
