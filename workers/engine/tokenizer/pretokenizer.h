// PreTokenizer: splits normalized text into the pieces BPE runs on, as the "Split" step of a
// Hugging Face tokenizer.json does (behavior "Isolated": every match is a piece, and so is
// every stretch between matches).
//
// Qwen2/Qwen2.5/Qwen3 all ship one pattern (kQwen2Pattern). It gets a hand-written splitter:
// the pattern uses a look-ahead, which RE2 cannot do, and a hand-written scanner is several
// times faster than a backtracking engine. Any other pattern runs through PCRE2 (JIT), with \s
// rewritten to Oniguruma's Unicode definition so both paths agree with Hugging Face. Tests
// check the hand-written splitter against PCRE2 on the same pattern.
// Thread safety: Split() is const and safe to call concurrently.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_PRETOKENIZER_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_PRETOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

// The Split regex of Qwen's tokenizer.json, verbatim.
inline constexpr absl::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// A piece of the input as byte offsets [begin, end).
struct TextSpan {
  uint32_t begin;
  uint32_t end;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // REQUIRES: text is valid UTF-8 and shorter than 4 GiB. Appends pieces covering all of
  // `text`, in order, none empty.
  virtual void Split(absl::string_view text, std::vector<TextSpan>* out) const = 0;
  virtual absl::string_view name() const = 0;
};

// The hand-written Qwen2 splitter.
std::unique_ptr<PreTokenizer> MakeQwen2PreTokenizer();

// PCRE2 over any pattern in the Oniguruma dialect tokenizer.json uses. InvalidArgument with
// PCRE2's message and offset if the pattern does not compile.
absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeRegexPreTokenizer(absl::string_view pattern);

// `pattern` with \s and \S replaced by Oniguruma's Unicode whitespace set, for PCRE2.
std::string RewriteWhitespaceClasses(absl::string_view pattern);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_PRETOKENIZER_H_
