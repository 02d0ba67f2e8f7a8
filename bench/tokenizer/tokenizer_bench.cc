// switchyard-bench-tokenizer: encode (and decode) throughput of the tokenizer on a corpus, one
// thread, as one JSON line. bench/tokenizer/run.sh runs it beside llama.cpp's tokenizer on the
// same text.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "base/read_file.h"
#include "workers/engine/tokenizer/tokenizer.h"

namespace {

constexpr char kUsage[] =
    "usage: switchyard-bench-tokenizer --tokenizer FILE.json --corpus FILE [--reps N] [--dump-ids OUT.json]\n"
    "Prints {\"bytes\", \"tokens\", \"load_s\", \"encode_mb_s\", \"decode_mb_s\", ...} (medians).\n";

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  switchyard::cli::CommandLine args({"tokenizer", "corpus", "reps", "dump-ids"}, {});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, "switchyard-bench-tokenizer", kUsage)) return *code;
  auto tok_path = args.Required("tokenizer");
  auto corpus_path = args.Required("corpus");
  auto reps = args.IntOr("reps", 5, 1, 1000);
  for (const absl::Status& s : {tok_path.status(), corpus_path.status(), reps.status()}) {
    if (!s.ok()) return switchyard::cli::UsageError("switchyard-bench-tokenizer", s, kUsage);
  }
  const auto t0 = Clock::now();
  auto tok = switchyard::Tokenizer::Load(*tok_path);
  const double load_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!tok.ok()) {
    std::fprintf(stderr, "switchyard-bench-tokenizer: %s\n", std::string(tok.status().message()).c_str());
    return 1;
  }
  auto corpus = switchyard::ReadFile(*corpus_path);
  if (!corpus.ok()) {
    std::fprintf(stderr, "switchyard-bench-tokenizer: %s\n", std::string(corpus.status().message()).c_str());
    return 1;
  }
  const double mb = static_cast<double>(corpus->size()) / 1e6;
  std::vector<double> enc, dec;
  size_t tokens = 0;
  (void)(*tok)->Encode(*corpus);  // warm-up: page in tables, settle the allocator
  for (int64_t r = 0; r < *reps; ++r) {
    auto a = Clock::now();
    auto ids = (*tok)->Encode(*corpus);
    auto b = Clock::now();
    if (!ids.ok()) {
      std::fprintf(stderr, "switchyard-bench-tokenizer: %s\n", std::string(ids.status().message()).c_str());
      return 1;
    }
    tokens = ids->size();
    if (r == 0 && args.Has("dump-ids")) {
      std::string json = "[";
      for (size_t i = 0; i < ids->size(); ++i) absl::StrAppend(&json, i ? "," : "", (*ids)[i]);
      json += "]";
      if (std::FILE* f = std::fopen(args.GetOr("dump-ids", "").c_str(), "w")) {
        std::fwrite(json.data(), 1, json.size(), f);
        std::fclose(f);
      }
    }
    std::string text = (*tok)->Decode(*ids);
    auto c = Clock::now();
    enc.push_back(mb / std::chrono::duration<double>(b - a).count());
    dec.push_back(mb / std::chrono::duration<double>(c - b).count());
  }
  std::printf(
      "{\"engine\": \"switchyard\", \"bytes\": %zu, \"tokens\": %zu, \"load_s\": %.3f, \"reps\": %lld, "
      "\"encode_mb_s\": %.2f, \"encode_mb_s_min\": %.2f, \"encode_mb_s_max\": %.2f, \"decode_mb_s\": %.2f}\n",
      corpus->size(), tokens, load_s, static_cast<long long>(*reps), Median(enc),
      *std::min_element(enc.begin(), enc.end()), *std::max_element(enc.begin(), enc.end()), Median(dec));
  return 0;
}
