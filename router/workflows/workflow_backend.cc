#include "router/workflows/workflow_backend.h"

namespace switchyard::workflows {

const char* FinishName(Finish f) {
  switch (f) {
    case Finish::kUnspecified: return "unspecified";
    case Finish::kStop: return "stop";
    case Finish::kLength: return "length";
    case Finish::kToolCalls: return "tool_calls";
    case Finish::kCancelled: return "cancelled";
    case Finish::kError: return "error";
    case Finish::kRunLimit: return "run_limit";
  }
  return "unspecified";
}

}  // namespace switchyard::workflows
