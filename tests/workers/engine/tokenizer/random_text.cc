#include "tests/workers/engine/tokenizer/random_text.h"

namespace switchyard::testing {

RandomText::RandomText(uint64_t seed, bool include_engine_dependent) : rng_(seed) {
  atoms_ = {
      // ASCII words, digits, punctuation, spaces
      "the", "The", "quick", "HELLO", "x", "I", "a", "naïve", "42", "7", "3.14", "1,000", "0x1F",
      " ", " ", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", "\r", " \n", "\t\n ", "\v", "\f",
      ".", ",", "!", "?", "...", "--", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "\"",
      "#", "@", "$", "%", "^", "&", "*", "_", "=", "+", "|", "~", "`", ";", ":", "::", "->",
      // contractions and apostrophes
      "'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'d",
      "'D", "'", "''", "'x", "\xC5\xBF",  // U+017F LATIN SMALL LETTER LONG S
      "'\xC5\xBF",
      // Latin with diacritics, composed and decomposed
      "caf\xC3\xA9", "Cafe\xCC\x81", "\xC3\x85ngstr\xC3\xB6m", "A\xCC\x8Angstro\xCC\x88m",
      "Stra\xC3\x9F" "e", "\xC3\xBC" "ber", "e\xCC\x81\xCC\x81", "\xCC\x81",
      // other scripts
      "\xE4\xBA\xBA\xE5\xB7\xA5\xE6\x99\xBA\xE8\x83\xBD", "\xE3\x80\x82", "\xEF\xBC\x8C",
      "\xE3\x81\xB2\xE3\x82\x89\xE3\x81\x8C\xE3\x81\xAA", "\xE3\x82\xAB\xE3\x82\xBF",
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "\xD9\xA1\xD9\xA2\xD9\xA3",
      "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82\xE0\xA4\xA6\xE0\xA5\x80",
      "\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
      "\xEA\xB0\x80\xEB\x82\x98", "\xE1\x84\x80\xE1\x85\xA1",  // Hangul, precomposed and jamo
      // numbers outside Nd: Roman numeral (Nl), superscript two and one half (No)
      "\xE2\x85\xAB", "\xC2\xB2", "\xC2\xBD", "\xE2\x91\xA0",
      // Unicode spaces and separators
      "\xC2\xA0", "\xE2\x80\x83", "\xE3\x80\x80", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF",
      "\xE2\x80\x8B",  // ZERO WIDTH SPACE: a format char (Cf), not \s
      // emoji, ZWJ sequences, flags, skin tones, variation selectors
      "\xF0\x9F\x9A\x80", "\xE2\x9C\x85", "\xF0\x9F\x98\xB6\xE2\x80\x8D\xF0\x9F\x8C\xAB\xEF\xB8\x8F",
      "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xF0\x9F\xA6\x99",
      // special-token literals and markup
      "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>", "<tool_call>",
      "</tool_call>", "<|fim_prefix|>", "</s>", "<s>", "<|im_start", "im_end|>", "<|", "|>",
      // long runs
      std::string(40, ' '), std::string(17, '\n'), std::string(9, '\t'), std::string(30, 'a'),
      std::string(25, '9'), std::string(12, '!'),
  };
  if (include_engine_dependent) {
    atoms_.push_back("\xC2\x85");      // U+0085 NEXT LINE: \s for Oniguruma, not for JavaScript
    atoms_.push_back("\xEF\xBB\xBF");  // U+FEFF BOM: \s for JavaScript, not for Oniguruma
  }
}

std::string RandomText::Next(int max_atoms) {
  std::uniform_int_distribution<int> count(1, max_atoms);
  std::uniform_int_distribution<size_t> pick(0, atoms_.size() - 1);
  std::string s;
  const int n = count(rng_);
  for (int i = 0; i < n; ++i) s += atoms_[pick(rng_)];
  return s;
}

}  // namespace switchyard::testing
