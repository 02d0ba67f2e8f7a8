// Random schemas built from the supported keywords (type, properties, required,
// additionalProperties, enum, const, items, min/max counts, anyOf, local and recursive "$ref"):
// the tools' validator and the grammar compiler accept or refuse each alike, and every value a
// random walk through an accepted schema's grammar writes passes the validator. Seeded, so a
// failure names a schema that can be replayed.
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/json_schema.h"
#include "workers/engine/grammar/grammar_matcher.h"
#include "workers/engine/grammar/json_schema_grammar.h"

namespace switchyard {
namespace {

class SchemaMaker {
 public:
  explicit SchemaMaker(uint32_t seed) : rng_(seed) {}

  std::string Root() {
    defs_ = Pick(3);
    std::vector<std::string> parts = Keywords(0);
    if (defs_ > 0) {
      std::vector<std::string> defs;
      for (int i = 0; i < defs_; ++i) defs.push_back(absl::StrCat("\"d", i, "\": ", Schema(1)));
      parts.push_back(absl::StrCat("\"$defs\": {", absl::StrJoin(defs, ", "), "}"));
    }
    return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  bool Coin(int in = 2) { return Pick(in) == 0; }

  std::string Scalar() {
    switch (Pick(6)) {
      case 0: return "null";
      case 1: return Coin() ? "true" : "false";
      case 2: return absl::StrCat(Pick(5) - 2);
      case 3: return "1.5";
      case 4: return absl::StrCat("\"", std::string(static_cast<size_t>(Pick(4)), 'a' + static_cast<char>(Pick(3))), "\"");
      default: return Coin() ? "[1, \"x\"]" : "{\"k\": null}";
    }
  }

  std::string Schema(int depth) {
    if (Coin(8)) return Coin(4) ? "false" : "true";
    return absl::StrCat("{", absl::StrJoin(Keywords(depth), ", "), "}");
  }

  std::vector<std::string> Keywords(int depth) {
    static const char* kTypes[] = {"object", "array", "string", "number", "integer", "boolean", "null"};
    static const char* kNames[] = {"a", "b", "c"};
    std::vector<std::string> k;
    const bool deep = depth >= 4;
    if (Coin(3) == false) {
      if (Coin(3)) {
        k.push_back(absl::StrCat("\"type\": [\"", kTypes[Pick(6)], "\", \"null\"]"));  // kTypes[6] is null
      } else {
        k.push_back(absl::StrCat("\"type\": \"", kTypes[Pick(7)], "\""));
      }
    }
    if (!deep && Coin(3)) {
      std::vector<std::string> props;
      for (const char* n : kNames) {
        if (Coin()) props.push_back(absl::StrCat("\"", n, "\": ", Schema(depth + 1)));
      }
      k.push_back(absl::StrCat("\"properties\": {", absl::StrJoin(props, ", "), "}"));
    }
    if (Coin(4)) {
      std::vector<std::string> req;
      for (const char* n : kNames) {
        if (Coin(3)) req.push_back(absl::StrCat("\"", n, "\""));
      }
      k.push_back(absl::StrCat("\"required\": [", absl::StrJoin(req, ", "), "]"));
    }
    if (Coin(5)) k.push_back(absl::StrCat("\"additionalProperties\": ", Coin() ? "true" : "false"));
    if (Coin(8)) {
      std::vector<std::string> values;
      for (int i = Pick(3) + 1; i > 0; --i) values.push_back(Scalar());
      k.push_back(absl::StrCat("\"enum\": [", absl::StrJoin(values, ", "), "]"));
    }
    if (Coin(16)) k.push_back(absl::StrCat("\"const\": ", Scalar()));
    if (!deep && Coin(4)) k.push_back(absl::StrCat("\"items\": ", Schema(depth + 1)));
    if (Coin(6)) k.push_back(absl::StrCat("\"minItems\": ", Pick(3)));
    if (Coin(6)) k.push_back(absl::StrCat("\"maxItems\": ", Pick(4)));
    if (Coin(6)) k.push_back(absl::StrCat("\"minLength\": ", Pick(3)));
    if (Coin(6)) k.push_back(absl::StrCat("\"maxLength\": ", Pick(4)));
    if (!deep && Coin(5)) {
      std::vector<std::string> alts;
      for (int i = Pick(3) + 1; i > 0; --i) alts.push_back(Schema(depth + 1));
      k.push_back(absl::StrCat("\"anyOf\": [", absl::StrJoin(alts, ", "), "]"));
    }
    if (depth > 0 && Coin(5)) {
      const int target = Pick(defs_ + 1);
      k.push_back(target == defs_ ? "\"$ref\": \"#\"" : absl::StrCat("\"$ref\": \"#/$defs/d", target, "\""));
    }
    return k;
  }

  std::mt19937 rng_;
  int defs_ = 0;
};

// A random value from the grammar's language: bytes picked among those the matcher takes,
// closing characters favoured so that walks end; nullopt when the walk runs too long.
std::optional<std::string> Walk(const Grammar& g, std::mt19937& rng) {
  static const std::string kAlphabet = "{}[]\",: -.0123456789aeflnrstux";
  GrammarMatcher m(&g);
  std::string out;
  while (out.size() < 400) {
    if (m.accepted() && (m.finished() || rng() % 4 == 0)) return out;
    std::vector<char> ok;
    for (char c : kAlphabet) {
      GrammarMatcher probe = m;
      if (probe.Advance(std::string(1, c))) ok.push_back(c);
    }
    if (ok.empty()) return std::nullopt;  // a string or number that needs other bytes
    char pick = ok[rng() % ok.size()];
    for (char c : ok) {
      if ((c == '"' || c == ']' || c == '}') && rng() % 3 == 0) pick = c;
    }
    m.Advance(std::string(1, pick));
    out += pick;
  }
  return std::nullopt;
}

TEST(GrammarSoundnessTest, RandomSchemasAgreeAndGeneratedValuesValidate) {
  std::mt19937 walk_rng(7);
  int accepted = 0, walks = 0;
  for (uint32_t seed = 1; seed <= 1500; ++seed) {
    const std::string schema = SchemaMaker(seed).Root();
    absl::StatusOr<tools::JsonSchema> validator = tools::JsonSchema::Parse(schema);
    absl::StatusOr<Grammar> grammar = CompileJsonSchema(schema, "schema");
    if (!validator.ok()) {
      EXPECT_EQ(validator.status(), grammar.status()) << "seed " << seed << ": " << schema;
      continue;
    }
    ASSERT_TRUE(grammar.ok()) << "seed " << seed << ": " << schema << "\n" << grammar.status();
    ++accepted;
    for (int i = 0; i < 8; ++i) {
      std::optional<std::string> value = Walk(*grammar, walk_rng);
      if (!value) continue;
      ++walks;
      const nlohmann::json instance = nlohmann::json::parse(*value, nullptr, false);
      ASSERT_FALSE(instance.is_discarded()) << "seed " << seed << ": " << schema << "\nwrote " << *value;
      const std::vector<tools::SchemaViolation> v = validator->Validate(instance);
      EXPECT_TRUE(v.empty()) << "seed " << seed << ": " << schema << "\nwrote " << *value << "\n"
                             << (v.empty() ? "" : v[0].ToString());
    }
  }
  std::cout << accepted << " of 1500 random schemas accepted, " << walks << " generated values checked\n";
  EXPECT_GT(accepted, 300);
  EXPECT_GT(walks, 1000);
}

}  // namespace
}  // namespace switchyard
