#include "router/workflows/workflow.h"

namespace switchyard::workflows {

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kModel: return "model";
    case StepKind::kTool: return "tool";
    case StepKind::kRepeat: return "repeat";
  }
  return "?";
}

}  // namespace switchyard::workflows
