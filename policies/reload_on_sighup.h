// ReloadOnSighup: runs a callback (usually PolicyFileWatcher::RequestReload or
// PolicyStore::Reload) each time the process receives SIGHUP.
//
// The library never touches signal dispositions on its own: the router's main() creates one of
// these, explicitly, and while it lives SIGHUP is handled (the handler only writes a byte to a
// pipe — the self-pipe trick, async-signal-safe); a thread reads the pipe and runs the callback
// outside signal context. The destructor restores the previous disposition and joins the thread.
// Several SIGHUPs arriving together may run the callback once: a reload reads the latest file.
//
// At most one may exist at a time in a process (FailedPrecondition otherwise).
//
// Thread safety: create and destroy on one thread; the callback runs on the object's thread.
#ifndef SWITCHYARD_POLICIES_RELOAD_ON_SIGHUP_H_
#define SWITCHYARD_POLICIES_RELOAD_ON_SIGHUP_H_

#include <signal.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"

namespace switchyard {

class ReloadOnSighup {
 public:
  static absl::StatusOr<std::unique_ptr<ReloadOnSighup>> Install(std::function<void()> on_sighup);
  ~ReloadOnSighup();
  ReloadOnSighup(const ReloadOnSighup&) = delete;
  ReloadOnSighup& operator=(const ReloadOnSighup&) = delete;

  struct PrivateTag {};  // only Install() constructs, yet std::make_unique can
  ReloadOnSighup(PrivateTag, std::function<void()> on_sighup, int read_fd, int write_fd,
                 const struct sigaction& previous);

 private:
  void Run();

  const std::function<void()> on_sighup_;
  const int read_fd_;
  const int write_fd_;
  struct sigaction previous_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_RELOAD_ON_SIGHUP_H_
