// PCRE2 fallback for tokenizer.json Split patterns other than Qwen's.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "workers/engine/tokenizer/pretokenizer.h"

namespace switchyard {
namespace {

// Oniguruma's Unicode \s: U+0009..U+000D, U+0085, and Zs/Zl/Zp (Zs includes U+0020).
constexpr absl::string_view kSpaceSetInner = R"(\x{9}-\x{d}\x{85}\p{Z})";

struct CodeDeleter {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};

class RegexPreTokenizer final : public PreTokenizer {
 public:
  explicit RegexPreTokenizer(std::unique_ptr<pcre2_code, CodeDeleter> code) : code_(std::move(code)) {}

  void Split(absl::string_view text, std::vector<TextSpan>* out) const override {
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> md(
        pcre2_match_data_create_from_pattern(code_.get(), nullptr));
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t pos = 0;     // where the next search starts
    size_t pending = 0; // start of text not yet covered by a piece
    while (pos <= text.size()) {
      // The text was validated once by the caller: skip PCRE2's per-call UTF check.
      int rc = pcre2_match(code_.get(), subject, text.size(), pos, PCRE2_NO_UTF_CHECK, md.get(), nullptr);
      if (rc < 0) break;  // no match (or a resource limit): the rest is one gap
      const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
      size_t b = ov[0], e = ov[1];
      if (b > pending) out->push_back(TextSpan{static_cast<uint32_t>(pending), static_cast<uint32_t>(b)});
      if (e > b) {
        out->push_back(TextSpan{static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
        pos = e;
        pending = e;
      } else {
        // Empty match: step one character so the scan makes progress.
        pos = b + 1;
        while (pos < text.size() && (static_cast<uint8_t>(text[pos]) & 0xC0) == 0x80) ++pos;
        if (b == text.size()) break;
      }
    }
    if (pending < text.size()) {
      out->push_back(TextSpan{static_cast<uint32_t>(pending), static_cast<uint32_t>(text.size())});
    }
  }
  absl::string_view name() const override { return "pcre2"; }

 private:
  std::unique_ptr<pcre2_code, CodeDeleter> code_;
};

}  // namespace

std::string RewriteWhitespaceClasses(absl::string_view pattern) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char n = pattern[i + 1];
      if (n == 's' || n == 'S') {
        if (in_class) {
          // Inside [...] only \s occurs in practice; \S inside a class has no simple rewrite,
          // so it is left to PCRE2's own definition.
          if (n == 's') absl::StrAppend(&out, kSpaceSetInner);
          else absl::StrAppend(&out, "\\S");
        } else {
          absl::StrAppend(&out, n == 's' ? "[" : "[^", kSpaceSetInner, "]");
        }
      } else {
        out.push_back(c);
        out.push_back(n);
      }
      ++i;
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out.push_back(c);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeRegexPreTokenizer(absl::string_view pattern) {
  const std::string rewritten = RewriteWhitespaceClasses(pattern);
  int err = 0;
  PCRE2_SIZE err_off = 0;
  std::unique_ptr<pcre2_code, CodeDeleter> code(
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(rewritten.data()), rewritten.size(),
                    PCRE2_UTF | PCRE2_UCP, &err, &err_off, nullptr));
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    return absl::InvalidArgumentError(absl::StrCat("pre-tokenizer pattern does not compile at offset ",
                                                   err_off, ": ", reinterpret_cast<const char*>(msg)));
  }
  pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);  // best effort: the interpreter also works
  return std::unique_ptr<PreTokenizer>(std::make_unique<RegexPreTokenizer>(std::move(code)));
}

}  // namespace switchyard
