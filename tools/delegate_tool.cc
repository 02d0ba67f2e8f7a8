#include "tools/delegate_tool.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard::tools {
namespace {

constexpr char kSchema[] = R"({
  "type": "object",
  "properties": {
    "task": {"type": "string", "minLength": 1, "description": "What the other model should do, self-contained."},
    "context": {"type": "string", "description": "Material it needs: code, text to translate, facts."}
  },
  "required": ["task"],
  "additionalProperties": false
})";

struct RoleTool {
  const char* tool;
  const char* role;
  const char* description;
};

constexpr RoleTool kRoleTools[] = {
    {"ask_coder", "coder", "Ask the code model to write, fix or explain code. Returns its answer."},
    {"ask_translator", "translation", "Ask the translation model to translate text. Returns the translation."},
    {"ask_reasoner", "reasoning", "Ask the reasoning model to think through a problem. Returns its answer."},
};

}  // namespace

absl::StatusOr<Tool> MakeDelegateTool(const std::string& tool_name, std::shared_ptr<RoleDelegate> delegate) {
  for (const RoleTool& t : kRoleTools) {
    if (tool_name != t.tool) continue;
    std::string role = t.role;
    ToolExecutor run = [delegate, role](const nlohmann::json& args, const ToolContext& context) -> absl::StatusOr<ToolOutput> {
      if (absl::Status live = context.CheckLive(); !live.ok()) return live;
      std::string task = args.at("task").get<std::string>();
      if (auto it = args.find("context"); it != args.end()) absl::StrAppend(&task, "\n\nContext:\n", it->get<std::string>());
      absl::StatusOr<std::string> answer = delegate->Ask(role, task, context);
      if (!answer.ok()) return answer.status();
      ToolOutput out;
      out.structured = {{"role", role}, {"answer", *answer}};
      out.content = *std::move(answer);
      return out;
    };
    return Tool::Create(t.tool, t.description, kSchema, std::move(run));
  }
  return absl::InvalidArgumentError(absl::StrCat("no delegate tool named \"", tool_name, "\""));
}

}  // namespace switchyard::tools
