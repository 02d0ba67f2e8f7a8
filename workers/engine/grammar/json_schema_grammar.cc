#include "workers/engine/grammar/json_schema_grammar.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "nlohmann/json.hpp"

namespace switchyard {
namespace {

using Json = nlohmann::ordered_json;  // declared order of properties is the output order

class SchemaCompiler {
 public:
  SchemaCompiler(Grammar* g, std::string where) : g_(g), where_(std::move(where)) {}

  absl::StatusOr<int32_t> Compile(const Json& s, const std::string& ptr) {
    if (!s.is_object()) return Error(ptr, "a schema must be an object (boolean schemas are not supported)");
    static const absl::flat_hash_set<std::string> kKnown = {
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "minItems",
        "maxItems", "anyOf", "minLength", "maxLength"};
    static const absl::flat_hash_set<std::string> kAnnotations = {
        "title", "description", "default", "examples", "$schema", "$id", "$comment"};
    for (const auto& [key, value] : s.items()) {
      if (!kKnown.contains(key) && !kAnnotations.contains(key)) {
        return Error(ptr, absl::StrCat("\"", key, "\" is not supported by constrained decoding"));
      }
    }
    if (s.contains("const")) return g_->Literal(s["const"].dump());
    if (s.contains("enum")) return Enum(s, ptr);
    if (s.contains("anyOf")) return AnyOf(s, ptr);
    std::vector<std::string> types;
    if (!s.contains("type")) {
      // Structure implies the type; anything else would be "any JSON value", which we refuse
      // rather than guess.
      if (s.contains("properties")) types.push_back("object");
      else if (s.contains("items")) types.push_back("array");
      else return Error(ptr, "a schema needs \"type\", \"enum\", \"const\" or \"anyOf\" for constrained decoding");
    } else if (s["type"].is_string()) {
      types.push_back(s["type"].get<std::string>());
    } else if (s["type"].is_array() && !s["type"].empty()) {
      for (const Json& t : s["type"]) {
        if (!t.is_string()) return Error(ptr + "/type", "must be a string or a list of strings");
        types.push_back(t.get<std::string>());
      }
    } else {
      return Error(ptr + "/type", "must be a string or a non-empty list of strings");
    }
    std::vector<int32_t> alts;
    for (const std::string& t : types) {
      auto node = OfType(s, t, ptr);
      if (!node.ok()) return node.status();
      alts.push_back(*node);
    }
    return g_->Alt(std::move(alts));
  }

 private:
  absl::Status Error(const std::string& ptr, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(where_, " ", ptr.empty() ? "/" : ptr, ": ", what));
  }

  static std::string Escape(const std::string& key) {
    return absl::StrReplaceAll(key, {{"~", "~0"}, {"/", "~1"}});
  }

  // A non-negative integer keyword, or `dflt` when absent.
  absl::StatusOr<int32_t> Count(const Json& s, const char* key, int32_t dflt, const std::string& ptr) const {
    if (!s.contains(key)) return dflt;
    const Json& v = s[key];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000) {
      return Error(ptr + "/" + key, "must be a non-negative integer (at most 1000000)");
    }
    return static_cast<int32_t>(v.get<int64_t>());
  }

  static bool HasType(const Json& s, const Json& v) {
    if (!s.contains("type")) return true;
    std::vector<std::string> types;
    if (s["type"].is_string()) types.push_back(s["type"].get<std::string>());
    else if (s["type"].is_array()) for (const Json& t : s["type"]) if (t.is_string()) types.push_back(t.get<std::string>());
    for (const std::string& t : types) {
      if ((t == "object" && v.is_object()) || (t == "array" && v.is_array()) || (t == "string" && v.is_string()) ||
          (t == "number" && v.is_number()) || (t == "integer" && v.is_number_integer()) ||
          (t == "boolean" && v.is_boolean()) || (t == "null" && v.is_null())) {
        return true;
      }
    }
    return false;
  }

  absl::StatusOr<int32_t> Enum(const Json& s, const std::string& ptr) {
    const Json& e = s["enum"];
    if (!e.is_array() || e.empty()) return Error(ptr + "/enum", "must be a non-empty list");
    std::vector<int32_t> alts;
    std::set<std::string> seen;
    for (const Json& v : e) {
      std::string text = v.dump();
      if (!HasType(s, v) || !seen.insert(text).second) continue;  // a value the type excludes can never validate
      alts.push_back(g_->Literal(std::move(text)));
    }
    if (alts.empty()) return Error(ptr + "/enum", "no value matches the schema's \"type\"");
    return g_->Alt(std::move(alts));
  }

  absl::StatusOr<int32_t> AnyOf(const Json& s, const std::string& ptr) {
    const Json& a = s["anyOf"];
    if (!a.is_array() || a.empty()) return Error(ptr + "/anyOf", "must be a non-empty list of schemas");
    for (const char* other : {"type", "properties", "items", "required"}) {
      if (s.contains(other)) {
        return Error(ptr, absl::StrCat("\"anyOf\" beside \"", other, "\" is not supported by constrained decoding"));
      }
    }
    std::vector<int32_t> alts;
    for (size_t i = 0; i < a.size(); ++i) {
      auto node = Compile(a[i], absl::StrCat(ptr, "/anyOf/", i));
      if (!node.ok()) return node.status();
      alts.push_back(*node);
    }
    return g_->Alt(std::move(alts));
  }

  absl::StatusOr<int32_t> OfType(const Json& s, const std::string& t, const std::string& ptr) {
    if (t == "null") return g_->Literal("null");
    if (t == "boolean") return g_->Alt({g_->Literal("true"), g_->Literal("false")});
    if (t == "number" || t == "integer") {
      GrammarNode n;
      n.kind = GrammarNode::Kind::kNumber;
      n.integer = t == "integer";
      return g_->Add(std::move(n));
    }
    if (t == "string") {
      GrammarNode n;
      n.kind = GrammarNode::Kind::kString;
      auto lo = Count(s, "minLength", 0, ptr);
      if (!lo.ok()) return lo.status();
      auto hi = Count(s, "maxLength", -1, ptr);
      if (!hi.ok()) return hi.status();
      if (*hi >= 0 && *hi < *lo) return Error(ptr, "maxLength is below minLength");
      if (*hi > (1 << 26)) return Error(ptr + "/maxLength", "is too large");
      n.min = *lo;
      n.max = *hi;
      return g_->Add(std::move(n));
    }
    if (t == "array") return Array(s, ptr);
    if (t == "object") return Object(s, ptr);
    return Error(ptr + "/type", absl::StrCat("unknown type \"", t, "\""));
  }

  absl::StatusOr<int32_t> Array(const Json& s, const std::string& ptr) {
    if (!s.contains("items")) return Error(ptr, "an array needs \"items\" for constrained decoding");
    auto item = Compile(s["items"], ptr + "/items");
    if (!item.ok()) return item.status();
    auto lo = Count(s, "minItems", 0, ptr);
    if (!lo.ok()) return lo.status();
    auto hi = Count(s, "maxItems", -1, ptr);
    if (!hi.ok()) return hi.status();
    if (*hi >= 0 && *hi < *lo) return Error(ptr, "maxItems is below minItems");
    GrammarNode r;
    r.kind = GrammarNode::Kind::kRepeat;
    r.children = {*item, g_->Seq({g_->Literal(", "), *item})};
    r.min = *lo;
    r.max = *hi;
    return g_->Seq({g_->Literal("["), g_->Add(std::move(r)), g_->Literal("]")});
  }

  absl::StatusOr<int32_t> Object(const Json& s, const std::string& ptr) {
    const Json empty = Json::object();
    const Json& props = s.contains("properties") ? s["properties"] : empty;
    if (!props.is_object()) return Error(ptr + "/properties", "must be an object");
    if (s.contains("additionalProperties") && !s["additionalProperties"].is_boolean()) {
      return Error(ptr + "/additionalProperties", "only true or false is supported by constrained decoding");
    }
    std::set<std::string> required;
    if (s.contains("required")) {
      if (!s["required"].is_array()) return Error(ptr + "/required", "must be a list of names");
      for (const Json& r : s["required"]) {
        if (!r.is_string()) return Error(ptr + "/required", "must be a list of names");
        if (!props.contains(r.get<std::string>())) {
          return Error(ptr + "/required",
                       absl::StrCat("\"", r.get<std::string>(), "\" is not declared in \"properties\""));
        }
        required.insert(r.get<std::string>());
      }
    }
    GrammarNode o;
    o.kind = GrammarNode::Kind::kObject;
    for (const auto& [name, sub] : props.items()) {
      auto value = Compile(sub, ptr + "/properties/" + Escape(name));
      if (!value.ok()) return value.status();
      const std::string key = Json(name).dump() + ": ";
      o.children.push_back(g_->Seq({g_->Literal(key), *value}));
      o.children.push_back(g_->Seq({g_->Literal(", " + key), *value}));
      o.required.push_back(required.contains(name));
    }
    return g_->Seq({g_->Literal("{"), g_->Add(std::move(o)), g_->Literal("}")});
  }

  Grammar* g_;
  std::string where_;
};

absl::StatusOr<Json> ParseSchema(absl::string_view text, absl::string_view where) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(where, ": the schema is not valid JSON"));
  return j;
}

}  // namespace

absl::StatusOr<Grammar> CompileJsonSchema(absl::string_view schema_json, absl::string_view where) {
  auto schema = ParseSchema(schema_json, where);
  if (!schema.ok()) return schema.status();
  Grammar g;
  SchemaCompiler c(&g, std::string(where));
  auto root = c.Compile(*schema, "");
  if (!root.ok()) return root.status();
  g.set_root(*root);
  return g;
}

absl::StatusOr<Grammar> CompileToolCallGrammar(absl::Span<const ToolSchema> tools) {
  if (tools.empty()) return absl::InvalidArgumentError("tools: constrained tool calls need at least one tool");
  Grammar g;
  std::set<std::string> names;
  std::vector<int32_t> calls;
  for (size_t i = 0; i < tools.size(); ++i) {
    const ToolSchema& t = tools[i];
    const std::string where = absl::StrCat("tools[", i, "].function.parameters");
    if (!names.insert(t.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("tools[", i, "]: duplicate tool name \"", t.name, "\""));
    }
    int32_t args;
    if (t.parameters.empty()) {
      args = g.Literal("{}");
    } else {
      auto schema = ParseSchema(t.parameters, where);
      if (!schema.ok()) return schema.status();
      SchemaCompiler c(&g, where);
      auto root = c.Compile(*schema, "");
      if (!root.ok()) return root.status();
      args = *root;
    }
    calls.push_back(g.Seq({g.Literal(Json(t.name).dump() + ", \"arguments\": "), args}));
  }
  g.set_root(g.Seq({g.Literal("<tool_call>\n{\"name\": "), g.Alt(std::move(calls)), g.Literal("}\n</tool_call>")}));
  return g;
}

Grammar AnyJsonObjectGrammar(int max_depth) {
  Grammar g;
  GrammarNode str;
  str.kind = GrammarNode::Kind::kString;
  const int32_t string = g.Add(str);
  GrammarNode num;
  num.kind = GrammarNode::Kind::kNumber;
  const int32_t number = g.Add(num);
  const std::vector<int32_t> scalars = {string, number, g.Literal("true"), g.Literal("false"), g.Literal("null")};
  // Each level's values may be the previous level's objects and arrays: depth by unrolling.
  int32_t value = g.Alt(scalars);
  int32_t object = -1;
  for (int depth = 1; depth <= std::max(max_depth, 1); ++depth) {
    GrammarNode members;
    members.kind = GrammarNode::Kind::kRepeat;
    members.children = {g.Seq({string, g.Literal(": "), value}), g.Seq({g.Literal(", "), string, g.Literal(": "), value})};
    object = g.Seq({g.Literal("{"), g.Add(std::move(members)), g.Literal("}")});
    GrammarNode items;
    items.kind = GrammarNode::Kind::kRepeat;
    items.children = {value, g.Seq({g.Literal(", "), value})};
    const int32_t array = g.Seq({g.Literal("["), g.Add(std::move(items)), g.Literal("]")});
    std::vector<int32_t> alts = scalars;
    alts.push_back(object);
    alts.push_back(array);
    value = g.Alt(std::move(alts));
  }
  g.set_root(object);
  return g;
}

}  // namespace switchyard
