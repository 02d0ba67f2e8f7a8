#include "common/grpc_status.h"

#include "gtest/gtest.h"

namespace switchyard {
namespace {

TEST(GrpcStatusTest, CodesMapNumberForNumberBothWays) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status a(static_cast<absl::StatusCode>(code), code == 0 ? "" : "why");
    const grpc::Status g = ToGrpc(a);
    EXPECT_EQ(static_cast<int>(g.error_code()), code);
    EXPECT_EQ(g.error_message(), code == 0 ? "" : "why");
    EXPECT_EQ(ToAbsl(g), a);
  }
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAVAILABLE), "UNAVAILABLE");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
}

}  // namespace
}  // namespace switchyard
