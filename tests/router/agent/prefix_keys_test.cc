// The prefix keys (router/agent/prefix_keys.h): the exact bytes hashed, recomputed here by hand;
// deterministic; salted; a change in any field of a message changes its key and every later
// one, never an earlier one; what enters key_{-1} (the salt and the tools shown) and what does
// not (enable_thinking, sampling, response_format, tool_choice other than NONE, unknown fields).
#include "router/agent/prefix_keys.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "base/sha256.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

std::string Raw(const Sha256Digest& d) { return std::string(reinterpret_cast<const char*>(d.data()), d.size()); }

v1::GenerateRequest Conversation() {
  v1::GenerateRequest r;
  r.set_cache_salt("salt-of-acme");
  v1::Tool* t = r.add_tools();
  t->set_name("search_documents");
  t->set_description("Search the documents.");
  t->set_parameters_json_schema(R"({"type":"object","properties":{"query":{"type":"string"}}})");
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::SYSTEM);
  m->set_content("You are careful.");
  m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("When must the buyer pay?");
  m = r.add_messages();
  m->set_role(v1::ChatMessage::ASSISTANT);
  m->set_content("Let me look.");
  m->set_reasoning_content("The contract will say.");
  v1::ToolCall* c = m->add_tool_calls();
  c->set_id("c1");
  c->set_name("search_documents");
  c->set_arguments_json(R"({"query": "buyer pays"})");
  c = m->add_tool_calls();
  c->set_id("c2");
  c->set_name("search_documents");
  c->set_arguments_json(R"({"query": "delivery"})");
  for (const char* id : {"c1", "c2"}) {
    m = r.add_messages();
    m->set_role(v1::ChatMessage::TOOL);
    m->set_tool_call_id(id);
    m->set_name("search_documents");
    m->set_content(std::string("result of ") + id);
  }
  return r;
}

// Little-endian, as the header says.
std::string U32(uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; }
std::string Lp(const std::string& s) {
  std::string out;
  const uint64_t n = s.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + s;
}

TEST(PrefixKeysTest, TheBytesHashedAreTheDocumentedOnes) {
  v1::GenerateRequest r;
  r.set_cache_salt("NaCl");
  v1::Tool* t = r.add_tools();
  t->set_name("f");
  t->set_description("d");
  t->set_parameters_json_schema("{}");
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("hi");
  m = r.add_messages();
  m->set_role(v1::ChatMessage::ASSISTANT);
  v1::ToolCall* c = m->add_tool_calls();
  c->set_id("i");
  c->set_name("f");
  c->set_arguments_json("{}");

  const std::string header = Lp("NaCl") + U32(1) + Lp("f") + Lp("d") + Lp("{}");
  EXPECT_EQ(PrefixHeaderBytes(r), header);
  const std::string user = U32(2) + Lp("hi") + Lp("") + U32(0) + Lp("") + Lp("");
  EXPECT_EQ(PrefixMessageBytes(r.messages(0)), user);
  const std::string assistant = U32(3) + Lp("") + Lp("") + U32(1) + Lp("i") + Lp("f") + Lp("{}") + Lp("") + Lp("");
  EXPECT_EQ(PrefixMessageBytes(r.messages(1)), assistant);

  const std::string k_minus_1 = Raw(Sha256(std::string("switchyard/prefix-keys/v1\0", 26) + header));
  const std::string k0 = Raw(Sha256(k_minus_1 + user));
  const std::string k1 = Raw(Sha256(k0 + assistant));
  EXPECT_THAT(PrefixKeys(r), ::testing::ElementsAre(k0, k1));
  // The first key pinned (computed independently, with Python's hashlib): a change of the
  // definition must be a deliberate one.
  EXPECT_EQ(absl::BytesToHexString(k0), "dc8b3300266a280f35d365b843d5fc366ef3c5a4984346263383f1fe346a7d8e");
}

TEST(PrefixKeysTest, OneKeyOf32BytesPerMessageAndDeterministic) {
  const v1::GenerateRequest r = Conversation();
  const std::vector<std::string> keys = PrefixKeys(r);
  ASSERT_EQ(keys.size(), 5u);
  for (const std::string& k : keys) EXPECT_EQ(k.size(), kPrefixKeyBytes);
  EXPECT_EQ(PrefixKeys(r), keys);
  // Through the wire and back: the same keys.
  v1::GenerateRequest copy;
  ASSERT_TRUE(copy.ParseFromString(r.SerializeAsString()));
  EXPECT_EQ(PrefixKeys(copy), keys);
  // Keys of different cuts differ.
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) EXPECT_NE(keys[i], keys[j]) << i << " " << j;
  }
}

TEST(PrefixKeysTest, SetPrefixKeysReplacesWhatWasThere) {
  v1::GenerateRequest r = Conversation();
  r.add_prefix_keys("stale");
  SetPrefixKeys(&r);
  EXPECT_THAT(r.prefix_keys(), ::testing::ElementsAreArray(PrefixKeys(r)));
  EXPECT_EQ(r.prefix_keys_size(), r.messages_size());
}

TEST(PrefixKeysTest, TheSaltChangesEveryKey) {
  v1::GenerateRequest a = Conversation(), b = Conversation(), none = Conversation();
  b.set_cache_salt("salt-of-globex");
  none.clear_cache_salt();
  const std::vector<std::string> ka = PrefixKeys(a), kb = PrefixKeys(b), kn = PrefixKeys(none);
  for (size_t i = 0; i < ka.size(); ++i) {
    EXPECT_NE(ka[i], kb[i]) << i;
    EXPECT_NE(ka[i], kn[i]) << i;
  }
}

// Each field of message 2 (the assistant's turn), changed alone: keys 0 and 1 stay, 2..4 change.
TEST(PrefixKeysTest, AChangedMessageChangesItsKeyAndEveryLaterOneOnly) {
  const std::vector<std::string> base = PrefixKeys(Conversation());
  const std::vector<std::pair<std::string, std::function<void(v1::ChatMessage*)>>> changes = {
      {"role", [](v1::ChatMessage* m) { m->set_role(v1::ChatMessage::USER); }},
      {"content", [](v1::ChatMessage* m) { m->set_content("Let me look!"); }},
      {"reasoning_content", [](v1::ChatMessage* m) { m->set_reasoning_content(""); }},
      {"a call's id", [](v1::ChatMessage* m) { m->mutable_tool_calls(0)->set_id("c9"); }},
      {"a call's name", [](v1::ChatMessage* m) { m->mutable_tool_calls(0)->set_name("run_code"); }},
      // The same JSON object, written with other spacing: other bytes, another key.
      {"a call's arguments", [](v1::ChatMessage* m) { m->mutable_tool_calls(0)->set_arguments_json(R"({"query":"buyer pays"})"); }},
      {"the calls' order", [](v1::ChatMessage* m) { m->mutable_tool_calls()->SwapElements(0, 1); }},
      {"a call less", [](v1::ChatMessage* m) { m->mutable_tool_calls()->RemoveLast(); }},
      {"tool_call_id", [](v1::ChatMessage* m) { m->set_tool_call_id("c1"); }},
      {"name", [](v1::ChatMessage* m) { m->set_name("x"); }},
      // Bytes moved across a field boundary are another message.
      {"content and reasoning", [](v1::ChatMessage* m) {
         m->set_content("Let me look.The contract");
         m->set_reasoning_content(" will say.");
       }},
  };
  for (const auto& [what, change] : changes) {
    v1::GenerateRequest r = Conversation();
    change(r.mutable_messages(2));
    const std::vector<std::string> keys = PrefixKeys(r);
    ASSERT_EQ(keys.size(), base.size()) << what;
    EXPECT_EQ(keys[0], base[0]) << what;
    EXPECT_EQ(keys[1], base[1]) << what;
    for (size_t i = 2; i < keys.size(); ++i) EXPECT_NE(keys[i], base[i]) << what << ": key " << i;
  }
  // Tool results swapped: from the first swapped one on.
  v1::GenerateRequest swapped = Conversation();
  swapped.mutable_messages()->SwapElements(3, 4);
  const std::vector<std::string> keys = PrefixKeys(swapped);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 3), std::vector<std::string>(base.begin(), base.begin() + 3));
  EXPECT_NE(keys[3], base[3]);
  EXPECT_NE(keys[4], base[4]);
}

TEST(PrefixKeysTest, AppendedMessagesKeepTheKeysBefore) {
  v1::GenerateRequest r = Conversation();
  const std::vector<std::string> before = PrefixKeys(r);
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::ASSISTANT);
  m->set_content("Within 30 days.");
  const std::vector<std::string> after = PrefixKeys(r);
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(std::vector<std::string>(after.begin(), after.end() - 1), before);
}

// The tools the model is shown enter the first key, so every key; tool_choice NONE shows none.
TEST(PrefixKeysTest, TheToolsShownChangeEveryKey) {
  const std::vector<std::string> base = PrefixKeys(Conversation());
  v1::GenerateRequest described = Conversation();
  described.mutable_tools(0)->set_description("Search the contract.");
  v1::GenerateRequest more = Conversation();
  more.add_tools()->set_name("run_code");
  v1::GenerateRequest hidden = Conversation();
  hidden.mutable_tool_choice()->set_mode(v1::ToolChoice::NONE);
  v1::GenerateRequest bare = Conversation();
  bare.clear_tools();
  for (const v1::GenerateRequest* r : {&described, &more, &hidden}) {
    const std::vector<std::string> keys = PrefixKeys(*r);
    for (size_t i = 0; i < keys.size(); ++i) EXPECT_NE(keys[i], base[i]) << i;
  }
  EXPECT_EQ(PrefixKeys(hidden), PrefixKeys(bare));
}

// What changes decoding but not the prompt before the last message leaves the keys alone.
TEST(PrefixKeysTest, DecodingSettingsAndUnknownFieldsDoNotEnter) {
  const std::vector<std::string> base = PrefixKeys(Conversation());
  v1::GenerateRequest r = Conversation();
  r.set_enable_thinking(false);
  r.set_request_id("another trace");
  r.mutable_sampling()->set_temperature(0.2f);
  r.mutable_sampling()->set_max_tokens(7);
  r.mutable_tool_choice()->set_mode(v1::ToolChoice::REQUIRED);
  r.mutable_response_format()->set_type(v1::ResponseFormat::JSON_OBJECT);
  r.add_prefix_keys("whatever the client said");
  // A field this router does not know, inside a message (a newer client's, or a smuggled one).
  r.mutable_messages(1)->GetReflection()->MutableUnknownFields(r.mutable_messages(1))->AddLengthDelimited(99, "x");
  EXPECT_EQ(PrefixKeys(r), base);
  r.set_enable_thinking(true);
  EXPECT_EQ(PrefixKeys(r), base);
}

TEST(PrefixKeysTest, NoMessagesNoKeys) {
  v1::GenerateRequest r;
  r.set_cache_salt("s");
  r.set_prompt("raw text");
  EXPECT_TRUE(PrefixKeys(r).empty());
}

}  // namespace
}  // namespace switchyard
