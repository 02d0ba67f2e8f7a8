// Reading the fields of an OpenAI request body (openai_request.h): each reader checks a JSON
// value's type, and range where it has one, and fails with InvalidArgument "<path>: <what>",
// the path naming the field as the client wrote it ("messages[2].tool_calls[0].id"), so the
// gateway can report it in error.param.
//
// Thread safety: pure functions.
#ifndef SWITCHYARD_ROUTER_GATEWAY_OPENAI_JSON_FIELDS_H_
#define SWITCHYARD_ROUTER_GATEWAY_OPENAI_JSON_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace switchyard::gateway {

// InvalidArgument "<path>: <what>".
absl::Status FieldError(absl::string_view path, absl::string_view what);

std::string IndexPath(absl::string_view path, size_t i);         // "path[i]"
std::string KeyPath(absl::string_view path, absl::string_view key);  // "path.key"

absl::StatusOr<std::string> ReadString(const nlohmann::json& v, absl::string_view path);
absl::StatusOr<bool> ReadBool(const nlohmann::json& v, absl::string_view path);
// A number in [lo, hi].
absl::StatusOr<double> ReadNumber(const nlohmann::json& v, absl::string_view path, double lo, double hi);
// An integer in [lo, hi]; a float such as 2.0 is not one.
absl::StatusOr<int64_t> ReadInteger(const nlohmann::json& v, absl::string_view path, int64_t lo, int64_t hi);

// True when `key` is present with a value other than null: OpenAI clients send null for "unset".
bool HasValue(const nlohmann::json& object, const char* key);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_OPENAI_JSON_FIELDS_H_
