// Status helpers every folder uses: a Status for a failed system call, with the code a caller
// can act on, and the two early-return macros (Abseil 20220623 ships neither).
//
//   SY_RETURN_IF_ERROR(Validate(x));               // returns the Status when it is not OK
//   SY_ASSIGN_OR_RETURN(Config c, LoadConfig(p));  // returns the StatusOr's Status on error
#ifndef SWITCHYARD_BASE_STATUS_H_
#define SWITCHYARD_BASE_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace switchyard {

// "<subject>: <what>: <strerror(err)>" as NotFound (ENOENT, ENOTDIR), PermissionDenied (EACCES,
// EPERM, EROFS), FailedPrecondition (EISDIR, ENOTEMPTY, EEXIST), ResourceExhausted (ENOSPC,
// EMFILE, ENFILE, ENOMEM, EDQUOT), Unavailable (EAGAIN, EINTR, EBUSY) or Internal. `subject`
// is what the call was about: a path, or a name such as "pipe2".
absl::Status ErrnoError(int err, absl::string_view subject, absl::string_view what);

// The code ErrnoError gives `err`.
absl::StatusCode ErrnoCode(int err);

}  // namespace switchyard

#define SY_STATUS_CONCAT_INNER_(a, b) a##b
#define SY_STATUS_CONCAT_(a, b) SY_STATUS_CONCAT_INNER_(a, b)

#define SY_RETURN_IF_ERROR(expr)                                  \
  do {                                                            \
    if (::absl::Status sy_status_ = (expr); !sy_status_.ok()) {   \
      return sy_status_;                                          \
    }                                                             \
  } while (0)

#define SY_ASSIGN_OR_RETURN(lhs, expr) SY_ASSIGN_OR_RETURN_IMPL_(SY_STATUS_CONCAT_(sy_statusor_, __LINE__), lhs, expr)
#define SY_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                              \
  if (!var.ok()) return std::move(var).status();  \
  lhs = *std::move(var)

#endif  // SWITCHYARD_BASE_STATUS_H_
