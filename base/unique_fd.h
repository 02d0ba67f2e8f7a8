// UniqueFd: owns one file descriptor and closes it on destruction, so no early return in the
// sandbox's setup can leak a pipe end into the sandboxed program or keep an EOF from arriving.
#ifndef SWITCHYARD_BASE_UNIQUE_FD_H_
#define SWITCHYARD_BASE_UNIQUE_FD_H_

#include <unistd.h>

#include <utility>

namespace switchyard {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

}  // namespace switchyard

#endif  // SWITCHYARD_BASE_UNIQUE_FD_H_
