#include "workers/engine/tokenizer/byte_level.h"

#include <array>

#include "workers/engine/tokenizer/utf8.h"

namespace switchyard::byte_level {
namespace {

struct Maps {
  std::array<uint32_t, 256> to_cp;
  std::array<int16_t, 324> to_byte;  // code points used are < 256 + 68
};

// bytes_to_unicode() of GPT-2: bytes that are printable Latin-1 keep their code point, the
// other 68 are numbered 256, 257, ... in byte order.
Maps Build() {
  Maps m;
  m.to_byte.fill(-1);
  auto printable = [](int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  };
  int next = 256;
  for (int b = 0; b < 256; ++b) {
    const uint32_t cp = printable(b) ? static_cast<uint32_t>(b) : static_cast<uint32_t>(next++);
    m.to_cp[b] = cp;
    m.to_byte[cp] = static_cast<int16_t>(b);
  }
  return m;
}

const Maps& Get() {
  static const Maps maps = Build();
  return maps;
}

}  // namespace

uint32_t ByteToCodePoint(uint8_t b) { return Get().to_cp[b]; }

std::optional<uint8_t> CodePointToByte(uint32_t cp) {
  if (cp >= Get().to_byte.size() || Get().to_byte[cp] < 0) return std::nullopt;
  return static_cast<uint8_t>(Get().to_byte[cp]);
}

std::optional<std::string> ToBytes(absl::string_view token) {
  if (utf8::ValidPrefixLength(token) != token.size()) return std::nullopt;
  std::string out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size();) {
    int len;
    const uint32_t cp = utf8::DecodeAt(token, i, &len);
    auto b = CodePointToByte(cp);
    if (!b) return std::nullopt;
    out.push_back(static_cast<char>(*b));
    i += static_cast<size_t>(len);
  }
  return out;
}

std::string FromBytes(absl::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) utf8::AppendCodePoint(ByteToCodePoint(static_cast<uint8_t>(c)), &out);
  return out;
}

}  // namespace switchyard::byte_level
