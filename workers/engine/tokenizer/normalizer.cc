#include "workers/engine/tokenizer/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

namespace switchyard {
namespace {

// A byte below 0xCC starts (or continues) a code point below U+0300. Those are all
// NFC_Quick_Check=Yes starters that never combine with what precedes them, so NFC can be
// applied to the other stretches alone, each taken together with the one character before it
// (which a combining mark may compose with). ASCII and Latin-1 text is never touched.
bool Trivial(uint8_t b) { return b < 0xCC; }

const icu::Normalizer2* Nfc() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);
    return U_SUCCESS(err) ? n : nullptr;
  }();
  return nfc;
}

}  // namespace

absl::string_view Normalize(Normalization form, absl::string_view text, std::string* storage) {
  if (form == Normalization::kNone) return text;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size() && Trivial(p[i])) ++i;
  if (i == text.size()) return text;
  const icu::Normalizer2* nfc = Nfc();
  if (nfc == nullptr) return text;  // ICU data missing: leave the text as it is
  storage->clear();
  storage->reserve(text.size() + 16);
  icu::StringByteSink<std::string> sink(storage);
  size_t copied = 0;  // text[0, copied) is already in *storage
  while (i < text.size()) {
    // Start of the character before the non-trivial stretch (continuation bytes are < 0xC0).
    size_t start = i;
    while (start > copied && (p[start - 1] & 0xC0) == 0x80) --start;
    if (start > copied) --start;
    while (start > copied && (p[start] & 0xC0) == 0x80) --start;
    size_t end = i;
    while (end < text.size() && !(Trivial(p[end]) && (p[end] & 0xC0) != 0x80)) ++end;
    // Copy the trivial bytes before the stretch, then the normalized stretch.
    storage->append(text.data() + copied, start - copied);
    UErrorCode err = U_ZERO_ERROR;
    nfc->normalizeUTF8(0, icu::StringPiece(text.data() + start, static_cast<int32_t>(end - start)), sink,
                       nullptr, err);
    if (U_FAILURE(err)) storage->append(text.data() + start, end - start);
    copied = end;
    i = end;
    while (i < text.size() && Trivial(p[i])) ++i;
  }
  storage->append(text.data() + copied, text.size() - copied);
  return *storage;
}

}  // namespace switchyard
