#include "router/cli/chat_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "grpcpp/grpcpp.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::cli {
namespace {

constexpr char kTool[] = "switchyard chat";
constexpr char kUsage[] = R"(usage: switchyard chat [--router HOST:PORT] [--route auto|reasoning|coder|translation]
                      [--max-tokens N] [--temperature T] [--seed S] [--no-thinking] [--timeout-s N]
                      [--tools run_code,search_documents,ask_coder,...] [--docs FILE[,FILE...]]
                      [--max-steps N] [--tool-choice auto|none|required|TOOL] [--api-key KEY]
                      (TEXT | --interactive)

Sends TEXT as a user message through the router (default 127.0.0.1:7700) and streams the
answer. The route decision comes first, on stderr. With --tools the router runs those tools for
the model (the agent loop): each call, its result and each step's trace appear on stderr.
--docs attaches files for search_documents; --tool-choice forces the first step's answer to be a
call (of TOOL, or of any tool with required) by constrained decoding. The API key may also come from SWITCHYARD_API_KEY.
--interactive reads one message per line from stdin and keeps the conversation (/reset starts
a new one, /exit or end of input leaves).
)";

struct TurnOptions {
  std::string router;
  std::string api_key;
  int64_t timeout_s;
  bool tty;
};

// Streams one answer to `req`; 0 done, 1 failed (said on `err`). `answer` (may be null) gets the
// assistant's turn for the conversation's next request.
int SendTurn(v1::Router::Stub& stub, const v1::ChatRequest& req, const TurnOptions& o, std::FILE* out, std::FILE* err,
             v1::ChatMessage* answer) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(o.timeout_s));
  if (!o.api_key.empty()) ctx.AddMetadata("authorization", absl::StrCat("Bearer ", o.api_key));
  const char* dim = o.tty ? "\x1b[2m" : "";
  const char* reset = o.tty ? "\x1b[0m" : "";
  auto reader = stub.Chat(&ctx, req);
  v1::ChatEvent e;
  bool in_reasoning = false;
  std::string finish, text;
  while (reader->Read(&e)) {
    if (e.has_route()) {
      const v1::RouteDecision& r = e.route();
      std::string features;
      for (int i = 0; i < r.features_size() && i < 3; ++i) {
        absl::StrAppend(&features, i ? ", " : "", r.features(i).name(), absl::StrFormat(" (%+.2f)", r.features(i).weight()));
      }
      std::fprintf(err, "[route %s%s via %s | classifier: %s %.2f | %s | trace %s]\n", r.role().c_str(),
                   r.pinned() ? " (pinned)" : "", r.replica().c_str(), r.label().c_str(), r.confidence(), features.c_str(),
                   e.trace_id().c_str());
      std::fflush(err);
    } else if (e.has_reasoning_delta()) {
      if (!in_reasoning) std::fputs(dim, out);
      in_reasoning = true;
      std::fputs(e.reasoning_delta().c_str(), out);
    } else if (e.has_text_delta()) {
      if (in_reasoning) std::fprintf(out, "%s\n", reset);
      in_reasoning = false;
      std::fputs(e.text_delta().c_str(), out);
      text += e.text_delta();
    } else if (e.has_tool_call()) {
      std::fprintf(out, "\n[tool call %s %s(%s)]\n", e.tool_call().id().c_str(), e.tool_call().name().c_str(),
                   e.tool_call().arguments_json().c_str());
    } else if (e.has_tool_call_error()) {
      std::fprintf(out, "\n[malformed tool call #%d: %s]\n", e.tool_call_error().index(), e.tool_call_error().reason().c_str());
    } else if (e.has_tool_result()) {
      const v1::ToolResult& r = e.tool_result();
      std::string shown = r.ok() ? r.content() : absl::StrCat("error: ", r.error());
      if (shown.size() > 400) shown = absl::StrCat(shown.substr(0, 400), "...");
      std::fprintf(err, "[tool result %s %s (%lld ms): %s]\n", r.tool_call_id().c_str(), r.name().c_str(),
                   static_cast<long long>(r.latency_ms()), shown.c_str());
      std::fflush(err);
    } else if (e.has_step() && !req.router_tools().empty()) {  // a plain answer is one step: no news
      const v1::StepTrace& t = e.step();
      std::fprintf(err, "[step %d %s via %s%s: %d+%d tokens, %lld ms, %s%s%s]\n", t.step(), t.role().c_str(),
                   t.replica().c_str(), t.delegated_by().empty() ? "" : absl::StrCat(" for ", t.delegated_by()).c_str(),
                   t.prompt_tokens(), t.completion_tokens(), static_cast<long long>(t.latency_ms()),
                   v1::FinishReason_Name(t.finish_reason()).c_str(), t.error().empty() ? "" : ", ", t.error().c_str());
      std::fflush(err);
    } else if (e.has_finish()) {
      finish = absl::StrFormat("[%s, %d prompt + %d completion tokens%s%s]", v1::FinishReason_Name(e.finish().reason()),
                               e.finish().usage().prompt_tokens(), e.finish().usage().completion_tokens(),
                               e.finish().detail().empty() ? "" : ": ", e.finish().detail());
    }
    std::fflush(out);
  }
  if (in_reasoning) std::fputs(reset, out);
  std::fputs("\n", out);
  const grpc::Status status = reader->Finish();
  if (!status.ok()) {
    std::fprintf(err, "%s: %s (%s)\n", kTool, status.error_message().c_str(),
                 status.error_code() == grpc::StatusCode::UNAVAILABLE ? absl::StrCat("is a router running at ", o.router, "?").c_str()
                                                                       : "see the router's log");
    return 1;
  }
  std::fprintf(err, "%s\n", finish.c_str());
  if (answer != nullptr) {
    answer->set_role(v1::ChatMessage::ASSISTANT);
    answer->set_content(text);
  }
  return 0;
}

// What the flags ask for: the request without its messages, and the timeout of each turn.
struct ChatFlags {
  v1::ChatRequest request;
  int64_t timeout_s = 0;
};

// InvalidArgument (or a --docs file's error) for the usage text.
absl::StatusOr<ChatFlags> ReadChatFlags(const CommandLine& args) {
  auto max_tokens = args.IntOr("max-tokens", 256, 1, 1 << 20);
  auto temperature = args.DoubleOr("temperature", -1);
  auto seed = args.IntOr("seed", -1, -1, INT64_MAX);
  auto timeout = args.IntOr("timeout-s", 300, 1, 86400);
  auto max_steps = args.IntOr("max-steps", 0, 0, 1000);
  for (const absl::Status& s : {max_tokens.status(), temperature.status(), seed.status(), timeout.status(), max_steps.status()}) {
    if (!s.ok()) return s;
  }
  ChatFlags flags;
  flags.timeout_s = *timeout;
  v1::ChatRequest& req = flags.request;
  req.set_route(args.GetOr("route", "auto"));
  req.mutable_sampling()->set_max_tokens(static_cast<int32_t>(*max_tokens));
  if (*temperature >= 0) req.mutable_sampling()->set_temperature(static_cast<float>(*temperature));
  if (*seed >= 0) req.mutable_sampling()->set_seed(static_cast<uint64_t>(*seed));
  if (args.Has("no-thinking")) req.set_enable_thinking(false);
  if (auto tools = args.Get("tools")) {
    for (absl::string_view t : absl::StrSplit(*tools, ',', absl::SkipEmpty())) req.add_router_tools(std::string(t));
  }
  if (auto docs = args.Get("docs")) {
    for (absl::string_view path : absl::StrSplit(*docs, ',', absl::SkipEmpty())) {
      auto text = ReadFile(std::string(path));
      if (!text.ok()) return absl::Status(text.status().code(), absl::StrCat("--docs: ", text.status().message()));
      v1::Document* d = req.add_documents();
      d->set_name(std::string(path.substr(path.rfind('/') == absl::string_view::npos ? 0 : path.rfind('/') + 1)));
      d->set_text(*std::move(text));
    }
  }
  if (*max_steps > 0) req.mutable_limits()->set_max_steps(static_cast<int32_t>(*max_steps));
  if (auto choice = args.Get("tool-choice")) {
    v1::ToolChoice* c = req.mutable_tool_choice();
    if (*choice == "auto") {
      c->set_mode(v1::ToolChoice::AUTO);
    } else if (*choice == "none") {
      c->set_mode(v1::ToolChoice::NONE);
    } else if (*choice == "required") {
      c->set_mode(v1::ToolChoice::REQUIRED);
    } else {
      c->set_mode(v1::ToolChoice::FUNCTION);
      c->set_function_name(*choice);
    }
  }
  return flags;
}

// One message per line from stdin; the conversation grows turn by turn, the request's other
// fields stay as the flags set them. /reset starts over, /exit or end of input leaves (0).
int RunInteractive(v1::Router::Stub& stub, v1::ChatRequest req, const TurnOptions& turn, std::FILE* out, std::FILE* err) {
  std::fprintf(err, "%s: interactive; one message per line, /reset for a new conversation, /exit to leave\n", kTool);
  for (std::string line;;) {
    std::fputs("> ", err);
    std::fflush(err);
    if (!std::getline(std::cin, line) || line == "/exit") return 0;
    if (line == "/reset") {
      req.clear_messages();
      continue;
    }
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    v1::ChatMessage* m = req.add_messages();
    m->set_role(v1::ChatMessage::USER);
    m->set_content(line);
    v1::ChatMessage answer;
    if (SendTurn(stub, req, turn, out, err, &answer) != 0) {
      req.mutable_messages()->RemoveLast();  // the turn failed: try again or move on
      continue;
    }
    *req.add_messages() = std::move(answer);
  }
}

}  // namespace

int RunChat(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  CommandLine args({"router", "route", "max-tokens", "temperature", "seed", "timeout-s", "tools", "docs", "max-steps", "api-key", "tool-choice"},
            {"no-thinking", "interactive", "help"});
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage, out, err)) return *code;
  if (args.positional().empty() && !args.Has("interactive")) return usage(absl::InvalidArgumentError("missing TEXT"));
  if (!args.positional().empty() && args.Has("interactive")) {
    return usage(absl::InvalidArgumentError("give TEXT or --interactive, not both"));
  }
  absl::StatusOr<ChatFlags> flags = ReadChatFlags(args);
  if (!flags.ok()) return usage(flags.status());

  const std::string router = args.GetOr("router", "127.0.0.1:7700");
  auto stub = v1::Router::NewStub(grpc::CreateChannel(router, grpc::InsecureChannelCredentials()));
  const char* env_key = std::getenv("SWITCHYARD_API_KEY");
  TurnOptions turn{router, args.GetOr("api-key", env_key ? env_key : ""), flags->timeout_s, ::isatty(fileno(out)) == 1};
  v1::ChatRequest& req = flags->request;
  if (args.Has("interactive")) return RunInteractive(*stub, std::move(req), turn, out, err);
  v1::ChatMessage* m = req.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content(absl::StrJoin(args.positional(), " "));
  return SendTurn(*stub, req, turn, out, err, nullptr);
}

}  // namespace switchyard::cli
