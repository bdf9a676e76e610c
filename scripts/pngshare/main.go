// Command pngshare checks a screenshot of the HTML report: it prints the
// share of pixels that differ from the background and exits 1 when the
// share is outside [-min, -max]. scripts/html-screenshot.sh runs it.
//
//	go run ./scripts/pngshare -min 0.05 -max 0.6 shot.png
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/costaudit/costaudit/internal/render/htmlcheck"
)

func main() {
	min := flag.Float64("min", 0.05, "smallest acceptable share of non-background pixels")
	max := flag.Float64("max", 0.60, "largest acceptable share of non-background pixels")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pngshare [-min F] [-max F] shot.png")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "pngshare:", err)
		os.Exit(1)
	}
	defer f.Close()
	s, err := htmlcheck.Check(f, *min, *max)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pngshare:", err)
		os.Exit(1)
	}
	fmt.Printf("pngshare: %.1f%% of %d pixels differ from the background #%02x%02x%02x\n", 100*s.Fraction(), s.Pixels, s.Background.R, s.Background.G, s.Background.B)
}
