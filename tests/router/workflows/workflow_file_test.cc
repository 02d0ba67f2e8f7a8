// Workflow files: what loads, and the exact message for what does not.
#include "router/workflows/workflow_file.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace switchyard::workflows {
namespace {

std::string Error(const std::string& yaml) {
  auto wf = ParseWorkflow(yaml, "wf.yaml");
  if (wf.ok()) return "loaded";
  EXPECT_EQ(wf.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(wf.status().message());
}

TEST(WorkflowFileTest, LoadsEveryKind) {
  auto wf = ParseWorkflow(R"(
name: demo
description: all kinds
inputs:
  spec: {required: true, description: what}
  rounds: {type: integer, default: 2}
  notes:
steps:
  - id: write
    role: coder
    system: "sys {{ inputs.spec }}"
    prompt: "Write {{ inputs.spec }}"
    extract: code
    tools: [run_code, ask_reasoner]
    max_tokens: 64
    temperature: 0.2
    seed: 7
    thinking: false
    max_steps: 3
    retry: {attempts: 3, delay_ms: 10}
    timeout_s: 30
  - id: test
    tool: run_code
    if: steps.write.ok
    with: {language: python, code: "{{ steps.write.output }}", n: 3, flags: [true, "{{ inputs.rounds }}"]}
  - id: fix
    repeat: {max: "{{ inputs.rounds }}", until: "steps.retest.result.exit_code == 0", error: "failed after {{ loop.round }}"}
    continue_on_error: true
    steps:
      - id: patch
        role: coder
        prompt: "{{ steps.patch.output or steps.write.output }} {{ steps.retest.result.stderr }} round {{ loop.round }}"
      - id: retest
        tool: run_code
        with: {language: python, code: "{{ steps.patch.output }}"}
outputs:
  code: "{{ steps.patch.output or steps.write.output }}"
)", "demo.yaml");
  ASSERT_TRUE(wf.ok()) << wf.status();
  EXPECT_EQ(wf->name, "demo");
  EXPECT_EQ(wf->file, "demo.yaml");
  ASSERT_EQ(wf->inputs.size(), 3u);
  EXPECT_TRUE(wf->inputs[0].required);
  EXPECT_EQ(wf->inputs[1].type, InputType::kInteger);
  EXPECT_EQ(*wf->inputs[1].default_value, "2");
  EXPECT_EQ(wf->inputs[2].name, "notes");
  ASSERT_EQ(wf->steps.size(), 3u);
  const Step& write = wf->steps[0];
  EXPECT_EQ(write.kind, StepKind::kModel);
  EXPECT_EQ(write.where, "steps[0]");
  EXPECT_EQ(write.line, 9);
  EXPECT_EQ(write.model.role, "coder");
  EXPECT_EQ(write.model.extract, Extract::kCode);
  EXPECT_EQ(write.model.tools, (std::vector<std::string>{"run_code", "ask_reasoner"}));
  EXPECT_EQ(*write.model.max_tokens, 64);
  EXPECT_DOUBLE_EQ(*write.model.temperature, 0.2);
  EXPECT_EQ(*write.model.seed, 7u);
  EXPECT_FALSE(*write.model.thinking);
  EXPECT_EQ(*write.model.max_steps, 3);
  EXPECT_EQ(write.retry.attempts, 3);
  EXPECT_EQ(write.retry.delay_ms, 10);
  EXPECT_EQ(*write.timeout_s, 30);
  const Step& test = wf->steps[1];
  EXPECT_EQ(test.kind, StepKind::kTool);
  ASSERT_TRUE(test.condition.has_value());
  EXPECT_EQ(test.condition->text(), "steps.write.ok");
  ASSERT_EQ(test.tool.with.items.size(), 4u);
  EXPECT_EQ(test.tool.with.keys, (std::vector<std::string>{"language", "code", "n", "flags"}));
  EXPECT_EQ(test.tool.with.items[0].literal, "python");
  EXPECT_EQ(test.tool.with.items[1].kind, JsonTemplate::Kind::kTemplate);
  EXPECT_EQ(test.tool.with.items[2].literal, 3);
  EXPECT_EQ(test.tool.with.items[3].items[0].literal, true);
  const Step& fix = wf->steps[2];
  EXPECT_EQ(fix.kind, StepKind::kRepeat);
  EXPECT_TRUE(fix.continue_on_error);
  ASSERT_EQ(fix.repeat.steps.size(), 2u);
  EXPECT_EQ(fix.repeat.steps[1].where, "steps[2].steps[1]");
  EXPECT_EQ(wf->outputs.size(), 1u);
}

TEST(WorkflowFileTest, NameDefaultsToTheFileStem) {
  auto wf = ParseWorkflow("steps: [{id: a, role: coder, prompt: hi}]", "/x/y/my-flow.yaml");
  ASSERT_TRUE(wf.ok()) << wf.status();
  EXPECT_EQ(wf->name, "my-flow");
}

TEST(WorkflowFileTest, SchemaImpliesJson) {
  auto wf = ParseWorkflow(R"(
steps:
  - id: facts
    role: reasoning
    prompt: list
    schema: {type: object, properties: {n: {type: integer, maxItems: 3}}, required: [n]}
  - id: use
    role: coder
    prompt: "{{ steps.facts.result.n }}"
)", "wf.yaml");
  ASSERT_TRUE(wf.ok()) << wf.status();
  EXPECT_EQ(wf->steps[0].model.extract, Extract::kJson);
  EXPECT_EQ(wf->steps[0].model.json_schema,
            R"({"properties":{"n":{"maxItems":3,"type":"integer"}},"required":["n"],"type":"object"})");
}

TEST(WorkflowFileTest, YamlSyntaxErrorsNameLineAndColumn) {
  EXPECT_EQ(Error("steps:\n  - {id: a, role: coder, prompt: x\n"), "wf.yaml:3:1: invalid YAML: end of map flow not found");
  EXPECT_EQ(Error("steps:\n  - id: a\n   role: x\n"), "wf.yaml:3:4: invalid YAML: end of sequence not found");
  EXPECT_EQ(Error("name: a: b\n"), "wf.yaml:1:8: invalid YAML: illegal map value");
  EXPECT_EQ(Error(""), "wf.yaml: (top level): the file is empty: a workflow needs steps:");
}

TEST(WorkflowFileTest, StructureErrors) {
  EXPECT_EQ(Error("name: x\n"), "wf.yaml:1: steps: required: a list of steps");
  EXPECT_EQ(Error("steps: []\nbogus: 1\n"),
            "wf.yaml:2: bogus: unknown key (expected one of: name, description, inputs, documents, steps, outputs)");
  EXPECT_EQ(Error("steps: []\n"), "wf.yaml:1: steps: expected a list of steps (at least one)");
  EXPECT_EQ(Error("name: 'a b'\nsteps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:1: name: must be 1-64 characters of [A-Za-z0-9_.-]");
  EXPECT_EQ(Error("steps:\n  - role: coder\n    prompt: x\n"),
            "wf.yaml:2: steps[0].id: required: a name other steps use, as in steps.ID.output");
  EXPECT_EQ(Error("steps:\n  - {id: a, role: coder, prompt: x}\n  - {id: a, role: coder, prompt: y}\n"),
            "wf.yaml:3: steps[1].id: duplicate step id \"a\" (also steps[0])");
  EXPECT_EQ(Error("steps:\n  - {id: 2a, role: coder, prompt: x}\n"),
            "wf.yaml:2: steps[0].id: a step id is [A-Za-z_][A-Za-z0-9_-]* (at most 64): it is used in paths such as steps.ID.output");
  EXPECT_EQ(Error("steps:\n  - {id: a, prompt: x}\n"),
            "wf.yaml:2: steps[0]: a step needs one of role: (a model call), tool: (a router tool) or repeat: (a loop over steps:)");
  EXPECT_EQ(Error("steps:\n  - {id: a, role: coder, tool: run_code, prompt: x}\n"),
            "wf.yaml:2: steps[0]: a step does one thing: give only one of role:, tool: and repeat:");
  EXPECT_EQ(Error("steps:\n  - id: a\n    tool: run_code\n    prompt: x\n"),
            "wf.yaml:4: steps[0].prompt: only a model step (role:) takes prompt");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    with: {a: 1}\n"),
            "wf.yaml:5: steps[0].with: only a tool step (tool:) takes with");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    promt: x\n"),
            "wf.yaml:4: steps[0].promt: unknown key (expected one of: id, name, if, retry, continue_on_error, timeout_s, "
            "documents, role, system, prompt, extract, schema, tools, max_tokens, temperature, seed, thinking, max_steps, "
            "tool, with, repeat, steps)");
}

TEST(WorkflowFileTest, ValueErrors) {
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: codr\n    prompt: x\n"),
            "wf.yaml:3: steps[0].role: unknown role \"codr\" (expected one of: reasoning, coder, translation, auto)");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n"), "wf.yaml:2: steps[0].prompt: required: the user message");
  EXPECT_EQ(Error("steps:\n  - id: a\n    tool: run_cod\n"),
            "wf.yaml:3: steps[0].tool: unknown tool \"run_cod\" (expected one of: run_code, search_documents, ask_coder, "
            "ask_translator, ask_reasoner)");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    tools: [run_code, run_code]\n"),
            "wf.yaml:5: steps[0].tools[1]: \"run_code\" is listed twice");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    max_tokens: 0\n"),
            "wf.yaml:5: steps[0].max_tokens: expected an integer from 1 to 1048576");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    temperature: hot\n"),
            "wf.yaml:5: steps[0].temperature: expected a number from 0 to 2");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    retry: {attempts: 11}\n"),
            "wf.yaml:5: steps[0].retry.attempts: expected an integer from 1 to 10");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    extract: xml\n"),
            "wf.yaml:5: steps[0].extract: unknown extract \"xml\" (expected one of: text, code, json)");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    extract: code\n    schema: {type: object}\n"),
            "wf.yaml:6: steps[0].schema: a schema makes the answer JSON: use extract: json (or leave extract out)");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: x\n    thinking: maybe\n"),
            "wf.yaml:5: steps[0].thinking: expected true or false");
  EXPECT_EQ(Error("steps:\n  - id: a\n    role: coder\n    prompt: {{ inputs.x }}\n"),
            "wf.yaml:4: steps[0].prompt: expected text (a value that starts with \"{{\" must be quoted, or YAML reads a mapping)");
  EXPECT_EQ(Error("inputs:\n  n: {type: integer, default: three}\nsteps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:2: inputs.n.default: expected an integer, got \"three\"");
  EXPECT_EQ(Error("inputs:\n  n: {required: true, default: 1}\nsteps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:2: inputs.n.default: a required input has no default (drop one of the two)");
  EXPECT_EQ(Error("inputs:\n  n: {kind: x}\nsteps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:2: inputs.n.kind: unknown key (expected one of: description, required, default, type, file)");
}

TEST(WorkflowFileTest, RepeatErrors) {
  EXPECT_EQ(Error("steps:\n  - id: r\n    repeat: {until: 'true'}\n    steps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:3: steps[0].repeat.max: required: the rounds at most (1 to 100), or a template giving them");
  EXPECT_EQ(Error("steps:\n  - id: r\n    repeat: {max: 101}\n    steps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:3: steps[0].repeat.max: expected an integer from 1 to 100");
  EXPECT_EQ(Error("steps:\n  - id: r\n    repeat: {max: 2}\n"), "wf.yaml:2: steps[0].steps: required: the steps to repeat");
  EXPECT_EQ(Error("steps:\n  - id: r\n    repeat: {max: 2}\n    retry: {attempts: 2}\n    steps: [{id: a, role: coder, prompt: x}]\n"),
            "wf.yaml:4: steps[0].retry: a repeat step takes no retry: give it to the steps inside");
  std::string deep = "steps:\n";
  std::string indent = "  ";
  for (int i = 0; i < 5; ++i) {
    deep += indent + "- id: r" + std::to_string(i) + "\n" + indent + "  repeat: {max: 2}\n" + indent + "  steps:\n";
    indent += "    ";
  }
  deep += indent + "- {id: leaf, role: coder, prompt: x}\n";
  EXPECT_EQ(Error(deep), "wf.yaml:15: steps[0].steps[0].steps[0].steps[0].steps[0].repeat: repeats nest at most 4 deep");
}

TEST(WorkflowFileTest, ReferenceErrorsNameStepAndPath) {
  const std::string head = "inputs:\n  spec: {}\nsteps:\n  - {id: write, role: coder, prompt: x}\n";
  EXPECT_EQ(Error(head + "  - id: test\n    tool: run_code\n    with: {code: \"{{ steps.wrte.output }}\"}\n"),
            "wf.yaml:7: steps[1].with.code: steps.wrte.output: unknown step \"wrte\" (steps: test, write)");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ inputs.spce }}\"\n"),
            "wf.yaml:7: steps[1].prompt: inputs.spce: unknown input \"spce\" (inputs: spec)");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ steps.write.outptu }}\"\n"),
            "wf.yaml:7: steps[1].prompt: steps.write.outptu: unknown field \"outptu\" of model step \"write\" "
            "(fields: output, ok, error, status, attempts, latency_ms, skipped, reasoning)");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ steps.write.result.x }}\"\n"),
            "wf.yaml:7: steps[1].prompt: steps.write.result.x: step \"write\" has a result only with extract: json "
            "(or a schema:); use .output");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    if: steps.later.ok\n    prompt: x\n  - {id: later, tool: run_code}\n"),
            "wf.yaml:7: steps[1].if: steps.later.ok: step \"later\" runs after step \"test\": only earlier steps (and steps "
            "of an enclosing repeat) can be used");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ steps.test.output }}\"\n"),
            "wf.yaml:7: steps[1].prompt: steps.test.output: a step cannot use its own values (except a step inside a "
            "repeat, from its previous round)");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ loop.round }}\"\n"),
            "wf.yaml:7: steps[1].prompt: loop.round: loop.round and loop.max exist only inside a repeat's steps");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ input.spec }}\"\n"),
            "wf.yaml:7: steps[1].prompt: input.spec: unknown name \"input\": a path starts with inputs., steps. or loop.");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"{{ steps.write.output.x }}\"\n"),
            "wf.yaml:7: steps[1].prompt: steps.write.output.x: steps.write.output is a single value: only .result has fields");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    if: steps.write.ok ==\n    prompt: x\n"),
            "wf.yaml:7: steps[1].if: at column 18: expected a value, found the end");
  EXPECT_EQ(Error(head + "  - id: test\n    role: coder\n    prompt: \"a {{ steps.write.output\"\n"),
            "wf.yaml:7: steps[1].prompt: at column 3: \"{{\" is never closed by \"}}\"");
  EXPECT_EQ(Error(head + "  - id: r\n    repeat: {max: 2}\n    steps:\n      - {id: a, role: coder, prompt: \"{{ steps.r.rounds }}\"}\n"),
            "wf.yaml:8: steps[1].steps[0].prompt: steps.r.rounds: repeat \"r\" is still running here: use loop.round and loop.max");
  EXPECT_EQ(Error(head + "outputs:\n  out: \"{{ steps.nope.output }}\"\n"),
            "wf.yaml:6: outputs.out: steps.nope.output: unknown step \"nope\" (steps: write)");
  // Outputs see every step; a repeat's until and error see its steps and the repeat itself.
  EXPECT_EQ(Error(head + "  - id: r\n    repeat: {max: 2, until: steps.a.ok, error: \"{{ steps.r.rounds }} {{ loop.round }}\"}\n"
                         "    steps: [{id: a, role: coder, prompt: x}]\noutputs:\n  o: \"{{ steps.a.output }}\"\n"),
            "loaded");
}

TEST(WorkflowFileTest, ConditionsMayBeWrittenAsTemplates) {
  auto wf = ParseWorkflow("steps:\n  - {id: a, role: coder, prompt: x}\n  - {id: b, role: coder, prompt: y, if: '{{ steps.a.ok }}'}\n",
                          "wf.yaml");
  ASSERT_TRUE(wf.ok()) << wf.status();
  EXPECT_EQ(wf->steps[1].condition->text(), " steps.a.ok ");
}

TEST(WorkflowFileTest, TheExamplesLoad) {
  for (const char* name : {"codegen", "legal_analysis", "research_agent"}) {
    const std::string path = ::switchyard::testing::SourceDir() + "/examples/workflows/" + name + ".yaml";
    auto wf = LoadWorkflowFile(path);
    ASSERT_TRUE(wf.ok()) << wf.status();
    EXPECT_EQ(wf->name, name);
    EXPECT_FALSE(wf->description.empty());
  }
}

TEST(WorkflowFileTest, MissingFileIsNotFound) {
  auto wf = LoadWorkflowFile("/nonexistent/flow.yaml");
  EXPECT_EQ(wf.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(wf.status().message(), "/nonexistent/flow.yaml: cannot open: No such file or directory");
}

}  // namespace
}  // namespace switchyard::workflows
