// Text normalization before pre-tokenization: Qwen's tokenizer.json asks for Unicode NFC,
// computed with ICU only over the stretches of text that can change.
// Thread safety: stateless.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_NORMALIZER_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_NORMALIZER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

enum class Normalization { kNone, kNfc };

// Returns `text` in the normalization form; *storage holds the result when it differs from
// the input (the common all-NFC case returns `text` itself without copying).
// REQUIRES: text is valid UTF-8.
absl::string_view Normalize(Normalization form, absl::string_view text, std::string* storage);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_NORMALIZER_H_
