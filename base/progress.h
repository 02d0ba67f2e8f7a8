// Progress: how long-running engine work (loading, converting, copying weights) reports how far
// it has got. The engine only calls the callback; front ends decide how to show it
// (cli/progress_bar.h draws a terminal bar, workers log structured lines).
#ifndef SWITCHYARD_BASE_PROGRESS_H_
#define SWITCHYARD_BASE_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <string>

namespace switchyard {

struct ProgressEvent {
  std::string stage;   // "loading model.safetensors", "writing weights"
  uint64_t done = 0;   // units completed in this stage
  uint64_t total = 0;  // 0 when unknown
  const char* unit = "B";
  bool finished = false;  // the last event of a stage
};

// May be empty. Called from the thread doing the work; must be cheap.
using ProgressFn = std::function<void(const ProgressEvent&)>;

}  // namespace switchyard

#endif  // SWITCHYARD_BASE_PROGRESS_H_
