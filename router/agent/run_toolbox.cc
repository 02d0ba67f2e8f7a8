#include "router/agent/run_toolbox.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/builtin_tools.h"

namespace switchyard {

RunToolbox::RunToolbox(WorkerClient& client, RunPolicy& policy, Settings settings,
                       std::function<void(v1::StepTrace, const v1::Usage&)> on_delegation)
    : policy_(policy) {
  delegate_ = std::make_shared<PoolDelegate>(
      client, settings.trace_id, std::move(settings.cache_salt), settings.delegation_max_tokens, calls_,
      PoolDelegate::Hooks{
          .admit_role = [&policy](std::string_view role) {
            return policy.AdmitDelegation(absl::string_view(role.data(), role.size()));
          },
          .record = std::move(on_delegation),
      });
  context_.deadline = settings.deadline;
  context_.cancelled = calls_->flag();
  context_.sandbox_limits = settings.sandbox_limits;
}

absl::StatusOr<const tools::Tool*> RunToolbox::Add(const std::string& name, absl::string_view field) {
  absl::StatusOr<tools::Tool> tool = tools::MakeBuiltinTool(name, delegate_);
  if (!tool.ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": ", tool.status().message()));
  if (absl::Status s = policy_.AdmitTool(name); !s.ok()) return s;
  if (absl::Status s = registry_.Register(*std::move(tool)); !s.ok()) return s;
  return registry_.Find(name);
}

absl::Status RunToolbox::AddDocuments(const google::protobuf::RepeatedPtrField<v1::Document>& documents) {
  for (int i = 0; i < documents.size(); ++i) {
    const v1::Document& d = documents.Get(i);
    if (d.name().empty()) return absl::InvalidArgumentError(absl::StrCat("documents[", i, "].name: empty"));
    context_.documents.push_back(tools::Document{d.name(), d.text()});
  }
  return absl::OkStatus();
}

}  // namespace switchyard
