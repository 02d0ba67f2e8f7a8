#include "router/agent/repeated_call_detector.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "schema/json_depth.h"

namespace switchyard {

absl::Status RepeatedCallDetector::Record(absl::string_view tool, absl::string_view arguments_json) {
  // nlohmann's object keeps keys sorted, so dump() is a canonical form; text that is not JSON is
  // compared as written (the registry refuses it anyway, and a model repeating it is looping too).
  std::string key = absl::StrCat(tool, "\n");
  nlohmann::json parsed = nlohmann::json::parse(arguments_json.begin(), arguments_json.end(), nullptr, false);
  absl::StrAppend(&key, parsed.is_discarded() || schema::JsonDepthExceeds(parsed, 64) ? std::string(arguments_json) : parsed.dump());
  const int64_t n = ++seen_[key];
  if (n > max_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("loop: ", tool, " called ", n, " times with the same arguments (limit ", max_, ")"));
  }
  return absl::OkStatus();
}

}  // namespace switchyard
