// ParseSchema (the Parser class): keywords to Nodes, then "$ref" resolution, the cycle check and
// the finite-value check (conjunction_graph.h).
#include "schema/parser.h"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "schema/conjunction_graph.h"
#include "schema/json_depth.h"
#include "schema/json_pointer.h"
#include "schema/keywords.h"
#include "schema/schema_error.h"
#include "schema/validator.h"

namespace switchyard::schema {
namespace {

using Json = nlohmann::ordered_json;

std::string Shown(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::optional<TypeSet> TypeBitOf(const Json& name) {
  if (!name.is_string()) return std::nullopt;
  const std::string& s = name.get_ref<const std::string&>();
  if (s == "object") return kTypeObject;
  if (s == "array") return kTypeArray;
  if (s == "string") return kTypeString;
  if (s == "number") return kTypeNumber;
  if (s == "integer") return kTypeInteger;
  if (s == "boolean") return kTypeBoolean;
  if (s == "null") return kTypeNull;
  return std::nullopt;
}

// A non-negative integer keyword value (2.0 counts, as it does for instances).
std::optional<uint64_t> Count(const Json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i >= 0) return static_cast<uint64_t>(i);
    return std::nullopt;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= 0 && d <= 9.0e18 && d == static_cast<double>(static_cast<uint64_t>(d))) return static_cast<uint64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

class Parser {
 public:
  explicit Parser(absl::string_view where) : where_(where) {}

  absl::StatusOr<Schema> Run(const Json& document) {
    if (JsonDepthExceeds(document, kMaxSchemaDepth)) {
      return Error("", absl::StrCat("nests deeper than ", kMaxSchemaDepth, " levels"));
    }
    out_.nodes_.emplace_back();  // the root, filled in place below
    if (absl::Status s = Compile(document, "", Schema::kRoot).status(); !s.ok()) return s;
    if (document.is_object()) {
      for (const char* defs_key : {"$defs", "definitions"}) {
        auto it = document.find(defs_key);
        if (it == document.end()) continue;
        const std::string defs_ptr = absl::StrCat("/", defs_key);
        if (!it->is_object()) return Error(defs_ptr, absl::StrCat("\"", defs_key, "\" must be an object"));
        for (const auto& [name, def] : it->items()) {
          const std::string ptr = absl::StrCat(defs_ptr, "/", EscapePointerToken(name));
          absl::StatusOr<int> index = Compile(def, ptr, -1);
          if (!index.ok()) return index.status();
          definitions_[absl::StrCat("#", ptr)] = *index;
        }
      }
    }
    if (absl::Status s = ResolveRefs(); !s.ok()) return s;
    if (absl::Status s = RefuseNonDescendingCycles(); !s.ok()) return s;
    if (absl::Status s = RefuseWithoutFiniteValue(); !s.ok()) return s;
    return std::move(out_);
  }

 private:
  absl::Status Error(const std::string& pointer, absl::string_view what) const {
    return SchemaError(where_, pointer, what);
  }

  // Compiles `s` into nodes_[slot] (a new node when slot < 0); returns its index.
  absl::StatusOr<int> Compile(const Json& s, const std::string& ptr, int slot) {
    int index = slot;
    if (index < 0) {
      index = out_.size();
      out_.nodes_.emplace_back();
    }
    // Built in a local and moved in at the end: compiling children grows nodes_.
    Node n;
    n.pointer = ptr;
    if (s.is_boolean()) {
      n.reject_all = !s.get<bool>();
      out_.nodes_[static_cast<size_t>(index)] = std::move(n);
      return index;
    }
    if (!s.is_object()) return Error(ptr, "a schema must be an object or a boolean");
    for (const auto& [key, value] : s.items()) {
      if (IsAnnotation(key)) continue;
      if (key == "$id") {
        if (!ptr.empty()) return Error(ptr, "\"$id\" is only supported at the root");
        continue;
      }
      std::optional<Keyword> keyword = FindKeyword(key);
      if (!keyword) return Error(ptr, absl::StrCat("unsupported keyword \"", key, "\""));
      n.keywords |= Bit(*keyword);
      if (absl::Status st = CompileKeyword(*keyword, key, value, ptr, index, n); !st.ok()) return st;
    }
    if (n.min_items && n.max_items && *n.max_items < *n.min_items) {
      return Error(ptr, "\"maxItems\" is below \"minItems\"");
    }
    if (n.min_length && n.max_length && *n.max_length < *n.min_length) {
      return Error(ptr, "\"maxLength\" is below \"minLength\"");
    }
    out_.nodes_[static_cast<size_t>(index)] = std::move(n);
    return index;
  }

  // One keyword of the schema at `ptr` (node `index`) into `n`.
  absl::Status CompileKeyword(Keyword keyword, const std::string& key, const Json& value, const std::string& ptr,
                              int index, Node& n) {
    const std::string kptr = absl::StrCat(ptr, "/", EscapePointerToken(key));
    switch (keyword) {
      case Keyword::kDefs:
      case Keyword::kDefinitions:
        if (!ptr.empty()) return Error(ptr, absl::StrCat("\"", key, "\" is only supported at the root"));
        n.keywords &= ~Bit(keyword);  // compiled by Run, not a constraint of the root
        return absl::OkStatus();
      case Keyword::kType:
        return Type(value, ptr, n);
      case Keyword::kProperties:
        return Properties(value, ptr, kptr, n);
      case Keyword::kRequired:
        if (!value.is_array()) return Error(ptr, "\"required\" must be a list of property names");
        for (const Json& r : value) {
          if (!r.is_string()) return Error(ptr, "\"required\" must be a list of property names");
          n.required.push_back(r.get<std::string>());
        }
        return absl::OkStatus();
      case Keyword::kAdditionalProperties:
        if (!value.is_boolean()) {
          return Error(ptr, "\"additionalProperties\" must be true or false (schemas are not supported)");
        }
        n.additional_properties = value.get<bool>();
        return absl::OkStatus();
      case Keyword::kEnum:
        if (!value.is_array()) return Error(ptr, "\"enum\" must be a list");
        if (value.empty()) return Error(ptr, "\"enum\" must not be an empty list");
        n.enum_values.assign(value.begin(), value.end());
        return absl::OkStatus();
      case Keyword::kConst:
        n.const_value = value;
        return absl::OkStatus();
      case Keyword::kItems: {
        if (value.is_array()) return Error(ptr, "\"items\" must be one schema (the list form is not supported)");
        absl::StatusOr<int> child = Compile(value, kptr, -1);
        if (!child.ok()) return child.status();
        n.items = *child;
        return absl::OkStatus();
      }
      case Keyword::kMinItems:
      case Keyword::kMaxItems:
      case Keyword::kMinLength:
      case Keyword::kMaxLength:
        return CountKeyword(keyword, key, value, ptr, n);
      case Keyword::kAnyOf:
        if (!value.is_array() || value.empty()) return Error(ptr, "\"anyOf\" must be a non-empty list of schemas");
        for (size_t i = 0; i < value.size(); ++i) {
          absl::StatusOr<int> child = Compile(value[i], absl::StrCat(kptr, "/", i), -1);
          if (!child.ok()) return child.status();
          n.any_of.push_back(*child);
        }
        return absl::OkStatus();
      case Keyword::kRef: {
        if (!value.is_string()) return Error(ptr, "\"$ref\" must be a string");
        const std::string& ref = value.get_ref<const std::string&>();
        if (ref.empty() || ref[0] != '#') {
          return Error(ptr, absl::StrCat("remote \"$ref\" \"", ref, "\" is not supported"));
        }
        pending_refs_.emplace_back(index, ref);
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  // "properties": each compiled in declared order, plus the index sorted by name.
  absl::Status Properties(const Json& value, const std::string& ptr, const std::string& kptr, Node& n) {
    if (!value.is_object()) return Error(ptr, "\"properties\" must be an object");
    for (const auto& [name, sub] : value.items()) {
      absl::StatusOr<int> child = Compile(sub, absl::StrCat(kptr, "/", EscapePointerToken(name)), -1);
      if (!child.ok()) return child.status();
      n.properties.push_back({name, *child});
    }
    n.properties_by_name.resize(n.properties.size());
    for (size_t i = 0; i < n.properties.size(); ++i) n.properties_by_name[i] = static_cast<int>(i);
    std::sort(n.properties_by_name.begin(), n.properties_by_name.end(), [&n](int a, int b) {
      return n.properties[static_cast<size_t>(a)].name < n.properties[static_cast<size_t>(b)].name;
    });
    return absl::OkStatus();
  }

  // minItems, maxItems, minLength, maxLength: a count up to kMaxCount.
  absl::Status CountKeyword(Keyword keyword, const std::string& key, const Json& value, const std::string& ptr,
                            Node& n) const {
    std::optional<uint64_t> c = Count(value);
    if (!c) return Error(ptr, absl::StrCat("\"", key, "\" must be a non-negative integer"));
    if (*c > kMaxCount) return Error(ptr, absl::StrCat("\"", key, "\" must be at most ", kMaxCount));
    (keyword == Keyword::kMinItems   ? n.min_items
     : keyword == Keyword::kMaxItems ? n.max_items
     : keyword == Keyword::kMinLength ? n.min_length
                                      : n.max_length) = c;
    return absl::OkStatus();
  }

  absl::Status Type(const Json& value, const std::string& ptr, Node& n) const {
    if (!value.is_array()) {
      std::optional<TypeSet> bit = TypeBitOf(value);
      if (!bit) return Error(ptr, absl::StrCat("unknown type ", Shown(value)));
      n.types = *bit;
      return absl::OkStatus();
    }
    if (value.empty()) return Error(ptr, "\"type\" must not be an empty list");
    for (const Json& t : value) {
      std::optional<TypeSet> bit = TypeBitOf(t);
      if (!bit) return Error(ptr, absl::StrCat("unknown type ", Shown(t)));
      if (n.types & *bit) return Error(ptr, absl::StrCat("type \"", t.get<std::string>(), "\" listed twice"));
      n.types |= *bit;
    }
    return absl::OkStatus();
  }

  absl::Status ResolveRefs() {
    for (const auto& [index, ref] : pending_refs_) {
      Node& n = out_.nodes_[static_cast<size_t>(index)];
      if (ref == "#") {
        n.ref = Schema::kRoot;
        continue;
      }
      auto it = definitions_.find(ref);
      if (it == definitions_.end()) {
        return Error(n.pointer,
                     absl::StrCat("\"$ref\" \"", ref, "\" names no entry of the root's \"$defs\" or \"definitions\""));
      }
      n.ref = it->second;
    }
    return absl::OkStatus();
  }

  // "$ref" and "anyOf" apply another schema to the same value. A cycle made only of them would
  // make validation loop forever, so it is refused here.
  absl::Status RefuseNonDescendingCycles() const {
    const size_t count = out_.nodes_.size();
    std::vector<uint8_t> state(count, 0);  // 0 new, 1 on the stack, 2 done
    for (size_t start = 0; start < count; ++start) {
      if (state[start] != 0) continue;
      // Iterative DFS: (node, next edge to follow).
      std::vector<std::pair<int, size_t>> stack = {{static_cast<int>(start), 0}};
      state[start] = 1;
      while (!stack.empty()) {
        auto& [node, edge] = stack.back();
        const Node& n = out_.node(node);
        const size_t edges = n.any_of.size() + (n.ref >= 0 ? 1 : 0);
        if (edge == edges) {
          state[static_cast<size_t>(node)] = 2;
          stack.pop_back();
          continue;
        }
        const int next = edge < n.any_of.size() ? n.any_of[edge] : n.ref;
        ++edge;
        if (state[static_cast<size_t>(next)] == 1) {
          return Error(out_.node(next).pointer, "\"$ref\" cycle that never descends into the value");
        }
        if (state[static_cast<size_t>(next)] == 0) {
          state[static_cast<size_t>(next)] = 1;
          stack.emplace_back(next, 0);
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status RefuseWithoutFiniteValue() const {
    absl::StatusOr<ConjunctionGraph> graph = ConjunctionGraph::Build(out_, where_);
    if (!graph.ok()) return graph.status();
    // A recursion whose shortest value nests past what the validator checks has no value it
    // would pass, and would make the grammar compiler unroll without bound.
    for (int id = 0; id < graph->size(); ++id) {
      const ConjunctionGraph::Entry& e = graph->entry(id);
      if (e.finite && e.min_depth > kMaxValueDepth) {
        return Error(out_.node(e.nodes.front()).pointer,
                     absl::StrCat("its shortest value nests deeper than ", kMaxValueDepth, " levels"));
      }
    }
    switch (graph->root_value()) {
      case ConjunctionGraph::RootValue::kFinite:
        return absl::OkStatus();
      case ConjunctionGraph::RootValue::kNone:
        return Error("", "no value satisfies the schema");
      case ConjunctionGraph::RootValue::kOnlyInfinite:
        return Error("", "no finite value satisfies the schema: its \"$ref\" recursion never ends");
    }
    return absl::OkStatus();
  }

  std::string where_;
  Schema out_;
  std::map<std::string, int> definitions_;                // "#/$defs/name" -> node
  std::vector<std::pair<int, std::string>> pending_refs_;  // node, "$ref" as written
};

absl::StatusOr<Schema> ParseSchema(absl::string_view text, absl::string_view where) {
  Json document;
  try {
    document = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  } catch (const std::exception&) {
    document = Json::value_t::discarded;
  }
  if (document.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(where, ": not valid JSON"));
  return ParseSchemaDocument(document, where);
}

absl::StatusOr<Schema> ParseSchemaDocument(const nlohmann::ordered_json& document, absl::string_view where) {
  try {
    return Parser(where).Run(document);
  } catch (const std::exception& e) {  // nlohmann throws; nothing leaves schema/ as an exception
    return absl::InternalError(absl::StrCat(where, ": ", e.what()));
  }
}

}  // namespace switchyard::schema
