#include "router/cli/run_command.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/command_line.h"
#include "nlohmann/json.hpp"
#include "router/workflows/router_backend.h"
#include "router/workflows/value_text.h"
#include "router/workflows/workflow_file.h"
#include "router/workflows/workflow_inputs.h"
#include "router/workflows/workflow_report.h"
#include "router/workflows/workflow_runner.h"

namespace switchyard::cli {
namespace {

namespace wf = ::switchyard::workflows;

constexpr char kTool[] = "switchyard run";
constexpr char kUsage[] = R"(usage: switchyard run FILE.yaml [--input KEY=VALUE]... [--router HOST:PORT] [--api-key KEY]
                     [--timeout-s N] [--check] [--quiet]

Runs a workflow file through a router (default 127.0.0.1:7700): each step calls a model role or
a router tool (run_code, search_documents, ask_*). Progress goes to stderr, one line per step
event; the result is one JSON object on stdout. Examples: examples/workflows/*.yaml.

  --input KEY=VALUE  a workflow input (repeatable); KEY=@FILE reads FILE; KEY=@@x passes "@x"
  --api-key KEY      sent as "authorization: Bearer KEY" (default: $SWITCHYARD_API_KEY)
  --timeout-s N      deadline of the whole run (default 3600)
  --check            load and check the file and the inputs; run nothing
  --quiet            no progress lines

Exit codes: 0 the workflow succeeded, 1 a step failed, 2 bad usage or a file that does not load.
)";

// CommandLine refuses a repeated flag, and --input is meant to repeat: take those out first.
absl::Status TakeInputs(int argc, const char* const* argv, std::vector<std::string>* rest,
                        std::vector<std::pair<std::string, std::string>>* inputs) {
  for (int i = 0; i < argc; ++i) {
    absl::string_view a = argv[i];
    std::string value;
    if (a == "--input" || a == "-i") {
      if (i + 1 >= argc) return absl::InvalidArgumentError("--input needs KEY=VALUE");
      value = argv[++i];
    } else if (absl::StartsWith(a, "--input=")) {
      value = std::string(a.substr(8));
    } else {
      rest->emplace_back(a);
      continue;
    }
    auto kv = wf::ParseInputAssignment(value);
    if (!kv.ok()) return kv.status();
    inputs->push_back(*std::move(kv));
  }
  return absl::OkStatus();
}

void CollectIds(const std::vector<wf::Step>& steps, nlohmann::json* out) {
  for (const wf::Step& s : steps) {
    out->push_back(s.id);
    if (s.kind == wf::StepKind::kRepeat) CollectIds(s.repeat.steps, out);
  }
}

}  // namespace

int RunRun(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  std::vector<std::string> rest;
  std::vector<std::pair<std::string, std::string>> given;
  if (absl::Status s = TakeInputs(argc, argv, &rest, &given); !s.ok()) return usage(s);
  std::vector<const char*> rest_argv;
  for (const std::string& r : rest) rest_argv.push_back(r.c_str());
  CommandLine args({"router", "api-key", "timeout-s"}, {"check", "quiet", "help"});
  if (absl::Status s = args.Parse(static_cast<int>(rest_argv.size()), rest_argv.data()); !s.ok()) return usage(s);
  if (args.HelpRequested()) {
    std::fputs(kUsage, out);
    return 0;
  }
  if (args.positional().size() != 1) {
    return usage(absl::InvalidArgumentError(args.positional().empty() ? "missing FILE.yaml" : "one workflow file at a time"));
  }
  auto timeout = args.IntOr("timeout-s", 3600, 1, 7 * 86400);
  auto check = args.Switch("check");
  auto quiet = args.Switch("quiet");
  for (const absl::Status& s : {timeout.status(), check.status(), quiet.status()}) {
    if (!s.ok()) return usage(s);
  }

  // File and input errors are the user's to fix: the message alone, no usage text.
  auto workflow = wf::LoadWorkflowFile(args.positional()[0]);
  if (!workflow.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(workflow.status().message()).c_str());
    return 2;
  }
  auto inputs = wf::ResolveInputs(*workflow, given);
  if (!inputs.ok()) {
    std::fprintf(err, "%s: %s: %s\n", kTool, workflow->file.c_str(), std::string(inputs.status().message()).c_str());
    return 2;
  }
  if (*check) {
    nlohmann::json plan = {{"workflow", workflow->name}, {"file", workflow->file}, {"valid", true}};
    plan["inputs"] = nlohmann::json::array();
    for (const wf::WorkflowInput& in : workflow->inputs) plan["inputs"].push_back(in.name);
    plan["steps"] = nlohmann::json::array();
    CollectIds(workflow->steps, &plan["steps"]);
    plan["outputs"] = nlohmann::json::array();
    for (const auto& [name, t] : workflow->outputs) plan["outputs"].push_back(name);
    std::fprintf(out, "%s\n", wf::DumpJson(plan, 2).c_str());
    return 0;
  }

  std::string api_key = args.GetOr("api-key", "");
  if (api_key.empty()) {
    const char* env = std::getenv("SWITCHYARD_API_KEY");
    if (env != nullptr) api_key = env;
  }
  const std::string router = args.GetOr("router", "127.0.0.1:7700");
  auto backend = wf::RouterBackend::Connect(router, api_key);
  wf::RunOptions options;
  options.deadline = absl::Now() + absl::Seconds(*timeout);
  const std::string prefix = absl::StrCat("workflow=", workflow->name, " ");
  if (!*quiet) {
    options.on_event = [&](const wf::StepEvent& e) {
      std::fprintf(err, "%s%s\n", prefix.c_str(), wf::FormatStepEvent(e).c_str());
      std::fflush(err);
    };
  }
  wf::WorkflowRunner runner(*backend, std::move(options));
  const wf::RunResult result = runner.Run(*workflow, *inputs);
  std::fprintf(out, "%s\n", wf::DumpJson(wf::ReportJson(*workflow, result), 2).c_str());
  std::fflush(out);
  if (!result.ok) {
    std::fprintf(err, "%s: %s: %s\n", kTool, workflow->name.c_str(), result.error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace switchyard::cli
