#include "router/workflows/value_text.h"

#include "absl/strings/str_cat.h"

namespace switchyard::workflows {

std::string DumpJson(const nlohmann::json& v, int indent) {
  return v.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RenderValue(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return DumpJson(v);
}

std::string TruncateUtf8(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t n = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so a multi-byte character is never split.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::string DescribeValue(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      std::string shown = TruncateUtf8(s, 40);
      if (shown.size() < s.size()) shown += "...";
      return absl::StrCat("the string ", DumpJson(shown));
    }
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return absl::StrCat("the number ", DumpJson(v));
  }
}

}  // namespace switchyard::workflows
