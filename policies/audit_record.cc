#include "policies/audit_record.h"

#include "nlohmann/json.hpp"
#include "base/sha256.h"

namespace switchyard {

absl::StatusOr<AuditRecordHead> ParseAuditRecordHead(absl::string_view line) {
  // allow_exceptions = false: a parse error gives a discarded value instead of a throw.
  const nlohmann::json j = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return absl::InvalidArgumentError("not a JSON object");
  AuditRecordHead head;
  const auto seq = j.find("seq");
  if (seq == j.end() || !seq->is_number_integer() || seq->get<int64_t>() <= 0) {
    return absl::InvalidArgumentError("seq missing or not a positive integer");
  }
  head.seq = seq->get<int64_t>();
  const auto time = j.find("time");
  if (time == j.end() || !time->is_string()) return absl::InvalidArgumentError("time missing or not a string");
  const auto prev = j.find("prev");
  if (prev == j.end() || !prev->is_string() || !IsSha256Hex(prev->get_ref<const std::string&>())) {
    return absl::InvalidArgumentError("prev missing or not 64 lowercase hex digits");
  }
  head.prev = prev->get<std::string>();
  return head;
}

}  // namespace switchyard
