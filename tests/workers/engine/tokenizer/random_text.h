// RandomText: deterministic random strings built from "atoms" chosen to stress a byte-level
// BPE tokenizer: every character class the Qwen2 pattern tells apart, contractions in both
// cases, Unicode spaces and newlines, combining marks and NFD text, CJK, RTL, emoji ZWJ
// sequences, flags, special-token literals and long runs.
#ifndef SWITCHYARD_TESTS_ENGINE_TOKENIZER_RANDOM_TEXT_H_
#define SWITCHYARD_TESTS_ENGINE_TOKENIZER_RANDOM_TEXT_H_

#include <random>
#include <string>
#include <vector>

namespace switchyard::testing {

class RandomText {
 public:
  // include_engine_dependent: also use U+0085 and U+FEFF, the two characters where
  // Oniguruma's \s (Hugging Face's Rust tokenizers) and JavaScript's \s (transformers.js) differ.
  explicit RandomText(uint64_t seed, bool include_engine_dependent = true);
  std::string Next(int max_atoms);

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> atoms_;
};

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ENGINE_TOKENIZER_RANDOM_TEXT_H_
