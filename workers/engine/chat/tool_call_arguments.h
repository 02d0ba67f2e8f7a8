// How the templates see a tool call's arguments. Clients send OpenAI's JSON-in-a-string;
// transformers documents arguments as objects, and vLLM parses the string before rendering.
// So do we: arguments that are JSON are handed to the template as the parsed value (printed by
// `tojson`, i.e. json.dumps with ", " and ": "), anything else as the text itself (which the
// Qwen3 template prints verbatim). This also puts an earlier answer's arguments, which the
// output parser normalizes to compact JSON, back into the form the model was trained on.
// Thread safety: stateless functions.
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_ARGUMENTS_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_ARGUMENTS_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "workers/engine/chat/py_value.h"

namespace switchyard {

// The parsed value, or nullopt when `arguments` is not JSON.
std::optional<PyValue> ParseToolCallArguments(absl::string_view arguments);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_TOOL_CALL_ARGUMENTS_H_
