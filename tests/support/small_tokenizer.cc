#include "tests/support/small_tokenizer.h"

#include <string>

#include "workers/engine/tokenizer/byte_level.h"
#include "workers/engine/tokenizer/pretokenizer.h"

namespace switchyard::testing {

using json = nlohmann::json;

json SmallTokenizer() {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) {
    vocab[byte_level::FromBytes(std::string(1, static_cast<char>(b)))] = b;
  }
  vocab["he"] = 256;
  vocab["ll"] = 257;
  vocab["hell"] = 258;
  vocab["\xC4\xA0w"] = 259;  // "Ġw"
  json split = {{"type", "Split"}, {"pattern", {{"Regex", std::string(kQwen2Pattern)}}},
                {"behavior", "Isolated"}, {"invert", false}};
  json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false},
                     {"use_regex", false}};
  return json{
      {"version", "1.0"},
      {"added_tokens", json::array({{{"id", 260}, {"content", "<|end|>"}, {"special", true},
                                     {"single_word", false}, {"lstrip", false}, {"rstrip", false},
                                     {"normalized", false}}})},
      {"normalizer", {{"type", "NFC"}}},
      {"pre_tokenizer", {{"type", "Sequence"}, {"pretokenizers", json::array({split, byte_level})}}},
      {"post_processor", byte_level},
      {"decoder", byte_level},
      {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
                 {"byte_fallback", false}, {"ignore_merges", false}, {"vocab", vocab},
                 {"merges", json::array({json::array({"h", "e"}), json::array({"l", "l"}),
                                         json::array({"he", "ll"}), json::array({"\xC4\xA0", "w"})})}}}};
}


}  // namespace switchyard::testing
