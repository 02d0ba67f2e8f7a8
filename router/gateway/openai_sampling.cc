#include "router/gateway/openai_sampling.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "router/gateway/openai_json_fields.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

// The float-valued knobs, each with its range.
absl::Status ParseRealParams(const Json& body, v1::SamplingParams* s) {
  struct Real {
    const char* key;
    double lo, hi;
    void (v1::SamplingParams::*set)(float);
  };
  const Real reals[] = {{"temperature", 0, 2, &v1::SamplingParams::set_temperature},
                        {"top_p", 0, 1, &v1::SamplingParams::set_top_p},
                        {"presence_penalty", -2, 2, &v1::SamplingParams::set_presence_penalty},
                        {"frequency_penalty", -2, 2, &v1::SamplingParams::set_frequency_penalty},
                        {"min_p", 0, 1, &v1::SamplingParams::set_min_p},
                        {"repetition_penalty", 0, 10, &v1::SamplingParams::set_repetition_penalty}};
  for (const Real& r : reals) {
    if (!HasValue(body, r.key)) continue;
    auto v = ReadNumber(body[r.key], r.key, r.lo, r.hi);
    if (!v.ok()) return v.status();
    (s->*r.set)(static_cast<float>(*v));
  }
  return absl::OkStatus();
}

// `stop`: one non-empty string, or an array of at most 16.
absl::Status ParseStop(const Json& v, v1::SamplingParams* s) {
  if (v.is_string()) {
    if (v.get<std::string>().empty()) return FieldError("stop", "empty");
    s->add_stop(v.get<std::string>());
  } else if (v.is_array()) {
    constexpr size_t kMaxStops = 16;
    if (v.size() > kMaxStops) return FieldError("stop", absl::StrCat(v.size(), " stop strings; at most ", kMaxStops));
    for (size_t i = 0; i < v.size(); ++i) {
      auto stop = ReadString(v[i], IndexPath("stop", i));
      if (!stop.ok()) return stop.status();
      if (stop->empty()) return FieldError(IndexPath("stop", i), "empty");
      s->add_stop(*stop);
    }
  } else {
    return FieldError("stop", "expected a string or an array of strings");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseSampling(const Json& body, v1::SamplingParams* s) {
  if (absl::Status st = ParseRealParams(body, s); !st.ok()) return st;
  if (HasValue(body, "top_k")) {
    auto v = ReadInteger(body["top_k"], "top_k", -1, std::numeric_limits<int32_t>::max());
    if (!v.ok()) return v.status();
    s->set_top_k(static_cast<int32_t>(*v));
  }
  // max_completion_tokens is OpenAI's current name; max_tokens the deprecated one.
  for (const char* key : {"max_tokens", "max_completion_tokens"}) {
    if (!HasValue(body, key)) continue;
    auto v = ReadInteger(body[key], key, 1, std::numeric_limits<int32_t>::max());
    if (!v.ok()) return v.status();
    s->set_max_tokens(static_cast<int32_t>(*v));
  }
  if (HasValue(body, "seed")) {
    const Json& v = body["seed"];
    if (!v.is_number_integer()) return FieldError("seed", "expected an integer");
    s->set_seed(v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>()));
  }
  if (HasValue(body, "stop")) {
    if (absl::Status st = ParseStop(body["stop"], s); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace switchyard::gateway
