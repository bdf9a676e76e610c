package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costaudit/costaudit/audit/decode"
	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// PriceOptions are the flags of `costaudit price`.
type PriceOptions struct {
	Pricebooks []string
	Modifiers  []string
	Files      []string
	Strict     bool
	Format     string // flag form: table or json
	OutFile    string // -o FILE (--output is the output tokens)

	// The flag form prices one ad-hoc usage when Model is set: Usage has
	// the requests and one flag per billed bucket of the record table
	// (tokenFlags).
	Model    string
	Provider string
	Mode     string
	At       string
	Usage    pricing.Usage
}

// tokenFlag is the flag of the flag form for a billed bucket: its pricing
// bucket name with dashes (--input, --cache-read, --cache-write-5m, …).
func tokenFlag(f record.FieldID) string { return strings.ReplaceAll(record.Fields[f].Bucket, "_", "-") }

// usageFlags are the flags of the flag form's usage: --requests, then one
// per billed bucket.
func usageFlags() []string {
	out := []string{"requests"}
	for _, f := range record.BilledFields {
		out = append(out, tokenFlag(f))
	}
	return out
}

func newPriceCmd(env Env) *cobra.Command {
	var o PriceOptions
	cmd := &cobra.Command{
		Use:   "price [FILE...]",
		Short: "Price canonical JSONL records, or one usage given by flags",
		Long: `price prices requests one by one, without aggregation.

With files (or stdin when none or "-"), it reads canonical JSONL (one flat JSON
object per line: ts, model, token fields, optional provider and mode) and
writes each record back with all its fields plus cost_usd (an exact decimal
string) and price (book, model, effective_from, tier, mode, overlays), or with
error when it cannot price the record. A summary goes to stderr.

With --model, it prices one usage given by flags and prints the line items.`,
		Example: `  costaudit price < logs.jsonl > priced.jsonl
  costaudit price --model claude-sonnet-4-5 --input 1500 --output 250 --mode batch
  costaudit price --model gpt-4o --input 2048 --cache-read 1024 --output 150 --at 2025-06-01
  costaudit price --pricebook contracts/ logs.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			flags := cmd.Flags()
			if o.Model == "" {
				for _, f := range slices.Concat([]string{"provider", "mode", "at"}, usageFlags(), []string{"format"}) {
					if flags.Changed(f) {
						return usagef("--%s needs --model (the flag form prices one usage); to price records give JSONL files or stdin", f)
					}
				}
			} else if len(args) > 0 {
				return usagef("give either --model with token flags, or JSONL files, not both")
			}
			if err := checkOutputName(o.OutFile, "jsonl"); err != nil {
				return err
			}
			reads := append(append([]string(nil), o.Files...), o.Pricebooks...)
			if len(o.Files) == 0 {
				reads = append(reads, "-")
			}
			if err := refuseOverwrite(env, [][2]string{{"-o", o.OutFile}}, reads); err != nil {
				return err
			}
			return withOutput(env, o.OutFile, func(env Env) error { return runPrice(env, o) })
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Pricebooks, "pricebook", nil, "extra price book `DIR|FILE` (repeatable); overrides or extends the embedded books")
	f.StringArrayVar(&o.Modifiers, "modifier", nil, "price with the book modifier `NAME` switched on, e.g. us-only (Anthropic US-only inference, 1.1x) or fast (fast mode); repeatable")
	f.BoolVar(&o.Strict, "strict", false, "stop at the first record that cannot be priced (exit code 1)")
	f.StringVarP(&o.Format, "format", "f", "table", "flag-form output `FORMAT`: table, json (records are always JSONL)")
	f.StringVarP(&o.OutFile, "output-file", "o", "", "write the priced records or the flag-form result to `FILE` (atomically) instead of stdout (--output is the output tokens)")
	f.StringVar(&o.Model, "model", "", "price one usage of `MODEL` (flag form)")
	f.StringVar(&o.Provider, "provider", "", "`PROVIDER` of --model (inferred from the model when empty)")
	f.StringVar(&o.Mode, "mode", "sync", "delivery `MODE`: sync, stream, batch, flex, priority")
	f.StringVar(&o.At, "at", "", "price in force at `DATE` (YYYY-MM-DD or RFC 3339; default now)")
	f.Int64Var(&o.Usage.Requests, "requests", 1, "number `N` of requests the tokens are summed over (per-request fees)")
	for _, id := range record.BilledFields {
		f.Int64Var(record.UsageCount(&o.Usage, id), tokenFlag(id), 0, "`N` "+record.Fields[id].Doc)
	}
	return cmd
}

func runPrice(env Env, o PriceOptions) error {
	if o.Model != "" {
		return runPriceFlags(env, o)
	}
	cat, err := loadCatalog(o.Pricebooks, o.Modifiers...)
	if err != nil {
		return err
	}
	return priceJSONL(env, cat, o)
}

// parseAt parses --at, defaulting to the injected clock.
func parseAt(env Env, s string) (time.Time, error) {
	if s == "" {
		return env.Now().UTC(), nil
	}
	t, err := pricing.ParseDate(s)
	if err != nil {
		return time.Time{}, usagef("--at: %v", err)
	}
	return t, nil
}

func runPriceFlags(env Env, o PriceOptions) error {
	if o.Format != "table" && o.Format != "json" {
		return usagef("--format %q: the flag form prints table or json", o.Format)
	}
	mode, err := pricing.ParseMode(o.Mode)
	if err != nil {
		return usagef("--mode: %v", err)
	}
	u := o.Usage
	if u.Requests < 0 {
		return usagef("--requests: negative value %d", u.Requests)
	}
	for _, f := range record.BilledFields {
		if n := *record.UsageCount(&u, f); n < 0 {
			return usagef("--%s: negative value %d", tokenFlag(f), n)
		}
	}
	if u.Requests == 0 {
		return usagef("--requests: must be at least 1")
	}
	at, err := parseAt(env, o.At)
	if err != nil {
		return err
	}
	cat, err := loadCatalog(o.Pricebooks, o.Modifiers...)
	if err != nil {
		return err
	}
	res, err := cat.Resolve(o.Provider, o.Model)
	if err != nil {
		return err
	}
	// With several requests, the tier is decided per request on the average
	// input; the flag form documents one request by default.
	perRequest := u.TotalInput() / u.Requests
	k, err := cat.Key(res.Provider, res.ModelID, at, perRequest)
	if err != nil {
		return err
	}
	q, err := cat.Quote(k, mode, u)
	if err != nil {
		return err
	}
	e := cat.Entry(k)
	if o.Format == "json" {
		out := struct {
			pricing.Quote
			At         string `json:"at"`
			Resolution string `json:"resolution"`
			Source     string `json:"source"`
			BatchRule  string `json:"batch_rule"`
		}{q, at.Format(time.RFC3339), res.Why, e.Source, e.BatchWhy}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s/%s  mode %s  at %s\n", q.Provider, q.ModelID, q.Mode, at.Format(time.RFC3339))
	fmt.Fprintf(w, "resolved: %s\n", res.Why)
	fmt.Fprintf(w, "entry:    book %s, effective from %s, tier %s\n", q.Book, q.EffectiveFrom, q.Tier)
	fmt.Fprintf(w, "source:   %s\n", e.Source)
	if mode == pricing.ModeBatch {
		fmt.Fprintf(w, "batch:    %s\n", e.BatchWhy)
	}
	for _, md := range q.Modifiers {
		fmt.Fprintf(w, "modifier: %s\n", md)
	}
	for _, ov := range q.Overlays {
		fmt.Fprintf(w, "overlay:  %s\n", ov)
	}
	fmt.Fprintln(w)
	rows := [][]string{{"bucket", "tokens", "$/M", "cost_usd"}}
	for _, it := range q.Items {
		unit := money(it.UnitPrice)
		if it.Bucket == pricing.BucketRequest {
			unit += " /req"
		}
		rows = append(rows, []string{it.Bucket, strconv.FormatInt(it.Tokens, 10), unit, money(it.Cost)})
	}
	rows = append(rows, []string{"total", "", "", money(q.Total)})
	writeColumns(w, rows, []bool{false, true, true, true}, true)
	return nil
}

// writeColumns prints rows as aligned columns (right-aligned where right[i]),
// with a rule under the header row and above the last row when footer is
// set.
func writeColumns(w io.Writer, rows [][]string, right []bool, footer bool) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	rule := func() {
		parts := make([]string, len(widths))
		for i, wd := range widths {
			parts[i] = strings.Repeat("-", wd)
		}
		fmt.Fprintln(w, strings.Join(parts, "  "))
	}
	for n, r := range rows {
		if footer && n == len(rows)-1 && n > 1 {
			rule()
		}
		cells := make([]string, len(r))
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if right != nil && right[i] {
				cells[i] = pad + c
			} else if i < len(r)-1 {
				cells[i] = c + pad
			} else {
				cells[i] = c
			}
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(cells, "  "), " "))
		if n == 0 {
			rule()
		}
	}
}

// maxLine bounds one JSONL line.
const maxLine = 10 << 20

type priceCounts struct {
	lines, priced, unbilled, failed, skipped int
}

func priceJSONL(env Env, cat *pricing.Catalog, o PriceOptions) error {
	files := o.Files
	if len(files) == 0 {
		files = []string{"-"}
	}
	out := bufio.NewWriter(env.Stdout)
	defer out.Flush()
	var n priceCounts
	for _, f := range files {
		var r io.Reader
		name := f
		if f == "-" {
			r, name = env.Stdin, "stdin"
		} else {
			fh, err := os.Open(f)
			if err != nil {
				return fmt.Errorf("read %s: %w", f, err)
			}
			defer fh.Close()
			r = fh
		}
		if err := priceStream(cat, name, r, out, &n, o.Strict); err != nil {
			out.Flush()
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "price: %d lines: %d priced, %d unbilled, %d not priced (see \"error\"), %d blank\n", n.lines, n.priced, n.unbilled, n.failed, n.skipped)
	return nil
}

func priceStream(cat *pricing.Catalog, name string, r io.Reader, out io.Writer, n *priceCounts, strict bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	dec := decode.NewLineDecoder(name)
	line := 0
	for sc.Scan() {
		line++
		n.lines++
		raw := sc.Bytes()
		if line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			n.skipped++
			continue
		}
		where := fmt.Sprintf("%s:%d", name, line)
		rec, billed, err := priceRecord(cat, dec, int64(line), raw)
		if err != nil {
			if strict {
				return fmt.Errorf("price %s: %w", where, err)
			}
			n.failed++
			if rec == nil {
				rec = map[string]json.RawMessage{"line": json.RawMessage(strconv.Quote(where))}
			}
			rec["error"] = mustJSON(err.Error())
			delete(rec, "cost_usd")
			delete(rec, "price")
		} else if !billed {
			n.unbilled++
		} else {
			n.priced++
		}
		if err := writeRecord(out, rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("read %s:%d: line longer than %d bytes", name, line+1, maxLine)
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only called with strings and plain structs
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeRecord(w io.Writer, rec map[string]json.RawMessage) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// priceInfo is the "price" object written with each priced record.
type priceInfo struct {
	Book          string   `json:"book"`
	Provider      string   `json:"provider"`
	Model         string   `json:"model"`
	EffectiveFrom string   `json:"effective_from"`
	Tier          string   `json:"tier"`
	Mode          string   `json:"mode"`
	Overlays      []string `json:"overlays"`
	Modifiers     []string `json:"modifiers,omitempty"`
	Unbilled      string   `json:"unbilled,omitempty"`
}

// priceRecord decodes one canonical JSONL record with the decoder and
// validation analyze uses (decode.LineDecoder), prices it, and returns it
// with cost_usd and price added. On error it returns the record as read
// (nil when the line is not a JSON object). billed is false for a record
// the provider does not bill (cost_usd "0").
func priceRecord(cat *pricing.Catalog, dec *decode.LineDecoder, n int64, line []byte) (map[string]json.RawMessage, bool, error) {
	var rec map[string]json.RawMessage
	if json.Unmarshal(line, &rec) != nil {
		rec = nil
	}
	r, err := dec.Decode(n, line)
	if err != nil {
		return rec, false, err
	}
	q, err := cat.Price(r.Provider, r.Model, r.TS, r.Mode, r.Usage())
	if err != nil {
		return rec, false, err
	}
	info := priceInfo{Book: q.Book, Provider: q.Provider, Model: q.ModelID, EffectiveFrom: q.EffectiveFrom, Tier: q.Tier, Mode: string(q.Mode), Overlays: q.Overlays, Modifiers: q.Modifiers}
	cost := q.Total.String()
	if !r.Billed() {
		info.Unbilled = fmt.Sprintf("status %q in mode %s is not billed by the provider; list cost would be %s", r.Status, r.Mode, cost)
		cost = "0"
	}
	rec["cost_usd"] = mustJSON(cost)
	rec["price"] = mustJSON(info)
	return rec, r.Billed(), nil
}
