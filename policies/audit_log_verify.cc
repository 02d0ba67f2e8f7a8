// VerifyAuditLog: recomputes an audit log's hash chain line by line (see audit_log.h).
#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "policies/audit_log.h"
#include "policies/audit_record.h"
#include "base/sha256.h"

namespace switchyard {
namespace {

// Fed one line at a time, so that a log of any size is checked in constant memory.
class ChainVerifier {
 public:
  // `line` without its "\n"; `terminated` is false only for a last line with no "\n".
  void Feed(absl::string_view line, bool terminated) {
    ++line_no_;
    if (pending_seq_) {  // after a seq jump: only looking for the missing seq further on
      auto head = ParseAuditRecordHead(line);
      if (head.ok() && head->seq == *pending_seq_) reordered_ = true;
      return;
    }
    if (result_.bad_line) return;
    if (!terminated) return Fail("truncated last line (no newline at the end)");
    if (line.empty()) return Fail("empty line");
    auto head = ParseAuditRecordHead(line);
    if (!head.ok()) return Fail(std::string(head.status().message()));
    if (head->seq > line_no_) {
      pending_seq_ = line_no_;
      return Fail(absl::StrCat("seq ", head->seq, " where ", line_no_, " was expected"));
    }
    if (head->seq < line_no_) {
      return Fail(absl::StrCat("seq ", head->seq, " where ", line_no_,
                               " was expected: lines were reordered or duplicated"));
    }
    if (head->prev != result_.last_hash) {
      return Fail(line_no_ == 1 ? std::string("prev of the first line is not 64 zeros: lines before it were removed")
                                : absl::StrCat("prev does not match the hash of line ", line_no_ - 1, ": line ",
                                               line_no_ - 1, " (or this line's prev) was edited"));
    }
    result_.last_hash = Sha256Hex(line);
    result_.good_lines = line_no_;
  }

  AuditVerifyResult Finish() {
    if (pending_seq_) {
      absl::StrAppend(&result_.reason, reordered_ ? ": lines were reordered" : ": a line before it was deleted");
    }
    return result_;
  }

 private:
  void Fail(std::string reason) {
    result_.bad_line = line_no_;
    result_.reason = std::move(reason);
  }

  int64_t line_no_ = 0;
  std::optional<int64_t> pending_seq_;  // the seq that was skipped, when the first break is a jump
  bool reordered_ = false;              // the skipped seq appears later on
  AuditVerifyResult result_{0, 0, "", std::string(kAuditGenesisHash)};
};

}  // namespace

AuditVerifyResult VerifyAuditLogContents(absl::string_view contents) {
  ChainVerifier v;
  size_t pos = 0;
  while (pos < contents.size()) {
    const size_t nl = contents.find('\n', pos);
    if (nl == absl::string_view::npos) {
      v.Feed(contents.substr(pos), false);
      break;
    }
    v.Feed(contents.substr(pos, nl - pos), true);
    pos = nl + 1;
  }
  return v.Finish();
}

absl::StatusOr<AuditVerifyResult> VerifyAuditLog(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open audit log"));
  ChainVerifier v;
  std::string line;
  while (std::getline(in, line)) v.Feed(line, /*terminated=*/!in.eof());
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return v.Finish();
}

}  // namespace switchyard
