package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Input is one log to scan: a file, or standard input.
type Input struct {
	// Name identifies the input in errors and rejections: the path as the
	// user gave it (or as found under a directory), or "-" for stdin.
	Name string
	// Open opens the raw (possibly compressed) bytes of the input. Scan
	// calls it once per pass, so it must give the same bytes each time
	// (stdin is spooled to a temporary file for that).
	Open func() (io.ReadCloser, error)
	// Size is the raw size in bytes, or -1 when unknown (stdin).
	Size int64
	// ModTime is the file's modification time, zero for stdin. Formats
	// whose lines carry no timestamp (Anthropic Message Batches results,
	// bare Anthropic Messages responses) date their records with it.
	ModTime time.Time
}

// logExtensions are the file names a directory walk picks up; files given
// by name or glob are read whatever their name.
var logExtensions = []string{".jsonl", ".json", ".ndjson", ".csv", ".log"}

// ExpandInputs turns command-line arguments into inputs: a file, a directory
// (walked recursively for *.jsonl, *.json, *.ndjson, *.csv and *.log files,
// each optionally ending in .gz or .zst), a glob pattern, or "-" for stdin.
// The result is sorted by name with stdin first, and without repeats, so
// that the same arguments always give the same inputs in the same order.
func ExpandInputs(args []string, stdin io.Reader) ([]Input, error) {
	if len(args) == 0 {
		return nil, errors.New("no input: give log files, directories, globs, or - for stdin")
	}
	seen := map[string]bool{}
	var files []string
	haveStdin := false
	for _, arg := range args {
		if arg == "-" {
			if stdin == nil {
				return nil, errors.New("input -: no standard input")
			}
			haveStdin = true
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && hasGlobMeta(arg) {
				// doublestar adds ** (any depth, this directory
				// included) and {a,b} to filepath.Glob's syntax.
				matches, gerr := doublestar.FilepathGlob(arg)
				if gerr != nil {
					return nil, fmt.Errorf("input %s: bad glob pattern: %w", arg, gerr)
				}
				if len(matches) == 0 {
					return nil, fmt.Errorf("input %s: no file matches the pattern", arg)
				}
				for _, m := range matches {
					if err := addPath(m, seen, &files); err != nil {
						return nil, err
					}
				}
				continue
			}
			return nil, fmt.Errorf("input %s: %w", arg, err)
		}
		if info.IsDir() {
			if err := addPath(arg, seen, &files); err != nil {
				return nil, err
			}
			continue
		}
		if !seen[arg] {
			seen[arg] = true
			files = append(files, arg)
		}
	}
	sort.Strings(files)
	var inputs []Input
	if haveStdin {
		inputs = append(inputs, stdinInput(stdin))
	}
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", f, err)
		}
		inputs = append(inputs, FileInput(f, info.Size(), info.ModTime().UTC()))
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("input %s: no log files found (looked for %s, optionally .gz or .zst)", strings.Join(args, " "), strings.Join(logExtensions, ", "))
	}
	return inputs, nil
}

// FileInput returns the input that reads the file at path.
func FileInput(path string, size int64, mod time.Time) Input {
	return Input{
		Name:    path,
		Size:    size,
		ModTime: mod,
		Open:    func() (io.ReadCloser, error) { return os.Open(path) },
	}
}

// BytesInput returns an input that reads data; tests and callers holding a
// log in memory use it.
func BytesInput(name string, data []byte) Input {
	return Input{
		Name: name,
		Size: int64(len(data)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// stdinInput reads standard input. The first Open copies what it reads to
// an unlinked temporary file, so that a second pass (see Scan) can read the
// same bytes again; when no temporary file can be made, a second Open fails.
func stdinInput(r io.Reader) Input {
	var (
		mu     sync.Mutex
		opened bool
		spool  *os.File
	)
	return Input{
		Name: "-",
		Size: -1,
		Open: func() (io.ReadCloser, error) {
			mu.Lock()
			defer mu.Unlock()
			if !opened {
				opened = true
				f, err := os.CreateTemp("", "costaudit-stdin-*")
				if err != nil {
					return io.NopCloser(r), nil
				}
				os.Remove(f.Name()) // the open file stays readable
				spool = f
				return io.NopCloser(io.TeeReader(r, f)), nil
			}
			if spool == nil {
				return nil, errors.New("standard input cannot be read twice")
			}
			if _, err := spool.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
			return io.NopCloser(spool), nil
		},
	}
}

func hasGlobMeta(s string) bool { return strings.ContainsAny(s, "*?[{") }

// addPath adds path, or every log file under it when it is a directory.
func addPath(path string, seen map[string]bool, files *[]string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("input %s: %w", path, err)
	}
	if !info.IsDir() {
		if !seen[path] {
			seen[path] = true
			*files = append(*files, path)
		}
		return nil
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("input %s: %w", p, err)
		}
		if d.IsDir() || !isLogName(p) {
			return nil
		}
		if !seen[p] {
			seen[p] = true
			*files = append(*files, p)
		}
		return nil
	})
}

func isLogName(p string) bool {
	p = strings.ToLower(stripCompressionExt(p))
	for _, ext := range logExtensions {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// isCompressedName reports whether a file name ends in .gz, .zst or .zstd.
func isCompressedName(p string) bool { return stripCompressionExt(p) != p }

func stripCompressionExt(p string) string {
	for _, ext := range []string{".gz", ".zst", ".zstd"} {
		if strings.HasSuffix(strings.ToLower(p), ext) {
			return p[:len(p)-len(ext)]
		}
	}
	return p
}

// Magic numbers of the compressed streams read transparently, and of
// others that are refused by name.
var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicBzip2 = []byte("BZh")
	magicXz    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicZip   = []byte("PK\x03\x04")
)

// openDecompressed opens in and returns a reader of its decompressed bytes
// (gzip and zstd are recognized by their magic numbers, not their names)
// and the name of the compression ("" for none).
func openDecompressed(in Input) (io.Reader, func() error, string, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, nil, "", fmt.Errorf("read %s: %w", in.Name, err)
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	head, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(head, magicGzip):
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, nil, "", fmt.Errorf("read %s: gzip: %w", in.Name, err)
		}
		zr.Multistream(true)
		return zr, func() error { zr.Close(); return rc.Close() }, "gzip", nil
	case bytes.HasPrefix(head, magicZstd):
		// One decoder goroutine per stream: the workers already use every
		// core, and a concurrent decoder only adds memory.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(MaxZstdWindow))
		if err != nil {
			rc.Close()
			return nil, nil, "", fmt.Errorf("read %s: zstd: %w", in.Name, err)
		}
		return zr, func() error { zr.Close(); return rc.Close() }, "zstd", nil
	case bytes.HasPrefix(head, magicBzip2), bytes.HasPrefix(head, magicXz), bytes.HasPrefix(head, magicZip):
		rc.Close()
		return nil, nil, "", fmt.Errorf("read %s: unsupported compression (only gzip and zstd are read): decompress the file first", in.Name)
	}
	return br, rc.Close, "", nil
}

// readErr wraps an error met while reading in's stream, naming the file and
// saying when a compressed stream ended early.
func readErr(name, compression string, err error) error {
	if compression != "" && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zstd.ErrMagicMismatch)) {
		return fmt.Errorf("read %s: truncated or corrupt %s stream: %w", name, compression, err)
	}
	if compression == "zstd" && errors.Is(err, zstd.ErrWindowSizeExceeded) {
		return fmt.Errorf("read %s: zstd frame needs a window larger than the %d MiB costaudit reads (written with zstd --long=31?): recompress with --long=30 or less: %w", name, MaxZstdWindow>>20, err)
	}
	if compression != "" {
		return fmt.Errorf("read %s: corrupt %s stream: %w", name, compression, err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// MaxZstdWindow is the largest zstd window (the history a frame may refer
// back to) Scan reads: 1 GiB, what `zstd --long=30` writes. A frame that
// declares a larger one is refused as corrupt rather than allowed to claim
// that much memory.
const MaxZstdWindow = 1 << 30
