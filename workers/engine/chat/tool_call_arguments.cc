#include "workers/engine/chat/tool_call_arguments.h"

namespace switchyard {

std::optional<PyValue> ParseToolCallArguments(absl::string_view arguments) {
  auto v = PyValue::Parse(arguments, "arguments");
  if (!v.ok()) return std::nullopt;
  return std::move(*v);
}

}  // namespace switchyard
