// SchemaError: the one shape of every message about a schema, "<where> <pointer>: <what>"
// ("schema /properties/a: unsupported keyword \"format\""), the pointer "/" for the root.
// Thread safety: a pure function.
#ifndef SWITCHYARD_SCHEMA_SCHEMA_ERROR_H_
#define SWITCHYARD_SCHEMA_SCHEMA_ERROR_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace switchyard::schema {

inline absl::Status SchemaError(absl::string_view where, absl::string_view pointer, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, " ", pointer.empty() ? "/" : pointer, ": ", what));
}

}  // namespace switchyard::schema

#endif  // SWITCHYARD_SCHEMA_SCHEMA_ERROR_H_
