// RepeatedCallDetector: notices a model that keeps calling the same tool with the same
// arguments (a loop that would burn the run's budget without progress). Arguments are compared
// as JSON values, so key order and spacing do not hide a repeat.
// Thread safety: not thread-safe; one per run, used by the run's loop.
#ifndef SWITCHYARD_ROUTER_AGENT_REPEATED_CALL_DETECTOR_H_
#define SWITCHYARD_ROUTER_AGENT_REPEATED_CALL_DETECTOR_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace switchyard {

class RepeatedCallDetector {
 public:
  explicit RepeatedCallDetector(int64_t max_identical_calls) : max_(max_identical_calls) {}

  // Counts one call. ResourceExhausted ("loop: run_code called 4 times with the same
  // arguments (limit 3)") once a call is seen more than the limit allows.
  absl::Status Record(absl::string_view tool, absl::string_view arguments_json);

 private:
  int64_t max_;
  absl::flat_hash_map<std::string, int64_t> seen_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_REPEATED_CALL_DETECTOR_H_
