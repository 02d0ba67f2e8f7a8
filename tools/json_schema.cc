// JsonSchema::Compile (SchemaCompiler) and the entry points; validation is schema_validator.cc.
#include "tools/json_schema.h"

#include <algorithm>
#include <exception>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/json_depth.h"
#include "tools/json_pointer.h"
#include "tools/schema_validator.h"

namespace switchyard::tools {
namespace {

std::string Where(const std::string& pointer) { return pointer.empty() ? "/" : pointer; }

absl::Status SchemaError(const std::string& pointer, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("schema ", Where(pointer), ": ", what));
}

bool IsAnnotation(absl::string_view k) {
  return k == "description" || k == "title" || k == "default" || k == "$schema" || k == "examples";
}

std::optional<uint8_t> TypeBit(const nlohmann::json& name) {
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
std::optional<uint64_t> Count(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i >= 0) return static_cast<uint64_t>(i);
    return std::nullopt;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d >= 0 && d <= 9.0e18 && d == static_cast<double>(static_cast<uint64_t>(d))) return static_cast<uint64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

// Turns a schema document into JsonSchema::nodes_, checking every keyword on the way.
class SchemaCompiler {
 public:
  absl::StatusOr<JsonSchema> Run(const nlohmann::json& schema) {
    if (JsonDepthExceeds(schema, JsonSchema::kMaxSchemaDepth)) {
      return SchemaError("", absl::StrCat("nests deeper than ", JsonSchema::kMaxSchemaDepth, " levels"));
    }
    out_.schema_ = schema;
    out_.nodes_.emplace_back();  // the root, filled in place below
    absl::StatusOr<int> root = Node(schema, "", /*slot=*/0);
    if (!root.ok()) return root.status();
    if (schema.is_object()) {
      for (const char* defs_key : {"$defs", "definitions"}) {
        auto it = schema.find(defs_key);
        if (it == schema.end()) continue;
        std::string defs_ptr = absl::StrCat("/", defs_key);
        if (!it->is_object()) return SchemaError(defs_ptr, absl::StrCat("\"", defs_key, "\" must be an object"));
        for (const auto& [name, def] : it->items()) {
          std::string ptr = absl::StrCat(defs_ptr, "/", EscapePointerToken(name));
          absl::StatusOr<int> index = Node(def, ptr, -1);
          if (!index.ok()) return index.status();
          definitions_[absl::StrCat("#", ptr)] = *index;
        }
      }
    }
    if (absl::Status s = ResolveRefs(); !s.ok()) return s;
    if (absl::Status s = RefuseNonDescendingCycles(); !s.ok()) return s;
    return std::move(out_);
  }

 private:
  // Compiles `s` into nodes_[slot] (a new node when slot < 0); returns its index.
  absl::StatusOr<int> Node(const nlohmann::json& s, const std::string& ptr, int slot) {
    int index = slot;
    if (index < 0) {
      index = static_cast<int>(out_.nodes_.size());
      out_.nodes_.emplace_back();
    }
    // Built in a local and moved in at the end: compiling children grows nodes_.
    SchemaNode n;
    n.pointer = ptr;
    if (s.is_boolean()) {
      n.reject_all = !s.get<bool>();
      out_.nodes_[index] = std::move(n);
      return index;
    }
    if (!s.is_object()) return SchemaError(ptr, "a schema must be an object or a boolean");
    for (const auto& [key, value] : s.items()) {
      const std::string kptr = absl::StrCat(ptr, "/", EscapePointerToken(key));
      if (IsAnnotation(key)) continue;
      if (key == "$defs" || key == "definitions") {
        if (!ptr.empty()) return SchemaError(ptr, absl::StrCat("\"", key, "\" is only supported at the root"));
        continue;  // compiled by Run
      }
      if (key == "type") {
        if (value.is_array()) {
          if (value.empty()) return SchemaError(ptr, "\"type\" must not be an empty list");
          for (const nlohmann::json& t : value) {
            std::optional<uint8_t> bit = TypeBit(t);
            if (!bit) return SchemaError(ptr, absl::StrCat("unknown type ", t.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
            if (n.types & *bit) return SchemaError(ptr, absl::StrCat("type \"", t.get<std::string>(), "\" listed twice"));
            n.types |= *bit;
          }
        } else {
          std::optional<uint8_t> bit = TypeBit(value);
          if (!bit) return SchemaError(ptr, absl::StrCat("unknown type ", value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
          n.types = *bit;
        }
      } else if (key == "properties") {
        if (!value.is_object()) return SchemaError(ptr, "\"properties\" must be an object");
        for (const auto& [name, sub] : value.items()) {
          absl::StatusOr<int> child = Node(sub, absl::StrCat(kptr, "/", EscapePointerToken(name)), -1);
          if (!child.ok()) return child.status();
          n.properties.emplace_back(name, *child);
        }
        std::sort(n.properties.begin(), n.properties.end());
      } else if (key == "required") {
        if (!value.is_array()) return SchemaError(ptr, "\"required\" must be a list of property names");
        for (const nlohmann::json& r : value) {
          if (!r.is_string()) return SchemaError(ptr, "\"required\" must be a list of property names");
          n.required.push_back(r.get<std::string>());
        }
      } else if (key == "additionalProperties") {
        if (!value.is_boolean()) return SchemaError(ptr, "\"additionalProperties\" must be true or false (schemas are not supported)");
        n.additional_properties = value.get<bool>();
      } else if (key == "enum") {
        if (!value.is_array()) return SchemaError(ptr, "\"enum\" must be a list");
        n.enum_values = value;
      } else if (key == "const") {
        n.const_value = value;
      } else if (key == "items") {
        if (value.is_array()) return SchemaError(ptr, "\"items\" must be one schema (the list form is not supported)");
        absl::StatusOr<int> child = Node(value, kptr, -1);
        if (!child.ok()) return child.status();
        n.items = *child;
      } else if (key == "minItems" || key == "maxItems" || key == "minLength" || key == "maxLength") {
        std::optional<uint64_t> c = Count(value);
        if (!c) return SchemaError(ptr, absl::StrCat("\"", key, "\" must be a non-negative integer"));
        (key == "minItems" ? n.min_items : key == "maxItems" ? n.max_items : key == "minLength" ? n.min_length : n.max_length) = c;
      } else if (key == "anyOf") {
        if (!value.is_array() || value.empty()) return SchemaError(ptr, "\"anyOf\" must be a non-empty list of schemas");
        for (size_t i = 0; i < value.size(); ++i) {
          absl::StatusOr<int> child = Node(value[i], absl::StrCat(kptr, "/", i), -1);
          if (!child.ok()) return child.status();
          n.any_of.push_back(*child);
        }
      } else if (key == "$ref") {
        if (!value.is_string()) return SchemaError(ptr, "\"$ref\" must be a string");
        n.ref_text = value.get<std::string>();
        if (n.ref_text.empty() || n.ref_text[0] != '#') {
          return SchemaError(ptr, absl::StrCat("remote \"$ref\" \"", n.ref_text, "\" is not supported"));
        }
        pending_refs_.push_back(index);
      } else {
        return SchemaError(ptr, absl::StrCat("unsupported keyword \"", key, "\""));
      }
    }
    out_.nodes_[index] = std::move(n);
    return index;
  }

  absl::Status ResolveRefs() {
    for (int index : pending_refs_) {
      SchemaNode& n = out_.nodes_[index];
      if (n.ref_text == "#") {
        n.ref = 0;
        continue;
      }
      auto it = definitions_.find(n.ref_text);
      if (it == definitions_.end()) {
        return SchemaError(n.pointer, absl::StrCat("\"$ref\" \"", n.ref_text,
                                                   "\" names no entry of the root's \"$defs\" or \"definitions\""));
      }
      n.ref = it->second;
    }
    return absl::OkStatus();
  }

  // "$ref" and "anyOf" apply another schema to the same value. A cycle made only of them would
  // make validation loop forever, so it is refused here.
  absl::Status RefuseNonDescendingCycles() {
    const size_t count = out_.nodes_.size();
    std::vector<uint8_t> state(count, 0);  // 0 new, 1 on the stack, 2 done
    for (size_t start = 0; start < count; ++start) {
      if (state[start] != 0) continue;
      // Iterative DFS: (node, next edge to follow).
      std::vector<std::pair<int, size_t>> stack = {{static_cast<int>(start), 0}};
      state[start] = 1;
      while (!stack.empty()) {
        auto& [node, edge] = stack.back();
        const SchemaNode& n = out_.nodes_[node];
        const size_t edges = n.any_of.size() + (n.ref >= 0 ? 1 : 0);
        if (edge == edges) {
          state[node] = 2;
          stack.pop_back();
          continue;
        }
        int next = edge < n.any_of.size() ? n.any_of[edge] : n.ref;
        ++edge;
        if (state[next] == 1) {
          return SchemaError(out_.nodes_[next].pointer, "\"$ref\" cycle that never descends into the value");
        }
        if (state[next] == 0) {
          state[next] = 1;
          stack.emplace_back(next, 0);
        }
      }
    }
    return absl::OkStatus();
  }

  JsonSchema out_;
  std::map<std::string, int> definitions_;  // "#/$defs/name" -> node
  std::vector<int> pending_refs_;
};

absl::StatusOr<JsonSchema> JsonSchema::Parse(absl::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  } catch (const std::exception&) {
    j = nlohmann::json::value_t::discarded;
  }
  if (j.is_discarded()) return absl::InvalidArgumentError("schema: not valid JSON");
  return Compile(j);
}

absl::StatusOr<JsonSchema> JsonSchema::Compile(const nlohmann::json& schema) {
  try {
    return SchemaCompiler().Run(schema);
  } catch (const std::exception& e) {  // nlohmann throws; nothing leaves tools/ as an exception
    return absl::InternalError(absl::StrCat("schema: ", e.what()));
  }
}

std::vector<SchemaViolation> JsonSchema::Validate(const nlohmann::json& instance) const {
  return SchemaValidator(nodes_).Validate(instance);
}

absl::Status JsonSchema::Check(const nlohmann::json& instance) const {
  std::vector<SchemaViolation> v = Validate(instance);
  if (v.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrJoin(v, "; ", [](std::string* out, const SchemaViolation& x) { out->append(x.ToString()); }));
}

}  // namespace switchyard::tools
