package aggregate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/costaudit/costaudit/audit/decode"
)

// Provider usage exports read as aggregate files: the pages of the OpenAI
// organization usage API for completions
// (platform.openai.com/docs/api-reference/usage/completions) and of the
// Anthropic usage report for messages
// (docs.anthropic.com/en/api/admin-api/usage-cost/get-messages-usage-report),
// as saved from the API (one page per file, pages one after another, or
// one per line). Each result of a bucket becomes an aggregate row:
//
//   - the workflow is the project (OpenAI project_id, else api_key_id,
//     else user_id) or the workspace (Anthropic workspace_id, else
//     api_key_id), and "organization" when the export is not grouped by
//     any of them;
//   - the day is the UTC day the bucket starts on (read the file with the
//     default --tz UTC);
//   - OpenAI input_tokens INCLUDE input_cached_tokens (and
//     input_cache_write_tokens where the export has them): uncached input =
//     input − cached − written; batch = true is mode batch, service_tier
//     flex / priority the mode of that name;
//   - Anthropic uncached_input_tokens, cache_read_input_tokens and the
//     cache_creation 5m / 1h counts map one to one; service_tier batch /
//     priority sets the mode; context_window "200k-1M" puts the row above
//     the 200K long-context threshold.
//
// Limits, said in the report's notes by the caller: buckets hold no
// arrival times or callers, so no workflow has classification evidence
// (all are assumed realtime); OpenAI rows are below any long-context
// threshold (per-request prompt sizes are not exported); the Anthropic
// report counts no requests, so its rows carry 0 requests. OpenAI results
// of another kind (embeddings, images, …) are counted as rejected records.

// Provider usage export kinds (ScanOptions-independent: the aggregate
// reader tells them apart by content).
const (
	usageExportOpenAI    = "openai-usage"
	usageExportAnthropic = "anthropic-usage"
)

// sniffUsageExport names the provider usage export whose first bytes are
// b, or "".
func sniffUsageExport(b []byte) string {
	switch {
	case bytes.Contains(b, []byte(`"organization.usage.`)) && bytes.Contains(b, []byte(`"bucket"`)):
		return usageExportOpenAI
	case bytes.Contains(b, []byte(`"starting_at"`)) && bytes.Contains(b, []byte(`"uncached_input_tokens"`)):
		return usageExportAnthropic
	}
	return ""
}

// usagePage is one page of a usage export: its buckets and their results.
type usagePage struct {
	Data []struct {
		StartTime  json.RawMessage   `json:"start_time"`
		EndTime    json.RawMessage   `json:"end_time"`
		StartingAt string            `json:"starting_at"`
		EndingAt   string            `json:"ending_at"`
		Results    []json.RawMessage `json:"results"`
	} `json:"data"`
}

// oaiUsageResult is one result of an OpenAI usage bucket.
type oaiUsageResult struct {
	Object       string          `json:"object"`
	InputTokens  json.RawMessage `json:"input_tokens"`
	CachedTokens json.RawMessage `json:"input_cached_tokens"`
	CacheWrite   json.RawMessage `json:"input_cache_write_tokens"`
	OutputTokens json.RawMessage `json:"output_tokens"`
	Requests     json.RawMessage `json:"num_model_requests"`
	ProjectID    *string         `json:"project_id"`
	APIKeyID     *string         `json:"api_key_id"`
	UserID       *string         `json:"user_id"`
	Model        *string         `json:"model"`
	Batch        *bool           `json:"batch"`
	ServiceTier  *string         `json:"service_tier"`
}

// antUsageResult is one result of an Anthropic usage report bucket.
type antUsageResult struct {
	Uncached      json.RawMessage `json:"uncached_input_tokens"`
	CacheRead     json.RawMessage `json:"cache_read_input_tokens"`
	CacheCreation *struct {
		Ephemeral5m json.RawMessage `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h json.RawMessage `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens  json.RawMessage `json:"output_tokens"`
	WorkspaceID   *string         `json:"workspace_id"`
	APIKeyID      *string         `json:"api_key_id"`
	Model         *string         `json:"model"`
	ServiceTier   *string         `json:"service_tier"`
	ContextWindow *string         `json:"context_window"`
}

// readUsageExport reads the pages of a provider usage export and calls fn
// for each aggregate record it makes.
func readUsageExport(name string, br *bufio.Reader, kind string, fn func(*FileRecord) error) error {
	dec := json.NewDecoder(br)
	for page := 1; ; page++ {
		var p usagePage
		if err := dec.Decode(&p); err != nil {
			if errors.Is(err, io.EOF) {
				if page == 1 {
					return fmt.Errorf("read %s: empty usage export", name)
				}
				return nil
			}
			return fmt.Errorf("read %s: page %d: invalid json: %w", name, page, err)
		}
		for bi, b := range p.Data {
			start, end, err := bucketSpan(kind, b.StartTime, b.EndTime, b.StartingAt, b.EndingAt)
			if err != nil {
				return fmt.Errorf("read %s: page %d data[%d]: %w", name, page, bi, err)
			}
			for ri, res := range b.Results {
				where := fmt.Sprintf("page %d data[%d].results[%d]", page, bi, ri)
				var rec FileRecord
				var err error
				if kind == usageExportOpenAI {
					rec, err = openaiUsageRow(res, start, end)
				} else {
					rec, err = anthropicUsageRow(res, start, end)
				}
				if err != nil {
					return fmt.Errorf("read %s: %s.%w", name, where, err)
				}
				if err := checkAndCall(&rec, fn); err != nil {
					return fmt.Errorf("read %s: %s: %w", name, where, err)
				}
			}
		}
	}
}

// bucketSpan returns the start of a bucket and the last microsecond that
// belongs to its first day (so first_ts_us and last_ts_us stay inside the
// row's day).
func bucketSpan(kind string, st, et json.RawMessage, sa, ea string) (time.Time, time.Time, error) {
	var start, end time.Time
	if kind == usageExportOpenAI {
		s, res := decode.ParseCount(st)
		if res != decode.CountOK {
			return start, end, fmt.Errorf("start_time: not Unix seconds %s", st)
		}
		start = time.Unix(s, 0).UTC()
		if e, res := decode.ParseCount(et); res == decode.CountOK {
			end = time.Unix(e, 0).UTC()
		}
	} else {
		var err error
		if start, err = time.Parse(time.RFC3339, sa); err != nil {
			return start, end, fmt.Errorf("starting_at: not an RFC 3339 time %q", sa)
		}
		start = start.UTC()
		if e, err := time.Parse(time.RFC3339, ea); err == nil {
			end = e.UTC()
		}
	}
	dayEnd := time.Date(start.Year(), start.Month(), start.Day()+1, 0, 0, 0, 0, time.UTC)
	if end.IsZero() || end.After(dayEnd) {
		end = dayEnd
	}
	return start, end.Add(-time.Microsecond), nil
}

// usageCount parses a token count of a usage result; absent and null are 0.
func usageCount(field string, v json.RawMessage) (int64, error) {
	if v == nil || string(v) == "null" {
		return 0, nil
	}
	n, res := decode.ParseCount(v)
	switch res {
	case decode.CountOK:
		return n, nil
	case decode.CountNegative:
		return 0, fmt.Errorf("%s: negative value %d", field, n)
	}
	return 0, fmt.Errorf("%s: not a token count %s", field, v)
}

// strOr returns the first of ps that is set and not empty, or "".
func strOr(ps ...*string) string {
	for _, p := range ps {
		if p != nil && *p != "" {
			return *p
		}
	}
	return ""
}

// usageRow returns a billed aggregate row of the bucket from start to end,
// without tokens yet.
func usageRow(start, end time.Time, workflow, provider, model, mode string) FileRecord {
	return FileRecord{
		Kind: KindRow, Workflow: workflow, Provider: provider, Model: model, Mode: mode, Billed: true,
		Day: start.Format("2006-01-02"), UserWaiting: -1, TTFTBucket: -1,
		FirstTSUS: start.UnixMicro(), LastTSUS: end.UnixMicro(),
	}
}

// openaiUsageRow converts one OpenAI usage result into an aggregate record.
func openaiUsageRow(b json.RawMessage, start, end time.Time) (FileRecord, error) {
	var u oaiUsageResult
	if err := json.Unmarshal(b, &u); err != nil {
		return FileRecord{}, fmt.Errorf("%w", err)
	}
	reqs, err := usageCount("num_model_requests", u.Requests)
	if err != nil {
		return FileRecord{}, err
	}
	if u.Object != "organization.usage.completions.result" {
		// Embeddings, images, audio, moderations…: not token rows the
		// price books hold; counted, not dropped.
		return FileRecord{Kind: KindRejected, Reason: "usage export result " + u.Object + " (only completions are read)", Requests: reqs}, nil
	}
	mode := "sync"
	switch {
	case u.Batch != nil && *u.Batch:
		mode = "batch"
	case u.ServiceTier != nil && (*u.ServiceTier == "flex" || *u.ServiceTier == "priority"):
		mode = *u.ServiceTier
	}
	wf := strOr(u.ProjectID, u.APIKeyID, u.UserID)
	if wf == "" {
		wf = "organization"
	}
	r := usageRow(start, end, wf, "openai", strOr(u.Model), mode)
	r.Requests = reqs
	in, err := usageCount("input_tokens", u.InputTokens)
	if err != nil {
		return r, err
	}
	if r.CacheReadTokens, err = usageCount("input_cached_tokens", u.CachedTokens); err != nil {
		return r, err
	}
	if r.CacheWrite5mTokens, err = usageCount("input_cache_write_tokens", u.CacheWrite); err != nil {
		return r, err
	}
	if r.OutputTokens, err = usageCount("output_tokens", u.OutputTokens); err != nil {
		return r, err
	}
	r.InputTokens = in - r.CacheReadTokens - r.CacheWrite5mTokens
	if r.InputTokens < 0 {
		return r, fmt.Errorf("input_tokens: %d is less than the cached and written input tokens %d", in, r.CacheReadTokens+r.CacheWrite5mTokens)
	}
	return r, nil
}

// anthropicUsageRow converts one Anthropic usage report result into an
// aggregate record.
func anthropicUsageRow(b json.RawMessage, start, end time.Time) (FileRecord, error) {
	var u antUsageResult
	if err := json.Unmarshal(b, &u); err != nil {
		return FileRecord{}, fmt.Errorf("%w", err)
	}
	mode := "sync"
	if u.ServiceTier != nil {
		switch *u.ServiceTier {
		case "batch", "priority", "flex":
			mode = *u.ServiceTier
		}
	}
	wf := strOr(u.WorkspaceID, u.APIKeyID)
	if wf == "" {
		wf = "organization"
	}
	r := usageRow(start, end, wf, "anthropic", strOr(u.Model), mode)
	var err error
	if r.InputTokens, err = usageCount("uncached_input_tokens", u.Uncached); err != nil {
		return r, err
	}
	if r.CacheReadTokens, err = usageCount("cache_read_input_tokens", u.CacheRead); err != nil {
		return r, err
	}
	if cc := u.CacheCreation; cc != nil {
		if r.CacheWrite5mTokens, err = usageCount("cache_creation.ephemeral_5m_input_tokens", cc.Ephemeral5m); err != nil {
			return r, err
		}
		if r.CacheWrite1hTokens, err = usageCount("cache_creation.ephemeral_1h_input_tokens", cc.Ephemeral1h); err != nil {
			return r, err
		}
	}
	if r.OutputTokens, err = usageCount("output_tokens", u.OutputTokens); err != nil {
		return r, err
	}
	if u.ContextWindow != nil && strings.HasPrefix(*u.ContextWindow, "200k") {
		r.InputAbove = 200000
	} else if u.ContextWindow != nil && *u.ContextWindow != "" && !strings.HasPrefix(*u.ContextWindow, "0-") {
		return r, fmt.Errorf("context_window: %s: unknown (want 0-200k or 200k-1M)", strconv.Quote(*u.ContextWindow))
	}
	return r, nil
}
