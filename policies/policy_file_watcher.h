// PolicyFileWatcher: reloads a PolicyStore when its file changes, or when asked (SIGHUP).
//
// A thread polls the file's identity (device, inode, size, modification time in ns) every
// `poll_interval`; a change, including an editor's write-and-rename, triggers
// PolicyStore::Reload(). A file caught half-written fails to load, the old policy stays, and the
// next poll sees the finished file as another change. (Two same-size writes within one tick of
// the filesystem's timestamp clock look alike; SIGHUP or RequestReload() covers that case.) Each reload's result goes to `on_reload`
// (for the router's log) on the watcher's thread.
//
// Thread safety: RequestReload() may be called from any thread. The destructor stops and joins
// the thread (within one poll interval or sooner); `store` must outlive the watcher.
#ifndef SWITCHYARD_POLICIES_POLICY_FILE_WATCHER_H_
#define SWITCHYARD_POLICIES_POLICY_FILE_WATCHER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "policies/policy_store.h"

namespace switchyard {

class PolicyFileWatcher {
 public:
  using Callback = std::function<void(const absl::Status&)>;

  PolicyFileWatcher(PolicyStore& store, absl::Duration poll_interval, Callback on_reload = nullptr);
  ~PolicyFileWatcher();
  PolicyFileWatcher(const PolicyFileWatcher&) = delete;
  PolicyFileWatcher& operator=(const PolicyFileWatcher&) = delete;

  // Reloads on the watcher's thread as soon as it wakes, whether the file changed or not.
  void RequestReload();

 private:
  struct FileIdentity {
    bool exists = false;
    uint64_t dev = 0, ino = 0;
    int64_t size = 0, mtime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
  };
  static FileIdentity Identify(const std::string& path);
  void Run(std::stop_token stop, FileIdentity seen);

  PolicyStore& store_;
  const absl::Duration poll_interval_;
  const Callback on_reload_;
  std::mutex mu_;
  std::condition_variable_any wake_;
  bool reload_requested_ = false;  // guarded by mu_
  std::jthread thread_;            // last: starts after everything it uses exists
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_POLICY_FILE_WATCHER_H_
