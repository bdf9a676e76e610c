package decode

import "testing"

func TestOTelProviderNames(t *testing.T) {
	for in, want := range map[string]string{
		"openai": "openai", "openai.chat": "openai", "openai.responses": "openai", "anthropic.messages": "anthropic",
		"google.generative-ai": "google", "google.vertex.chat": "vertex", "gcp.vertex_ai": "vertex", "gcp.gemini": "google",
		"amazon-bedrock": "bedrock", "aws.bedrock": "bedrock", "azure.ai.openai": "azure", "azure-openai.chat": "azure",
		"mistral_ai": "mistral", "mistral.chat": "mistral", "x_ai": "xai", "xai.chat": "xai", "deepseek.chat": "deepseek", "Anthropic": "anthropic",
	} {
		if got := otelProvider(in); got != want {
			t.Errorf("otelProvider(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenAICompatProvider(t *testing.T) {
	for in, want := range map[string]string{
		"gpt-4.1": "openai", "o3-mini": "openai", "deepseek-chat": "deepseek", "anthropic/claude-sonnet-4.5": "anthropic",
		"google/gemini-2.5-pro": "google", "x-ai/grok-4": "xai", "mistralai/mistral-large": "mistral", "grok-4": "xai",
		"claude-haiku-4-5": "anthropic", "gemini-2.5-flash": "google", "codestral-latest": "mistral",
		"meta-llama/llama-3.3-70b": "", "some-org/finetune": "", "llama-3.1-8b": "",
	} {
		if got := openaiCompatProvider(in); got != want {
			t.Errorf("openaiCompatProvider(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCustomIDPrefix(t *testing.T) {
	for id, want := range map[string]string{
		"request-2": "request", "doc-42": "doc", "ticket000123": "ticket", "nightly_digest:17": "nightly_digest",
		"550e8400-e29b-41d4-a716-446655440000": "", "abc": "", "42": "", "my-first-request": "my-first",
	} {
		got, _ := customIDPrefix(id)
		if got != want {
			t.Errorf("customIDPrefix(%q) = %q, want %q", id, got, want)
		}
	}
}
