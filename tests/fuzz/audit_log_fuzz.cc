// Fuzz target: the audit log verifier over arbitrary file contents. It must never crash, and its
// answer must be consistent: an intact log has no bad line, a broken one names a line after the
// good ones.
#include <cstdint>
#include <cstdlib>

#include "policies/audit_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  const switchyard::AuditVerifyResult r = switchyard::VerifyAuditLogContents(text);
  if (r.good_lines < 0) std::abort();
  if (!r.ok() && (r.bad_line != r.good_lines + 1 || r.reason.empty())) std::abort();
  if (r.ok() && !r.reason.empty()) std::abort();
  return 0;
}
