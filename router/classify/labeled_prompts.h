// Reading prompts, with optional labels, from JSON lines files: the classifier's training data,
// the evaluation set, and the input of `switchyard classify`.
//
// Each non-blank line is a JSON object with a string "prompt"; "label", "split", "id" and
// "origin" are read when they are strings and ignored otherwise. Other fields are ignored.
//
// Thread safety: plain functions over their arguments.
// Failure modes: NotFound when the file cannot be opened; InvalidArgument "FILE:LINE: why" for
// a line that is not a JSON object or lacks a string "prompt". Never throws.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_LABELED_PROMPTS_H_
#define SWITCHYARD_ROUTER_CLASSIFY_LABELED_PROMPTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard::classify {

struct LabeledPrompt {
  std::string prompt;
  std::string label;   // empty when the line has none
  std::string split;   // "train", "heldout", ... or empty
  std::string id;      // "id" or "origin", whichever is present (id first)
  int line = 0;        // 1-based line in the source
  std::string group;   // the value of the `group_field` asked for (strings as is, other JSON
                       // values as JSON text), empty when absent
};

// `source` names the text in errors (a path, "<stdin>"); `group_field`, when not empty, is
// copied into LabeledPrompt::group (e.g. "category").
absl::StatusOr<std::vector<LabeledPrompt>> ParseLabeledPrompts(absl::string_view text,
                                                               absl::string_view source,
                                                               const std::string& group_field = "");
// Reads a file; "-" reads standard input.
absl::StatusOr<std::vector<LabeledPrompt>> ReadLabeledPrompts(const std::string& path,
                                                              const std::string& group_field = "");

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_LABELED_PROMPTS_H_
