// The one mapping between absl::Status and grpc::Status. Both use google.rpc.Code's numbering,
// so codes map number for number; only the message travels besides.
#ifndef SWITCHYARD_COMMON_GRPC_STATUS_H_
#define SWITCHYARD_COMMON_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace switchyard {

grpc::Status ToGrpc(const absl::Status& s);
absl::Status ToAbsl(const grpc::Status& s);
// "UNAVAILABLE", "DEADLINE_EXCEEDED", ...: the names logs and metric labels use.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace switchyard

#endif  // SWITCHYARD_COMMON_GRPC_STATUS_H_
