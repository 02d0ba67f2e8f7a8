// DecodeCost on the published Qwen3 configs shipped in bench/cuda/configs: figures derived by
// hand from the configs (and, for parameter counts, from the checkpoints' published tensor
// shapes), not from the code under test.
#include "workers/engine/model/decode_cost.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/support/test_paths.h"
#include "workers/engine/model/model_config.h"

namespace switchyard {
namespace {

ModelConfig Shipped(const std::string& name) {
  auto c = LoadModelConfig(testing::SourceDir() + "/bench/cuda/configs/" + name);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : ModelConfig{};
}

DecodeCost Cost(const ModelConfig& c, int64_t batch, int64_t context, int kv_bytes = 2) {
  DecodeCostOptions o;
  o.batch = batch;
  o.context = context;
  o.kv_bytes = kv_bytes;
  auto cost = ComputeDecodeCost(c, o);
  EXPECT_TRUE(cost.ok()) << cost.status();
  return cost.ok() ? *cost : DecodeCost{};
}

double Item(const DecodeCost& c, const std::string& name, bool flops = false) {
  const DecodeCostItem* i = c.Find(name);
  EXPECT_NE(i, nullptr) << name;
  return i == nullptr ? -1 : (flops ? i->flops : i->bytes);
}

// Bytes of weights read: everything but the KV cache, activations and logits.
double WeightBytes(const DecodeCost& c) {
  return c.bytes() - Item(c, "kv_write") - Item(c, "attention") - Item(c, "activations") - Item(c, "logits");
}

// Qwen3-0.6B: 28 layers of q 1024x2048, k and v 1024x1024, o 2048x1024, MLP 3 x 1024x3072,
// two [1024] norms and two [128] head norms; embedding 151936x1024 tied; final norm [1024]:
// 28 * 15,730,944 + 155,582,464 + 1,024 = 596,049,920. (The published model.safetensors also
// stores lm_head.weight, a copy of the tied table: 751,632,384 - 155,582,464 = 596,049,920.)
TEST(DecodeCostTest, Qwen3_0_6BWeightsAreReadOnceAtTwoBytesPerParameter) {
  const ModelConfig c = Shipped("Qwen3-0.6B");
  const DecodeCost b1 = Cost(c, 1, 0);
  EXPECT_EQ(b1.total_params, 596049920);
  EXPECT_EQ(b1.active_params, 596049920);
  // Every parameter once at bf16, plus the one embedding row the token gathers (the tied
  // table is read again, in full, by the LM head).
  EXPECT_DOUBLE_EQ(WeightBytes(b1), 2.0 * 596049920 + 2 * 1024);
  EXPECT_DOUBLE_EQ(WeightBytes(b1), 1192101888.0);
  // A batch of 64 reads the same weights once; only the gathered rows grow.
  EXPECT_DOUBLE_EQ(WeightBytes(Cost(c, 64, 0)), 2.0 * 596049920 + 64 * 2 * 1024);
  EXPECT_DOUBLE_EQ(Item(b1, "lm_head"), 2.0 * 151936 * 1024);
  EXPECT_EQ(b1.Find("moe_experts"), nullptr);
}

// FLOPs of one token = 2 per weight it multiplies plus the elementwise and attention terms.
// Multiplied: every parameter but the norm vectors (the tied table is multiplied once, by the
// LM head; the embedding gather multiplies nothing): 596,049,920 - 28 * (2*128 + 2*1024) - 1024
// = 595,984,384. Elementwise, per layer: 10*1024 (two RMSNorms, two residual adds)
// + 7*(2048+1024) (q/k norm and rotary) + 4*2048 + 5*16 (attention over one position)
// + 4*3072 (SwiGLU); and 4*1024 for the final norm: 1,468,608 in all.
TEST(DecodeCostTest, Qwen3_0_6BFlopsAreTwicePerWeightPlusTheElementwiseTerms) {
  const DecodeCost b1 = Cost(Shipped("Qwen3-0.6B"), 1, 0);
  EXPECT_DOUBLE_EQ(b1.flops(), 2.0 * 595984384 + 1468608);
  EXPECT_DOUBLE_EQ(b1.flops(), 1193437376.0);
  // Batch 64 multiplies every FLOP by 64: the weights are shared, the work is not.
  EXPECT_DOUBLE_EQ(Cost(Shipped("Qwen3-0.6B"), 64, 0).flops(), 64 * 1193437376.0);
}

// Qwen3-30B-A3B: per layer attention 18,874,368 + norms 4,352 + router 2048x128 = 262,144 +
// 128 experts of 3 x 2048x768 = 4,718,592 each; 48 layers; untied 151936x2048 twice; final
// norm 2048. Total 30,532,122,624 (Qwen: 30.5B); a token uses 8 of the 128 experts:
// 30,532,122,624 - 48 * 120 * 4,718,592 = 3,353,032,704 (Qwen: 3.3B activated).
TEST(DecodeCostTest, Qwen3_30B_A3BActiveParametersAtBatch1) {
  const DecodeCost b1 = Cost(Shipped("Qwen3-30B-A3B"), 1, 0);
  EXPECT_EQ(b1.total_params, 30532122624);
  EXPECT_EQ(b1.active_params, 3353032704);
  EXPECT_EQ(b1.moe_layers, 48);
  EXPECT_EQ(b1.dense_layers, 0);
  EXPECT_EQ(b1.Find("mlp"), nullptr);
  EXPECT_DOUBLE_EQ(b1.experts_per_layer, 8.0);
  EXPECT_DOUBLE_EQ(Item(b1, "moe_experts"), 48.0 * 8 * 4718592 * 2);
  // At batch 1 the step reads the active parameters, less the embedding table (one row).
  EXPECT_DOUBLE_EQ(WeightBytes(b1), 2.0 * (3353032704 - 151936 * 2048 + 2048));
  // FLOPs: 2 per active weight multiplied (untied, so the embedding table is only gathered;
  // norm vectors are not multiplied): 3,353,032,704 - 311,164,928 - 48 * 4,352 - 2,048
  // = 3,041,656,832; plus per layer
  // 10*2048 + 7*(4096+512) + 4*4096 + 5*32 + 4*128 (router softmax) + 8 * (4*768 + 2*2048)
  // (SwiGLU, weighted sum) = 127,136, and 4*2048 for the final norm: 6,110,720.
  EXPECT_DOUBLE_EQ(b1.flops(), 2.0 * 3041656832 + 6110720);
}

// Under uniform top-8 of 128, batch 64 touches 128 * (1 - (120/128)^64) = 125.94 experts per
// layer on average: nearly all, so the MoE reads almost all 30.5B parameters per step.
TEST(DecodeCostTest, ExpectedDistinctExpertsUnderUniformRouting) {
  EXPECT_DOUBLE_EQ(ExpectedDistinctExperts(128, 8, 1), 8.0);
  EXPECT_NEAR(ExpectedDistinctExperts(128, 8, 64), 125.94234926707806, 1e-9);
  EXPECT_NEAR(ExpectedDistinctExperts(128, 8, 2), 128.0 * (1 - 0.9375 * 0.9375), 1e-12);  // 15.5
  EXPECT_DOUBLE_EQ(ExpectedDistinctExperts(128, 8, 0), 0.0);
  EXPECT_DOUBLE_EQ(ExpectedDistinctExperts(128, 128, 3), 128.0);
  const DecodeCost b64 = Cost(Shipped("Qwen3-30B-A3B"), 64, 0);
  EXPECT_NEAR(b64.experts_per_layer, 125.94234926707806, 1e-9);
  EXPECT_NEAR(Item(b64, "moe_experts"), 48 * 125.94234926707806 * 4718592 * 2, 1.0);
}

// Qwen3-8B caches 2 (K, V) * 36 layers * 8 heads * 128 * 2 bytes = 147,456 bytes per position;
// a step reads L + 1 positions per sequence and writes one.
TEST(DecodeCostTest, KvCacheBytesAreProportionalToContext) {
  const ModelConfig c = Shipped("Qwen3-8B");
  const DecodeCost l1k = Cost(c, 1, 1023), l4k = Cost(c, 1, 4095);
  EXPECT_DOUBLE_EQ(Item(l1k, "attention"), 147456.0 * 1024);
  EXPECT_DOUBLE_EQ(Item(l4k, "attention"), 4 * Item(l1k, "attention"));
  EXPECT_DOUBLE_EQ(Item(l1k, "kv_write"), 147456.0);
  EXPECT_DOUBLE_EQ(l4k.bytes() - l1k.bytes(), 147456.0 * 3072);  // nothing else grows with L
  EXPECT_DOUBLE_EQ(Item(Cost(c, 64, 1023), "attention"), 64 * 147456.0 * 1024);
  EXPECT_DOUBLE_EQ(Item(Cost(c, 1, 1023, /*kv_bytes=*/1), "attention"), 147456.0 / 2 * 1024);
  // Attention FLOPs grow with L too: 36 layers * (4*4096 + 5*32) per position.
  EXPECT_DOUBLE_EQ(Item(l4k, "attention", true) - Item(l1k, "attention", true), 36.0 * (4 * 4096 + 5 * 32) * 3072);
  // Weights: untied 8B reads every parameter but the embedding table, plus one row.
  EXPECT_DOUBLE_EQ(WeightBytes(l1k), 2.0 * (8190735360 - 151936 * 4096 + 4096));
}

TEST(DecodeCostTest, RejectsNonsense) {
  DecodeCostOptions o;
  o.batch = 0;
  EXPECT_EQ(ComputeDecodeCost(Shipped("Qwen3-4B"), o).status().code(), absl::StatusCode::kInvalidArgument);
  o.batch = 1;
  o.context = -1;
  EXPECT_EQ(ComputeDecodeCost(Shipped("Qwen3-4B"), o).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ComputeDecodeCost(ModelConfig{}, DecodeCostOptions{}).status().code(), absl::StatusCode::kInvalidArgument);
  // Qwen3-4B: 4,022,468,096 parameters (Qwen: 4.0B), tied.
  EXPECT_EQ(Cost(Shipped("Qwen3-4B"), 1, 0).total_params, 4022468096);
}

}  // namespace
}  // namespace switchyard
