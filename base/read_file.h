// ReadFile: a whole (small) file into a string: configs, policies, workflows, documents, JSON.
// Large model files are mapped instead (mapped_file.h).
#ifndef SWITCHYARD_BASE_READ_FILE_H_
#define SWITCHYARD_BASE_READ_FILE_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/statusor.h"

namespace switchyard {

// NotFound "<path>: cannot open: No such file or directory", PermissionDenied for EACCES,
// FailedPrecondition "<path>: not a regular file" (a directory, a FIFO), InvalidArgument
// "<path>: larger than N bytes", and the other errno codes as ErrnoError maps them.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes = std::numeric_limits<size_t>::max());

}  // namespace switchyard

#endif  // SWITCHYARD_BASE_READ_FILE_H_
