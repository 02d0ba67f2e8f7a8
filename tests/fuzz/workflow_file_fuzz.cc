// Fuzz target: the workflow file parser, and the runner on what it accepts. Any bytes give a
// workflow or an InvalidArgument "fuzz.yaml..." (yaml-cpp's exceptions never escape). An accepted
// workflow then runs against a backend that answers at once, inputs set to text, under a short
// deadline so that nested repeats cannot make one input slow; the run ends with a report.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "router/workflows/workflow_file.h"
#include "router/workflows/workflow_report.h"
#include "router/workflows/workflow_runner.h"

namespace {

namespace wf = switchyard::workflows;

class InstantBackend final : public wf::WorkflowBackend {
 public:
  absl::StatusOr<wf::ChatReply> Chat(absl::string_view role, const std::vector<wf::Message>& messages,
                                     const wf::ChatOptions& options) override {
    wf::ChatReply r;
    r.finish = wf::Finish::kStop;
    r.text = (++calls_ % 3 == 0) ? "```python\nprint(1)\n```" : R"({"a": [1, {"b": "c"}], "queries": ["q"]})";
    return r;
  }
  absl::StatusOr<wf::ToolReply> CallTool(absl::string_view name, absl::string_view arguments_json,
                                         const wf::ToolOptions& options) override {
    wf::ToolReply r;
    r.ok = ++calls_ % 4 != 0;
    r.content = std::string(arguments_json);
    r.structured_json = R"({"exit_code": 1, "stdout": "", "results": []})";
    return r;
  }

 private:
  int calls_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto w = wf::ParseWorkflow(text, "fuzz.yaml");
  if (!w.ok()) {
    if (w.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    if (!absl::StartsWith(w.status().message(), "fuzz.yaml")) std::abort();
    return 0;
  }
  if (w->steps.empty()) std::abort();
  nlohmann::json inputs = nlohmann::json::object();
  for (const wf::WorkflowInput& in : w->inputs) inputs[in.name] = "1";
  InstantBackend backend;
  wf::RunOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(20);
  options.sleep = [](absl::Duration) {};
  wf::WorkflowRunner runner(backend, options);
  const wf::RunResult r = runner.Run(*w, inputs);
  if (!r.ok && r.error.empty()) std::abort();
  (void)wf::ReportJson(*w, r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
