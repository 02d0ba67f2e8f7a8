#include "workers/engine/cli/generate_input.h"

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/chat_template.h"

namespace switchyard::cli {

absl::StatusOr<std::vector<int32_t>> BuildPromptTokens(const CommandLine& args, const LoadedModel& model, const Tokenizer& tok) {
  if (!args.Has("messages") && !args.Has("chat")) {
    return tok.Encode(args.GetOr("prompt", ""), {.parse_special = !args.Has("plain-text")});
  }
  std::vector<ChatMessage> messages;
  if (auto path = args.Get("messages")) {
    auto text = ReadFile(*path);
    if (!text.ok()) return text.status();
    auto parsed = ParseChatMessages(*text, *path);
    if (!parsed.ok()) return parsed.status();
    messages = std::move(*parsed);
  } else {
    ChatMessage user;
    user.role = "user";
    user.content = args.GetOr("prompt", "");
    messages.push_back(std::move(user));
  }
  auto tmpl = ChatTemplate::Create(model.tokenizer_config().chat_template);
  if (!tmpl.ok()) return tmpl.status();
  RenderOptions options;
  if (auto v = args.Get("enable-thinking")) {
    if (*v != "true" && *v != "false") {
      return absl::InvalidArgumentError(absl::StrCat("--enable-thinking: '", *v, "' (use true or false)"));
    }
    options.enable_thinking = *v == "true";
  }
  auto prompt = tmpl->Render(messages, {}, options);
  if (!prompt.ok()) return prompt.status();
  // Special-token literals count only where the template wrote them.
  return tok.Encode(prompt->text, {.parse_special = true, .special_spans = &prompt->template_spans});
}

}  // namespace switchyard::cli
