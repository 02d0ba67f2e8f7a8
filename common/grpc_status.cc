#include "common/grpc_status.h"

namespace switchyard {

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

absl::Status ToAbsl(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

std::string StatusCodeName(grpc::StatusCode code) {
  // absl names the codes as gRPC does (UNAVAILABLE, ...).
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace switchyard
