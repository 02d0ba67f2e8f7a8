#include "workers/engine/runtime/model_runner.h"

#include "absl/strings/str_cat.h"

namespace switchyard {

absl::Status ValidateChunk(const SequenceChunk& ch, const ModelConfig& c) {
  if (ch.tokens.empty()) return absl::InvalidArgumentError("a sequence chunk has no tokens");
  for (int32_t id : ch.tokens) {
    if (id < 0 || id >= c.vocab_size) {
      return absl::InvalidArgumentError(absl::StrCat("token id ", id, " is outside the vocabulary [0, ", c.vocab_size, ")"));
    }
  }
  const int64_t end = ch.kv->length() + static_cast<int64_t>(ch.tokens.size());
  if (end > c.max_position_embeddings) {
    return absl::InvalidArgumentError(absl::StrCat("sequence of ", end, " tokens exceeds the model's context of ",
                                                   c.max_position_embeddings, " tokens"));
  }
  return absl::OkStatus();
}

int64_t LogitRows(absl::Span<const SequenceChunk> chunks) {
  int64_t rows = 0;
  for (const SequenceChunk& c : chunks) {
    if (c.want_logits) rows += c.all_logits ? static_cast<int64_t>(c.tokens.size()) : 1;
  }
  return rows;
}

KvCacheShape ModelKvShape(const ModelConfig& c, int64_t block_size, DType dtype) {
  return KvCacheShape{c.num_hidden_layers, c.num_key_value_heads, c.head_dim, block_size, dtype};
}

absl::StatusOr<std::unique_ptr<KvBlockPool>> MakeKvPool(const ModelRunner& runner, const KvPoolSpec& wish) {
  const KvPoolSpec spec = runner.KvPoolFor(wish);
  return KvBlockPool::Create(spec.shape, spec.num_blocks, spec.memory);
}

}  // namespace switchyard
