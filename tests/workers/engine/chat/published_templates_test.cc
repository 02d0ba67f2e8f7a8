// Template recognition: the published texts (kept in data/ with their provenance) are the ones
// compiled in and are recognized as they come in tokenizer_config.json or chat_template.jinja;
// anything else is refused with an error that names what it looks like and what differs.
#include "workers/engine/chat/published_templates.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "tests/workers/engine/chat/jinja_reference.h"
#include "workers/engine/model/tokenizer_config.h"

namespace switchyard {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const char* DataDir(ChatTemplateFamily f) {
  switch (f) {
    case ChatTemplateFamily::kQwen3: return "qwen3";
    case ChatTemplateFamily::kQwen3Thinking2507: return "qwen3-thinking-2507";
    case ChatTemplateFamily::kQwen3Instruct2507: return "qwen3-instruct-2507";
    case ChatTemplateFamily::kQwen3Coder: return "qwen3-coder";
  }
  return "";
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(PublishedTemplatesTest, CompiledTextsEqualTheDataFiles) {
  ASSERT_EQ(PublishedTemplates().size(), 4u);
  for (const PublishedTemplate& p : PublishedTemplates()) {
    const std::string dir = testing::SourceDir() + "/tests/workers/engine/chat/data/" + DataDir(p.family);
    EXPECT_EQ(testing::Slurp(dir + "/chat_template.jinja"), p.text) << p.name;
    auto cfg = LoadTokenizerConfig(dir);  // a model folder with only chat_template.jinja
    ASSERT_TRUE(cfg.ok()) << cfg.status();
    auto f = RecognizeChatTemplate(cfg->chat_template);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_EQ(*f, p.family);
  }
}

TEST(PublishedTemplatesTest, TheFixturesCarryQwen3sTemplate) {
  SWITCHYARD_REQUIRE_SHARED();
  auto cfg = LoadTokenizerConfig(*testing::FixtureDir("qwen3-tiny-dense") + "/hf");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(*RecognizeChatTemplate(cfg->chat_template), ChatTemplateFamily::kQwen3);
}

TEST(PublishedTemplatesTest, LineEndsAndTrailingNewlinesDoNotMatter) {
  for (const PublishedTemplate& p : PublishedTemplates()) {
    const std::string crlf = absl::StrReplaceAll(p.text, {{"\n", "\r\n"}}) + "\r\n";
    auto f = RecognizeChatTemplate(crlf);
    ASSERT_TRUE(f.ok()) << p.name << ": " << f.status();
    EXPECT_EQ(*f, p.family);
  }
}

TEST(PublishedTemplatesTest, EditedCopiesAreRefusedNamingTheLine) {
  const std::string qwen3(PublishedTemplateOf(ChatTemplateFamily::kQwen3).text);
  // The 2507 Thinking generation prompt grafted onto the original: not a published text.
  const std::string grafted = absl::StrReplaceAll(
      qwen3, {{"{%- if enable_thinking is defined and enable_thinking is false %}", "{%- if true %}"}});
  auto s = RecognizeChatTemplate(grafted).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(Message(s), AllOf(HasSubstr("looks like a Qwen3 template"), HasSubstr("line 82"),
                                HasSubstr("{%- if true %}"), HasSubstr("supported: Qwen3, Qwen3 Thinking-2507")));
  const std::string coder(PublishedTemplateOf(ChatTemplateFamily::kQwen3Coder).text);
  s = RecognizeChatTemplate(absl::StrReplaceAll(coder, {{"You have access to the following functions",
                                                         "You have access to the following tools"}}))
          .status();
  EXPECT_THAT(Message(s), AllOf(HasSubstr("Qwen3-Coder's (XML"), HasSubstr("where Qwen3-Coder (30B-A3B-Instruct) has")));
}

TEST(PublishedTemplatesTest, OtherFamiliesAreNamed) {
  EXPECT_EQ(RecognizeChatTemplate("").status().code(), absl::StatusCode::kFailedPrecondition);
  auto name = [](const char* t) { return Message(RecognizeChatTemplate(t).status()); };
  EXPECT_THAT(name("{{ bos_token }}{% for m in messages %}[INST] {{ m.content }}{% endfor %}"),
              HasSubstr("it looks like Mistral"));
  EXPECT_THAT(name("<|start_header_id|>{{ m }}"), HasSubstr("Llama 3"));
  EXPECT_THAT(name("{{'<|im_start|>system\nYou are Qwen, created by Alibaba Cloud.'}}"), HasSubstr("Qwen2.5"));
  EXPECT_THAT(name("{% for m in messages %}{{ m.content }}{% endfor %}"),
              AllOf(HasSubstr("unrecognized chat template"), HasSubstr("renders Qwen3 templates natively")));
}

}  // namespace
}  // namespace switchyard
