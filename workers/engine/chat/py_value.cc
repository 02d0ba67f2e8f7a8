#include "workers/engine/chat/py_value.h"

#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "workers/engine/chat/py_text.h"

namespace switchyard {

void AppendJsonString(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

PyValue PyValue::Str(std::string s) {
  PyValue v;
  v.type_ = Type::kStr;
  v.text_ = std::move(s);
  return v;
}

PyValue PyValue::Dict() {
  PyValue v;
  v.type_ = Type::kDict;
  return v;
}

PyValue PyValue::FromJson(JsonElement e) {
  PyValue v;
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      v.type_ = Type::kDict;
      const simdjson::dom::object obj = e.get_object().value_unsafe();
      // Duplicate keys are rare; index them only for objects big enough to need it.
      absl::flat_hash_map<absl::string_view, size_t> index;
      const bool indexed = obj.size() > 16;
      for (auto field : obj) {
        if (indexed) {
          auto [it, inserted] = index.emplace(ToAbsl(field.key), v.keys_.size());
          if (!inserted) {
            v.items_[it->second] = FromJson(field.value);
            continue;
          }
          v.keys_.emplace_back(field.key);
          v.items_.push_back(FromJson(field.value));
        } else {
          v.Set(std::string(field.key), FromJson(field.value));
        }
      }
      return v;
    }
    case simdjson::dom::element_type::ARRAY:
    {
      v.type_ = Type::kList;
      const simdjson::dom::array arr = e.get_array().value_unsafe();
      for (JsonElement x : arr) v.items_.push_back(FromJson(x));
      return v;
    }
    case simdjson::dom::element_type::STRING:
      v.type_ = Type::kStr;
      v.text_ = std::string(e.get_string().value_unsafe());
      return v;
    case simdjson::dom::element_type::INT64:
      v.type_ = Type::kInt;
      v.text_ = absl::StrCat(e.get_int64().value_unsafe());
      return v;
    case simdjson::dom::element_type::UINT64:
      v.type_ = Type::kInt;
      v.text_ = absl::StrCat(e.get_uint64().value_unsafe());
      return v;
    case simdjson::dom::element_type::DOUBLE:
      v.type_ = Type::kFloat;
      v.float_ = e.get_double().value_unsafe();
      return v;
    case simdjson::dom::element_type::BOOL:
      v.type_ = Type::kBool;
      v.bool_ = e.get_bool().value_unsafe();
      return v;
    case simdjson::dom::element_type::NULL_VALUE:
      return v;
  }
  return v;
}

absl::StatusOr<PyValue> PyValue::Parse(absl::string_view json, absl::string_view what) {
  auto doc = JsonDocument::Parse(json, std::string(what));
  if (!doc.ok()) return doc.status();
  return FromJson((*doc)->root());
}

const PyValue* PyValue::Get(absl::string_view key) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

void PyValue::Set(std::string key, PyValue value) {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) {
      items_[i] = std::move(value);
      return;
    }
  }
  keys_.push_back(std::move(key));
  items_.push_back(std::move(value));
}

void PyValue::AppendDumps(JsonStyle style, std::string* out) const {
  const char* comma = style == JsonStyle::kPython ? ", " : ",";
  const char* colon = style == JsonStyle::kPython ? ": " : ":";
  switch (type_) {
    case Type::kNone: out->append("null"); return;
    case Type::kBool: out->append(bool_ ? "true" : "false"); return;
    case Type::kInt: out->append(text_); return;
    case Type::kFloat:
      if (std::isnan(float_)) {
        out->append("NaN");
      } else if (std::isinf(float_)) {
        out->append(float_ > 0 ? "Infinity" : "-Infinity");
      } else {
        out->append(PythonFloatRepr(float_));
      }
      return;
    case Type::kStr: AppendJsonString(text_, out); return;
    case Type::kList:
      out->push_back('[');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out->append(comma);
        items_[i].AppendDumps(style, out);
      }
      out->push_back(']');
      return;
    case Type::kDict:
      out->push_back('{');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out->append(comma);
        AppendJsonString(keys_[i], out);
        out->append(colon);
        items_[i].AppendDumps(style, out);
      }
      out->push_back('}');
      return;
  }
}

std::string PyValue::Dumps(JsonStyle style) const {
  std::string out;
  AppendDumps(style, &out);
  return out;
}

void PyValue::AppendRepr(std::string* out) const {
  switch (type_) {
    case Type::kNone: out->append("None"); return;
    case Type::kBool: out->append(bool_ ? "True" : "False"); return;
    case Type::kInt: out->append(text_); return;
    case Type::kFloat: out->append(PythonFloatRepr(float_)); return;
    case Type::kStr: AppendPyStrRepr(text_, out); return;
    case Type::kList:
      out->push_back('[');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out->append(", ");
        items_[i].AppendRepr(out);
      }
      out->push_back(']');
      return;
    case Type::kDict:
      out->push_back('{');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendPyStrRepr(keys_[i], out);
        out->append(": ");
        items_[i].AppendRepr(out);
      }
      out->push_back('}');
      return;
  }
}

std::string PyValue::ToStr() const {
  if (type_ == Type::kStr) return text_;
  std::string out;
  AppendRepr(&out);
  return out;
}

absl::StatusOr<std::string> Reserialize(absl::string_view json, JsonStyle style, absl::string_view what) {
  auto v = PyValue::Parse(json, what);
  if (!v.ok()) return v.status();
  return v->Dumps(style);
}

}  // namespace switchyard
