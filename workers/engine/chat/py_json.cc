#include "workers/engine/chat/py_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

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

std::string PythonFloatRepr(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, end);  // "-1.2345e-07": shortest digits that round-trip
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exp10 = std::stoi(sci.substr(e + 1));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int n = static_cast<int>(digits.size());
  const int decpt = exp10 + 1;  // value = 0.digits * 10^decpt
  std::string out = sign;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(decpt)) + "." + digits.substr(static_cast<size_t>(decpt));
    }
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char e_buf[16];
    std::snprintf(e_buf, sizeof e_buf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    out += e_buf;
  }
  return out;
}

absl::Status AppendJson(JsonElement e, JsonStyle style, std::string* out) {
  const char* comma = style == JsonStyle::kPython ? ", " : ",";
  const char* colon = style == JsonStyle::kPython ? ": " : ":";
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      out->push_back('{');
      bool first = true;
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS) return absl::InvalidArgumentError("bad object");
      for (auto field : obj) {
        if (!first) out->append(comma);
        first = false;
        AppendJsonString(ToAbsl(field.key), out);
        out->append(colon);
        if (absl::Status s = AppendJson(field.value, style, out); !s.ok()) return s;
      }
      out->push_back('}');
      return absl::OkStatus();
    }
    case simdjson::dom::element_type::ARRAY: {
      out->push_back('[');
      bool first = true;
      simdjson::dom::array arr;
      if (e.get_array().get(arr) != simdjson::SUCCESS) return absl::InvalidArgumentError("bad array");
      for (JsonElement x : arr) {
        if (!first) out->append(comma);
        first = false;
        if (absl::Status s = AppendJson(x, style, out); !s.ok()) return s;
      }
      out->push_back(']');
      return absl::OkStatus();
    }
    case simdjson::dom::element_type::STRING:
      AppendJsonString(ToAbsl(e.get_string().value_unsafe()), out);
      return absl::OkStatus();
    case simdjson::dom::element_type::INT64: absl::StrAppend(out, e.get_int64().value_unsafe()); return absl::OkStatus();
    case simdjson::dom::element_type::UINT64: absl::StrAppend(out, e.get_uint64().value_unsafe()); return absl::OkStatus();
    case simdjson::dom::element_type::DOUBLE: out->append(PythonFloatRepr(e.get_double().value_unsafe())); return absl::OkStatus();
    case simdjson::dom::element_type::BOOL: out->append(e.get_bool().value_unsafe() ? "true" : "false"); return absl::OkStatus();
    case simdjson::dom::element_type::NULL_VALUE: out->append("null"); return absl::OkStatus();
  }
  return absl::InvalidArgumentError("unknown JSON value");
}

absl::StatusOr<std::string> Reserialize(absl::string_view json, JsonStyle style, absl::string_view what) {
  auto doc = JsonDocument::Parse(json, std::string(what));
  if (!doc.ok()) return doc.status();
  std::string out;
  if (absl::Status s = AppendJson((*doc)->root(), style, &out); !s.ok()) return s;
  return out;
}

}  // namespace switchyard
