// SeccompFilter: the system-call filter every sandboxed program runs under, compiled once in
// the parent into classic BPF so the child only has to hand it to the kernel (no allocation
// after fork). Default: allow. Denied with EPERM: calls that reach outside the sandbox or into
// the kernel's attack surface (see kDeniedSyscalls in seccomp_filter.cc). clone3 fails with
// ENOSYS, so libc falls back to clone, whose namespace flags the filter can inspect. Calls from
// another architecture's ABI (i386, x32) kill the process.
#ifndef SWITCHYARD_SANDBOX_SECCOMP_FILTER_H_
#define SWITCHYARD_SANDBOX_SECCOMP_FILTER_H_

#include <linux/filter.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace switchyard::sandbox {

class SeccompFilter {
 public:
  // Internal if libseccomp cannot build or export the filter (names the failing call).
  static absl::StatusOr<SeccompFilter> Build();

  // For PR_SET_SECCOMP / seccomp(2). Valid while this object lives; safe to use after fork.
  const sock_fprog* program() const { return &fprog_; }
  // The names of the denied calls, for logs and tests.
  static std::vector<std::string> DeniedSyscalls();

  SeccompFilter(SeccompFilter&& o) noexcept : code_(std::move(o.code_)) { Point(); }
  SeccompFilter& operator=(SeccompFilter&& o) noexcept {
    code_ = std::move(o.code_);
    Point();
    return *this;
  }
  SeccompFilter(const SeccompFilter&) = delete;
  SeccompFilter& operator=(const SeccompFilter&) = delete;

 private:
  explicit SeccompFilter(std::vector<sock_filter> code) : code_(std::move(code)) { Point(); }
  void Point() {
    fprog_.len = static_cast<unsigned short>(code_.size());
    fprog_.filter = code_.data();
  }
  std::vector<sock_filter> code_;
  sock_fprog fprog_{};
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SECCOMP_FILTER_H_
