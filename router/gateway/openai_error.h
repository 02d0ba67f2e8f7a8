// OpenAI's error responses: the HTTP status and the body
//   {"error": {"message": "...", "type": "invalid_request_error", "param": "messages[0].role", "code": null}}
// for a Status from the request parser or from the router's gRPC service, whose codes map as
// INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
// RESOURCE_EXHAUSTED 429 (with Retry-After from the policy's "retry after N s"), UNAVAILABLE
// 503, DEADLINE_EXCEEDED 504, anything else 500.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_ERROR_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace switchyard::gateway {

struct HttpError {
  int status = 500;
  std::string type;     // error.type
  std::string message;  // error.message
  std::string param;    // error.param; empty: null
  std::string code;     // error.code; empty: null
  int retry_after_s = 0;  // > 0: a Retry-After header
};

// REQUIRES: !s.ok(). A message that starts with a field path ("messages[1].role: ...") names
// that path as `param`.
HttpError ToHttpError(const absl::Status& s);
// An error of the HTTP layer itself (413, 408, 404 path, 405 ...).
HttpError MakeHttpError(int status, absl::string_view type, absl::string_view message, absl::string_view code = "");
// The JSON body, one line.
std::string ErrorBody(const HttpError& e);
// N from "... retry after N s ..." in a message, or 0.
int RetryAfterSeconds(absl::string_view message);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_ERROR_H_
