// JSON pointer tokens (RFC 6901) for schema and instance locations in messages.
// Thread safety: a pure function.
#ifndef SWITCHYARD_SCHEMA_JSON_POINTER_H_
#define SWITCHYARD_SCHEMA_JSON_POINTER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::schema {

// "~" -> "~0", "/" -> "~1", so that any property name is one pointer token.
std::string EscapePointerToken(absl::string_view token);

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_JSON_POINTER_H_
