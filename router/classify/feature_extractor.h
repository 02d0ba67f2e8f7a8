// FeatureExtractor turns a prompt into hashed sparse features for the request classifier.
//
// One streaming pass over the UTF-8 bytes, no allocation on the hot path:
//   - normalization: invalid UTF-8 bytes become U+FFFD; letters are lowercased (ICU simple case
//     mapping, ASCII by table); every decimal digit of any script becomes '0'; a run of
//     whitespace becomes one ' ', or '\n' when it holds a line break ('\n' then ' ' when the next
//     line is indented);
//   - character n-grams (n = char_min_n..char_max_n) over that normalized stream;
//   - word unigrams and bigrams (a word is a run of letters, marks, digits and '_'; each Han or
//     kana character is a word of its own, since Chinese and Japanese use no spaces);
//   - edge words: the first and last `edge_words` words again, tagged "head:"/"tail:", because
//     the instruction of a request usually sits at its start or end;
//   - structural features: length, line count, indentation, code punctuation density, digits,
//     dominant scripts, fences, LaTeX, how the text ends — each binned into a categorical value,
//     so that the linear model learns their weights (nothing here is hand-weighted).
// Long prompts are truncated before featurization: only the first and the last max_bytes/2
// bytes are read (cut at UTF-8 boundaries), joined by a line break. Instructions sit at the
// ends; this bounds the latency of a request to a few thousand features whatever its size.
//
// Features are reported to a sink as (group, bucket) with bucket in [0, 2^hash_bits). A sink
// whose type declares `static constexpr bool kWantsNames = true` also receives the readable name
// of each feature (for Explain and the trainer's report); building names allocates, hashing
// does not.
//
// Thread safety: immutable after construction; Extract is const and may run concurrently.
// Failure modes: none; every byte sequence, valid UTF-8 or not, yields features.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_FEATURE_EXTRACTOR_H_
#define SWITCHYARD_ROUTER_CLASSIFY_FEATURE_EXTRACTOR_H_

#include <cstdint>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace switchyard::classify {

// Each group is normalized on its own (its features get weight 1/sqrt(count in group)).
enum class FeatureGroup : uint8_t { kChar = 0, kWord = 1, kEdge = 2, kStruct = 3 };
inline constexpr int kNumFeatureGroups = 4;

struct FeatureConfig {
  uint32_t hash_bits = 18;    // buckets = 2^hash_bits, in [8, 24]
  uint32_t char_min_n = 1;    // character n-gram lengths, 1 <= min <= max <= 4
  uint32_t char_max_n = 4;
  uint32_t edge_words = 8;    // words tagged head:/tail:, <= 32
  uint32_t max_bytes = 4096;  // longer prompts: first and last max_bytes/2 bytes, >= 64
  uint64_t seed = 0x5377596172644331ull;  // salts every hash

  uint32_t buckets() const { return 1u << hash_bits; }
};

namespace feature_internal {

// Character classes of a normalized code point.
enum CharKind : uint8_t { kSpace, kNewline, kWordChar, kIdeograph, kOther };
// Scripts counted for the structural features.
enum Script : uint8_t {
  kLatin, kCyrillic, kGreek, kArabic, kHebrew, kIndic, kHan, kKana, kHangul, kThai, kOtherScript,
  kNumScripts
};

struct CharInfo {
  uint32_t cp;      // normalized code point
  CharKind kind;
  Script script;    // meaningful for letters only
  bool letter;
  bool digit;
  bool code_punct;  // one of {}()[];=<>|&*/\$#@`~^%+_
};

// Decodes one code point at `p` (advancing it); invalid or truncated sequences yield U+FFFD
// and advance by one byte.
uint32_t DecodeUtf8(const unsigned char*& p, const unsigned char* end);
// Classifies and normalizes one code point.
CharInfo Classify(uint32_t cp);
// Appends `cp` as UTF-8, showing '\n' as "\\n".
void AppendForName(std::string& out, uint32_t cp);

inline uint64_t HashStart(uint64_t seed, uint64_t salt) {
  return (0xcbf29ce484222325ull ^ seed) ^ (salt * 0x9e3779b97f4a7c15ull);
}
inline uint64_t HashStep(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }
inline uint32_t ToBucket(uint64_t h, uint32_t bits) {
  return static_cast<uint32_t>(((h ^ (h >> 32)) * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

// Salts of the feature kinds.
enum Salt : uint64_t { kSaltChar = 1, kSaltWord = 2, kSaltBigram = 3, kSaltHead = 4, kSaltTail = 5,
                       kSaltStruct = 6 };

template <typename Sink, typename = void>
struct WantsNames : std::false_type {};
template <typename Sink>
struct WantsNames<Sink, std::void_t<decltype(Sink::kWantsNames)>>
    : std::integral_constant<bool, Sink::kWantsNames> {};

// Structural feature identifiers (stable: they are hashed into the model).
enum StructFeature : uint64_t {
  kStLength = 1, kStLines, kStIndent, kStCodePunct, kStDigits, kStScript, kStScript2,
  kStNonLatin, kStFence, kStEndsQuestion, kStEndsColon, kStCodeLineEnds, kStLatex, kStQuotes,
  kStBraces, kStNumbers
};
const char* StructName(StructFeature f);

}  // namespace feature_internal

class FeatureExtractor {
 public:
  explicit FeatureExtractor(const FeatureConfig& config) : config_(config) {}
  const FeatureConfig& config() const { return config_; }

  // Calls sink(FeatureGroup, uint32_t bucket) for every feature occurrence (repeats included),
  // and, for sinks that want names, sink.Named(FeatureGroup, uint32_t bucket, absl::string_view
  // name) instead.
  template <typename Sink>
  void Extract(absl::string_view text, Sink& sink) const;

 private:
  FeatureConfig config_;
};

// ---------------------------------------------------------------------------------------------
// Implementation (a template so that the sink's accumulation inlines into the scan).

namespace feature_internal {

template <typename Sink, bool kNames>
class Scan {
 public:
  Scan(const FeatureConfig& c, Sink& sink) : c_(c), sink_(sink) {}

  void Feed(absl::string_view bytes) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char* end = p + bytes.size();
    while (p < end) {
      uint32_t cp;
      if (*p < 0x80) {
        cp = *p++;
      } else {
        cp = DecodeUtf8(p, end);
      }
      OnChar(Classify(cp));
    }
  }

  // A line break between the head and the tail of a truncated prompt.
  void Break() { OnChar(Classify('\n')); }

  void Finish() {
    EndWord();
    EndLine();
    EmitTail();
    EmitStructure();
  }

 private:
  static constexpr int kMaxNameChars = 48;

  void Emit(FeatureGroup g, uint64_t h, const std::string& name) {
    const uint32_t b = ToBucket(h, c_.hash_bits);
    if constexpr (kNames) {
      sink_.Named(g, b, name);
    } else {
      sink_(g, b);
    }
  }

  void OnChar(const CharInfo& ci) {
    ++total_chars_;
    if (ci.kind == kSpace || ci.kind == kNewline) {
      EndWord();
      if (ci.kind == kNewline) {
        EndLine();
        ws_newline_ = true;
        ws_indent_ = false;
      } else {
        if (ws_newline_) ws_indent_ = true;      // spaces after a line break: an indented line
        if (line_chars_ == 0) line_indented_ = true;
      }
      ws_pending_ = true;
      return;
    }
    if (ws_pending_) {
      if (ws_newline_) {
        PushChar('\n');
        if (ws_indent_) PushChar(' ');
      } else {
        PushChar(' ');
      }
      ws_pending_ = ws_newline_ = ws_indent_ = false;
    }
    // Line statistics.
    ++line_chars_;
    line_last_ = ci.cp;
    last_char_ = ci.cp;
    if (ci.letter) {
      ++letters_;
      ++script_counts_[ci.script];
    }
    if (ci.digit) {
      ++digits_;
      if (!in_number_) ++numbers_;
    }
    in_number_ = ci.digit;
    if (ci.code_punct) ++code_punct_;
    if (ci.cp == '{' || ci.cp == '}') ++braces_;
    if (ci.cp == '\\' || ci.cp == '$') ++latex_;
    if (ci.cp == '"' || ci.cp == 0x201c || ci.cp == 0x201d || ci.cp == 0xab || ci.cp == 0xbb ||
        ci.cp == 0x300c || ci.cp == 0x300d || ci.cp == 0x201e) {
      ++quotes_;
    }
    if (ci.cp == '`') {
      backticks_run_ = backticks_run_ + 1;
      if (backticks_run_ == 3) fence_ = true;
    } else {
      backticks_run_ = 0;
    }
    // Words.
    if (ci.kind == kWordChar) {
      word_hash_ = HashStep(word_len_ == 0 ? HashStart(c_.seed, kSaltWord) : word_hash_, ci.cp);
      if constexpr (kNames) {
        if (word_len_ < kMaxNameChars) AppendForName(word_name_, ci.cp);
      }
      ++word_len_;
    } else {
      EndWord();
      if (ci.kind == kIdeograph) {
        word_hash_ = HashStep(HashStart(c_.seed, kSaltWord), ci.cp);
        if constexpr (kNames) AppendForName(word_name_, ci.cp);
        word_len_ = 1;
        EndWord();
      }
    }
    PushChar(ci.cp);
  }

  // Appends one code point to the normalized character stream and emits the n-grams ending
  // with it.
  void PushChar(uint32_t cp) {
    ring_[ring_pos_ & 3] = cp;
    ++ring_pos_;
    const uint32_t avail = ring_pos_ < 4 ? ring_pos_ : 4;
    const uint32_t max_n = c_.char_max_n < avail ? c_.char_max_n : avail;
    uint64_t h = HashStart(c_.seed, kSaltChar);
    for (uint32_t n = 1; n <= max_n; ++n) {
      h = HashStep(h, ring_[(ring_pos_ - n) & 3]);
      if (n >= c_.char_min_n) {
        if constexpr (kNames) {
          std::string name = "c:\"";
          for (uint32_t k = n; k >= 1; --k) AppendForName(name, ring_[(ring_pos_ - k) & 3]);
          name += '"';
          Emit(FeatureGroup::kChar, h, name);
        } else {
          Emit(FeatureGroup::kChar, h, empty_);
        }
      }
    }
  }

  void EndWord() {
    if (word_len_ == 0) return;
    const uint64_t w = word_hash_;
    if constexpr (kNames) {
      Emit(FeatureGroup::kWord, w, "w:" + word_name_);
      if (words_ > 0) {
        Emit(FeatureGroup::kWord, HashStep(HashStep(HashStart(c_.seed, kSaltBigram), prev_word_), w),
             "w2:" + prev_name_ + " " + word_name_);
      }
      if (words_ < c_.edge_words) {
        Emit(FeatureGroup::kEdge, HashStep(HashStart(c_.seed, kSaltHead), w), "head:" + word_name_);
      }
      tail_names_[words_ % kMaxEdge] = word_name_;
      prev_name_ = word_name_;
      word_name_.clear();
    } else {
      Emit(FeatureGroup::kWord, w, empty_);
      if (words_ > 0) {
        Emit(FeatureGroup::kWord, HashStep(HashStep(HashStart(c_.seed, kSaltBigram), prev_word_), w),
             empty_);
      }
      if (words_ < c_.edge_words) {
        Emit(FeatureGroup::kEdge, HashStep(HashStart(c_.seed, kSaltHead), w), empty_);
      }
    }
    tail_[words_ % kMaxEdge] = w;
    prev_word_ = w;
    ++words_;
    word_len_ = 0;
  }

  void EndLine() {
    if (line_chars_ > 0) {
      ++lines_;
      if (line_indented_) ++indented_lines_;
      if (line_last_ == ';' || line_last_ == '{' || line_last_ == '}' || line_last_ == ')' ||
          line_last_ == ':' || line_last_ == ',') {
        ++code_line_ends_;
      }
    }
    line_chars_ = 0;
    line_indented_ = false;
  }

  void EmitTail() {
    const uint64_t n = words_ < c_.edge_words ? words_ : c_.edge_words;
    for (uint64_t i = words_ - n; i < words_; ++i) {
      const uint64_t h = HashStep(HashStart(c_.seed, kSaltTail), tail_[i % kMaxEdge]);
      if constexpr (kNames) {
        Emit(FeatureGroup::kEdge, h, "tail:" + tail_names_[i % kMaxEdge]);
      } else {
        Emit(FeatureGroup::kEdge, h, empty_);
      }
    }
  }

  void EmitStruct(StructFeature f, uint64_t value) {
    const uint64_t h = HashStep(HashStep(HashStart(c_.seed, kSaltStruct), f), value);
    if constexpr (kNames) {
      std::string name = "s:";
      name += StructName(f);
      name += '=';
      if (f == kStScript || f == kStScript2) {
        static const char* kScripts[] = {"latin", "cyrillic", "greek", "arabic", "hebrew", "indic",
                                         "han",   "kana",     "hangul", "thai", "other", "none"};
        name += kScripts[value < 12 ? value : 11];
      } else {
        name += std::to_string(value);
      }
      Emit(FeatureGroup::kStruct, h, name);
    } else {
      Emit(FeatureGroup::kStruct, h, empty_);
    }
  }

  // Bins a ratio num/den into 0..5 at 0, 1%, 3%, 8%, 15%, 30%.
  static uint64_t RatioBin(uint64_t num, uint64_t den) {
    if (num == 0 || den == 0) return 0;
    const uint64_t permille = num * 1000 / den;
    if (permille < 10) return 1;
    if (permille < 30) return 2;
    if (permille < 80) return 3;
    if (permille < 150) return 4;
    if (permille < 300) return 5;
    return 6;
  }
  static uint64_t Log2Bin(uint64_t n) {
    uint64_t b = 0;
    while (n > 1) {
      n >>= 1;
      ++b;
    }
    return b;
  }

  void EmitStructure() {
    EmitStruct(kStLength, Log2Bin(total_chars_ + 1));
    EmitStruct(kStLines, lines_ <= 1 ? lines_ : lines_ <= 2 ? 2 : lines_ <= 5 ? 3 : lines_ <= 10 ? 4
                                                                : lines_ <= 25 ? 5 : 6);
    if (lines_ >= 3) EmitStruct(kStIndent, RatioBin(indented_lines_, lines_));
    if (lines_ >= 2) EmitStruct(kStCodeLineEnds, RatioBin(code_line_ends_, lines_));
    EmitStruct(kStCodePunct, RatioBin(code_punct_, total_chars_));
    EmitStruct(kStDigits, RatioBin(digits_, total_chars_));
    EmitStruct(kStNumbers, numbers_ <= 3 ? numbers_ : numbers_ <= 6 ? 4 : numbers_ <= 12 ? 5 : 6);
    EmitStruct(kStBraces, braces_ == 0 ? 0 : braces_ <= 2 ? 1 : 2);
    EmitStruct(kStLatex, latex_ == 0 ? 0 : latex_ <= 2 ? 1 : 2);
    EmitStruct(kStQuotes, quotes_ == 0 ? 0 : quotes_ <= 2 ? 1 : 2);
    if (fence_) EmitStruct(kStFence, 1);
    const bool q = last_char_ == '?' || last_char_ == 0xff1f || last_char_ == 0x61f;
    EmitStruct(kStEndsQuestion, q ? 1 : 0);
    EmitStruct(kStEndsColon, last_char_ == ':' || last_char_ == 0xff1a ? 1 : 0);
    // Dominant and second script among letters.
    int first = kNumScripts, second = kNumScripts;
    for (int s = 0; s < kNumScripts; ++s) {
      if (script_counts_[s] == 0) continue;
      if (first == kNumScripts || script_counts_[s] > script_counts_[first]) {
        second = first;
        first = s;
      } else if (second == kNumScripts || script_counts_[s] > script_counts_[second]) {
        second = s;
      }
    }
    EmitStruct(kStScript, static_cast<uint64_t>(first == kNumScripts ? 11 : first));
    if (second != kNumScripts && script_counts_[second] * 10 >= letters_) {
      EmitStruct(kStScript2, static_cast<uint64_t>(second));
    }
    EmitStruct(kStNonLatin, RatioBin(letters_ - script_counts_[kLatin], letters_));
  }

  static constexpr uint32_t kMaxEdge = 32;
  const FeatureConfig& c_;
  Sink& sink_;
  const std::string empty_;

  // Character stream.
  uint32_t ring_[4] = {0, 0, 0, 0};
  uint32_t ring_pos_ = 0;
  bool ws_pending_ = false, ws_newline_ = false, ws_indent_ = false;
  // Words.
  uint64_t word_hash_ = 0, prev_word_ = 0;
  uint32_t word_len_ = 0;
  uint64_t words_ = 0;
  uint64_t tail_[kMaxEdge] = {};
  std::string word_name_, prev_name_;
  std::string tail_names_[kNames ? kMaxEdge : 1];
  // Structure.
  uint64_t total_chars_ = 0, letters_ = 0, digits_ = 0, numbers_ = 0, code_punct_ = 0,
           braces_ = 0, latex_ = 0, quotes_ = 0;
  uint64_t lines_ = 0, indented_lines_ = 0, code_line_ends_ = 0;
  uint64_t line_chars_ = 0;
  bool line_indented_ = false;
  uint32_t line_last_ = 0, last_char_ = 0;
  bool in_number_ = false, fence_ = false;
  uint32_t backticks_run_ = 0;
  uint64_t script_counts_[kNumScripts] = {};
};

// Where a truncated prompt is cut: the first `head` bytes and the bytes from `tail_start` on,
// both at UTF-8 character boundaries.
struct Cut {
  size_t head;
  size_t tail_start;
};
Cut TruncationCut(absl::string_view text, size_t max_bytes);

}  // namespace feature_internal

template <typename Sink>
void FeatureExtractor::Extract(absl::string_view text, Sink& sink) const {
  constexpr bool kNames = feature_internal::WantsNames<Sink>::value;
  feature_internal::Scan<Sink, kNames> scan(config_, sink);
  if (text.size() <= config_.max_bytes) {
    scan.Feed(text);
  } else {
    const feature_internal::Cut cut = feature_internal::TruncationCut(text, config_.max_bytes);
    scan.Feed(text.substr(0, cut.head));
    scan.Break();
    scan.Feed(text.substr(cut.tail_start));
  }
  scan.Finish();
}

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_FEATURE_EXTRACTOR_H_
