package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// embeddedBooks is the source of the price books built into the binary.
func embeddedBooks() pricing.BookSource {
	return pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."}
}

// bookSource turns one --pricebook argument (a directory of *.toml books or
// one book file) into a pricing.BookSource whose Name is the path the user
// gave, so errors and citations name the user's own files.
func bookSource(p string) (pricing.BookSource, error) {
	st, err := os.Stat(p)
	if err != nil {
		return pricing.BookSource{}, fmt.Errorf("--pricebook %s: %w", p, err)
	}
	if st.IsDir() {
		return pricing.BookSource{Name: filepath.ToSlash(p), FS: os.DirFS(p), Path: "."}, nil
	}
	dir, file := filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	name := filepath.ToSlash(filepath.Clean(dir))
	if name == "." {
		name = ""
	}
	return pricing.BookSource{Name: name, FS: os.DirFS(dir), Path: file}, nil
}

// loadCatalog loads the embedded price books followed by each --pricebook
// path (a directory or a file) in order, so user books override or extend the
// embedded ones and overlays apply on top.
func loadCatalog(paths []string) (*pricing.Catalog, error) {
	srcs := []pricing.BookSource{embeddedBooks()}
	for _, p := range paths {
		s, err := bookSource(p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return pricing.Load(srcs...)
}
