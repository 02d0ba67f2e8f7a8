#include "policies/policy_store.h"

#include <utility>

#include "policies/policy_file.h"

namespace switchyard {

PolicyStore::PolicyStore(PrivateTag, std::string path, std::shared_ptr<const Policy> first)
    : path_(std::move(path)), current_(std::move(first)) {}

absl::StatusOr<std::unique_ptr<PolicyStore>> PolicyStore::Open(std::string path) {
  auto first = LoadPolicyFile(path);
  if (!first.ok()) return first.status();
  return std::make_unique<PolicyStore>(PrivateTag{}, std::move(path), *std::move(first));
}

absl::Status PolicyStore::Reload() {
  absl::MutexLock l(&reload_mu_);
  auto next = LoadPolicyFile(path_);
  if (!next.ok()) {
    last_error_ = next.status();
    return last_error_;
  }
  current_.store(*std::move(next), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  last_error_ = absl::OkStatus();
  return absl::OkStatus();
}

absl::Status PolicyStore::last_error() const {
  absl::MutexLock l(&reload_mu_);
  return last_error_;
}

}  // namespace switchyard
