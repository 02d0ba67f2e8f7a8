// AuditLog: an append-only JSON-lines file in which every line carries the SHA-256 of the line
// before it, so that editing, deleting, reordering or truncating lines is detected by
// VerifyAuditLog.
//
// One line per event, keys in this order, then the event's own fields:
//   {"seq":1,"time":"2025-01-02T03:04:05.678901Z","prev":"000…000","event":"route",...}
//   seq   1 for the first line of the file, then +1 per line (equal to the line number)
//   prev  lowercase hex SHA-256 of the previous line's bytes without its "\n"; 64 zeros on line 1
// Append() returns only after write() and fsync() succeeded, so an answer the router sends after
// it is always backed by a record on disk.
//
// What the chain cannot show by itself: the last lines removed together with nothing after them
// (a valid shorter chain) or the last line edited. VerifyAuditLog reports the hash of the last
// line; keep it elsewhere (another system, a ticket) to anchor the tail.
//
// Thread safety: Append() may be called from many threads; appends are serialised. One process
// at a time: Open() takes an exclusive flock on the file.
#ifndef SWITCHYARD_POLICIES_AUDIT_LOG_H_
#define SWITCHYARD_POLICIES_AUDIT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "policies/clock.h"

namespace switchyard {

class AuditLog {
 public:
  // Opens or creates `path` (mode 0600) and continues its chain from the last line.
  // A torn last line (no final newline: the process died inside an Append, so the record was
  // never acknowledged) is repaired, with a warning on stderr and in repair(): a record that
  // lacks only its newline and chains on is ended with one; other bytes that start the next
  // record are appended as one line to `path`.torn and cut off, so the chain continues from the
  // last whole line. DataLoss when the last whole line is not an audit record, or the bytes after
  // it do not start the next record: that is an edit, not a crash; run VerifyAuditLog and
  // repair by hand, since appending after it would bury it.
  // FailedPrecondition when another process holds the log. Does not verify the whole chain (that
  // is VerifyAuditLog). `clock` must outlive the log.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path,
                                                        const Clock* clock = SystemClock());
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `event` (a JSON object; the keys seq, time and prev are reserved) as one line and
  // fsyncs it. Returns the line's seq. InvalidArgument for a bad event; an I/O error otherwise,
  // after which the log refuses further appends (DataLoss) if it could not undo a partial write
  // or the fsync failed.
  absl::StatusOr<int64_t> Append(const nlohmann::json& event) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& path() const { return path_; }
  // The seq the next Append will write.
  int64_t next_seq() const ABSL_LOCKS_EXCLUDED(mu_);
  // What Open() repaired in a torn tail, in words; empty when the file ended on a whole line.
  const std::string& repair() const { return repair_; }

  struct PrivateTag {};  // only Open() constructs, yet std::make_unique can
  AuditLog(PrivateTag, std::string path, int fd, const Clock* clock, int64_t next_seq, std::string prev_hash,
           int64_t size);

 private:
  const std::string path_;
  const int fd_;
  const Clock* const clock_;
  std::string repair_;  // set once by Open()
  mutable absl::Mutex mu_;
  int64_t next_seq_ ABSL_GUARDED_BY(mu_);
  std::string prev_hash_ ABSL_GUARDED_BY(mu_);
  int64_t size_ ABSL_GUARDED_BY(mu_);  // bytes in the file: where a failed write is cut back to
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
};

// The prev of line 1.
inline constexpr absl::string_view kAuditGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditVerifyResult {
  int64_t good_lines = 0;  // lines before the first broken one (all of them when intact)
  int64_t bad_line = 0;    // 1-based number of the first broken line; 0 when intact
  std::string reason;      // why bad_line is broken
  std::string last_hash;   // hash of the last good line (kAuditGenesisHash when none)
  bool ok() const { return bad_line == 0; }
};

// Walks the file and recomputes the chain. An error status only when the file cannot be read;
// a broken chain is a result. A break at line N (prev does not match) means line N-1 was edited
// or line N's prev was.
absl::StatusOr<AuditVerifyResult> VerifyAuditLog(const std::string& path);
// The same over a file's contents in memory.
AuditVerifyResult VerifyAuditLogContents(absl::string_view contents);

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_AUDIT_LOG_H_
