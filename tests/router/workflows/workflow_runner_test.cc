// The workflow runner against a scripted backend: the exact requests it sends, what it keeps of
// the answers, `if`, retries, repeats, outputs and the messages of its failures.
#include "router/workflows/workflow_runner.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "router/workflows/workflow_file.h"
#include "router/workflows/workflow_inputs.h"
#include "router/workflows/workflow_report.h"
#include "tests/router/workflows/fake_backend.h"

namespace switchyard::workflows {
namespace {

using testing::Answer;
using testing::FakeBackend;
using testing::RunCodeExit;
using testing::ToolFailed;
using testing::ToolOk;

Workflow Load(const std::string& yaml) {
  auto wf = ParseWorkflow(yaml, "wf.yaml");
  EXPECT_TRUE(wf.ok()) << wf.status();
  return wf.ok() ? *std::move(wf) : Workflow{};
}

struct Harness {
  FakeBackend backend;
  std::vector<StepEvent> events;
  std::vector<absl::Duration> sleeps;

  RunResult Run(const Workflow& wf, std::vector<std::pair<std::string, std::string>> given = {},
                absl::Time deadline = absl::InfiniteFuture()) {
    auto inputs = ResolveInputs(wf, given);
    EXPECT_TRUE(inputs.ok()) << inputs.status();
    RunOptions options;
    options.deadline = deadline;
    options.on_event = [this](const StepEvent& e) { events.push_back(e); };
    options.sleep = [this](absl::Duration d) { sleeps.push_back(d); };
    WorkflowRunner runner(backend, options);
    return runner.Run(wf, inputs.ok() ? *inputs : nlohmann::json::object());
  }

  std::vector<std::string> EventLines() const {
    std::vector<std::string> out;
    for (const StepEvent& e : events) {
      std::string line = FormatStepEvent(e);
      // Latency is real time; the rest is exact.
      const size_t at = line.find(" latency_ms=");
      if (at != std::string::npos) line.erase(at, line.find(' ', at + 1) - at);
      out.push_back(line);
    }
    return out;
  }
};

TEST(WorkflowRunnerTest, SendsExactRequestsAndTemplatesValues) {
  Harness h;
  h.backend.chat_replies.push_back(Answer("Here:\n```python\ndef f():\n    return 1\n```\nDone."));
  h.backend.tool_replies.push_back(RunCodeExit(0));
  const Workflow wf = Load(R"yaml(
inputs:
  spec: {required: true}
  lang: {default: python}
steps:
  - id: write
    role: coder
    system: "You write {{ inputs.lang }}."
    prompt: "Write {{ inputs.spec }}"
    extract: code
    tools: [run_code]
    max_tokens: 128
    temperature: 0
    seed: 42
    thinking: false
    max_steps: 4
  - id: test
    tool: run_code
    with: {language: "{{ inputs.lang }}", code: "{{ steps.write.output }}\nprint(f())", n: 2}
outputs:
  code: "{{ steps.write.output }}"
  exit: "{{ steps.test.result.exit_code }}"
  passed: "{{ steps.test.result.exit_code == 0 }}"
  summary: "exit {{ steps.test.result.exit_code }}"
)yaml");
  RunResult r = h.Run(wf, {{"spec", "f returning 1"}});
  ASSERT_TRUE(r.ok) << r.error;

  ASSERT_EQ(h.backend.chats.size(), 1u);
  const auto& chat = h.backend.chats[0];
  EXPECT_EQ(chat.role, "coder");
  ASSERT_EQ(chat.messages.size(), 2u);
  EXPECT_EQ(chat.messages[0].role, Message::Role::kSystem);
  EXPECT_EQ(chat.messages[0].content, "You write python.");
  EXPECT_EQ(chat.messages[1].role, Message::Role::kUser);
  EXPECT_EQ(chat.messages[1].content, "Write f returning 1");
  EXPECT_EQ(chat.options.router_tools, std::vector<std::string>{"run_code"});
  EXPECT_EQ(*chat.options.max_tokens, 128);
  EXPECT_EQ(*chat.options.temperature, 0);
  EXPECT_EQ(*chat.options.seed, 42u);
  EXPECT_FALSE(*chat.options.thinking);
  EXPECT_EQ(*chat.options.max_steps, 4);
  EXPECT_EQ(chat.options.format, ChatOptions::Format::kText);
  EXPECT_TRUE(chat.options.documents.empty());

  ASSERT_EQ(h.backend.tools.size(), 1u);
  EXPECT_EQ(h.backend.tools[0].name, "run_code");
  EXPECT_EQ(h.backend.tools[0].arguments, R"j({"code":"def f():\n    return 1\nprint(f())","language":"python","n":2})j");

  EXPECT_EQ(r.outputs, nlohmann::json::parse(R"({"code": "def f():\n    return 1", "exit": 0, "passed": true,
                                                 "summary": "exit 0"})"));
  EXPECT_EQ(r.prompt_tokens, 10);
  EXPECT_EQ(r.completion_tokens, 5);
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].status, "ok");
  EXPECT_EQ(r.steps[0].attempts, 1);
  EXPECT_EQ(r.steps[0].finish, "stop");
  EXPECT_EQ(r.steps[0].trace_id, "trace-1");
  EXPECT_EQ(r.steps[1].output, R"({"exit_code":0})");
  EXPECT_EQ(h.EventLines(), (std::vector<std::string>{
                                "event=started step=write kind=model role=coder",
                                "event=finished step=write kind=model role=coder ok=true attempts=1",
                                "event=started step=test kind=tool tool=run_code",
                                "event=finished step=test kind=tool tool=run_code ok=true attempts=1",
                            }));
}

TEST(WorkflowRunnerTest, IfSkipsAndSkippedStepsReadEmpty) {
  Harness h;
  h.backend.tool_replies.push_back(RunCodeExit(0));
  const Workflow wf = Load(R"yaml(
steps:
  - id: test
    tool: run_code
    with: {language: python, code: "print(1)"}
  - id: fix
    if: steps.test.result.exit_code != 0
    role: coder
    prompt: fix it
  - id: report
    role: reasoning
    prompt: "fix said [{{ steps.fix.output }}] skipped={{ steps.fix.skipped }} ok={{ steps.fix.ok }} status={{ steps.fix.status }}"
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(h.backend.chats.size(), 1u);
  EXPECT_EQ(h.backend.chats[0].messages[0].content, "fix said [] skipped=true ok=false status=skipped");
  EXPECT_EQ(r.steps[1].status, "skipped");
  EXPECT_EQ(r.steps[1].attempts, 0);
  EXPECT_EQ(h.EventLines()[2], "event=skipped step=fix kind=model role=coder");
}

TEST(WorkflowRunnerTest, RetriesTransientFailuresExactly) {
  Harness h;
  h.backend.chat_replies.push_back(absl::UnavailableError("no healthy replica"));
  h.backend.chat_replies.push_back(absl::DeadlineExceededError("too slow"));
  h.backend.chat_replies.push_back(Answer("third time"));
  const Workflow wf = Load(R"yaml(
steps:
  - id: ask
    role: reasoning
    prompt: hi
    retry: {attempts: 4, delay_ms: 250}
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(h.backend.chats.size(), 3u);
  EXPECT_EQ(r.steps[0].attempts, 3);
  EXPECT_EQ(r.steps[0].output, "third time");
  EXPECT_EQ(h.sleeps, (std::vector<absl::Duration>{absl::Milliseconds(250), absl::Milliseconds(250)}));
  EXPECT_EQ(h.EventLines(), (std::vector<std::string>{
                                "event=started step=ask kind=model role=reasoning",
                                "event=retrying step=ask kind=model role=reasoning attempt=1 error=\"reasoning: "
                                "UNAVAILABLE: no healthy replica\"",
                                "event=retrying step=ask kind=model role=reasoning attempt=2 error=\"reasoning: "
                                "DEADLINE_EXCEEDED: too slow\"",
                                "event=finished step=ask kind=model role=reasoning ok=true attempts=3",
                            }));
}

TEST(WorkflowRunnerTest, RetriesStopAtTheLimitWithTheLastError) {
  Harness h;
  h.backend.tool_replies.push_back(ToolFailed("sandbox busy"));
  h.backend.tool_replies.push_back(ToolFailed("sandbox on fire"));
  h.backend.tool_replies.push_back(ToolOk("never reached"));
  const Workflow wf = Load(R"yaml(
steps:
  - id: run
    tool: run_code
    with: {language: bash, code: "true"}
    retry: {attempts: 2}
  - id: after
    role: coder
    prompt: x
)yaml");
  RunResult r = h.Run(wf);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "step \"run\": run_code: sandbox on fire");
  EXPECT_EQ(r.failed_step, "run");
  EXPECT_EQ(h.backend.tools.size(), 2u);
  EXPECT_TRUE(h.backend.chats.empty());
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].attempts, 2);
  EXPECT_EQ(r.steps[0].status, "failed");
  EXPECT_TRUE(h.sleeps.empty());  // no delay_ms
}

TEST(WorkflowRunnerTest, PermanentErrorsAreNotRetried) {
  Harness h;
  h.backend.chat_replies.push_back(absl::PermissionDeniedError("tenant acme may not use role coder"));
  const Workflow wf = Load("steps:\n  - {id: a, role: coder, prompt: x, retry: {attempts: 5}}\n");
  RunResult r = h.Run(wf);
  EXPECT_EQ(r.error, "step \"a\": coder: PERMISSION_DENIED: tenant acme may not use role coder");
  EXPECT_EQ(h.backend.chats.size(), 1u);
  EXPECT_EQ(r.steps[0].attempts, 1);
}

TEST(WorkflowRunnerTest, RunLimitAndErrorFinishesFailTheStep) {
  Harness h;
  ChatReply limited = Answer("partial");
  limited.finish = Finish::kRunLimit;
  limited.finish_detail = "max_steps: 8 steps taken";
  h.backend.chat_replies.push_back(limited);
  const Workflow wf = Load("steps:\n  - {id: agent, role: reasoning, prompt: x, tools: [search_documents]}\n");
  RunResult r = h.Run(wf);
  EXPECT_EQ(r.error, "step \"agent\": reasoning: the run ended with run_limit: max_steps: 8 steps taken");
  EXPECT_EQ(r.steps[0].finish, "run_limit");
  EXPECT_EQ(r.prompt_tokens, 10);  // a failed run's tokens were still spent
}

TEST(WorkflowRunnerTest, RepeatUntilStopsWhenTheConditionHolds) {
  Harness h;
  // write, test(1), then rounds: patch, retest(1); patch, retest(0).
  h.backend.chat_handler = [&](const testing::ChatCall& c) {
    return Answer("code v" + std::to_string(h.backend.chats.size()));
  };
  h.backend.tool_replies = {RunCodeExit(1), RunCodeExit(1), RunCodeExit(0)};
  const Workflow wf = Load(R"yaml(
steps:
  - {id: write, role: coder, prompt: write}
  - id: test
    tool: run_code
    with: {language: python, code: "{{ steps.write.output }}"}
  - id: fix
    if: steps.test.result.exit_code != 0
    repeat: {max: 5, until: steps.retest.result.exit_code == 0}
    steps:
      - id: patch
        role: coder
        prompt: "round {{ loop.round }}/{{ loop.max }}: fix {{ steps.patch.output or steps.write.output }}; {{ steps.retest.result.stderr or steps.test.result.stderr }}"
      - id: retest
        tool: run_code
        with: {language: python, code: "{{ steps.patch.output }}"}
outputs:
  code: "{{ steps.patch.output or steps.write.output }}"
  rounds: "{{ steps.fix.rounds }}"
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(h.backend.chats.size(), 3u);
  EXPECT_EQ(h.backend.chats[1].messages[0].content, "round 1/5: fix code v1; err1");
  EXPECT_EQ(h.backend.chats[2].messages[0].content, "round 2/5: fix code v2; err1");
  EXPECT_EQ(h.backend.tools[2].arguments, R"({"code":"code v3","language":"python"})");
  EXPECT_EQ(r.outputs, nlohmann::json::parse(R"({"code": "code v3", "rounds": 2})"));
  std::vector<std::string> seen;
  for (const StepRecord& s : r.steps) seen.push_back(s.id + (s.loop.empty() ? "" : "#" + std::to_string(s.round)));
  EXPECT_EQ(seen, (std::vector<std::string>{"write", "test", "fix", "patch#1", "retest#1", "patch#2", "retest#2"}));
  EXPECT_EQ(r.steps[2].rounds, 2);
  EXPECT_EQ(r.steps[2].output, R"({"exit_code":0})");  // the last step of the last round
  EXPECT_EQ(h.EventLines()[5], "event=started step=patch kind=model role=coder loop=fix round=1");
  EXPECT_EQ(h.EventLines().back(), "event=finished step=fix kind=repeat ok=true rounds=2");
}

TEST(WorkflowRunnerTest, RepeatThatNeverSucceedsFailsWithItsMessage) {
  Harness h;
  h.backend.tool_handler = [](const testing::ToolCallRecord&) { return RunCodeExit(1); };
  const Workflow wf = Load(R"yaml(
inputs:
  rounds: {type: integer, default: 3}
steps:
  - id: fix
    repeat:
      max: "{{ inputs.rounds }}"
      until: steps.retest.result.exit_code == 0
      error: "tests still failing after {{ loop.round }} rounds (exit code {{ steps.retest.result.exit_code }})"
    steps:
      - {id: patch, role: coder, prompt: fix}
      - {id: retest, tool: run_code, with: {language: python, code: "{{ steps.patch.output }}"}}
  - {id: never, role: coder, prompt: x}
)yaml");
  RunResult r = h.Run(wf, {{"rounds", "2"}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "step \"fix\": tests still failing after 2 rounds (exit code 1)");
  EXPECT_EQ(r.failed_step, "fix");
  EXPECT_EQ(h.backend.chats.size(), 2u);
  EXPECT_EQ(h.backend.tools.size(), 2u);
  EXPECT_EQ(r.steps[0].rounds, 2);
  EXPECT_EQ(r.steps[0].error, "tests still failing after 2 rounds (exit code 1)");
}

TEST(WorkflowRunnerTest, RepeatWithoutUntilRunsMaxRoundsAndDefaultMessage) {
  Harness h;
  const Workflow wf = Load("steps:\n  - id: r\n    repeat: {max: 3}\n    steps: [{id: a, role: coder, prompt: \"{{ loop.round }}\"}]\n"
                           "  - id: r2\n    repeat: {max: 1, until: 'false'}\n    steps: [{id: b, role: coder, prompt: x}]\n");
  RunResult r = h.Run(wf);
  ASSERT_EQ(h.backend.chats.size(), 4u);
  EXPECT_EQ(h.backend.chats[2].messages[0].content, "3");
  EXPECT_EQ(r.error, "step \"r2\": until (false) still false after 1 round");
}

TEST(WorkflowRunnerTest, AFailureInsideARepeatNamesTheStepAndRound) {
  Harness h;
  h.backend.chat_replies = {Answer("ok"), absl::UnavailableError("worker died")};
  const Workflow wf = Load("steps:\n  - id: loop\n    repeat: {max: 3}\n    steps: [{id: a, role: coder, prompt: x}]\n");
  RunResult r = h.Run(wf);
  EXPECT_EQ(r.error, "step \"a\" (round 2 of \"loop\"): coder: UNAVAILABLE: worker died");
  EXPECT_EQ(r.failed_step, "a");
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].status, "failed");
  EXPECT_EQ(r.steps[0].error, r.error);
  EXPECT_EQ(r.steps[2].status, "failed");
  EXPECT_EQ(r.steps[2].error, "coder: UNAVAILABLE: worker died");
}

TEST(WorkflowRunnerTest, ContinueOnErrorKeepsGoing) {
  Harness h;
  h.backend.tool_replies.push_back(ToolFailed("no documents"));
  const Workflow wf = Load(R"yaml(
steps:
  - {id: search, tool: search_documents, with: {query: x}, continue_on_error: true}
  - {id: answer, role: reasoning, prompt: "search ok={{ steps.search.ok }} error={{ steps.search.error }}"}
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.failed_step.empty());
  EXPECT_EQ(h.backend.chats[0].messages[0].content, "search ok=false error=search_documents: no documents");
  EXPECT_EQ(r.steps[0].status, "failed");
}

TEST(WorkflowRunnerTest, ExtractJsonFeedsResultPathsAndRetriesWhenMissing) {
  Harness h;
  h.backend.chat_replies = {Answer("sorry, no json"), Answer("```json\n{\"parties\": [{\"name\": \"A\"}], \"n\": 2}\n```")};
  const Workflow wf = Load(R"yaml(
steps:
  - id: facts
    role: reasoning
    prompt: x
    schema: {type: object}
    retry: {attempts: 2}
  - {id: use, role: coder, prompt: "{{ steps.facts.result.parties[0].name }} {{ steps.facts.result.n }} [{{ steps.facts.result.parties[5] }}]"}
outputs:
  facts: "{{ steps.facts.result }}"
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(h.backend.chats[0].options.format, ChatOptions::Format::kJsonSchema);
  EXPECT_EQ(h.backend.chats[0].options.json_schema, R"({"type":"object"})");
  EXPECT_EQ(r.steps[0].attempts, 2);
  EXPECT_EQ(h.backend.chats[2].messages[0].content, "A 2 []");
  EXPECT_EQ(r.outputs["facts"], nlohmann::json::parse(R"({"parties": [{"name": "A"}], "n": 2})"));
  EXPECT_EQ(h.EventLines()[1],
            "event=retrying step=facts kind=model role=reasoning attempt=1 error=\"extract json: the answer holds no JSON "
            "object or array (it starts: \\\"sorry, no json\\\")\"");
}

TEST(WorkflowRunnerTest, RuntimePathErrorsNameStepFieldAndAlternatives) {
  Harness h;
  h.backend.tool_replies.push_back(RunCodeExit(0));
  const Workflow wf = Load(R"yaml(
steps:
  - {id: t, tool: run_code, with: {language: python, code: x}}
  - {id: b, role: coder, prompt: "{{ steps.t.result.exit_cod }}", retry: {attempts: 3}}
)yaml");
  RunResult r = h.Run(wf);
  EXPECT_EQ(r.error, "step \"b\": prompt: {{ steps.t.result.exit_cod }}: steps.t.result has no field \"exit_cod\" "
                     "(fields: exit_code, stderr, stdout)");
  EXPECT_TRUE(h.backend.chats.empty());
  EXPECT_EQ(r.steps[1].attempts, 0);  // a template error is not a call: nothing to retry
}

TEST(WorkflowRunnerTest, DocumentsGoWhereTheyCanBeSearched) {
  Harness h;
  const Workflow wf = Load(R"yaml(
inputs:
  doc: {default: "the text"}
documents:
  - {name: contract, text: "{{ inputs.doc }}"}
steps:
  - {id: plain, role: coder, prompt: x}
  - {id: agent, role: reasoning, prompt: x, tools: [search_documents]}
  - {id: search, tool: search_documents, with: {query: q}}
  - {id: code, tool: run_code, with: {language: bash, code: "true"}}
  - id: own
    role: coder
    prompt: x
    documents: [{name: "n{{ inputs.doc }}", text: t}]
)yaml");
  RunResult r = h.Run(wf);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(h.backend.chats[0].options.documents.empty());
  ASSERT_EQ(h.backend.chats[1].options.documents.size(), 1u);
  EXPECT_EQ(h.backend.chats[1].options.documents[0].name, "contract");
  EXPECT_EQ(h.backend.chats[1].options.documents[0].text, "the text");
  ASSERT_EQ(h.backend.tools[0].options.documents.size(), 1u);
  EXPECT_TRUE(h.backend.tools[1].options.documents.empty());
  ASSERT_EQ(h.backend.chats[2].options.documents.size(), 1u);
  EXPECT_EQ(h.backend.chats[2].options.documents[0].name, "nthe text");
}

TEST(WorkflowRunnerTest, StepTimeoutBecomesTheCallDeadline) {
  Harness h;
  const Workflow wf = Load("steps:\n  - {id: a, role: coder, prompt: x, timeout_s: 30}\n  - {id: b, role: coder, prompt: x}\n");
  const absl::Time before = absl::Now();
  RunResult r = h.Run(wf, {}, before + absl::Hours(1));
  ASSERT_TRUE(r.ok);
  EXPECT_GE(h.backend.chats[0].options.deadline, before + absl::Seconds(30));
  EXPECT_LT(h.backend.chats[0].options.deadline, before + absl::Seconds(40));
  EXPECT_EQ(h.backend.chats[1].options.deadline, before + absl::Hours(1));
}

TEST(WorkflowRunnerTest, APassedDeadlineStopsBeforeTheNextStep) {
  Harness h;
  const Workflow wf = Load("steps:\n  - {id: a, role: coder, prompt: x}\n");
  RunResult r = h.Run(wf, {}, absl::Now() - absl::Seconds(1));
  EXPECT_EQ(r.error, "step \"a\": the workflow's deadline passed before the step could start");
  EXPECT_TRUE(h.backend.chats.empty());
}

TEST(WorkflowRunnerTest, ReportJsonHasEveryStep) {
  Harness h;
  h.backend.chat_replies.push_back(Answer(std::string(5000, 'x') + "\xc3\xa9"));
  const Workflow wf = Load("name: rep\nsteps:\n  - {id: a, role: coder, prompt: x}\n  - {id: b, if: 'false', tool: run_code}\n"
                           "outputs:\n  n: \"{{ steps.a.attempts }}\"\n");
  RunResult r = h.Run(wf);
  nlohmann::json j = ReportJson(wf, r);
  EXPECT_EQ(j["workflow"], "rep");
  EXPECT_EQ(j["ok"], true);
  EXPECT_FALSE(j.contains("error"));
  EXPECT_EQ(j["outputs"], nlohmann::json::parse(R"({"n": 1})"));
  EXPECT_EQ(j["usage"], nlohmann::json::parse(R"({"prompt_tokens": 10, "completion_tokens": 5, "cached_prompt_tokens": 4})"));
  ASSERT_EQ(j["steps"].size(), 2u);
  const nlohmann::json& a = j["steps"][0];
  EXPECT_EQ(a["id"], "a");
  EXPECT_EQ(a["kind"], "model");
  EXPECT_EQ(a["role"], "coder");
  EXPECT_EQ(a["status"], "ok");
  EXPECT_EQ(a["ok"], true);
  EXPECT_EQ(a["attempts"], 1);
  EXPECT_EQ(a["output"].get<std::string>().size(), kReportOutputBytes);
  EXPECT_EQ(a["output_truncated"], true);
  EXPECT_EQ(a["finish"], "stop");
  EXPECT_EQ(a["trace_id"], "trace-1");
  EXPECT_EQ(a["usage"], nlohmann::json::parse(R"({"prompt_tokens": 10, "completion_tokens": 5, "cached_prompt_tokens": 4})"));
  const nlohmann::json& b = j["steps"][1];
  EXPECT_EQ(b["status"], "skipped");
  EXPECT_EQ(b["ok"], false);
  EXPECT_EQ(b["tool"], "run_code");
  EXPECT_FALSE(b.contains("usage"));
}

TEST(WorkflowRunnerTest, FailedReportNamesTheStep) {
  Harness h;
  h.backend.chat_replies.push_back(absl::UnauthenticatedError("missing or unknown API key"));
  const Workflow wf = Load("name: f\nsteps:\n  - {id: a, role: coder, prompt: x}\n");
  nlohmann::json j = ReportJson(wf, h.Run(wf));
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["error"], "step \"a\": coder: UNAUTHENTICATED: missing or unknown API key");
  EXPECT_EQ(j["failed_step"], "a");
  EXPECT_EQ(j["steps"][0]["error"], "coder: UNAUTHENTICATED: missing or unknown API key");
}

TEST(WorkflowRunnerTest, LogfmtQuotesWhatNeedsIt) {
  StepEvent e;
  e.type = StepEvent::Type::kFinished;
  e.id = "patch";
  e.kind = StepKind::kModel;
  e.target = "coder";
  e.loop = "fix";
  e.round = 2;
  e.attempt = 1;
  e.latency_ms = 12;
  e.error = "coder: UNAVAILABLE: \"quoted\"";
  EXPECT_EQ(FormatStepEvent(e), "event=finished step=patch kind=model role=coder loop=fix round=2 ok=false attempts=1 "
                                "latency_ms=12 error=\"coder: UNAVAILABLE: \\\"quoted\\\"\"");
}

}  // namespace
}  // namespace switchyard::workflows
