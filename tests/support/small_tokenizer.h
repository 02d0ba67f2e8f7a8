// SmallTokenizer: a tokenizer.json built in code, for tests that need a real Tokenizer but not
// Qwen3's 151k vocabulary: 256 byte tokens (ids 0..255 in byte order), then the merges
// "h"+"e" -> 256, "l"+"l" -> 257, "he"+"ll" -> 258, "Ġ"+"w" -> 259, and one added special
// token "<|end|>" = 260. Qwen's pre-tokenizer pattern, byte-level decoding.
#ifndef SWITCHYARD_TESTS_SUPPORT_SMALL_TOKENIZER_H_
#define SWITCHYARD_TESTS_SUPPORT_SMALL_TOKENIZER_H_

#include "nlohmann/json.hpp"

namespace switchyard::testing {

inline constexpr int kSmallTokenizerVocab = 261;

// The tokenizer.json document (Tokenizer::FromJson(SmallTokenizer().dump(), ...)).
nlohmann::json SmallTokenizer();

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_SUPPORT_SMALL_TOKENIZER_H_
