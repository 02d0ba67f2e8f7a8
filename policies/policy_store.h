// PolicyStore: the policy in force, replaced atomically when the file is reloaded.
//
//   auto store = PolicyStore::Open("policy.yaml");      // the first load must succeed
//   std::shared_ptr<const Policy> p = (*store)->Current();  // once per request; keep it for
//                                                       // the request so it sees one policy
//   absl::Status s = (*store)->Reload();                // a bad file: error, old policy stays
//
// Reload is driven by PolicyFileWatcher (file changes) and ReloadOnSighup (SIGHUP), or by hand.
//
// Thread safety: Current() is lock-free (an atomic shared_ptr load) and may race with Reload();
// concurrent Reload() calls are serialised so the last file read wins.
#ifndef SWITCHYARD_POLICIES_POLICY_STORE_H_
#define SWITCHYARD_POLICIES_POLICY_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "policies/policy.h"

namespace switchyard {

class PolicyStore {
 public:
  // Loads `path`; its error (NotFound, InvalidArgument) when that fails.
  static absl::StatusOr<std::unique_ptr<PolicyStore>> Open(std::string path);

  std::shared_ptr<const Policy> Current() const { return current_.load(std::memory_order_acquire); }

  // Reads the file again. OK: the new policy is current. Otherwise the error, and the old
  // policy stays current.
  absl::Status Reload() ABSL_LOCKS_EXCLUDED(reload_mu_);

  const std::string& path() const { return path_; }
  // Successful loads so far, the first included.
  int64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // The error of the last Reload(), OK after a successful one.
  absl::Status last_error() const ABSL_LOCKS_EXCLUDED(reload_mu_);

  struct PrivateTag {};  // only Open() constructs, yet std::make_unique can
  PolicyStore(PrivateTag, std::string path, std::shared_ptr<const Policy> first);

 private:

  const std::string path_;
  std::atomic<std::shared_ptr<const Policy>> current_;
  std::atomic<int64_t> generation_{1};
  mutable absl::Mutex reload_mu_;
  absl::Status last_error_ ABSL_GUARDED_BY(reload_mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_POLICY_STORE_H_
