package decode

import (
	"encoding/json"
	"strings"

	"github.com/costaudit/costaudit/audit/record"
	"github.com/costaudit/costaudit/pricing"
)

// FormatBedrock is Amazon Bedrock model invocation logs and Converse
// responses.
const FormatBedrock = "bedrock"

var bedrockFormat = &Format{Name: FormatBedrock, Detect: detectBedrock, New: newBedrockDecoder}

// detectBedrock recognizes an invocation log's schemaType (rank 20), a
// metadata object holding inputTokens (rank 140), or a Converse usage
// object (rank 170).
func detectBedrock(p *probe) int {
	switch {
	case p.str("schemaType") == "ModelInvocationLog":
		return 20
	case p.innerContains("metadata", `"inputTokens"`):
		return 140
	case p.innerContains("usage", `"inputTokens"`):
		return 170
	}
	return 0
}

// Amazon Bedrock: model invocation logs (the records Bedrock writes to
// CloudWatch Logs and S3, docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html)
// and logged Converse / ConverseStream responses
// (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html),
// bare or in the metadata wrapper (wrapper.go).

// bedrockLog is one model invocation log record.
type bedrockLog struct {
	SchemaType string          `json:"schemaType"`
	Timestamp  json.RawMessage `json:"timestamp"`
	RequestID  string          `json:"requestId"`
	Operation  string          `json:"operation"`
	ModelID    string          `json:"modelId"`
	Region     string          `json:"region"`
	ErrorCode  string          `json:"errorCode"`
	Identity   *struct {
		ARN string `json:"arn"`
	} `json:"identity"`
	Input *struct {
		InputTokenCount json.RawMessage `json:"inputTokenCount"`
		CacheRead       json.RawMessage `json:"cacheReadInputTokenCount"`
		CacheWrite      json.RawMessage `json:"cacheWriteInputTokenCount"`
	} `json:"input"`
	Output *struct {
		OutputTokenCount json.RawMessage `json:"outputTokenCount"`
	} `json:"output"`
}

// bedrockUsage is the TokenUsage of a Converse response or of a
// ConverseStream metadata event.
type bedrockUsage struct {
	InputTokens           json.RawMessage `json:"inputTokens"`
	OutputTokens          json.RawMessage `json:"outputTokens"`
	CacheReadInputTokens  json.RawMessage `json:"cacheReadInputTokens"`
	CacheWriteInputTokens json.RawMessage `json:"cacheWriteInputTokens"`
}

// bedrockConverse is a Converse response or a ConverseStream event.
type bedrockConverse struct {
	Usage   *bedrockUsage `json:"usage"`
	Metrics *struct {
		LatencyMS json.RawMessage `json:"latencyMs"`
	} `json:"metrics"`
	// Metadata is the last event of a ConverseStream.
	Metadata *struct {
		Usage   *bedrockUsage `json:"usage"`
		Metrics *struct {
			LatencyMS json.RawMessage `json:"latencyMs"`
		} `json:"metrics"`
	} `json:"metadata"`
	StopReason       string `json:"stopReason"`
	ResponseMetadata *struct {
		RequestID string `json:"RequestId"`
	} `json:"ResponseMetadata"`
}

// bedrockDecoder reads Bedrock invocation logs and Converse responses.
type bedrockDecoder struct{ env envelope }

func newBedrockDecoder() Decoder { return &bedrockDecoder{} }

func (d *bedrockDecoder) Decode(w *State, item []byte) {
	if !parseEnvelope(w, item, &d.env) {
		return
	}
	if !d.env.wrapped {
		if v, ok := lookupKey(item, "schemaType"); ok {
			if s, _ := unquote(v); string(s) == "ModelInvocationLog" {
				d.invocationLog(w, item)
				return
			}
		}
	}
	var c bedrockConverse
	if err := unmarshalFast(d.env.body, &c); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	r := w.newRecord()
	r.Provider = "bedrock"
	r.TS = w.file.ModTime
	if !d.env.wrapped {
		r.Workflow = w.intern.get([]byte(w.file.Stem))
	}
	u, metrics, prefix := c.Usage, c.Metrics, "usage."
	if u == nil && c.Metadata != nil {
		u, metrics, prefix = c.Metadata.Usage, c.Metadata.Metrics, "metadata.usage."
		r.Mode = pricing.ModeStream
	}
	if u == nil {
		if c.StopReason == "" && c.Metadata == nil {
			// Other ConverseStream events (messageStart,
			// contentBlockDelta, messageStop, ...) hold no usage.
			w.skip()
			return
		}
		w.reject("usage", nil, record.ReasonMissing("usage"), "the response has no usage object")
		return
	}
	if c.ResponseMetadata != nil {
		r.RequestID = c.ResponseMetadata.RequestID
	}
	ok := true
	r.InputTokens = count(w, prefix+"inputTokens", u.InputTokens, &ok)
	r.OutputTokens = count(w, prefix+"outputTokens", u.OutputTokens, &ok)
	r.CacheReadTokens = count(w, prefix+"cacheReadInputTokens", u.CacheReadInputTokens, &ok)
	r.CacheWrite5mTokens = count(w, prefix+"cacheWriteInputTokens", u.CacheWriteInputTokens, &ok)
	if !ok {
		return
	}
	if metrics != nil {
		if n, res := ParseCount(metrics.LatencyMS); res == CountOK {
			r.LatencyMS = n
		}
	}
	if !d.env.apply(w, r) {
		return
	}
	if r.Model == "" {
		w.reject("model", nil, record.ReasonMissing("model"), "a Converse response does not name its model: log it beside the response (wrapper \"model\")")
		return
	}
	r.Model = w.intern.get([]byte(bedrockModel(r.Model)))
	if finishVendor(w, item, r) {
		w.emit(r)
	}
}

// invocationLog reads one model invocation log record.
//
// Rule: input.inputTokenCount counts the uncached input only; the cache
// reads (cacheReadInputTokenCount) and writes (cacheWriteInputTokenCount)
// are counted beside it, as in the Converse TokenUsage, whose totalTokens
// is their sum with the output
// (docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
// Cache writes have the default 5-minute TTL. A record with an errorCode
// failed and is not billed. The workflow is the caller's IAM user or role
// name from identity.arn; the region is kept as a tag.
func (d *bedrockDecoder) invocationLog(w *State, item []byte) {
	var l bedrockLog
	if err := unmarshalFast(item, &l); err != nil {
		w.reject("", firstBytes(item), record.ReasonInvalidJSON, err.Error())
		return
	}
	r := w.newRecord()
	r.Provider = "bedrock"
	r.RequestID = l.RequestID
	r.Model = w.intern.get([]byte(bedrockModel(l.ModelID)))
	ts, ok := requiredTimestamp(w, "timestamp", l.Timestamp)
	if !ok {
		return
	}
	r.TS = ts
	if strings.HasSuffix(l.Operation, "Stream") {
		r.Mode = pricing.ModeStream
	}
	if l.ErrorCode != "" {
		r.Status = record.StatusError
	}
	okc := true
	if l.Input != nil {
		r.InputTokens = count(w, "input.inputTokenCount", l.Input.InputTokenCount, &okc)
		r.CacheReadTokens = count(w, "input.cacheReadInputTokenCount", l.Input.CacheRead, &okc)
		r.CacheWrite5mTokens = count(w, "input.cacheWriteInputTokenCount", l.Input.CacheWrite, &okc)
	}
	if l.Output != nil {
		r.OutputTokens = count(w, "output.outputTokenCount", l.Output.OutputTokenCount, &okc)
	}
	if !okc {
		return
	}
	if r.Model == "" {
		w.reject("modelId", nil, record.ReasonMissing("modelId"), "")
		return
	}
	if l.Identity != nil {
		r.Workflow = w.intern.get([]byte(iamPrincipal(l.Identity.ARN)))
	}
	if l.Region != "" {
		r.Tags = w.tagMap()
		r.Tags["region"] = w.intern.get([]byte(l.Region))
	}
	if key := w.workflowKey; key != "" {
		r.Workflow = workflowFromPath(w, item, key)
	}
	w.emit(r)
}

// bedrockModel returns the model id of a Bedrock modelId: an ARN
// (arn:aws:bedrock:us-east-1:…:inference-profile/us.anthropic.claude-…)
// gives the id after its last '/'; a model id is kept as logged (the
// price books resolve regional inference profiles such as "us.").
func bedrockModel(id string) string {
	if strings.HasPrefix(id, "arn:") {
		if i := strings.LastIndexByte(id, '/'); i >= 0 {
			return id[i+1:]
		}
	}
	return id
}

// iamPrincipal returns the user or role name of an IAM or STS ARN:
// "arn:aws:iam::1:user/dheeraj" → "dheeraj",
// "arn:aws:sts::1:assumed-role/Batch/session" → "Batch".
func iamPrincipal(arn string) string {
	_, res, ok := strings.Cut(arn, ":user/")
	if ok {
		return res[strings.LastIndexByte(res, '/')+1:]
	}
	if _, res, ok = strings.Cut(arn, ":assumed-role/"); ok {
		role, _, _ := strings.Cut(res, "/")
		return role
	}
	if _, res, ok = strings.Cut(arn, ":role/"); ok {
		return res[strings.LastIndexByte(res, '/')+1:]
	}
	return arn
}
