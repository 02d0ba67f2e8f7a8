// ProgressBar: shows engine ProgressEvents on stderr. On a terminal it redraws one line
// ("loading model.safetensors  [#####.....]  512 MiB / 1.1 GiB  2.1 GiB/s"); otherwise (logs, CI)
// it prints a plain line when a stage starts, every 5 seconds, and when it ends.
// Thread safety: callbacks must come from one thread at a time (the engine's loaders do).
#ifndef SWITCHYARD_BASE_PROGRESS_BAR_H_
#define SWITCHYARD_BASE_PROGRESS_BAR_H_

#include <chrono>
#include <string>

#include "base/progress.h"

namespace switchyard::cli {

class ProgressBar {
 public:
  ProgressBar();
  // The callback to hand to the engine. The bar must outlive its use.
  ProgressFn Callback();
  void Show(const ProgressEvent& e);

 private:
  using Clock = std::chrono::steady_clock;
  bool tty_;
  std::string stage_;
  Clock::time_point stage_start_;
  Clock::time_point last_draw_;
};

// "1.1 GiB", "512 MiB", "3 KiB", "12 B".
std::string HumanBytes(double bytes);

}  // namespace switchyard::cli

#endif  // SWITCHYARD_BASE_PROGRESS_BAR_H_
