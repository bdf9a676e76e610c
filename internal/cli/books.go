package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/costaudit/costaudit/pricebooks"
	"github.com/costaudit/costaudit/pricing"
)

// embeddedBooks is the source of the price books built into the binary.
func embeddedBooks() pricing.BookSource {
	return pricing.BookSource{Name: "embedded", FS: pricebooks.FS, Path: "."}
}

// unknownModelHint is the fix the CLI names for a model no loaded book
// prices.
const unknownModelHint = "add it with --pricebook DIR"

// Names that stand for the books built into the binary where a book path is
// expected (pricebook diff, --pricebook), unless a file of that name exists.
const (
	embeddedName = "embedded"
	previousName = "embedded:previous"
)

// namedSource returns the built-in books a name stands for: "embedded", the
// books in force, or "embedded:previous", the books before the last update.
func namedSource(p string) (pricing.BookSource, bool) {
	if _, err := os.Stat(p); err == nil {
		return pricing.BookSource{}, false
	}
	switch p {
	case embeddedName:
		return embeddedBooks(), true
	case previousName:
		sub, err := fs.Sub(pricebooks.Previous, "previous")
		if err != nil {
			return pricing.BookSource{}, false
		}
		return pricing.BookSource{Name: previousName, FS: sub, Path: "."}, true
	}
	return pricing.BookSource{}, false
}

// bookSource turns one --pricebook argument (a directory of *.toml books or
// one book file) into a pricing.BookSource whose Name is the path the user
// gave, so errors and citations name the user's own files.
func bookSource(p string) (pricing.BookSource, error) {
	if s, ok := namedSource(p); ok {
		return s, nil
	}
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
// embedded ones and overlays apply on top, and switches on the named
// --modifier rules (such as "us-only" or "fast").
func loadCatalog(paths []string, modifiers ...string) (*pricing.Catalog, error) {
	srcs := []pricing.BookSource{embeddedBooks()}
	for _, p := range paths {
		s, err := bookSource(p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s)
	}
	cat, err := pricing.Load(srcs...)
	if err != nil {
		return nil, err
	}
	cat = cat.WithUnknownModelHint(unknownModelHint)
	if len(modifiers) == 0 {
		return cat, nil
	}
	cat, err = cat.WithModifiers(modifiers...)
	if err != nil {
		return nil, fmt.Errorf("--modifier: %w", err)
	}
	return cat, nil
}
