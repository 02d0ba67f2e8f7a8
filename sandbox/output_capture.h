// OutputCapture: keeps the first `cap` bytes of one output stream and counts the rest. The
// sandbox keeps reading past the cap (and drops the bytes) so a chatty program is not blocked
// on a full pipe; the wall-clock timeout still bounds how long it may talk.
#ifndef SWITCHYARD_SANDBOX_OUTPUT_CAPTURE_H_
#define SWITCHYARD_SANDBOX_OUTPUT_CAPTURE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::sandbox {

class OutputCapture {
 public:
  explicit OutputCapture(int64_t cap) : cap_(cap < 0 ? 0 : cap) {}

  void Append(absl::string_view bytes);
  const std::string& kept() const { return kept_; }
  std::string TakeKept() { return std::move(kept_); }
  int64_t total() const { return total_; }
  bool truncated() const { return total_ > cap_; }

 private:
  int64_t cap_;
  int64_t total_ = 0;
  std::string kept_;
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_OUTPUT_CAPTURE_H_
