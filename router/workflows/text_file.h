// Reads a whole file (a workflow, an input given as @path), refusing runaway sizes.
#ifndef SWITCHYARD_ROUTER_WORKFLOWS_TEXT_FILE_H_
#define SWITCHYARD_ROUTER_WORKFLOWS_TEXT_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace switchyard::workflows {

// NotFound "<path>: no such file", FailedPrecondition "<path>: <strerror>" (a directory,
// no permission), InvalidArgument "<path>: larger than N bytes".
absl::StatusOr<std::string> ReadTextFile(const std::string& path, size_t max_bytes);

}  // namespace switchyard::workflows

#endif  // SWITCHYARD_ROUTER_WORKFLOWS_TEXT_FILE_H_
