// The three example workflows (examples/workflows/) run end to end against a scripted backend
// that answers as the tiny random-weight test models do: nonsense text, JSON only when the
// format forces it, tests that never pass. Each must still run its steps in order and finish
// the way its file says: codegen fails after its fix rounds, the others complete.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "router/workflows/workflow_file.h"
#include "router/workflows/workflow_inputs.h"
#include "router/workflows/workflow_runner.h"
#include "tests/router/workflows/fake_backend.h"
#include "tests/support/test_paths.h"

namespace switchyard::workflows {
namespace {

using testing::Answer;
using testing::FakeBackend;

Workflow Example(const std::string& name) {
  auto wf = LoadWorkflowFile(::switchyard::testing::SourceDir() + "/examples/workflows/" + name + ".yaml");
  EXPECT_TRUE(wf.ok()) << wf.status();
  return wf.ok() ? *std::move(wf) : Workflow{};
}

// Gibberish, except that a constrained answer is JSON of the requested shape.
absl::StatusOr<ChatReply> TinyModel(const testing::ChatCall& call) {
  if (call.options.format == ChatOptions::Format::kJsonSchema) {
    if (absl::StrContains(call.options.json_schema, "queries")) return Answer(R"({"queries": ["paged kv cache"]})");
    return Answer(R"({"parties": [{"name": "Nordlicht", "role": "client"}], "obligations": [], "deadlines": []})");
  }
  return Answer("lorem ipsum " + call.role);
}

RunResult RunExample(const Workflow& wf, FakeBackend& backend, std::vector<std::pair<std::string, std::string>> given = {}) {
  auto inputs = ResolveInputs(wf, given);
  EXPECT_TRUE(inputs.ok()) << inputs.status();
  WorkflowRunner runner(backend, RunOptions{});
  return runner.Run(wf, inputs.ok() ? *inputs : nlohmann::json::object());
}

std::vector<std::string> Trace(const RunResult& r) {
  std::vector<std::string> out;
  for (const StepRecord& s : r.steps) {
    out.push_back(s.id + (s.loop.empty() ? "" : "#" + std::to_string(s.round)) + ":" + s.status);
  }
  return out;
}

TEST(ExamplesTest, CodegenGivesUpAfterItsRounds) {
  FakeBackend backend;
  backend.chat_handler = TinyModel;
  backend.tool_handler = [](const testing::ToolCallRecord&) { return testing::RunCodeExit(1); };
  const Workflow wf = Example("codegen");
  RunResult r = RunExample(wf, backend, {{"rounds", "2"}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "step \"fix\": tests still failing after 2 rounds (exit code 1)");
  EXPECT_EQ(Trace(r), (std::vector<std::string>{"write:ok", "test:ok", "fix:failed", "patch#1:ok", "retest#1:ok",
                                                "patch#2:ok", "retest#2:ok"}));
  ASSERT_EQ(backend.chats.size(), 3u);
  EXPECT_EQ(backend.chats[0].role, "coder");
  EXPECT_TRUE(absl::StrContains(backend.chats[0].messages[1].content, "fizzbuzz(n)"));
  EXPECT_TRUE(absl::StrContains(backend.chats[0].messages[1].content, "assert fizzbuzz(5)"));  // the tests file
  EXPECT_TRUE(absl::StrContains(backend.chats[1].messages[1].content, "lorem ipsum coder"));   // the code to fix
  EXPECT_TRUE(absl::StrContains(backend.chats[1].messages[1].content, "Exit code 1. Output:\nerr1"));
  EXPECT_EQ(r.outputs["passed"], false);
  EXPECT_EQ(r.outputs["fix_rounds"], 2);
}

TEST(ExamplesTest, CodegenStopsWhenTheTestsPass) {
  FakeBackend backend;
  backend.chat_handler = TinyModel;
  backend.tool_replies = {testing::RunCodeExit(1), testing::RunCodeExit(0)};
  RunResult r = RunExample(Example("codegen"), backend);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(Trace(r), (std::vector<std::string>{"write:ok", "test:ok", "fix:ok", "patch#1:ok", "retest#1:ok"}));
  EXPECT_EQ(r.outputs["passed"], true);
  EXPECT_EQ(r.outputs["code"], "lorem ipsum coder");
}

TEST(ExamplesTest, LegalAnalysisCompletes) {
  FakeBackend backend;
  backend.chat_handler = TinyModel;
  backend.tool_replies.push_back(testing::ToolOk("passages", R"({"results": [{"document": "contract", "text": "Frist"}]})"));
  RunResult r = RunExample(Example("legal_analysis"), backend);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(Trace(r), (std::vector<std::string>{"translate:ok", "extract:ok", "clauses:ok", "summary:ok"}));
  EXPECT_EQ(backend.chats[0].role, "translation");
  EXPECT_TRUE(absl::StrContains(backend.chats[0].messages[0].content, "DIENSTLEISTUNGSVERTRAG"));
  EXPECT_EQ(backend.chats[1].options.format, ChatOptions::Format::kJsonSchema);
  ASSERT_EQ(backend.tools.size(), 1u);
  EXPECT_EQ(backend.tools[0].arguments,
            R"({"query":"Frist spätestens innerhalb Kündigung Tage Monate","top_k":3})");
  ASSERT_EQ(backend.tools[0].options.documents.size(), 1u);
  EXPECT_EQ(backend.tools[0].options.documents[0].name, "contract");
  EXPECT_TRUE(absl::StrContains(backend.chats[2].messages[0].content, R"(Parties: [{"name":"Nordlicht","role":"client"}])"));
  EXPECT_EQ(r.outputs["parties"], nlohmann::json::parse(R"([{"name": "Nordlicht", "role": "client"}])"));
  EXPECT_EQ(r.outputs["summary"], "lorem ipsum reasoning");
}

TEST(ExamplesTest, ResearchAgentCompletesWithAnUnapprovedDraft) {
  FakeBackend backend;
  backend.chat_handler = TinyModel;
  RunResult r = RunExample(Example("research_agent"), backend);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(Trace(r), (std::vector<std::string>{"plan:ok", "search_first:ok", "search_second:skipped", "investigate:ok",
                                                "review:failed", "critique#1:ok", "revise#1:ok", "critique#2:ok",
                                                "revise#2:ok"}));
  EXPECT_EQ(r.steps[4].error, "the critic did not approve the draft in 2 rounds");
  EXPECT_EQ(backend.tools[0].arguments, R"({"query":"paged kv cache","top_k":3})");
  EXPECT_EQ(backend.tools[0].options.documents.size(), 1u);
  EXPECT_EQ(backend.chats[1].options.router_tools, (std::vector<std::string>{"search_documents", "ask_coder"}));
  EXPECT_EQ(backend.chats[1].options.documents.size(), 1u);  // it may search: the notes go along
  EXPECT_TRUE(backend.chats[2].options.documents.empty());   // the critic has no search tool
  EXPECT_EQ(r.outputs["approved"], false);
  EXPECT_EQ(r.outputs["queries"], nlohmann::json::parse(R"(["paged kv cache"])"));
}

TEST(ExamplesTest, ResearchAgentStopsReviewingWhenApproved) {
  FakeBackend backend;
  backend.chat_handler = [](const testing::ChatCall& call) -> absl::StatusOr<ChatReply> {
    if (absl::StrContains(call.messages.back().content, "reply with the single word APPROVED")) return Answer("APPROVED");
    return TinyModel(call);
  };
  RunResult r = RunExample(Example("research_agent"), backend);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(Trace(r).back(), "revise#1:skipped");
  EXPECT_EQ(r.outputs["approved"], true);
  EXPECT_EQ(r.outputs["answer"], "lorem ipsum reasoning");
}

}  // namespace
}  // namespace switchyard::workflows
