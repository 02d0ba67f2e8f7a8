// UnicodeClass: the character classes the Qwen2/Qwen3 pre-tokenizer pattern distinguishes.
//
// \p{L} (letters: Lu Ll Lt Lm Lo), \p{N} (numbers: Nd Nl No), \s as Oniguruma defines it for
// Unicode (what Hugging Face's Rust tokenizers run): U+0009..U+000D, U+0085 and the Z
// categories (Zs, Zl, Zp), with CR and LF marked apart because the pattern names them.
// Categories come from ICU (Unicode 15 in Debian 12's ICU 72, as Node 20 and Oniguruma 6.9.8
// use), folded once into a table indexed by code point.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UNICODE_CLASS_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UNICODE_CLASS_H_

#include <cstdint>

namespace switchyard {

enum class CharClass : uint8_t {
  kOther = 0,       // anything else: punctuation, symbols, marks, controls, unassigned
  kLetter = 1,      // \p{L}
  kNumber = 2,      // \p{N}
  kSpace = 3,       // \s other than CR and LF
  kNewline = 4,     // \r or \n (also \s)
};

// Thread safety: the table is built once, on first use, under the C++ static-init lock.
CharClass ClassOf(uint32_t code_point);

// The Unicode version of the category data (ICU's), for diagnostics.
const char* UnicodeDataVersion();

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_UNICODE_CLASS_H_
