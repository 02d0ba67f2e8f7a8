#include "tests/support/tiny_qwen_model.h"

#include "workers/engine/model/model_writer.h"

namespace switchyard::testing {

absl::StatusOr<std::string> WriteTinyQwenModel(const std::string& dir, const std::string& tokenizer_dir, uint64_t seed,
                                               int64_t max_position_embeddings) {
  auto shape = NamedModelShape("tiny");
  if (!shape.ok()) return shape.status();
  ModelWriteOptions o;
  o.out_dir = dir;
  o.shape = *shape;
  o.shape.max_position_embeddings = max_position_embeddings;
  o.seed = seed;
  o.tokenizer_dir = tokenizer_dir;
  if (absl::Status s = WriteRandomModel(o); !s.ok()) return s;
  return dir;
}

}  // namespace switchyard::testing
