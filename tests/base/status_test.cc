#include "base/status.h"

#include <cerrno>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

TEST(ErrnoErrorTest, CodesACallerCanActOn) {
  EXPECT_EQ(ErrnoError(ENOENT, "/x", "cannot open").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrnoError(EACCES, "/x", "cannot open").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrnoError(EISDIR, "/x", "cannot open").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrnoError(ENOSPC, "/x", "write").code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrnoError(EAGAIN, "/x", "read").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrnoError(EIO, "/x", "read").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(ErrnoError(ENOENT, "/etc/x.yaml", "cannot open").message(), "/etc/x.yaml: cannot open: No such file or directory");
}

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError("odd");
  return n / 2;
}

absl::StatusOr<int> Quarter(int n) {
  SY_ASSIGN_OR_RETURN(const int half, Half(n));
  SY_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

absl::Status CheckEven(int n) {
  SY_RETURN_IF_ERROR(Half(n).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnEarlyOnErrorOnly) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().message(), "odd");  // the second step fails
  EXPECT_EQ(Quarter(5).status().message(), "odd");  // the first step fails
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
