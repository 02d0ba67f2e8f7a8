// RoleDelegate: how ask_coder, ask_translator and ask_reasoner reach another worker role. The
// router implements it (a sub-task in its own conversation on that role's pool); tools/ only
// declares it, so that tools never depend on the router. Tests use a fake.
#ifndef SWITCHYARD_TOOLS_ROLE_DELEGATE_H_
#define SWITCHYARD_TOOLS_ROLE_DELEGATE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tools/tool_context.h"

namespace switchyard::tools {

class RoleDelegate {
 public:
  virtual ~RoleDelegate() = default;
  // The worker's final answer to `task`, asked of `role` ("coder", "translation", "reasoning")
  // within the context's deadline and cancellation. Must be safe to call from several threads.
  virtual absl::StatusOr<std::string> Ask(std::string_view role, std::string_view task, const ToolContext& context) = 0;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_ROLE_DELEGATE_H_
