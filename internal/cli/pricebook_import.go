package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/internal/render"
	"github.com/costaudit/costaudit/pricing/importer"
)

// PricebookImportOptions are the flags of costaudit pricebook import.
type PricebookImportOptions struct {
	From      string   // litellm or genai-prices
	File      string   // the source file; - for stdin
	Output    string   // directory to write the books to; "" lists only
	Date      string   // YYYY-MM-DD of the source data
	Providers []string // keep only these providers
	Verbose   bool     // list every model of every left-out rule
}

// importListLimit is how many models each left-out rule names on screen
// without --verbose; the notes file in the output directory has them all.
const importListLimit = 8

func newPricebookImportCmd(env Env) *cobra.Command {
	var o PricebookImportOptions
	cmd := &cobra.Command{
		Use:   "import --from litellm|genai-prices FILE [-o DIR] [--date YYYY-MM-DD]",
		Short: "Convert LiteLLM's or genai-prices' price database into costaudit books",
		Long: `import converts a community price database into costaudit price books, one
book per provider, so you can refresh prices without waiting for a release:

  litellm       LiteLLM's model_prices_and_context_window.json (USD per token)
  genai-prices  the data file of @pydantic/genai-prices (USD per million tokens,
                with dated price changes)

Prices are converted exactly from the JSON numbers' decimal text. History is
kept where the source has it (genai-prices' dated changes; its time-of-day
prices become windows). LiteLLM prices are undated: they take effect from the
file's date (--date, or the YYYY-MM-DD in the file name) and say so in their
notes. Every rule the source cannot express (batch prices genai-prices does not
have, LiteLLM's off-peak hours, audio or web-search prices costaudit has no
bucket for) is left out and listed, never invented.

Without -o the command only reports what it would write. Review an import with
pricebook diff against the embedded books, then use it with --pricebook DIR.`,
		Example: `  costaudit pricebook import --from litellm model_prices_and_context_window.json --date 2026-08-01 -o books/
  costaudit pricebook import --from genai-prices data.json --provider openai --provider anthropic -o books/
  costaudit pricebook diff pricebooks/ books/
  costaudit analyze --pricebook books/ logs/`,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("pricebook import: want one source FILE (or - for stdin), got %d argument(s)", len(args))
			}
			o.File = args[0]
			ok := false
			for _, s := range importer.Sources {
				ok = ok || string(s) == o.From
			}
			if !ok {
				return usagef("pricebook import: --from %q: use litellm or genai-prices", o.From)
			}
			if o.Date == "" {
				o.Date = dateInName(o.File)
			}
			return runPricebookImport(env, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.From, "from", "", "source `FORMAT`: litellm or genai-prices (required)")
	f.StringVarP(&o.Output, "output", "o", "", "`DIR` to write the books and the import notes to")
	f.StringVar(&o.Date, "date", "", "`DATE` of the source data, YYYY-MM-DD (default: the date in the file name)")
	f.StringArrayVar(&o.Providers, "provider", nil, "import only this `PROVIDER` (repeatable; costaudit names such as openai, anthropic, google)")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "list every model of every left-out rule")
	return cmd
}

var nameDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// dateInName returns the last YYYY-MM-DD in a file name, or "".
func dateInName(path string) string {
	all := nameDate.FindAllString(filepath.Base(path), -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

func runPricebookImport(env Env, o PricebookImportOptions) error {
	var data []byte
	var err error
	name := filepath.Base(o.File)
	if o.File == "-" {
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxReportBytes))
		name = "stdin"
	} else {
		data, err = os.ReadFile(o.File)
	}
	if err != nil {
		return fmt.Errorf("pricebook import: %w", err)
	}
	res, err := importer.Import(importer.Source(o.From), data, importer.Options{FileName: name, Date: o.Date, Providers: o.Providers})
	if errors.Is(err, importer.ErrNoDate) {
		return fmt.Errorf("pricebook import %s: %w: give --date YYYY-MM-DD or keep the date in the file name", o.File, importer.ErrNoDate)
	}
	if err != nil {
		return fmt.Errorf("pricebook import %s: %w", o.File, err)
	}
	var notes bytes.Buffer
	writeImportNotes(&notes, res, name, o.Date, -1)
	if o.Output != "" {
		if err := os.MkdirAll(o.Output, 0o755); err != nil {
			return fmt.Errorf("pricebook import: -o %s: %w", o.Output, err)
		}
		for _, b := range res.Books {
			p := filepath.Join(o.Output, b.File)
			if err := writeAtomic(p, func(w io.Writer) error { _, err := w.Write(b.TOML); return err }); err != nil {
				return err
			}
		}
		notesPath := filepath.Join(o.Output, string(res.Source)+"-import-notes.txt")
		if err := writeAtomic(notesPath, func(w io.Writer) error { _, err := w.Write(notes.Bytes()); return err }); err != nil {
			return err
		}
	}
	limit := importListLimit
	if o.Verbose {
		limit = -1
	}
	var out bytes.Buffer
	writeImportNotes(&out, res, name, o.Date, limit)
	if o.Output == "" {
		out.WriteString("\nnothing written: give -o DIR to write the books\n")
	} else {
		fmt.Fprintf(&out, "\nwrote %d books and %s to %s\n", len(res.Books), string(res.Source)+"-import-notes.txt", o.Output)
	}
	_, err = env.Stdout.Write(out.Bytes())
	return err
}

// writeImportNotes writes the import summary: the books, the undated
// prices, the float artefacts and every left-out rule with its models (at
// most limit per rule; all when limit < 0).
func writeImportNotes(w *bytes.Buffer, res *importer.Result, name, date string, limit int) {
	fmt.Fprintf(w, "pricebook import --from %s %s (sha256 %s)", res.Source, name, res.SHA256)
	if date != "" {
		fmt.Fprintf(w, ", data of %s", date)
	}
	w.WriteString("\n\nbooks:\n")
	models := 0
	for _, b := range res.Books {
		models += b.Models
		fmt.Fprintf(w, "  %-40s %5d models %5d entries  sha256 %s\n", b.File, b.Models, b.Entries, b.SHA256)
	}
	fmt.Fprintf(w, "  %d books, %d models\n", len(res.Books), models)
	if len(res.Undated) > 0 {
		w.WriteString("\nundated prices (flagged in each entry's note):\n")
		for _, u := range res.Undated {
			writeImportRule(w, u, limit)
		}
	}
	if len(res.Artefacts) > 0 {
		fmt.Fprintf(w, "\nprices with a floating-point artefact in the source, kept exactly as written (%d):\n", len(res.Artefacts))
		writeNames(w, res.Artefacts, limit)
	}
	if len(res.Omitted) > 0 {
		fmt.Fprintf(w, "\nleft out — the source cannot express it, or costaudit has no rule for it (%d rules):\n", len(res.Omitted))
		for _, om := range res.Omitted {
			writeImportRule(w, om, limit)
		}
	}
}

func writeImportRule(w *bytes.Buffer, om importer.Omission, limit int) {
	fmt.Fprintf(w, "  - %s: %d\n", om.Rule, len(om.Models))
	writeNames(w, om.Models, limit)
}

func writeNames(w *bytes.Buffer, names []string, limit int) {
	shown := names
	if limit >= 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	for _, n := range shown {
		w.WriteString("      " + render.Clean(n) + "\n")
	}
	if len(shown) < len(names) {
		fmt.Fprintf(w, "      … %d more (--verbose, or the notes file with -o)\n", len(names)-len(shown))
	}
}
