// switchyard-membw: memory read bandwidth, the physical limit of decode. Streams a buffer
// (default 1 GiB, far larger than any cache) with wide loads from N threads (ReadLoop) and
// prints {"read_gb_s": best pass, "median_gb_s", "passes_gb_s": [...]}. Decode must read
// every weight once per token, so read_gb_s / weight bytes is the tok/s ceiling the engine is
// measured against. The best of 5 short passes (about 20 ms each) catches this shared host's
// quietest moment; switchyard-bench --roofline measures a sustained ceiling on the weights
// themselves, pass by pass beside the decode steps.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "base/command_line.h"
#include "bench/engine/read_loop.h"

int main(int argc, char** argv) {
  constexpr char kUsage[] = "usage: switchyard-membw [--mib 1024] [--threads 2] [--passes 5]\n";
  switchyard::cli::CommandLine args({"mib", "threads", "passes"}, {});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, "switchyard-membw", kUsage)) return *code;
  auto mib = args.IntOr("mib", 1024, 16, 1 << 16);
  auto threads_arg = args.IntOr("threads", 2, 1, 256);
  auto passes_arg = args.IntOr("passes", 5, 1, 1000);
  for (const absl::Status& s : {mib.status(), threads_arg.status(), passes_arg.status()}) {
    if (!s.ok()) return switchyard::cli::UsageError("switchyard-membw", s, kUsage);
  }
  const size_t bytes = static_cast<size_t>(*mib) << 20;
  const int threads = static_cast<int>(*threads_arg);
  const int passes = static_cast<int>(*passes_arg);
  auto buf = std::unique_ptr<uint8_t, decltype(&std::free)>(static_cast<uint8_t*>(std::aligned_alloc(64, bytes)), &std::free);
  if (!buf) {
    std::fprintf(stderr, "switchyard-membw: cannot allocate %zu MiB; try a smaller --mib\n", bytes >> 20);
    return 1;
  }
  std::memset(buf.get(), 1, bytes);  // every page faulted in before the first pass
  std::vector<double> rates;
  for (int p = 0; p < passes; ++p) rates.push_back(switchyard::bench::ReadOnce(buf.get(), bytes, threads).gb_s);
  std::vector<double> sorted = rates;
  std::sort(sorted.begin(), sorted.end());
  std::printf("{\"tool\": \"switchyard-membw\", \"mib\": %zu, \"threads\": %d, \"loads\": \"%s\", \"read_gb_s\": %.2f, "
              "\"median_gb_s\": %.2f, \"passes_gb_s\": [",
              bytes >> 20, threads, switchyard::bench::ReadLoopLoads(), sorted.back(), sorted[sorted.size() / 2]);
  for (size_t i = 0; i < rates.size(); ++i) std::printf("%s%.2f", i ? ", " : "", rates[i]);
  std::printf("]}\n");
  return 0;
}
