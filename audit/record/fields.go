package record

import "github.com/costaudit/costaudit/pricing"

// FieldID indexes Fields: one field of the canonical format.
type FieldID int

// The canonical fields, in the order of Fields (the order canonical JSONL
// and CSV are written in).
const (
	FieldTS FieldID = iota
	FieldRequestID
	FieldProvider
	FieldModel
	FieldWorkflow
	FieldSource
	FieldMode
	FieldUserWaiting
	FieldInputTokens
	FieldCacheReadTokens
	FieldCacheWrite5mTokens
	FieldCacheWrite1hTokens
	FieldOutputTokens
	FieldReasoningTokens
	FieldLatencyMS
	FieldTTFTMS
	FieldStatus
	FieldMaxTokens
	FieldLoggedCostUSD
	FieldTeam
	FieldTags
	// NumFields is the number of canonical fields.
	NumFields
)

// Kind says how a canonical field is written and which Record field type
// holds it.
type Kind uint8

// Kinds of canonical fields.
const (
	// KindTime is a timestamp: an RFC 3339 string or a Unix number
	// (Record.TS).
	KindTime Kind = iota + 1
	// KindString is a text label (Record.Text and SetText).
	KindString
	// KindTokens is a token count, an int64 from 0 to MaxRecordTokens
	// (Record.Count).
	KindTokens
	// KindMillis is a duration in milliseconds, an int64 (fractions
	// rounded), -1 when absent (Record.Count).
	KindMillis
	// KindTriState is a boolean that may be unknown: an int8 of 1 (true),
	// 0 (false) or -1 (not logged) (Record.UserWaiting).
	KindTriState
	// KindDecimal is an exact decimal number kept as its text
	// (Record.Text and SetText).
	KindDecimal
	// KindTags is a flat object of string labels (Record.Tags).
	KindTags
)

// SQLType returns the DuckDB type a field of the kind is read as from its
// JSON text. Texts that the canonical decoder accepts in several spellings
// (a timestamp as text or number, user_waiting as true or "1", a logged
// cost as number or string) stay VARCHAR for the aggregate query to parse.
func (k Kind) SQLType() string {
	switch k {
	case KindTokens:
		return "BIGINT"
	case KindMillis:
		return "DOUBLE"
	case KindTags:
		return "JSON"
	}
	return "VARCHAR"
}

// Field describes one canonical field.
type Field struct {
	// Name is the field's JSON key and CSV column.
	Name string
	// Kind says how it is written and held.
	Kind Kind
	// Sum marks a token bucket: summed in aggregates and bounded by
	// MaxRecordTokens.
	Sum bool
	// Bucket is the pricing bucket (pricing.BucketInput, …) a billed token
	// bucket prices as, "" for the other fields. A record needs at least
	// one billed bucket; Record.Usage carries them.
	Bucket string
	// Input marks the billed buckets that count toward the total input a
	// long-context tier compares with its threshold (pricing.Usage.TotalInput).
	Input bool
	// Doc says what the field holds, in a few words.
	Doc string
}

// Fields is the canonical record's field table, indexed by FieldID: the
// one list from which the decoders, the aggregate query, the DuckDB
// engine, the renderers and the generator derive the fields they read and
// write.
var Fields = [NumFields]Field{
	FieldTS:                 {Name: "ts", Kind: KindTime, Doc: "request start"},
	FieldRequestID:          {Name: "request_id", Kind: KindString, Doc: "provider or gateway request id, the de-duplication key"},
	FieldProvider:           {Name: "provider", Kind: KindString, Doc: "provider as logged, lower case"},
	FieldModel:              {Name: "model", Kind: KindString, Doc: "model as logged"},
	FieldWorkflow:           {Name: "workflow", Kind: KindString, Doc: "workflow label"},
	FieldSource:             {Name: "source", Kind: KindString, Doc: "where the request came from"},
	FieldMode:               {Name: "mode", Kind: KindString, Doc: "delivery mode"},
	FieldUserWaiting:        {Name: "user_waiting", Kind: KindTriState, Doc: "whether a human waited for the response"},
	FieldInputTokens:        {Name: "input_tokens", Kind: KindTokens, Sum: true, Bucket: pricing.BucketInput, Input: true, Doc: "uncached input tokens"},
	FieldCacheReadTokens:    {Name: "cache_read_tokens", Kind: KindTokens, Sum: true, Bucket: pricing.BucketCacheRead, Input: true, Doc: "input tokens read from a prompt cache"},
	FieldCacheWrite5mTokens: {Name: "cache_write_5m_tokens", Kind: KindTokens, Sum: true, Bucket: pricing.BucketCacheWrite5m, Input: true, Doc: "input tokens written to a 5-minute cache"},
	FieldCacheWrite1hTokens: {Name: "cache_write_1h_tokens", Kind: KindTokens, Sum: true, Bucket: pricing.BucketCacheWrite1h, Input: true, Doc: "input tokens written to a 1-hour cache"},
	FieldOutputTokens:       {Name: "output_tokens", Kind: KindTokens, Sum: true, Bucket: pricing.BucketOutput, Doc: "output tokens, reasoning included"},
	FieldReasoningTokens:    {Name: "reasoning_tokens", Kind: KindTokens, Sum: true, Doc: "reasoning tokens, an informational part of the output"},
	FieldLatencyMS:          {Name: "latency_ms", Kind: KindMillis, Doc: "time to the last token"},
	FieldTTFTMS:             {Name: "ttft_ms", Kind: KindMillis, Doc: "time to the first token"},
	FieldStatus:             {Name: "status", Kind: KindString, Doc: "outcome: ok, error, cancelled or expired"},
	FieldMaxTokens:          {Name: "max_tokens", Kind: KindTokens, Doc: "output ceiling the request set, 0 for none"},
	FieldLoggedCostUSD:      {Name: "logged_cost_usd", Kind: KindDecimal, Doc: "cost the source logged, in USD"},
	FieldTeam:               {Name: "team", Kind: KindString, Doc: "team label"},
	FieldTags:               {Name: "tags", Kind: KindTags, Doc: "free labels"},
}

// Derived lists of Fields, in table order.
var (
	// FieldNames are the names of all the fields.
	FieldNames = names(func(Field) bool { return true })
	// TokenFields are the token buckets (Field.Sum).
	TokenFields = ids(func(f Field) bool { return f.Sum })
	// BilledFields are the billed token buckets (Field.Bucket set).
	BilledFields = ids(func(f Field) bool { return f.Bucket != "" })
	// BilledNames are the names of BilledFields.
	BilledNames = names(func(f Field) bool { return f.Bucket != "" })
)

func ids(keep func(Field) bool) []FieldID {
	var out []FieldID
	for i, f := range Fields {
		if keep(f) {
			out = append(out, FieldID(i))
		}
	}
	return out
}

func names(keep func(Field) bool) []string {
	var out []string
	for _, f := range Fields {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// String returns the field's name.
func (f FieldID) String() string { return Fields[f].Name }

// FieldByName returns the field named name, and whether there is one.
func FieldByName(name string) (FieldID, bool) {
	for i, f := range Fields {
		if f.Name == name {
			return FieldID(i), true
		}
	}
	return -1, false
}

// Count returns the Record field holding a KindTokens or KindMillis field,
// nil for a field of another kind.
func (r *Record) Count(f FieldID) *int64 {
	switch f {
	case FieldInputTokens:
		return &r.InputTokens
	case FieldCacheReadTokens:
		return &r.CacheReadTokens
	case FieldCacheWrite5mTokens:
		return &r.CacheWrite5mTokens
	case FieldCacheWrite1hTokens:
		return &r.CacheWrite1hTokens
	case FieldOutputTokens:
		return &r.OutputTokens
	case FieldReasoningTokens:
		return &r.ReasoningTokens
	case FieldLatencyMS:
		return &r.LatencyMS
	case FieldTTFTMS:
		return &r.TTFTMS
	case FieldMaxTokens:
		return &r.MaxTokens
	}
	return nil
}

// Text returns the value of a KindString or KindDecimal field, "" for a
// field of another kind.
func (r *Record) Text(f FieldID) string {
	switch f {
	case FieldRequestID:
		return r.RequestID
	case FieldProvider:
		return r.Provider
	case FieldModel:
		return r.Model
	case FieldWorkflow:
		return r.Workflow
	case FieldSource:
		return r.Source
	case FieldMode:
		return string(r.Mode)
	case FieldStatus:
		return r.Status
	case FieldLoggedCostUSD:
		return r.LoggedCostUSD
	case FieldTeam:
		return r.Team
	}
	return ""
}

// SetText sets a KindString or KindDecimal field; it does nothing for a
// field of another kind.
func (r *Record) SetText(f FieldID, s string) {
	switch f {
	case FieldRequestID:
		r.RequestID = s
	case FieldProvider:
		r.Provider = s
	case FieldModel:
		r.Model = s
	case FieldWorkflow:
		r.Workflow = s
	case FieldSource:
		r.Source = s
	case FieldMode:
		r.Mode = pricing.Mode(s)
	case FieldStatus:
		r.Status = s
	case FieldLoggedCostUSD:
		r.LoggedCostUSD = s
	case FieldTeam:
		r.Team = s
	}
}

// Has reports whether the record holds a value for f, as a writer of the
// canonical format decides whether to write it: a set timestamp, a
// non-empty text, a known tri-state, a duration of 0 or more, a positive
// max_tokens, a non-empty tag object. A token bucket always has a value
// (0 is a count).
func (r *Record) Has(f FieldID) bool {
	switch Fields[f].Kind {
	case KindTime:
		return !r.TS.IsZero()
	case KindString, KindDecimal:
		return r.Text(f) != ""
	case KindTokens:
		return Fields[f].Sum || *r.Count(f) > 0
	case KindMillis:
		return *r.Count(f) >= 0
	case KindTriState:
		return r.UserWaiting >= 0
	case KindTags:
		return len(r.Tags) > 0
	}
	return false
}

// TokenBits returns the bitwise OR of the token buckets: at least the
// largest of them, and negative when one is. One comparison of it against
// MaxRecordTokens checks every bucket at once.
func (r *Record) TokenBits() int64 {
	return r.InputTokens | r.CacheReadTokens | r.CacheWrite5mTokens | r.CacheWrite1hTokens | r.OutputTokens | r.ReasoningTokens
}

// UsageCount returns the bucket of u that the billed field f prices as,
// nil when f is not billed.
func UsageCount(u *pricing.Usage, f FieldID) *int64 {
	switch f {
	case FieldInputTokens:
		return &u.Input
	case FieldCacheReadTokens:
		return &u.CacheRead
	case FieldCacheWrite5mTokens:
		return &u.CacheWrite5m
	case FieldCacheWrite1hTokens:
		return &u.CacheWrite1h
	case FieldOutputTokens:
		return &u.Output
	}
	return nil
}
