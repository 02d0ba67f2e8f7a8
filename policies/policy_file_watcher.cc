#include "policies/policy_file_watcher.h"

#include <sys/stat.h>

#include <chrono>
#include <utility>

namespace switchyard {

PolicyFileWatcher::FileIdentity PolicyFileWatcher::Identify(const std::string& path) {
  struct stat st {};
  FileIdentity id;
  if (::stat(path.c_str(), &st) != 0) return id;  // missing for now: a change when it comes back
  id.exists = true;
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.size = st.st_size;
  id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

PolicyFileWatcher::PolicyFileWatcher(PolicyStore& store, absl::Duration poll_interval, Callback on_reload)
    : store_(store),
      poll_interval_(poll_interval),
      on_reload_(std::move(on_reload)),
      // The identity now stands for the policy the store already holds; taken here rather than
      // on the thread so that an edit made right after construction counts as a change.
      thread_([this, seen = Identify(store.path())](std::stop_token stop) { Run(std::move(stop), seen); }) {}

PolicyFileWatcher::~PolicyFileWatcher() {
  thread_.request_stop();  // wakes the wait below through its stop_token
  thread_.join();
}

void PolicyFileWatcher::RequestReload() {
  {
    std::lock_guard<std::mutex> l(mu_);
    reload_requested_ = true;
  }
  wake_.notify_all();
}

void PolicyFileWatcher::Run(std::stop_token stop, FileIdentity seen) {
  const auto interval = absl::ToChronoNanoseconds(poll_interval_);
  while (!stop.stop_requested()) {
    bool requested = false;
    {
      std::unique_lock<std::mutex> l(mu_);
      wake_.wait_for(l, stop, interval, [this] { return reload_requested_; });
      if (stop.stop_requested()) return;
      requested = std::exchange(reload_requested_, false);
    }
    const FileIdentity now = Identify(store_.path());
    if (!requested && now == seen) continue;
    // Remembered before reading: a write that lands during the read shows as a change next time.
    seen = now;
    const absl::Status s = store_.Reload();
    if (on_reload_) on_reload_(s);
  }
}

}  // namespace switchyard
