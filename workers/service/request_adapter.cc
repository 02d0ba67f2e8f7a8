#include "workers/service/request_adapter.h"

#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/output_parser.h"

namespace switchyard {
namespace {

// Reasoning, text and tool-call events from the model's text, through the output parser.
// Without tool calls (tool_choice NONE) a call the parser read is given back as the text it
// came from, as vLLM leaves it in the content when no tool parser runs. The parser keeps only
// the call's parsed form, so the text is rebuilt in the template's form (the name and compact
// arguments; the '\n's around the call are lost): the model was shown no tools, so this is rare.
class ParsedOutput final : public OutputEvents {
 public:
  ParsedOutput(const OutputParserOptions& options, bool tool_calls) : parser_(options), tool_calls_(tool_calls) {}
  std::vector<v1::GenerateEvent> Push(const std::string& text) override { return Convert(parser_.Push(text), false); }
  std::vector<v1::GenerateEvent> Finish() override { return Convert(parser_.Finish(), true); }
  bool saw_tool_calls() const override { return saw_calls_; }

 private:
  static std::string CallText(const OutputEvent& e, bool finishing) {
    if (e.kind == OutputEvent::Kind::kToolCall) {
      return absl::StrCat("<tool_call>\n{\"name\": ", nlohmann::json(e.name).dump(), ", \"arguments\": ", e.arguments,
                          "}\n</tool_call>");
    }
    // Finish() reports only a call the answer ended inside: it had no closing tag.
    return absl::StrCat("<tool_call>\n", e.text, finishing ? "" : "\n</tool_call>");
  }

  std::vector<v1::GenerateEvent> Convert(const std::vector<OutputEvent>& events, bool finishing) {
    std::vector<v1::GenerateEvent> out;
    for (const OutputEvent& e : events) {
      v1::GenerateEvent g;
      const bool call = e.kind == OutputEvent::Kind::kToolCall || e.kind == OutputEvent::Kind::kToolCallError;
      if (call && !tool_calls_) {
        g.set_text_delta(CallText(e, finishing));
        out.push_back(std::move(g));
        continue;
      }
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
  bool tool_calls_;
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

bool ForcesCall(const v1::ToolChoice& c) {
  return c.mode() == v1::ToolChoice::REQUIRED || c.mode() == v1::ToolChoice::FUNCTION;
}

// The request's sampling fields over the model's defaults (generation_config.json).
absl::Status ApplySampling(const v1::SamplingParams& s, SamplingParams* out) {
  if (s.has_temperature()) out->temperature = s.temperature();
  if (s.has_top_p()) out->top_p = s.top_p();
  if (s.has_top_k()) out->top_k = s.top_k();
  if (s.has_min_p()) out->min_p = s.min_p();
  if (s.has_repetition_penalty()) out->repetition_penalty = s.repetition_penalty();
  if (s.has_presence_penalty()) out->presence_penalty = s.presence_penalty();
  if (s.has_frequency_penalty()) out->frequency_penalty = s.frequency_penalty();
  if (s.has_seed()) out->seed = s.seed();
  if (s.has_max_tokens()) out->max_tokens = s.max_tokens();
  for (const std::string& stop : s.stop()) out->stop_strings.push_back(stop);
  if (absl::Status st = out->Validate(); !st.ok()) return absl::InvalidArgumentError(absl::StrCat("sampling: ", st.message()));
  return absl::OkStatus();
}

// One prompt source, known enum values, and no forced tool call without messages.
absl::Status CheckRequestShape(const v1::GenerateRequest& r) {
  const int sources = (r.messages_size() > 0) + !r.prompt().empty() + (r.prompt_token_ids_size() > 0);
  if (sources != 1) {
    return absl::InvalidArgumentError("give exactly one of messages, prompt and prompt_token_ids");
  }
  const v1::ToolChoice& choice = r.tool_choice();
  if (!v1::ToolChoice::Mode_IsValid(choice.mode())) {
    return absl::InvalidArgumentError(absl::StrCat("tool_choice.mode: unknown value ", choice.mode()));
  }
  if (!v1::ResponseFormat::Type_IsValid(r.response_format().type())) {
    return absl::InvalidArgumentError(absl::StrCat("response_format.type: unknown value ", r.response_format().type()));
  }
  if (r.messages_size() == 0 && ForcesCall(choice)) {
    // Only the chat template shows the model its tools, and only chat answers are parsed.
    return absl::InvalidArgumentError(absl::StrCat("tool_choice: ", v1::ToolChoice::Mode_Name(choice.mode()),
                                                   " needs messages (a raw prompt shows the model no tools)"));
  }
  return absl::OkStatus();
}

// The request's messages as the chat template reads them.
absl::StatusOr<std::vector<ChatMessage>> ToChatMessages(const v1::GenerateRequest& r) {
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
  return messages;
}

// The request's tools as the chat template shows them.
absl::StatusOr<std::vector<ChatTool>> ToChatTools(const v1::GenerateRequest& r) {
  std::vector<ChatTool> tools;
  for (int i = 0; i < r.tools_size(); ++i) {
    const v1::Tool& t = r.tools(i);
    if (t.name().empty()) return absl::InvalidArgumentError(absl::StrCat("tools[", i, "].name: empty"));
    auto tool = MakeChatTool(t.name(), t.description(), t.parameters_json_schema());
    if (!tool.ok()) return absl::InvalidArgumentError(absl::StrCat("tools[", i, "].parameters_json_schema: ", tool.status().message()));
    tools.push_back(std::move(*tool));
  }
  return tools;
}

}  // namespace

RequestAdapter::RequestAdapter(const LoadedModel& model, const Tokenizer& tokenizer)
    : model_(model),
      tokenizer_(tokenizer),
      defaults_(SamplingParams::FromGenerationConfig(model.generation_config())),
      grammars_(std::make_unique<GrammarCache>(&tokenizer, model.config().vocab_size)) {
  // Qwen3's </think> is one added token; a "</think>" spelled in pieces would never be seen.
  if (auto id = tokenizer.TokenId("</think>"); id && tokenizer.IsAdded(*id)) think_end_ = *id;
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
  if (absl::Status st = ApplySampling(r.sampling(), &p.sampling); !st.ok()) return st;
  if (absl::Status st = CheckRequestShape(r); !st.ok()) return st;
  bool reasons_first = false;
  if (r.prompt_token_ids_size() > 0) {
    p.prompt.assign(r.prompt_token_ids().begin(), r.prompt_token_ids().end());
  } else if (!r.prompt().empty()) {
    auto ids = tokenizer_.Encode(r.prompt());
    if (!ids.ok()) return absl::InvalidArgumentError(absl::StrCat("prompt: ", ids.status().message()));
    p.prompt = std::move(*ids);
  } else {
    auto chat = PrepareChat(r, &p);
    if (!chat.ok()) return chat.status();
    reasons_first = *chat;
  }
  if (absl::Status st = Constrain(r, reasons_first, &p); !st.ok()) return st;
  return p;
}

absl::StatusOr<bool> RequestAdapter::PrepareChat(const v1::GenerateRequest& r, PreparedRequest* p) const {
  if (!template_) {
    return absl::FailedPreconditionError(absl::StrCat("this model's chat template cannot be used: ", template_error_.message()));
  }
  auto messages = ToChatMessages(r);
  if (!messages.ok()) return messages.status();
  auto tools = ToChatTools(r);
  if (!tools.ok()) return tools.status();
  // tool_choice NONE: the model is not shown the tools (vLLM's rule), and calls are not read.
  if (r.tool_choice().mode() == v1::ToolChoice::NONE) {
    tools->clear();
    p->parse_tool_calls = false;
  }
  RenderOptions options;
  if (r.has_enable_thinking()) options.enable_thinking = r.enable_thinking();
  auto rendered = template_->Render(*messages, *tools, options);
  if (!rendered.ok()) return rendered.status();
  auto ids = tokenizer_.Encode(rendered->text, {.parse_special = true, .special_spans = &rendered->template_spans});
  if (!ids.ok()) return absl::InvalidArgumentError(absl::StrCat("messages: ", ids.status().message()));
  p->prompt = std::move(*ids);
  p->starts_in_reasoning = rendered->opens_reasoning;
  p->tools = *std::move(tools);
  p->chat = true;
  // Hybrid Qwen3 opens <think> itself (the prompt does not) unless thinking is switched off.
  return rendered->opens_reasoning ||
         (template_->family() == ChatTemplate::Family::kQwen3 && options.enable_thinking.value_or(true));
}

absl::Status RequestAdapter::Constrain(const v1::GenerateRequest& r, bool reasons_first, PreparedRequest* p) const {
  const v1::ToolChoice& choice = r.tool_choice();
  const v1::ResponseFormat& format = r.response_format();
  const std::string mode = v1::ToolChoice::Mode_Name(choice.mode());
  absl::StatusOr<std::shared_ptr<const CompiledGrammar>> grammar = std::shared_ptr<const CompiledGrammar>();
  if (ForcesCall(choice)) {
    if (format.type() != v1::ResponseFormat::TEXT) {
      return absl::InvalidArgumentError(absl::StrCat("tool_choice: ", mode, " cannot be combined with response_format ",
                                                     v1::ResponseFormat::Type_Name(format.type()),
                                                     " (the answer would be a tool call, not JSON)"));
    }
    if (r.tools_size() == 0) return absl::InvalidArgumentError(absl::StrCat("tool_choice: ", mode, " needs at least one tool in tools"));
    const bool one = choice.mode() == v1::ToolChoice::FUNCTION;
    if (one && choice.function_name().empty()) {
      return absl::InvalidArgumentError("tool_choice.function_name: empty (FUNCTION names the tool to call)");
    }
    std::vector<ToolSchema> tools;
    int index = 0;  // FUNCTION: the tool's place in the request, for the compiler's messages
    for (int i = 0; i < r.tools_size(); ++i) {
      if (one && r.tools(i).name() != choice.function_name()) continue;
      tools.push_back(ToolSchema{r.tools(i).name(), r.tools(i).parameters_json_schema()});
      index = i;
      if (one) break;
    }
    if (tools.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tool_choice.function_name: no tool named \"", choice.function_name(), "\" in tools"));
    }
    grammar = grammars_->ForToolCalls(tools);
    // The compiler numbers the tools it was given; FUNCTION gave it one.
    constexpr absl::string_view kFirst = "tools[0]";
    if (!grammar.ok() && one && absl::StartsWith(grammar.status().message(), kFirst)) {
      return absl::InvalidArgumentError(
          absl::StrCat("tools[", index, "]", grammar.status().message().substr(kFirst.size())));
    }
  } else if (format.type() == v1::ResponseFormat::JSON_SCHEMA) {
    if (format.json_schema().empty()) return absl::InvalidArgumentError("response_format.json_schema: empty (JSON_SCHEMA needs the schema)");
    grammar = grammars_->ForJsonSchema(format.json_schema(), "response_format.json_schema");
  } else if (format.type() == v1::ResponseFormat::JSON_OBJECT) {
    grammar = grammars_->ForAnyJsonObject();
  }
  if (!grammar.ok()) return grammar.status();  // InvalidArgument, naming the schema's field
  p->sampling.grammar = std::move(*grammar);
  // Without a </think> token the grammar cannot wait for one: it then holds from the start.
  p->sampling.grammar_starts_after_token = p->sampling.grammar && reasons_first ? think_end_ : -1;
  return absl::OkStatus();
}

std::unique_ptr<OutputEvents> RequestAdapter::NewOutput(const PreparedRequest& prepared) const {
  if (prepared.chat) {
    return std::make_unique<ParsedOutput>(
        OutputParserOptions{.starts_in_reasoning = prepared.starts_in_reasoning, .tools = prepared.tools},
        prepared.parse_tool_calls);
  }
  return std::make_unique<PlainText>();
}

}  // namespace switchyard
