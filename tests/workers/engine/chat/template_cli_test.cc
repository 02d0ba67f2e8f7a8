// switchyard-template as a user runs it: prints exactly the bytes Jinja2 renders for every
// published template (model folders from data/), nothing else; refuses bad input on stderr
// with a non-zero exit code and nothing on stdout.
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/chat/jinja_reference.h"
#include "workers/engine/chat/chat_template.h"

namespace switchyard {
namespace {

using ::switchyard::testing::ojson;
using ::testing::HasSubstr;

struct CliResult {
  int code;
  std::string out, err;
};

CliResult Template(const testing::ScratchDir& dir, const std::string& args) {
  const std::string cmd = absl::StrCat(testing::BinDir(), "/switchyard-template ", args, " > ", dir.File("stdout"), " 2> ",
                                       dir.File("stderr"));
  const int rc = std::system(cmd.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, testing::Slurp(dir.File("stdout")), testing::Slurp(dir.File("stderr"))};
}

std::string DataDir(const char* name) { return testing::SourceDir() + "/tests/workers/engine/chat/data/" + name; }

const ojson kMessages = ojson::parse(R"([
  {"role": "system", "content": [{"type": "text", "text": "You are a coder."}, {"type": "text", "text": "Be brief."}]},
  {"role": "user", "content": "Wie ist das Wetter in Zürich? 🌦"},
  {"role": "assistant", "content": null, "reasoning_content": "I need the weather tool.",
   "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\"city\": \"Zürich\", \"days\": 2}"}}]},
  {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\": 7, \"sky\": \"rain\"}"},
  {"role": "assistant", "content": "<think>\nIt rains.\n</think>\n\nEs regnet, 7 °C."},
  {"role": "user", "content": "Und morgen?"}
])");
const ojson kTools = ojson::parse(R"([{"type": "function", "function": {"name": "get_weather",
  "description": "Get the weather", "parameters": {"type": "object", "properties": {
  "city": {"type": "string", "description": "City name"}, "days": {"type": "integer", "minimum": 1, "default": 1}},
  "required": ["city"]}}}])");

TEST(TemplateCliTest, PrintsJinjasBytesForEveryPublishedTemplate) {
  testing::ScratchDir dir;
  dir.Write("m.json", kMessages.dump());
  dir.Write("t.json", kTools.dump());
  for (const char* name : {"qwen3", "qwen3-thinking-2507", "qwen3-instruct-2507", "qwen3-coder"}) {
    const std::string model = DataDir(name);
    const std::string text = testing::Slurp(model + "/chat_template.jinja");
    std::vector<ojson> cases;
    std::vector<std::string> flags;
    for (int variant = 0; variant < 3; ++variant) {
      ojson c = {{"messages", kMessages}, {"tools", variant == 2 ? ojson(nullptr) : kTools}, {"add_generation_prompt", variant != 1}};
      std::string f = absl::StrCat("--model ", model, " --messages ", dir.File("m.json"));
      if (variant != 2) absl::StrAppend(&f, " --tools ", dir.File("t.json"));
      if (variant == 1) absl::StrAppend(&f, " --no-generation-prompt");
      if (variant == 2) {
        c["enable_thinking"] = false;
        absl::StrAppend(&f, " --enable-thinking false");
      }
      cases.push_back(c);
      flags.push_back(f);
    }
    const testing::JinjaRendering ref = testing::RenderWithJinja(text, cases);
    auto tmpl = ChatTemplate::Create(text);
    ASSERT_TRUE(tmpl.ok()) << tmpl.status();
    for (size_t i = 0; i < cases.size(); ++i) {
      const CliResult r = Template(dir, flags[i]);
      ASSERT_EQ(r.code, 0) << name << " " << flags[i] << ": " << r.err;
      EXPECT_EQ(r.err, "");
      auto native = testing::RenderNative(*tmpl, cases[i]);
      ASSERT_TRUE(native.ok());
      EXPECT_EQ(r.out, native->text) << name << " " << flags[i];
      if (ref.available) {
        ASSERT_TRUE(ref.text[i].has_value()) << ref.error[i];
        EXPECT_EQ(r.out, *ref.text[i]) << name << " " << flags[i];
      }
    }
  }
}

TEST(TemplateCliTest, ErrorsGoToStderrWithAnExitCode) {
  testing::ScratchDir dir;
  const std::string model = DataDir("qwen3");
  dir.Write("m.json", R"([{"role":"user","content":"hi"}])");
  dir.Write("bad.json", R"([{"role":"user","content":"hi"},{"role":"robot","content":"x"}])");
  dir.Write("broken.json", R"([{"role":"user",)");
  dir.Write("tools.json", R"([{"type":"function","function":{"description":"no name"}}])");
  dir.Write("llama/chat_template.jinja", "{{ bos_token }}<|start_header_id|>{{ m }}");
  const std::string m = dir.File("m.json");
  struct Bad {
    std::string args;
    int code;
    const char* message;
  };
  const Bad cases[] = {
      {"--messages " + m, 2, "--model is required"},
      {"--model " + model, 2, "--messages is required"},
      {"--model " + model + " --messages " + m + " --enable-thinking maybe", 2, "--enable-thinking: 'maybe' (use true or false)"},
      {"--model " + model + " --messages " + m + " --bogus", 2, "bogus"},
      {"--model " + model + " --messages " + dir.File("bad.json"), 1, "messages[1].role: 'robot'"},
      {"--model " + model + " --messages " + dir.File("broken.json"), 1, "broken.json"},
      {"--model " + model + " --messages " + dir.File("missing.json"), 1, "missing.json"},
      {"--model " + model + " --messages " + m + " --tools " + dir.File("tools.json"), 1, "tools[0].function.name"},
      {"--model " + dir.File("llama") + " --messages " + m, 1, "it looks like Llama 3"},
      {"--model " + DataDir("qwen3-coder") + " --messages " + m + " --tools " + dir.File("t2.json"), 1, "t2.json"},
  };
  for (const Bad& b : cases) {
    const CliResult r = Template(dir, b.args);
    EXPECT_EQ(r.code, b.code) << b.args << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(b.message)) << b.args;
    EXPECT_EQ(r.out, "") << b.args;
  }
  const CliResult ok = Template(dir, "--model " + model + " --messages " + m + " --no-generation-prompt");
  EXPECT_EQ(ok.code, 0);
  EXPECT_EQ(ok.out, "<|im_start|>user\nhi<|im_end|>\n");
  const CliResult help = Template(dir, "--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage: switchyard-template"));
}

}  // namespace
}  // namespace switchyard
