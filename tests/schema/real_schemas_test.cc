// The real-world schemas of ../shared/data/schemas (MaskBench format, see its SOURCES.md; for
// evaluation only, no rule is tuned to them): every file is accepted by both the tools'
// validator construction and the engine's grammar compiler, or refused by both with the same
// message; for the accepted ones, the instances the files label valid and invalid are checked
// against the validator, and their json.dumps form against the grammar: nothing the grammar
// lets the model write may fail the validator. The figures are printed.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "tools/json_schema.h"
#include "workers/engine/chat/py_value.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/json_schema_grammar.h"

namespace switchyard {
namespace {

struct Figures {
  int files = 0, accepted = 0, agreed = 0;
  int valid = 0, valid_pass = 0, invalid = 0, invalid_fail = 0;
  int valid_generable = 0, invalid_generable = 0, invalid_draft4_integer = 0;
  std::map<std::string, int> refusals;  // by message after the pointer
};

// "unsupported keyword \"format\"" from "schema /a/b: unsupported keyword \"format\"".
std::string Reason(const std::string& message) {
  const size_t colon = message.find(": ");
  std::string r = colon == std::string::npos ? message : message.substr(colon + 2);
  if (r.rfind("\"$ref\" \"", 0) == 0) return "\"$ref\" ... (unresolvable or remote)";
  if (r.rfind("remote \"$ref\"", 0) == 0) return "remote \"$ref\"";
  return r;
}

bool Draft4(const nlohmann::ordered_json& schema) {
  if (!schema.is_object() || !schema.contains("$schema") || !schema["$schema"].is_string()) return false;
  const std::string& uri = schema["$schema"].get_ref<const std::string&>();
  return uri.find("draft-04") != std::string::npos || uri.find("draft-03") != std::string::npos;
}

bool HasIntegralFloat(const nlohmann::json& v) {
  if (v.is_number_float()) return std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>();
  if (!v.is_structured()) return false;
  return std::any_of(v.begin(), v.end(), [](const nlohmann::json& c) { return HasIntegralFloat(c); });
}

TEST(RealSchemas, ValidatorAndGrammarAgree) {
  SWITCHYARD_REQUIRE_SHARED();
  const std::filesystem::path dir = std::filesystem::path(*testing::SharedDir()) / "data" / "schemas";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << dir;
  Figures f;
  for (const std::filesystem::path& path : files) {
    const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(testing::Slurp(path.string()), nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << path;
    ++f.files;
    const std::string text = doc["schema"].dump();
    absl::StatusOr<tools::JsonSchema> validator = tools::JsonSchema::Parse(text);
    absl::StatusOr<Grammar> grammar = CompileJsonSchema(text, "schema");
    EXPECT_EQ(validator.ok(), grammar.ok()) << path.filename() << ": validator " << validator.status()
                                            << ", grammar " << grammar.status();
    if (validator.ok() != grammar.ok()) continue;
    ++f.agreed;
    if (!validator.ok()) {
      EXPECT_EQ(validator.status(), grammar.status()) << path.filename();
      ++f.refusals[Reason(std::string(validator.status().message()))];
      continue;
    }
    ++f.accepted;
    if (!doc.contains("tests")) continue;
    for (const nlohmann::ordered_json& t : doc["tests"]) {
      const bool labelled_valid = t["valid"].get<bool>();
      const nlohmann::json instance(t["data"]);
      const bool passes = validator->Validate(instance).empty();
      absl::StatusOr<std::string> dumped = Reserialize(t["data"].dump(), JsonStyle::kPython, "instance");
      bool generable = false;
      if (dumped.ok()) {
        GrammarMatcher m(&*grammar);
        generable = m.Advance(*dumped) && m.accepted();
      }
      // What the grammar lets the model write satisfies the validator.
      EXPECT_FALSE(generable && !passes) << path.filename() << ": the grammar accepts " << *dumped;
      if (labelled_valid) {
        ++f.valid;
        f.valid_pass += passes;
        f.valid_generable += generable;
        EXPECT_TRUE(passes) << path.filename() << ": valid instance refused: " << t["data"].dump();
      } else {
        ++f.invalid;
        f.invalid_fail += !passes;
        f.invalid_generable += generable;
        // Draft 4 counted 1.0 as no integer; keywords.h follows the later drafts (2.0 is one).
        const bool draft4_integer = Draft4(doc["schema"]) && HasIntegralFloat(instance);
        f.invalid_draft4_integer += passes && draft4_integer;
        EXPECT_TRUE(!passes || draft4_integer) << path.filename() << ": invalid instance passes: " << t["data"].dump();
      }
    }
  }
  std::vector<std::pair<int, std::string>> reasons;
  for (const auto& [r, n] : f.refusals) reasons.emplace_back(n, r);
  std::sort(reasons.rbegin(), reasons.rend());
  std::ostringstream report;
  report << f.files << " schemas: " << f.agreed << " answered alike, " << f.accepted << " accepted by both\n"
         << "valid instances of accepted schemas: " << f.valid_pass << "/" << f.valid << " pass the validator, "
         << f.valid_generable << " in json.dumps form match the grammar\n"
         << "invalid instances: " << f.invalid_fail << "/" << f.invalid << " fail the validator ("
         << f.invalid_draft4_integer << " pass as draft 4 integers), " << f.invalid_generable << " match the grammar\n"
         << "most common refusals (of " << f.files - f.accepted << "):\n";
  for (size_t i = 0; i < reasons.size() && i < 20; ++i) {
    report << "  " << reasons[i].first << "  " << reasons[i].second << "\n";
  }
  std::cout << report.str();
  EXPECT_EQ(f.agreed, f.files);
}

}  // namespace
}  // namespace switchyard
