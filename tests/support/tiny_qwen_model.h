// WriteTinyQwenModel: the integration tests' model — Qwen3's exact layout at the "tiny" shape,
// random weights from `seed`, and the real Qwen3 tokenizer from `tokenizer_dir` (see
// QwenTokenizerDir()) — written once to `dir`, which is returned.
#ifndef SWITCHYARD_TESTS_SUPPORT_TINY_QWEN_MODEL_H_
#define SWITCHYARD_TESTS_SUPPORT_TINY_QWEN_MODEL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace switchyard::testing {

absl::StatusOr<std::string> WriteTinyQwenModel(const std::string& dir, const std::string& tokenizer_dir, uint64_t seed,
                                               int64_t max_position_embeddings);

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_SUPPORT_TINY_QWEN_MODEL_H_
