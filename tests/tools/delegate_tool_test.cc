// ask_coder / ask_translator / ask_reasoner: each routes to its role through the RoleDelegate,
// with the task (and context) as the worker sees it; failures and cancellation come back as errors.
#include "tools/delegate_tool.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/builtin_tools.h"
#include "tools/tool_registry.h"

namespace switchyard::tools {
namespace {

class FakeDelegate : public RoleDelegate {
 public:
  struct Call {
    std::string role, task;
  };
  absl::StatusOr<std::string> Ask(std::string_view role, std::string_view task, const ToolContext&) override {
    calls.push_back({std::string(role), std::string(task)});
    if (fail) return absl::UnavailableError("no coder replica is serving");
    return "answer from " + std::string(role);
  }
  std::vector<Call> calls;
  bool fail = false;
};

struct Fixture {
  Fixture() { EXPECT_TRUE(RegisterBuiltinTools(registry, delegate).ok()); }
  std::shared_ptr<FakeDelegate> delegate = std::make_shared<FakeDelegate>();
  ToolRegistry registry;
};

TEST(DelegateToolTest, EachToolAsksItsRole) {
  Fixture f;
  const std::pair<const char*, const char*> routes[] = {
      {"ask_coder", "coder"}, {"ask_translator", "translation"}, {"ask_reasoner", "reasoning"}};
  for (const auto& [tool, role] : routes) {
    ToolResult r = f.registry.Execute(tool, R"({"task":"do it"})", ToolContext{});
    EXPECT_EQ(r.kind, ToolResultKind::kOutput) << r.error;
    EXPECT_EQ(r.content, std::string("answer from ") + role);
    EXPECT_EQ(r.structured, (nlohmann::json{{"role", role}, {"answer", std::string("answer from ") + role}}));
    ASSERT_FALSE(f.delegate->calls.empty());
    EXPECT_EQ(f.delegate->calls.back().role, role);
    EXPECT_EQ(f.delegate->calls.back().task, "do it");
  }
  EXPECT_EQ(f.delegate->calls.size(), 3u);
}

TEST(DelegateToolTest, ContextIsAppendedToTheTask) {
  Fixture f;
  ToolResult r = f.registry.Execute("ask_translator", R"({"task":"Translate to French.","context":"Good morning"})",
                                    ToolContext{});
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(f.delegate->calls.size(), 1u);
  EXPECT_EQ(f.delegate->calls[0].task, "Translate to French.\n\nContext:\nGood morning");
}

TEST(DelegateToolTest, BadArgumentsNeverReachTheDelegate) {
  Fixture f;
  EXPECT_EQ(f.registry.Execute("ask_coder", R"({"task":""})", ToolContext{}).content,
            "invalid arguments for tool \"ask_coder\": /task: expected at least 1 characters, got 0");
  EXPECT_EQ(f.registry.Execute("ask_coder", R"({"task":"x","lang":"c"})", ToolContext{}).content,
            "invalid arguments for tool \"ask_coder\": /: property \"lang\" is not allowed");
  EXPECT_TRUE(f.delegate->calls.empty());
}

TEST(DelegateToolTest, DelegateFailureIsAnErrorResult) {
  Fixture f;
  f.delegate->fail = true;
  ToolResult r = f.registry.Execute("ask_coder", R"({"task":"x"})", ToolContext{});
  EXPECT_EQ(r.kind, ToolResultKind::kError);
  EXPECT_EQ(r.content, "tool \"ask_coder\" failed: no coder replica is serving");
}

TEST(DelegateToolTest, CancelledOrExpiredRequestsDoNotDelegate) {
  Fixture f;
  std::atomic<bool> cancelled{true};
  ToolContext c1;
  c1.cancelled = &cancelled;
  EXPECT_EQ(f.registry.Execute("ask_reasoner", R"({"task":"x"})", c1).content,
            "tool \"ask_reasoner\" failed: the request was cancelled");
  ToolContext c2;
  c2.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(f.registry.Execute("ask_reasoner", R"({"task":"x"})", c2).content,
            "tool \"ask_reasoner\" failed: the request's deadline has passed");
  EXPECT_TRUE(f.delegate->calls.empty());
}

TEST(DelegateToolTest, UnknownDelegateToolName) {
  EXPECT_EQ(MakeDelegateTool("ask_poet", std::make_shared<FakeDelegate>()).status().message(),
            "no delegate tool named \"ask_poet\"");
}

}  // namespace
}  // namespace switchyard::tools
