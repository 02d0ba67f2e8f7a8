// Small helpers the Router service's handlers share: trace ids, the `authorization` metadata,
// and (through common/grpc_status.h) absl::Status -> grpc::Status.
#ifndef SWITCHYARD_ROUTER_SERVICE_CALL_METADATA_H_
#define SWITCHYARD_ROUTER_SERVICE_CALL_METADATA_H_

#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"

namespace switchyard {

// 128 random bits as 32 hex digits.
inline std::string NewTraceId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return absl::StrFormat("%016x%016x", rng(), rng());
}

// The `authorization` metadata ("Bearer <key>"), empty when the client sent none.
inline std::string Authorization(const grpc::CallbackServerContext& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_CALL_METADATA_H_
