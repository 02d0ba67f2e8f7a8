#include "policies/reload_on_sighup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard {
namespace {

// The handler can reach only globals; -1 when no ReloadOnSighup exists.
std::atomic<int> g_write_fd{-1};

void OnSighup(int) {
  const int saved = errno;  // a handler must not disturb the interrupted code's errno
  const int fd = g_write_fd.load(std::memory_order_relaxed);
  if (fd >= 0) {
    const char b = 'H';
    [[maybe_unused]] ssize_t n = ::write(fd, &b, 1);  // full pipe: a reload is pending anyway
  }
  errno = saved;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReloadOnSighup>> ReloadOnSighup::Install(std::function<void()> on_sighup) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  // The read end blocks (the thread waits on it); the write end stays non-blocking so that the
  // handler never blocks.
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) & ~O_NONBLOCK);
  int expected = -1;
  if (!g_write_fd.compare_exchange_strong(expected, fds[1])) {
    ::close(fds[0]);
    ::close(fds[1]);
    return absl::FailedPreconditionError("a ReloadOnSighup already exists in this process");
  }
  struct sigaction sa {};
  sa.sa_handler = OnSighup;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // interrupted system calls elsewhere resume instead of failing
  struct sigaction previous {};
  if (::sigaction(SIGHUP, &sa, &previous) != 0) {
    const int err = errno;
    g_write_fd.store(-1);
    ::close(fds[0]);
    ::close(fds[1]);
    return absl::InternalError(absl::StrCat("sigaction(SIGHUP): ", std::strerror(err)));
  }
  return std::make_unique<ReloadOnSighup>(PrivateTag{}, std::move(on_sighup), fds[0], fds[1], previous);
}

ReloadOnSighup::ReloadOnSighup(PrivateTag, std::function<void()> on_sighup, int read_fd, int write_fd,
                               const struct sigaction& previous)
    : on_sighup_(std::move(on_sighup)),
      read_fd_(read_fd),
      write_fd_(write_fd),
      previous_(previous),
      thread_([this] { Run(); }) {}

ReloadOnSighup::~ReloadOnSighup() {
  ::sigaction(SIGHUP, &previous_, nullptr);
  g_write_fd.store(-1);
  stopping_.store(true);
  const char b = 'S';
  while (::write(write_fd_, &b, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  ::close(read_fd_);
  ::close(write_fd_);
}

void ReloadOnSighup::Run() {
  char buf[64];
  for (;;) {
    const ssize_t n = ::read(read_fd_, buf, sizeof buf);  // SIGHUPs that piled up: one callback
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || stopping_.load()) return;
    if (on_sighup_) on_sighup_();
  }
}

}  // namespace switchyard
