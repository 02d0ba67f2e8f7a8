// Fuzz target: Tokenizer::FromJson on arbitrary bytes. Any input must give a tokenizer or an
// error status, never a crash, hang or leak; a tokenizer that loads must then encode and
// decode without crashing.
#include <cstddef>
#include <cstdint>

#include "workers/engine/tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto tok = switchyard::Tokenizer::FromJson(bytes, "fuzz.json");
  if (!tok.ok()) return 0;
  auto ids = (*tok)->Encode("hello world <|end|> \xE4\xBA\xBA 123");
  if (ids.ok()) (void)(*tok)->Decode(*ids);
  return 0;
}
