// ByteLevel: GPT-2's reversible map between the 256 byte values and printable code points,
// which byte-level BPE vocabularies (Qwen's among them) are written in: "Ġ" is the byte 0x20,
// "Ċ" is 0x0A, printable ASCII maps to itself.
#ifndef SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BYTE_LEVEL_H_
#define SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BYTE_LEVEL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::byte_level {

uint32_t ByteToCodePoint(uint8_t b);
// nullopt for code points outside the map.
std::optional<uint8_t> CodePointToByte(uint32_t cp);
// "Ġhello" -> " hello". nullopt if `token` is not valid UTF-8 or has a char outside the map.
std::optional<std::string> ToBytes(absl::string_view token);
// " hello" -> "Ġhello".
std::string FromBytes(absl::string_view bytes);

}  // namespace switchyard::byte_level

#endif  // SWITCHYARD_WORKERS_ENGINE_TOKENIZER_BYTE_LEVEL_H_
