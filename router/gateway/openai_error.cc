#include "router/gateway/openai_error.h"

#include "absl/strings/numbers.h"
#include "nlohmann/json.hpp"

namespace switchyard::gateway {
namespace {

// The leading "path: " of a message, when the text before the colon reads like a field path.
std::string ParamOf(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos || colon == 0) return "";
  const absl::string_view head = message.substr(0, colon);
  for (char c : head) {
    if (c == ' ' || c == '\'' || c == '"') return "";
  }
  return std::string(head);
}

}  // namespace

int RetryAfterSeconds(absl::string_view message) {
  constexpr absl::string_view kKey = "retry after ";
  const size_t at = message.find(kKey);
  if (at == absl::string_view::npos) return 0;
  absl::string_view rest = message.substr(at + kKey.size());
  const size_t end = rest.find_first_not_of("0123456789");
  int n = 0;
  if (!absl::SimpleAtoi(rest.substr(0, end), &n)) return 0;
  return n;
}

HttpError MakeHttpError(int status, absl::string_view type, absl::string_view message, absl::string_view code) {
  HttpError e;
  e.status = status;
  e.type = std::string(type);
  e.message = std::string(message);
  e.code = std::string(code);
  return e;
}

HttpError ToHttpError(const absl::Status& s) {
  HttpError e;
  e.message = std::string(s.message());
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
      e.status = 400;
      e.type = "invalid_request_error";
      e.param = ParamOf(s.message());
      break;
    case absl::StatusCode::kUnauthenticated:
      e.status = 401;
      e.type = "authentication_error";
      e.code = "invalid_api_key";
      break;
    case absl::StatusCode::kPermissionDenied:
      e.status = 403;
      e.type = "permission_error";
      break;
    case absl::StatusCode::kNotFound:
      e.status = 404;
      e.type = "invalid_request_error";
      e.param = ParamOf(s.message());
      if (e.param == "model") e.code = "model_not_found";
      break;
    case absl::StatusCode::kResourceExhausted:
      e.status = 429;
      e.type = "rate_limit_error";
      e.code = "rate_limit_exceeded";
      e.retry_after_s = std::max(1, RetryAfterSeconds(s.message()));
      break;
    case absl::StatusCode::kUnavailable:
      e.status = 503;
      e.type = "server_error";
      e.code = "unavailable";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      e.status = 504;
      e.type = "server_error";
      e.code = "timeout";
      break;
    default:
      e.status = 500;
      e.type = "server_error";
      break;
  }
  return e;
}

std::string ErrorBody(const HttpError& e) {
  nlohmann::ordered_json error;
  error["message"] = e.message;
  error["type"] = e.type;
  error["param"] = e.param.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.param);
  error["code"] = e.code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.code);
  nlohmann::ordered_json body;
  body["error"] = std::move(error);
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace switchyard::gateway
