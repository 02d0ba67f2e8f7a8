#include "tests/workers/engine/runtime/fixture_reference.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace switchyard::testing {

std::vector<ReferencePrompt> ReadReference(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.contains("prompts")) {
    ADD_FAILURE() << path << ": not a reference file";
    return {};
  }
  std::vector<ReferencePrompt> out;
  for (const auto& p : j["prompts"]) {
    ReferencePrompt r;
    r.id = p["id"].get<std::string>();
    r.text = p["text"].get<std::string>();
    r.tokens_hf = p["tokens_hf"].get<std::vector<int32_t>>();
    if (p.contains("prompt_next")) {
      for (const auto& pos : p["prompt_next"]) {
        std::vector<TopEntry> top;
        for (const auto& e : pos["top"]) top.push_back({e[0].get<int32_t>(), e[1].get<double>()});
        r.prompt_next.push_back(std::move(top));
      }
    }
    for (const auto& s : p["greedy"]) {
      ReferenceStep step;
      step.token = s["token"].get<int32_t>();
      for (const auto& e : s["top"]) step.top.push_back({e["id"].get<int32_t>(), e["logit"].get<double>()});
      step.lse = s["lse"].get<double>();
      step.margin = s["margin"].get<double>();
      r.greedy.push_back(std::move(step));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace switchyard::testing
