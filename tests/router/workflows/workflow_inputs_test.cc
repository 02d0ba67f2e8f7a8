// Inputs for a run: --input values, @files, defaults, types.
#include "router/workflows/workflow_inputs.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "router/workflows/workflow_file.h"
#include "tests/support/test_paths.h"

namespace switchyard::workflows {
namespace {

Workflow Load(const std::string& yaml, const std::string& file = "wf.yaml") {
  auto wf = ParseWorkflow(yaml, file);
  EXPECT_TRUE(wf.ok()) << wf.status();
  return wf.ok() ? *std::move(wf) : Workflow{};
}

const char kInputs[] = R"(
inputs:
  spec: {required: true}
  rounds: {type: integer, default: 3}
  ratio: {type: number, default: 0.5}
  strict: {type: boolean, default: false}
  notes: {}
steps: [{id: a, role: coder, prompt: x}]
)";

TEST(WorkflowInputsTest, DefaultsTypesAndNulls) {
  auto v = ResolveInputs(Load(kInputs), {{"spec", "fizzbuzz"}, {"strict", "yes"}});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, nlohmann::json::parse(R"({"spec": "fizzbuzz", "rounds": 3, "ratio": 0.5, "strict": true, "notes": null})"));
}

TEST(WorkflowInputsTest, Errors) {
  const Workflow wf = Load(kInputs);
  EXPECT_EQ(ResolveInputs(wf, {}).status().message(), "missing required input \"spec\" (--input spec=VALUE)");
  EXPECT_EQ(ResolveInputs(wf, {{"spec", "x"}, {"spek", "y"}}).status().message(),
            "unknown input \"spek\" (inputs: spec, rounds, ratio, strict, notes)");
  EXPECT_EQ(ResolveInputs(wf, {{"spec", "x"}, {"spec", "y"}}).status().message(), "input \"spec\" given twice");
  EXPECT_EQ(ResolveInputs(wf, {{"spec", "x"}, {"rounds", "three"}}).status().message(),
            "input \"rounds\": expected an integer, got \"three\"");
  EXPECT_EQ(ResolveInputs(wf, {{"spec", "x"}, {"ratio", "nan"}}).status().message(),
            "input \"ratio\": expected a number, got \"nan\"");
  EXPECT_EQ(ResolveInputs(wf, {{"spec", "@/nonexistent/spec.txt"}}).status().message(),
            "input \"spec\": /nonexistent/spec.txt: cannot open: No such file or directory");
  EXPECT_EQ(ResolveInputs(Load("steps: [{id: a, role: coder, prompt: x}]"), {{"x", "1"}}).status().message(),
            "unknown input \"x\": workflow \"wf\" declares no inputs");
}

TEST(WorkflowInputsTest, FilesFromAtPathsAndFileInputs) {
  ::switchyard::testing::ScratchDir dir;
  dir.Write("spec.txt", "from a file\n");
  dir.Write("data/doc.txt", "default document");
  const std::string yaml = "inputs:\n  spec: {}\n  doc: {file: true, default: data/doc.txt}\n  tag: {}\n"
                           "steps: [{id: a, role: coder, prompt: x}]\n";
  const Workflow wf = Load(yaml, dir.File("flow.yaml"));
  auto v = ResolveInputs(wf, {{"spec", absl::StrCat("@", dir.File("spec.txt"))}, {"tag", "@@home"}});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ((*v)["spec"], "from a file\n");
  EXPECT_EQ((*v)["doc"], "default document");  // relative to the workflow file
  EXPECT_EQ((*v)["tag"], "@home");
  auto given = ResolveInputs(wf, {{"doc", dir.File("spec.txt")}});  // file: true takes a bare path
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ((*given)["doc"], "from a file\n");
}

TEST(WorkflowInputsTest, Assignments) {
  auto a = ParseInputAssignment("spec=a=b");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "spec");
  EXPECT_EQ(a->second, "a=b");
  EXPECT_EQ(ParseInputAssignment("spec").status().message(), "--input takes KEY=VALUE (or KEY=@file), got \"spec\"");
  EXPECT_EQ(ParseInputAssignment("=x").status().message(), "--input takes KEY=VALUE (or KEY=@file), got \"=x\"");
}

TEST(WorkflowInputsTest, TheExamplesResolveTheirDefaults) {
  for (const char* name : {"codegen", "legal_analysis", "research_agent"}) {
    auto wf = LoadWorkflowFile(::switchyard::testing::SourceDir() + "/examples/workflows/" + name + ".yaml");
    ASSERT_TRUE(wf.ok()) << wf.status();
    auto v = ResolveInputs(*wf, {});
    EXPECT_TRUE(v.ok()) << name << ": " << v.status();
  }
}

}  // namespace
}  // namespace switchyard::workflows
