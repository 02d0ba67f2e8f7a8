// What a model step keeps of an answer (`extract:` in a workflow file): the text, the code in
// it, or the JSON in it. Models wrap code and JSON in Markdown fences, or not; both are read.
//
// Thread safety: free functions.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_ANSWER_EXTRACT_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_ANSWER_EXTRACT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace switchyard::workflows {

// The body of the first ``` fenced block (the language tag dropped); the whole answer, trimmed,
// when there is no fence: a model asked for code often answers with bare code.
std::string ExtractCode(absl::string_view answer);

// The first JSON object or array in the answer: the whole answer, a ```json fence, or the first
// "{" / "[" that starts valid JSON. InvalidArgument "the answer holds no JSON (it starts: ...)".
absl::StatusOr<nlohmann::json> ExtractJson(absl::string_view answer);

// Any JSON value (a tool's structured result), refused when nested deeper than the runner will
// recurse. nullopt when it is not JSON.
std::optional<nlohmann::json> ParseJsonBounded(absl::string_view text);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_ANSWER_EXTRACT_H_
