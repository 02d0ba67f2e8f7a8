// AuditRecord: the fixed head of one audit log line (seq, time, prev), shared by the writer that
// continues a chain and the verifier that checks one.
//
// Thread safety: free functions.
#ifndef SWITCHYARD_POLICIES_AUDIT_RECORD_H_
#define SWITCHYARD_POLICIES_AUDIT_RECORD_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

struct AuditRecordHead {
  int64_t seq = 0;
  std::string prev;
};

// The head of `line` (without its "\n"). InvalidArgument saying what is wrong: not a JSON object,
// seq missing or not a positive integer, time missing, prev missing or not 64 hex digits.
absl::StatusOr<AuditRecordHead> ParseAuditRecordHead(absl::string_view line);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_AUDIT_RECORD_H_
