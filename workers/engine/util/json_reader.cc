#include "workers/engine/util/json_reader.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard {

absl::string_view JsonTypeName(JsonElement e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: return "integer";
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<JsonDocument>> JsonDocument::Parse(absl::string_view text,
                                                                   std::string source) {
  auto doc = std::make_unique<JsonDocument>(PassKey());
  doc->source_ = std::move(source);
  simdjson::error_code err = doc->parser_.parse(text.data(), text.size(), true).get(doc->root_);
  if (err != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat(doc->source_, ": not valid JSON (", std::string(simdjson::error_message(err)), ")"));
  }
  return doc;
}

absl::StatusOr<JsonObject> JsonDocument::RootObject() const {
  simdjson::dom::object obj;
  if (root_.get_object().get(obj) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ": expected a JSON object at the top level, got ", JsonTypeName(root_)));
  }
  return JsonObject(obj, source_, "");
}

std::optional<int64_t> JsonAsInt(JsonElement e) {
  int64_t i;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return i;
  double d;
  if (e.type() == simdjson::dom::element_type::DOUBLE && e.get_double().get(d) == simdjson::SUCCESS &&
      std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> JsonAsDouble(JsonElement e) {
  double d;
  if (e.get_double().get(d) == simdjson::SUCCESS) return d;  // simdjson converts integers too
  return std::nullopt;
}

std::string JsonObject::Where(absl::string_view key) const {
  if (path_.empty()) return absl::StrCat(source_, ": ", key);
  return absl::StrCat(source_, ": ", path_, ".", key);
}

absl::Status JsonObject::TypeError(absl::string_view key, absl::string_view expected,
                                   JsonElement got) const {
  return absl::InvalidArgumentError(
      absl::StrCat(Where(key), ": expected ", expected, ", got ", JsonTypeName(got)));
}

std::optional<JsonElement> JsonObject::Find(absl::string_view key) const {
  JsonElement e;
  if (obj_.at_key(ToStd(key)).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

bool JsonObject::Has(absl::string_view key) const {
  auto e = Find(key);
  return e.has_value() && !e->is_null();
}

absl::StatusOr<JsonElement> JsonObject::Required(absl::string_view key) const {
  auto e = Find(key);
  if (!e.has_value() || e->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(Where(key), ": required key is missing"));
  }
  return *e;
}

absl::StatusOr<int64_t> JsonObject::Int(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  auto v = JsonAsInt(*e);
  if (!v) return TypeError(key, "an integer", *e);
  return *v;
}

absl::StatusOr<int64_t> JsonObject::IntOr(absl::string_view key, int64_t fallback) const {
  return Has(key) ? Int(key) : absl::StatusOr<int64_t>(fallback);
}

absl::StatusOr<double> JsonObject::Double(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  auto v = JsonAsDouble(*e);
  if (!v) return TypeError(key, "a number", *e);
  return *v;
}

absl::StatusOr<double> JsonObject::DoubleOr(absl::string_view key, double fallback) const {
  return Has(key) ? Double(key) : absl::StatusOr<double>(fallback);
}

absl::StatusOr<bool> JsonObject::Bool(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  bool b;
  if (e->get_bool().get(b) != simdjson::SUCCESS) return TypeError(key, "a boolean", *e);
  return b;
}

absl::StatusOr<bool> JsonObject::BoolOr(absl::string_view key, bool fallback) const {
  return Has(key) ? Bool(key) : absl::StatusOr<bool>(fallback);
}

absl::StatusOr<absl::string_view> JsonObject::String(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  std::string_view s;
  if (e->get_string().get(s) != simdjson::SUCCESS) return TypeError(key, "a string", *e);
  return ToAbsl(s);
}

absl::StatusOr<absl::string_view> JsonObject::StringOr(absl::string_view key,
                                                      absl::string_view fallback) const {
  return Has(key) ? String(key) : absl::StatusOr<absl::string_view>(fallback);
}

absl::StatusOr<JsonObject> JsonObject::Object(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  simdjson::dom::object o;
  if (e->get_object().get(o) != simdjson::SUCCESS) return TypeError(key, "an object", *e);
  return JsonObject(o, source_, path_.empty() ? std::string(key) : absl::StrCat(path_, ".", key));
}

absl::StatusOr<simdjson::dom::array> JsonObject::Array(absl::string_view key) const {
  auto e = Required(key);
  if (!e.ok()) return e.status();
  simdjson::dom::array a;
  if (e->get_array().get(a) != simdjson::SUCCESS) return TypeError(key, "an array", *e);
  return a;
}

}  // namespace switchyard
