// StopStringFilter: stops streamed text at the first occurrence of any stop string, holding
// back only the tail that could still turn into one, so the text a client sees never
// contains a stop string nor loses a byte that isn't part of one.
// Thread safety: one per sequence.
#ifndef SWITCHYARD_WORKERS_ENGINE_SAMPLING_STOP_STRINGS_H_
#define SWITCHYARD_WORKERS_ENGINE_SAMPLING_STOP_STRINGS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace switchyard {

class StopStringFilter {
 public:
  explicit StopStringFilter(std::vector<std::string> stops) : stops_(std::move(stops)) {}

  // Text safe to emit now. After a stop string is found, stopped() is true and everything
  // from the stop string on is dropped.
  std::string Push(absl::string_view text);
  // The held-back tail, at the end of generation.
  std::string Finish();
  bool stopped() const { return stopped_; }

 private:
  std::vector<std::string> stops_;
  std::string held_;
  bool stopped_ = false;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SAMPLING_STOP_STRINGS_H_
