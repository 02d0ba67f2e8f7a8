#include "base/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"

namespace switchyard::cli {

std::string HumanBytes(double b) {
  if (b >= 1024.0 * 1024 * 1024) return absl::StrFormat("%.1f GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return absl::StrFormat("%.0f MiB", b / (1024.0 * 1024));
  if (b >= 1024.0) return absl::StrFormat("%.0f KiB", b / 1024.0);
  return absl::StrFormat("%.0f B", b);
}

ProgressBar::ProgressBar() : tty_(::isatty(STDERR_FILENO) == 1), stage_start_(Clock::now()) {}

ProgressFn ProgressBar::Callback() {
  return [this](const ProgressEvent& e) { Show(e); };
}

void ProgressBar::Show(const ProgressEvent& e) {
  const Clock::time_point now = Clock::now();
  const bool new_stage = e.stage != stage_;
  if (new_stage) {
    if (tty_ && !stage_.empty()) std::fputc('\n', stderr);
    // A stage is timed from the end of the previous one (or from the bar's creation): its first
    // event arrives only after its first piece of work.
    if (!stage_.empty()) stage_start_ = now;
    stage_ = e.stage;
    last_draw_ = now;
  }
  const double secs = std::chrono::duration<double>(now - stage_start_).count();
  const bool bytes = std::string(e.unit) == "B";
  auto amount = [&](uint64_t v) { return bytes ? HumanBytes(static_cast<double>(v)) : absl::StrFormat("%d %s", v, e.unit); };
  const double frac = e.total > 0 ? static_cast<double>(e.done) / static_cast<double>(e.total) : 0.0;
  if (tty_) {
    if (!e.finished && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::string rate = secs > 0.05 && bytes ? absl::StrFormat("  %s/s", HumanBytes(static_cast<double>(e.done) / secs)) : "";
    std::fprintf(stderr, "\r%-32s [%s] %s / %s%s\x1b[K", stage_.c_str(), bar.c_str(), amount(e.done).c_str(),
                 amount(e.total).c_str(), rate.c_str());
    if (e.finished) {
      std::fputc('\n', stderr);
      stage_.clear();
      stage_start_ = now;
    }
  } else {
    // Plain output: a line every 5 s while a stage runs, and one when it ends.
    if (!e.finished && (new_stage || now - last_draw_ < std::chrono::seconds(5))) return;
    last_draw_ = now;
    std::fprintf(stderr, "%s: %s / %s (%.0f%%)%s\n", stage_.c_str(), amount(e.done).c_str(), amount(e.total).c_str(),
                 100 * frac, e.finished ? absl::StrFormat(" in %.1f s", secs).c_str() : "");
    if (e.finished) {
      stage_.clear();
      stage_start_ = now;
    }
  }
  std::fflush(stderr);
}

}  // namespace switchyard::cli
