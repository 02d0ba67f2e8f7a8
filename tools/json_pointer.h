// JSON pointer helpers (RFC 6901) for schema and instance locations in messages.
#ifndef SWITCHYARD_TOOLS_JSON_POINTER_H_
#define SWITCHYARD_TOOLS_JSON_POINTER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::tools {

// "~" -> "~0", "/" -> "~1", so that any property name is one pointer token.
std::string EscapePointerToken(absl::string_view token);

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_JSON_POINTER_H_
