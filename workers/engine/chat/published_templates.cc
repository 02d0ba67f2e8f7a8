#include "workers/engine/chat/published_templates.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace switchyard {
namespace {

#include "workers/engine/chat/published_templates.inc"

std::string Normalize(absl::string_view text) {
  std::string t = absl::StrReplaceAll(text, {{"\r\n", "\n"}});
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.pop_back();
  return t;
}

// Distinctive lines of each family, and of templates we recognize only to name them.
bool LooksLikeQwen3Coder(absl::string_view t) {
  return absl::StrContains(t, "<function=") && absl::StrContains(t, "<parameter=");
}
bool LooksLikeQwen3(absl::string_view t) {
  return absl::StrContains(t, "<|im_start|>") && absl::StrContains(t, "last_query_index") &&
         absl::StrContains(t, "<tool_call>");
}

absl::string_view OtherFamily(absl::string_view t) {
  struct Mark {
    absl::string_view needle, name;
  };
  static constexpr Mark kMarks[] = {
      {"<|start_header_id|>", "Llama 3"},
      {"[INST]", "Mistral / Llama 2"},
      {"<start_of_turn>", "Gemma"},
      {"<\xef\xbd\x9c" "User\xef\xbd\x9c>", "DeepSeek"},
      {"<|channel|>", "GPT-OSS (harmony)"},
      {"You are Qwen, created by Alibaba Cloud", "Qwen2.5"},
      {"<|im_start|>", "ChatML"},
  };
  for (const Mark& m : kMarks) {
    if (absl::StrContains(t, m.needle)) return m.name;
  }
  return "";
}

// "line 41: '...' where Qwen3-Coder (...) has '...'", for the closest published text.
std::string FirstDifference(absl::string_view text, const PublishedTemplate& ref) {
  const std::vector<absl::string_view> a = absl::StrSplit(text, '\n');
  const std::vector<absl::string_view> b = absl::StrSplit(ref.text, '\n');
  auto cut = [](absl::string_view s) {
    s = absl::StripLeadingAsciiWhitespace(s);
    return s.size() > 90 ? absl::StrCat(s.substr(0, 90), "...") : std::string(s);
  };
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const absl::string_view x = i < a.size() ? a[i] : "(end)";
    const absl::string_view y = i < b.size() ? b[i] : "(end)";
    if (x != y) return absl::StrCat("line ", i + 1, " is '", cut(x), "' where ", ref.name, " has '", cut(y), "'");
  }
  return "no line differs";
}

std::string Supported() {
  std::vector<std::string> names;
  for (const PublishedTemplate& p : PublishedTemplates()) names.push_back(std::string(p.name));
  return absl::StrCat("supported: ", absl::StrJoin(names, ", "));
}

// Number of lines of `text` that also occur in `ref` (a cheap closeness measure).
size_t SharedLines(absl::string_view text, absl::string_view ref) {
  size_t n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && absl::StrContains(ref, line)) ++n;
  }
  return n;
}

}  // namespace

absl::Span<const PublishedTemplate> PublishedTemplates() {
  static constexpr PublishedTemplate kAll[] = {
      {ChatTemplateFamily::kQwen3, "Qwen3", "Qwen3-0.6B ... Qwen3-235B-A22B and their -Base/-FP8 forms", kQwen3Text},
      {ChatTemplateFamily::kQwen3Thinking2507, "Qwen3 Thinking-2507",
       "Qwen3-4B-Thinking-2507, Qwen3-30B-A3B-Thinking-2507, Qwen3-235B-A22B-Thinking-2507", kQwen3Thinking2507Text},
      {ChatTemplateFamily::kQwen3Instruct2507, "Qwen3 Instruct-2507",
       "Qwen3-4B-Instruct-2507, Qwen3-30B-A3B-Instruct-2507, Qwen3-235B-A22B-Instruct-2507", kQwen3Instruct2507Text},
      {ChatTemplateFamily::kQwen3Coder, "Qwen3-Coder (30B-A3B-Instruct)", "Qwen3-Coder-30B-A3B-Instruct", kQwen3CoderText},
  };
  return kAll;
}

const PublishedTemplate& PublishedTemplateOf(ChatTemplateFamily family) {
  for (const PublishedTemplate& p : PublishedTemplates()) {
    if (p.family == family) return p;
  }
  return PublishedTemplates().front();
}

absl::StatusOr<ChatTemplateFamily> RecognizeChatTemplate(absl::string_view text) {
  if (text.empty()) {
    return absl::FailedPreconditionError(
        "the model has no chat template (tokenizer_config.json has no chat_template and there is no chat_template.jinja)");
  }
  const std::string t = Normalize(text);
  for (const PublishedTemplate& p : PublishedTemplates()) {
    if (t == Normalize(p.text)) return p.family;
  }
  if (LooksLikeQwen3Coder(t) || LooksLikeQwen3(t)) {
    const bool coder = LooksLikeQwen3Coder(t);
    const PublishedTemplate* closest = nullptr;
    size_t best = 0;
    for (const PublishedTemplate& p : PublishedTemplates()) {
      if ((p.family == ChatTemplateFamily::kQwen3Coder) != coder) continue;
      const size_t shared = SharedLines(t, p.text);
      if (closest == nullptr || shared > best) {
        closest = &p;
        best = shared;
      }
    }
    return absl::UnimplementedError(absl::StrCat(
        "the chat template looks like ", coder ? "Qwen3-Coder's (XML <function=...><parameter=...> tool calls)" : "a Qwen3 template",
        " but is not a published text this engine reproduces byte for byte (", FirstDifference(t, *closest),
        "); an edited or newer revision of the template would give the model a different prompt than Jinja does; ",
        Supported()));
  }
  const absl::string_view other = OtherFamily(t);
  return absl::UnimplementedError(absl::StrCat(
      "unrecognized chat template (", other.empty() ? "" : absl::StrCat("it looks like ", other, "'s; "), t.size(),
      " bytes); this engine renders Qwen3 templates natively; ", Supported()));
}

}  // namespace switchyard
