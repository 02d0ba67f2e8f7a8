// Fuzz target: the streaming output parser. The first byte picks where to cut the input into
// two deltas and whether the answer starts in reasoning; the result must not depend on the cut
// (events merged), and no tag may leak into text or reasoning.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "workers/engine/chat/output_parser.h"

namespace {

std::string Run(const std::vector<std::string>& pieces, bool thinking) {
  switchyard::OutputParser p(thinking);
  std::vector<switchyard::OutputEvent> all;
  for (const std::string& s : pieces) {
    auto e = p.Push(s);
    all.insert(all.end(), e.begin(), e.end());
  }
  auto e = p.Finish();
  all.insert(all.end(), e.begin(), e.end());
  std::string out;
  int last = -1;
  for (const auto& ev : all) {
    const int k = static_cast<int>(ev.kind);
    if (k != last || k >= 2) out += "|" + std::to_string(k) + ":";
    out += ev.text + ev.name + ev.arguments + ev.error;
    last = k;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool thinking = data[0] & 1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t cut = text.empty() ? 0 : (data[0] >> 1) % (text.size() + 1);
  const std::string whole = Run({text}, thinking);
  const std::string split = Run({text.substr(0, cut), text.substr(cut)}, thinking);
  if (whole != split) {
    std::fprintf(stderr, "split at %zu changed the events\n", cut);
    std::abort();
  }
  return 0;
}
