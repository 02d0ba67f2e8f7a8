#include "router/gateway/openai_error.h"

#include "gtest/gtest.h"

namespace switchyard::gateway {
namespace {

TEST(OpenAiErrorTest, StatusCodesMapToHttp) {
  struct Case {
    absl::Status status;
    int http;
    const char* type;
    const char* code;
  };
  const Case cases[] = {
      {absl::InvalidArgumentError("x"), 400, "invalid_request_error", ""},
      {absl::UnauthenticatedError("x"), 401, "authentication_error", "invalid_api_key"},
      {absl::PermissionDeniedError("x"), 403, "permission_error", ""},
      {absl::NotFoundError("x"), 404, "invalid_request_error", ""},
      {absl::ResourceExhaustedError("x"), 429, "rate_limit_error", "rate_limit_exceeded"},
      {absl::UnavailableError("x"), 503, "server_error", "unavailable"},
      {absl::DeadlineExceededError("x"), 504, "server_error", "timeout"},
      {absl::InternalError("x"), 500, "server_error", ""},
      {absl::CancelledError("x"), 500, "server_error", ""},
  };
  for (const Case& c : cases) {
    const HttpError e = ToHttpError(c.status);
    EXPECT_EQ(e.status, c.http) << c.status;
    EXPECT_EQ(e.type, c.type) << c.status;
    EXPECT_EQ(e.code, c.code) << c.status;
  }
}

TEST(OpenAiErrorTest, ParamIsTheFieldPath) {
  EXPECT_EQ(ToHttpError(absl::InvalidArgumentError("messages[2].tool_calls[0].function.arguments: not a JSON object")).param,
            "messages[2].tool_calls[0].function.arguments");
  EXPECT_EQ(ToHttpError(absl::InvalidArgumentError("the body is not valid JSON: parse error")).param, "");
  const HttpError model = ToHttpError(absl::NotFoundError("model: 'gpt-5' does not exist"));
  EXPECT_EQ(model.param, "model");
  EXPECT_EQ(model.code, "model_not_found");
  EXPECT_EQ(ErrorBody(model),
            R"({"error":{"message":"model: 'gpt-5' does not exist","type":"invalid_request_error","param":"model",)"
            R"("code":"model_not_found"}})");
}

TEST(OpenAiErrorTest, RetryAfterComesFromThePolicyMessage) {
  EXPECT_EQ(ToHttpError(absl::ResourceExhaustedError("tenant 'a': 10 requests per minute; retry after 7 s")).retry_after_s, 7);
  EXPECT_EQ(ToHttpError(absl::ResourceExhaustedError("queue full")).retry_after_s, 1);
  EXPECT_EQ(RetryAfterSeconds("retry after x s"), 0);
  EXPECT_EQ(ToHttpError(absl::InvalidArgumentError("retry after 3 s")).retry_after_s, 0);
}

}  // namespace
}  // namespace switchyard::gateway
