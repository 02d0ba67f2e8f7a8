// How workflow values (JSON) read as text: in a rendered template, and in error messages.
//
// Thread safety: free functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_VALUE_TEXT_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_VALUE_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace switchyard::workflows {

// A string as itself, null as "", true/false, numbers as JSON writes them, arrays and objects as
// compact JSON (invalid UTF-8 replaced, never thrown).
std::string RenderValue(const nlohmann::json& v);

// For messages: `null`, `the number 3`, `the string "abc..."` (at most ~40 bytes), `an object`.
std::string DescribeValue(const nlohmann::json& v);

// JSON text that never throws: invalid UTF-8 in strings is replaced by U+FFFD. indent < 0: compact.
std::string DumpJson(const nlohmann::json& v, int indent = -1);

// At most `max_bytes` of `s`, cut on a UTF-8 character boundary.
std::string TruncateUtf8(absl::string_view s, size_t max_bytes);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_VALUE_TEXT_H_
