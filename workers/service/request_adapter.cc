#include "workers/service/request_adapter.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/output_parser.h"

namespace switchyard {
namespace {

// Reasoning, text and tool-call events from the model's text, through the output parser.
class ParsedOutput final : public OutputEvents {
 public:
  explicit ParsedOutput(const OutputParserOptions& options) : parser_(options) {}
  std::vector<v1::GenerateEvent> Push(const std::string& text) override { return Convert(parser_.Push(text)); }
  std::vector<v1::GenerateEvent> Finish() override { return Convert(parser_.Finish()); }
  bool saw_tool_calls() const override { return saw_calls_; }

 private:
  std::vector<v1::GenerateEvent> Convert(const std::vector<OutputEvent>& events) {
    std::vector<v1::GenerateEvent> out;
    for (const OutputEvent& e : events) {
      v1::GenerateEvent g;
      switch (e.kind) {
        case OutputEvent::Kind::kReasoning: g.set_reasoning_delta(e.text); break;
        case OutputEvent::Kind::kText: g.set_text_delta(e.text); break;
        case OutputEvent::Kind::kToolCall: {
          saw_calls_ = true;
          v1::ToolCall* c = g.mutable_tool_call();
          c->set_id(absl::StrFormat("call_%d_%08x", e.index, static_cast<uint32_t>(rng_())));
          c->set_name(e.name);
          c->set_arguments_json(e.arguments);
          break;
        }
        case OutputEvent::Kind::kToolCallError: {
          v1::ToolCallError* x = g.mutable_tool_call_error();
          x->set_index(e.index);
          x->set_raw(e.text);
          x->set_reason(e.error);
          break;
        }
      }
      out.push_back(std::move(g));
    }
    return out;
  }
  OutputParser parser_;
  bool saw_calls_ = false;
  std::mt19937 rng_{std::random_device{}()};
};

// Raw prompts: every byte of the answer is text.
class PlainText final : public OutputEvents {
 public:
  std::vector<v1::GenerateEvent> Push(const std::string& text) override {
    if (text.empty()) return {};
    v1::GenerateEvent e;
    e.set_text_delta(text);
    return {e};
  }
  std::vector<v1::GenerateEvent> Finish() override { return {}; }
};

const char* RoleName(v1::ChatMessage::Role r) {
  switch (r) {
    case v1::ChatMessage::SYSTEM: return "system";
    case v1::ChatMessage::USER: return "user";
    case v1::ChatMessage::ASSISTANT: return "assistant";
    case v1::ChatMessage::TOOL: return "tool";
    default: return nullptr;
  }
}

}  // namespace

RequestAdapter::RequestAdapter(const LoadedModel& model, const Tokenizer& tokenizer)
    : model_(model), tokenizer_(tokenizer), defaults_(SamplingParams::FromGenerationConfig(model.generation_config())) {
  auto t = ChatTemplate::Create(model.tokenizer_config().chat_template);
  if (t.ok()) {
    template_.emplace(std::move(*t));
  } else {
    template_error_ = t.status();
  }
}

absl::StatusOr<PreparedRequest> RequestAdapter::Build(const v1::GenerateRequest& r) const {
  PreparedRequest p;
  p.sampling = defaults_;
  const v1::SamplingParams& s = r.sampling();
  if (s.has_temperature()) p.sampling.temperature = s.temperature();
  if (s.has_top_p()) p.sampling.top_p = s.top_p();
  if (s.has_top_k()) p.sampling.top_k = s.top_k();
  if (s.has_min_p()) p.sampling.min_p = s.min_p();
  if (s.has_repetition_penalty()) p.sampling.repetition_penalty = s.repetition_penalty();
  if (s.has_presence_penalty()) p.sampling.presence_penalty = s.presence_penalty();
  if (s.has_frequency_penalty()) p.sampling.frequency_penalty = s.frequency_penalty();
  if (s.has_seed()) p.sampling.seed = s.seed();
  if (s.has_max_tokens()) p.sampling.max_tokens = s.max_tokens();
  for (const std::string& stop : s.stop()) p.sampling.stop_strings.push_back(stop);
  if (absl::Status st = p.sampling.Validate(); !st.ok()) return absl::InvalidArgumentError(absl::StrCat("sampling: ", st.message()));

  const int sources = (r.messages_size() > 0) + !r.prompt().empty() + (r.prompt_token_ids_size() > 0);
  if (sources != 1) {
    return absl::InvalidArgumentError("give exactly one of messages, prompt and prompt_token_ids");
  }
  if (r.prompt_token_ids_size() > 0) {
    p.prompt.assign(r.prompt_token_ids().begin(), r.prompt_token_ids().end());
    return p;
  }
  if (!r.prompt().empty()) {
    auto ids = tokenizer_.Encode(r.prompt());
    if (!ids.ok()) return absl::InvalidArgumentError(absl::StrCat("prompt: ", ids.status().message()));
    p.prompt = std::move(*ids);
    return p;
  }
  if (!template_) {
    return absl::FailedPreconditionError(absl::StrCat("this model's chat template cannot be used: ", template_error_.message()));
  }
  std::vector<ChatMessage> messages;
  for (int i = 0; i < r.messages_size(); ++i) {
    const v1::ChatMessage& m = r.messages(i);
    const char* role = RoleName(m.role());
    if (role == nullptr) return absl::InvalidArgumentError(absl::StrCat("messages[", i, "].role: unspecified"));
    ChatMessage msg;
    msg.role = role;
    msg.content = m.content();
    if (!m.reasoning_content().empty()) msg.reasoning_content = m.reasoning_content();
    msg.tool_call_id = m.tool_call_id();
    msg.name = m.name();
    for (int c = 0; c < m.tool_calls_size(); ++c) {
      const v1::ToolCall& tc = m.tool_calls(c);
      if (tc.name().empty()) return absl::InvalidArgumentError(absl::StrCat("messages[", i, "].tool_calls[", c, "].name: empty"));
      // OpenAI clients send arguments as JSON text; the template prints such strings verbatim.
      msg.tool_calls.push_back(ChatToolCall{tc.id(), tc.name(), tc.arguments_json().empty() ? "{}" : tc.arguments_json()});
    }
    messages.push_back(std::move(msg));
  }
  std::vector<ChatTool> tools;
  for (int i = 0; i < r.tools_size(); ++i) {
    const v1::Tool& t = r.tools(i);
    if (t.name().empty()) return absl::InvalidArgumentError(absl::StrCat("tools[", i, "].name: empty"));
    auto tool = MakeChatTool(t.name(), t.description(), t.parameters_json_schema());
    if (!tool.ok()) return absl::InvalidArgumentError(absl::StrCat("tools[", i, "].parameters_json_schema: ", tool.status().message()));
    tools.push_back(std::move(*tool));
  }
  RenderOptions options;
  if (r.has_enable_thinking()) options.enable_thinking = r.enable_thinking();
  auto rendered = template_->Render(messages, tools, options);
  if (!rendered.ok()) return rendered.status();
  auto ids = tokenizer_.Encode(rendered->text, {.parse_special = true, .special_spans = &rendered->template_spans});
  if (!ids.ok()) return absl::InvalidArgumentError(absl::StrCat("messages: ", ids.status().message()));
  p.prompt = std::move(*ids);
  p.starts_in_reasoning = rendered->opens_reasoning;
  p.tools = std::move(tools);
  p.chat = true;
  return p;
}

std::unique_ptr<OutputEvents> RequestAdapter::NewOutput(const PreparedRequest& prepared) const {
  if (prepared.chat) {
    return std::make_unique<ParsedOutput>(
        OutputParserOptions{.starts_in_reasoning = prepared.starts_in_reasoning, .tools = prepared.tools});
  }
  return std::make_unique<PlainText>();
}

}  // namespace switchyard
