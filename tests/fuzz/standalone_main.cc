// A main() for fuzz targets built without libFuzzer (g++ builds, ctest). It feeds every file of
// the given corpus directories to LLVMFuzzerTestOneInput, then --mutations=N deterministic
// mutations of them (bit flips, byte insertions and deletions, splices, truncations), so that
// each build replays the corpus and a little more. Crashes and hangs show up as test failures.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> ReadCorpus(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    } else {
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "fuzz driver: cannot read %s\n", p.c_str());
        std::exit(2);
      }
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  return out;
}

std::string Mutate(const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  std::string s = corpus[rng() % corpus.size()];
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1: {  // insert a byte, biased to JSON-significant ones (the NUL inside counts, the final one not)
        static constexpr char kBytes[] = "{}[]\",:0-9eE\\ \x00\xff";
        s.insert(s.begin() + static_cast<long>(rng() % (s.size() + 1)), kBytes[rng() % (sizeof kBytes - 1)]);
        break;
      }
      case 2:  // delete a run
        if (!s.empty()) {
          size_t at = rng() % s.size();
          s.erase(at, 1 + rng() % std::min<size_t>(8, s.size() - at));
        }
        break;
      case 3:  // truncate
        if (!s.empty()) s.resize(rng() % s.size());
        break;
      case 4: {  // splice another input's tail
        const std::string& o = corpus[rng() % corpus.size()];
        if (!o.empty()) s = s.substr(0, rng() % (s.size() + 1)) + o.substr(rng() % o.size());
        break;
      }
      default:  // overwrite with an extreme number
        if (!s.empty()) {
          static const char* kNums[] = {"18446744073709551615", "-1", "1e308", "99999999999", "0"};
          const char* n = kNums[rng() % 5];
          s.replace(rng() % s.size(), 0, n);
        }
        break;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--mutations=", 12) == 0) {
      mutations = std::strtol(argv[i] + 12, nullptr, 10);
    } else if (argv[i][0] == '-') {
      continue;  // libFuzzer-style flags are accepted and ignored
    } else {
      paths.push_back(argv[i]);
    }
  }
  std::vector<std::string> corpus = ReadCorpus(paths);
  if (corpus.empty()) corpus.emplace_back();
  for (const std::string& in : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(in.data()), in.size());
  }
  std::mt19937_64 rng(0x5eed);
  for (long i = 0; i < mutations; ++i) {
    std::string in = Mutate(corpus, rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(in.data()), in.size());
  }
  std::printf("fuzz driver: %zu corpus inputs, %ld mutations, no crash\n", corpus.size(), mutations);
  return 0;
}
