#include "schema/json_pointer.h"

namespace switchyard::schema {

std::string EscapePointerToken(absl::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace switchyard::schema
