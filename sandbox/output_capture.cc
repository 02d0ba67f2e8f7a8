#include "sandbox/output_capture.h"

#include <algorithm>

namespace switchyard::sandbox {

void OutputCapture::Append(absl::string_view bytes) {
  const int64_t room = cap_ - static_cast<int64_t>(kept_.size());
  if (room > 0) kept_.append(bytes.data(), static_cast<size_t>(std::min<int64_t>(room, bytes.size())));
  total_ += static_cast<int64_t>(bytes.size());
}

}  // namespace switchyard::sandbox
