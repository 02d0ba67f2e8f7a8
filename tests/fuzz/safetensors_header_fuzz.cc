// Fuzz target: the safetensors header parser. The first 8 bytes pick the data-section size the
// header is checked against; the rest is the header. Any input gives a header or an error;
// an accepted header must describe tensors that lie inside the data section without overlap,
// each exactly as large as its dtype and shape say.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "workers/engine/model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  uint64_t data_bytes;
  std::memcpy(&data_bytes, data, 8);
  data_bytes &= (uint64_t{1} << 40) - 1;
  absl::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);
  auto h = switchyard::ParseSafetensorsHeader(header, data_bytes, "fuzz.safetensors");
  if (!h.ok()) return 0;
  uint64_t prev_end = 0;
  for (const auto& t : h->tensors) {
    // A view of a tensor the engine computes with spans exactly its bytes.
    const bool size_ok = !t.dtype || (t.numel() >= 0 && static_cast<uint64_t>(t.numel()) *
                                                            switchyard::DTypeSize(*t.dtype) == t.end - t.begin);
    if (t.end > data_bytes || t.begin > t.end || t.begin < prev_end || t.numel() < 0 || !size_ok) {
      std::fprintf(stderr, "accepted a bad tensor '%s'\n", t.name.c_str());
      std::abort();
    }
    prev_end = t.end;
  }
  return 0;
}
