// switchyard-template: renders a conversation with the model's chat template and prints the
// prompt's bytes to stdout, nothing else, so it can be diffed against a Jinja rendering.
//
//   switchyard-template --model DIR --messages FILE.json [--tools FILE.json]
//                       [--enable-thinking true|false] [--no-generation-prompt]
//
// DIR is a model folder as Hugging Face publishes it (tokenizer_config.json, or
// chat_template.jinja). Exit codes: 0 printed; 2 wrong command line; 1 anything else (files
// that cannot be read or are not valid messages / tools, a template this engine does not
// render, a conversation the template cannot express). Errors go to stderr, never stdout.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "workers/engine/chat/chat_messages.h"
#include "workers/engine/chat/chat_template.h"
#include "workers/engine/model/tokenizer_config.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard-template";
constexpr char kUsage[] =
    "usage: switchyard-template --model DIR --messages FILE.json [--tools FILE.json]\n"
    "         [--enable-thinking true|false] [--no-generation-prompt]\n"
    "Prints the prompt the model's chat template makes of the messages (OpenAI JSON: role,\n"
    "content, reasoning_content, tool_calls, tool_call_id) and tools, byte for byte.\n"
    "Templates rendered: Qwen3, Qwen3 Thinking-2507 and Instruct-2507, Qwen3-Coder.\n";

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s: %s\n", kTool, std::string(s.message()).c_str());
  return 1;
}

int Run(int argc, char** argv) {
  CommandLine args({"model", "messages", "tools", "enable-thinking"}, {"no-generation-prompt", "help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto dir = args.Required("model");
  auto messages_path = args.Required("messages");
  for (const absl::Status& s : {dir.status(), messages_path.status()}) {
    if (!s.ok()) return UsageError(kTool, s, kUsage);
  }
  RenderOptions options;
  options.add_generation_prompt = !args.Has("no-generation-prompt");
  if (auto v = args.Get("enable-thinking")) {
    if (*v != "true" && *v != "false") {
      return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--enable-thinking: '", *v, "' (use true or false)")),
                        kUsage);
    }
    options.enable_thinking = *v == "true";
  }
  auto config = LoadTokenizerConfig(*dir);
  if (!config.ok()) return Fail(config.status());
  auto tmpl = ChatTemplate::Create(config->chat_template);
  if (!tmpl.ok()) return Fail(tmpl.status());
  auto text = ReadFile(*messages_path);
  if (!text.ok()) return Fail(text.status());
  auto messages = ParseChatMessages(*text, *messages_path);
  if (!messages.ok()) return Fail(messages.status());
  std::vector<ChatTool> tools;
  if (auto tools_path = args.Get("tools")) {
    auto t = ReadFile(*tools_path);
    if (!t.ok()) return Fail(t.status());
    auto parsed = ParseChatTools(*t, *tools_path);
    if (!parsed.ok()) return Fail(parsed.status());
    tools = std::move(*parsed);
  }
  auto prompt = tmpl->Render(*messages, tools, options);
  if (!prompt.ok()) return Fail(prompt.status());
  if (std::fwrite(prompt->text.data(), 1, prompt->text.size(), stdout) != prompt->text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "%s: cannot write to stdout\n", kTool);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
