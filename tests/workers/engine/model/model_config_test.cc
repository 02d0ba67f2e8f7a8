#include "workers/engine/model/model_config.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "workers/engine/model/generation_config.h"
#include "workers/engine/model/tokenizer_config.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

json Dense() {
  return json{{"architectures", {"Qwen3ForCausalLM"}}, {"model_type", "qwen3"}, {"vocab_size", 1000},
              {"hidden_size", 64}, {"intermediate_size", 128}, {"num_hidden_layers", 2},
              {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"head_dim", 16},
              {"rms_norm_eps", 1e-6}, {"rope_theta", 1000000}, {"tie_word_embeddings", true},
              {"rope_scaling", nullptr}, {"eos_token_id", 151645}};
}

json Moe() {
  json j = Dense();
  j["architectures"] = {"Qwen3MoeForCausalLM"};
  j["model_type"] = "qwen3_moe";
  j["num_experts"] = 8;
  j["num_experts_per_tok"] = 2;
  j["moe_intermediate_size"] = 32;
  j["norm_topk_prob"] = true;
  j["decoder_sparse_step"] = 1;
  j["mlp_only_layers"] = json::array();
  return j;
}

absl::StatusOr<ModelConfig> P(const json& j) { return ParseModelConfig(j.dump(), "config.json"); }

void ExpectError(const json& j, absl::StatusCode code, const std::string& text) {
  auto c = P(j);
  ASSERT_FALSE(c.ok()) << j.dump();
  EXPECT_EQ(c.status().code(), code) << c.status();
  EXPECT_THAT(std::string(c.status().message()), HasSubstr(text));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("config.json"));
}

TEST(ModelConfigTest, ReadsDenseAndMoe) {
  auto d = P(Dense());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->architecture, Architecture::kQwen3);
  EXPECT_EQ(d->q_dim(), 64);
  EXPECT_EQ(d->kv_dim(), 32);
  EXPECT_TRUE(d->tie_word_embeddings);
  EXPECT_EQ(d->rope_theta, 1e6);
  EXPECT_EQ(d->eos_token_ids, std::vector<int64_t>{151645});
  EXPECT_EQ(d->max_position_embeddings, 40960);  // transformers' default when absent
  EXPECT_FALSE(d->IsMoeLayer(0));
  auto m = P(Moe());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->architecture, Architecture::kQwen3Moe);
  EXPECT_TRUE(m->IsMoeLayer(0));
  EXPECT_TRUE(m->norm_topk_prob);
}

TEST(ModelConfigTest, DefaultsAndMoeLayerSelection) {
  json j = Dense();
  j.erase("head_dim");
  j.erase("num_key_value_heads");
  auto c = P(j);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->head_dim, 16);             // hidden / heads
  EXPECT_EQ(c->num_key_value_heads, 4);  // = heads
  json m = Moe();
  m["num_hidden_layers"] = 4;
  m["decoder_sparse_step"] = 2;
  m["mlp_only_layers"] = {3};
  auto mc = P(m);
  ASSERT_TRUE(mc.ok()) << mc.status();
  EXPECT_FALSE(mc->IsMoeLayer(0));
  EXPECT_TRUE(mc->IsMoeLayer(1));
  EXPECT_FALSE(mc->IsMoeLayer(2));
  EXPECT_FALSE(mc->IsMoeLayer(3));  // listed in mlp_only_layers
}

TEST(ModelConfigTest, RopeScaling) {
  json j = Dense();
  j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}, {"original_max_position_embeddings", 32768}};
  auto c = P(j);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->rope_scaling.type, RopeScaling::Type::kYarn);
  EXPECT_EQ(c->rope_scaling.factor, 4.0);
  EXPECT_EQ(c->rope_scaling.original_max_position_embeddings, 32768);
  j["rope_scaling"] = {{"type", "linear"}, {"factor", 2}};
  EXPECT_EQ(P(j)->rope_scaling.type, RopeScaling::Type::kLinear);
  j["rope_scaling"] = {{"rope_type", "default"}};
  EXPECT_EQ(P(j)->rope_scaling.type, RopeScaling::Type::kNone);
  j["rope_scaling"] = {{"rope_type", "longrope"}, {"factor", 2}};
  ExpectError(j, absl::StatusCode::kUnimplemented, "unknown rope scaling type 'longrope'");
  j["rope_scaling"] = {{"rope_type", "yarn"}};
  ExpectError(j, absl::StatusCode::kInvalidArgument, "rope_scaling.factor: required key is missing");
  j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4}, {"original_max_position_embeddings", 32768},
                       {"beta_fast", 16}, {"beta_slow", 2}, {"attention_factor", 1.5}};
  auto y = P(j);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->rope_scaling.beta_fast, 16.0);
  EXPECT_EQ(y->rope_scaling.beta_slow, 2.0);
  EXPECT_EQ(y->rope_scaling.attention_factor, 1.5);
  j["rope_scaling"] = {{"type", "dynamic"}, {"factor", 2.0}};
  EXPECT_EQ(P(j)->rope_scaling.type, RopeScaling::Type::kDynamic);
  j["rope_scaling"] = {{"type", "default"}};
  EXPECT_EQ(P(j)->rope_scaling.type, RopeScaling::Type::kNone);
  j["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 0.5}};
  ExpectError(j, absl::StatusCode::kInvalidArgument, "rope_scaling.factor: 0.5 is outside [1, 1024]");
  j["rope_scaling"] = "linear";
  ExpectError(j, absl::StatusCode::kInvalidArgument, "rope_scaling: expected an object, got string");
}

// transformers 5 writes "dtype" for torch_dtype and moves rope_theta (and any scaling) into
// "rope_parameters"; reading only the old keys would silently use theta 10000.
TEST(ModelConfigTest, TransformersV5Keys) {
  json j = Dense();
  j.erase("rope_theta");
  j.erase("rope_scaling");
  j["rope_parameters"] = {{"rope_theta", 5000000.0}, {"rope_type", "default"}};
  j["dtype"] = "float16";
  auto c = P(j);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->rope_theta, 5e6);
  EXPECT_EQ(c->rope_scaling.type, RopeScaling::Type::kNone);
  EXPECT_EQ(c->torch_dtype, "float16");
  j["rope_parameters"] = {{"rope_theta", 1000000}, {"rope_type", "yarn"}, {"factor", 4}, {"original_max_position_embeddings", 32768}};
  auto y = P(j);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_EQ(y->rope_scaling.type, RopeScaling::Type::kYarn);
  EXPECT_EQ(y->rope_theta, 1e6);
  j["rope_parameters"] = {{"rope_theta", 1000000}, {"rope_type", "longrope"}, {"factor", 4}};
  ExpectError(j, absl::StatusCode::kUnimplemented, "rope_parameters.rope_type: unknown rope scaling type 'longrope'");
}

TEST(ModelConfigTest, TokenIdsIntOrList) {
  json j = Dense();
  j["bos_token_id"] = 151643;
  j["eos_token_id"] = {151645, 151643};
  auto c = P(j);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bos_token_ids, std::vector<int64_t>{151643});
  EXPECT_EQ(c->eos_token_ids, (std::vector<int64_t>{151645, 151643}));
  j["eos_token_id"] = "x";
  ExpectError(j, absl::StatusCode::kInvalidArgument, "eos_token_id: expected an integer or a list of integers, got string");
}

TEST(ModelConfigTest, Errors) {
  json j = Dense();
  j["architectures"] = {"LlamaForCausalLM"};
  j["model_type"] = "llama";
  ExpectError(j, absl::StatusCode::kUnimplemented,
              "architecture 'LlamaForCausalLM' is not supported (supported: Qwen3ForCausalLM, Qwen3MoeForCausalLM)");
  j = Dense();
  j["model_type"] = "qwen3_moe";
  ExpectError(j, absl::StatusCode::kInvalidArgument, "model_type: 'qwen3_moe' does not match Qwen3ForCausalLM");
  j = Dense();
  j.erase("hidden_size");
  ExpectError(j, absl::StatusCode::kInvalidArgument, "config.json: hidden_size: required key is missing");
  j = Dense();
  j["hidden_size"] = "64";
  ExpectError(j, absl::StatusCode::kInvalidArgument, "hidden_size: expected an integer, got string");
  j = Dense();
  j["num_key_value_heads"] = 3;
  ExpectError(j, absl::StatusCode::kInvalidArgument, "num_key_value_heads: 3 does not divide num_attention_heads 4");
  j = Dense();
  j["head_dim"] = 15;
  ExpectError(j, absl::StatusCode::kInvalidArgument, "head_dim: 15 is odd");
  j = Dense();
  j["vocab_size"] = 0;
  ExpectError(j, absl::StatusCode::kInvalidArgument, "vocab_size: 0 is outside");
  j = Dense();
  j["quantization_config"] = {{"quant_method", "fp8"}};
  ExpectError(j, absl::StatusCode::kUnimplemented, "quantized checkpoints");
  j = Dense();
  j["attention_bias"] = true;
  ExpectError(j, absl::StatusCode::kUnimplemented, "attention_bias");
  j = Dense();
  j["use_sliding_window"] = true;
  ExpectError(j, absl::StatusCode::kUnimplemented, "sliding-window");
  j = Dense();
  j["rms_norm_eps"] = 0;
  ExpectError(j, absl::StatusCode::kInvalidArgument, "rms_norm_eps");
  json m = Moe();
  m["num_experts_per_tok"] = 9;
  ExpectError(m, absl::StatusCode::kInvalidArgument, "num_experts_per_tok: 9 exceeds num_experts 8");
  m = Moe();
  m["mlp_only_layers"] = {5};
  ExpectError(m, absl::StatusCode::kInvalidArgument, "mlp_only_layers: entries must be layer indices below 2");
  m = Moe();
  m["mlp_only_layers"] = {0};
  m.erase("intermediate_size");
  ExpectError(m, absl::StatusCode::kInvalidArgument, "layer 0 is dense but intermediate_size is missing");
  j = Dense();
  j["hidden_act"] = "gelu";
  ExpectError(j, absl::StatusCode::kUnimplemented, "hidden_act: 'gelu'");
  j = Dense();
  j.erase("architectures");
  j["model_type"] = "llama";
  ExpectError(j, absl::StatusCode::kUnimplemented, "architecture 'llama' is not supported");
  m = Moe();
  m["num_experts"] = 0;
  ExpectError(m, absl::StatusCode::kInvalidArgument, "num_experts: 0 is outside");
  auto bad = ParseModelConfig("{\"hidden_size\": ", "config.json");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("config.json: not valid JSON"));
  auto arr = ParseModelConfig("[]", "config.json");
  EXPECT_THAT(std::string(arr.status().message()), HasSubstr("config.json: expected a JSON object at the top level"));
}

TEST(ModelConfigTest, FixtureConfigs) {
  SWITCHYARD_REQUIRE_SHARED();
  auto dense = LoadModelConfig(*testing::FixtureDir("qwen3-tiny-dense") + "/hf");
  ASSERT_TRUE(dense.ok()) << dense.status();
  EXPECT_EQ(dense->vocab_size, 151936);
  EXPECT_EQ(dense->hidden_size, 64);
  EXPECT_TRUE(dense->tie_word_embeddings);
  auto moe = LoadModelConfig(*testing::FixtureDir("qwen3-tiny-moe") + "/hf");
  ASSERT_TRUE(moe.ok()) << moe.status();
  EXPECT_EQ(moe->num_experts, 8);
  EXPECT_EQ(moe->num_experts_per_tok, 2);
  EXPECT_EQ(moe->moe_intermediate_size, 32);
  EXPECT_FALSE(moe->tie_word_embeddings);
}

TEST(GenerationConfigTest, ReadsQwenDefaultsAndRejectsNonsense) {
  auto g = ParseGenerationConfig(R"({"bos_token_id":151643,"do_sample":true,"eos_token_id":[151645,151643],
      "pad_token_id":151643,"temperature":0.6,"top_k":20,"top_p":0.95})", "generation_config.json");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->do_sample);
  EXPECT_EQ(g->temperature, 0.6);
  EXPECT_EQ(g->top_k, 20);
  EXPECT_EQ(g->eos_token_ids, (std::vector<int64_t>{151645, 151643}));
  EXPECT_EQ(g->pad_token_id, 151643);
  auto bad = ParseGenerationConfig(R"({"top_p": 1.5})", "generation_config.json");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("generation_config.json: top_p: 1.5 is outside (0, 1]"));
  testing::ScratchDir dir;
  auto absent = LoadGenerationConfig(dir.path());
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->do_sample);
}

TEST(TokenizerConfigTest, ReadsTemplateAndTokens) {
  auto c = ParseTokenizerConfig(R"({"chat_template":[{"name":"tool_use","template":"T"},{"name":"default","template":"D"}],
      "eos_token":{"content":"<|im_end|>","special":true},"pad_token":"<|endoftext|>","bos_token":null,
      "model_max_length":1e30,"added_tokens_decoder":{"151645":{"content":"<|im_end|>","special":true}}})", "tokenizer_config.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->chat_template, "D");
  EXPECT_EQ(c->eos_token, "<|im_end|>");
  EXPECT_EQ(c->pad_token, "<|endoftext|>");
  EXPECT_FALSE(c->bos_token.has_value());
  EXPECT_FALSE(c->model_max_length.has_value());
  EXPECT_TRUE(c->added_tokens_decoder.at(151645).special);
  auto bad = ParseTokenizerConfig(R"({"chat_template": 5})", "tokenizer_config.json");
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("tokenizer_config.json: chat_template: expected a string"));
  auto bad_id = ParseTokenizerConfig(R"({"added_tokens_decoder": {"x": {"content": "a"}}})", "tokenizer_config.json");
  EXPECT_THAT(std::string(bad_id.status().message()), HasSubstr("key 'x' is not a token id"));
}

TEST(TokenizerConfigTest, NamedTemplatesAndJinjaFile) {
  auto c = ParseTokenizerConfig(R"({"chat_template":[{"name":"tool_use","template":"T"},{"name":"default","template":"D"}]})",
                                "tokenizer_config.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->named_chat_templates.at("tool_use"), "T");
  EXPECT_EQ(c->named_chat_templates.at("default"), "D");
  auto bad = ParseTokenizerConfig(R"({"chat_template":[{"name":"x"}]})", "tokenizer_config.json");
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("tokenizer_config.json: chat_template: list entries need"));
  // Newer transformers save the template beside the JSON, in chat_template.jinja.
  testing::ScratchDir dir;
  dir.Write("tokenizer_config.json", R"({"eos_token":"<|im_end|>"})");
  dir.Write("chat_template.jinja", "{{ messages }}");
  auto loaded = LoadTokenizerConfig(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->chat_template, "{{ messages }}");
  EXPECT_EQ(loaded->eos_token, "<|im_end|>");
  dir.Write("tokenizer_config.json", R"({"chat_template":"inline"})");
  EXPECT_EQ(LoadTokenizerConfig(dir.path())->chat_template, "inline");  // the JSON's own wins
  dir.Write("tokenizer_config.json", R"({"add_bos_token":"yes"})");
  auto wrong = LoadTokenizerConfig(dir.path());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("tokenizer_config.json: add_bos_token: expected a boolean, got string"));
}

TEST(TokenizerConfigTest, QwenFixture) {
  SWITCHYARD_REQUIRE_SHARED();
  auto c = LoadTokenizerConfig(*testing::FixtureDir("qwen3-tiny-dense") + "/hf");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->chat_template, HasSubstr("enable_thinking"));
  EXPECT_EQ(c->eos_token, "<|im_end|>");
  EXPECT_EQ(c->model_max_length, 131072);
  EXPECT_EQ(c->added_tokens_decoder.size(), 26u);
}

}  // namespace
}  // namespace switchyard
