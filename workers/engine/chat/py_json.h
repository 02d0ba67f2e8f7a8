// JSON text exactly as Python's json.dumps writes it, for the chat template's `tojson` filter
// (transformers defines it as json.dumps(x, ensure_ascii=False) with no key sorting): ", " and
// ": " separators, keys in their given order, non-ASCII characters as they are, control
// characters as \u00XX, floats in Python's repr. Also a compact form for tool-call arguments.
// Thread safety: stateless functions.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_PY_JSON_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_PY_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {

enum class JsonStyle {
  kPython,   // json.dumps default separators: ", " and ": "
  kCompact,  // "," and ":"
};

// Appends `e`. InvalidArgument only for values Python could not have produced either.
absl::Status AppendJson(JsonElement e, JsonStyle style, std::string* out);
// Parses `json` and re-serializes it; InvalidArgument naming `what` if it is not JSON.
absl::StatusOr<std::string> Reserialize(absl::string_view json, JsonStyle style, absl::string_view what);
// A JSON string literal, quotes included, escaped as json.dumps(..., ensure_ascii=False) does.
void AppendJsonString(absl::string_view s, std::string* out);
// repr(float) of Python 3: the shortest round-trip digits, fixed notation for decimal
// exponents in [-4, 16), scientific otherwise ("1e-05", "1e+16"), always a '.0' on integers.
std::string PythonFloatRepr(double v);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_PY_JSON_H_
