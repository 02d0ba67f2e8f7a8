#include "policies/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "policies/audit_record.h"
#include "base/sha256.h"

namespace switchyard {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& path, int err) {
  return absl::InternalError(absl::StrCat(path, ": ", what, ": ", std::strerror(err)));
}

// The bytes of an fd from just after the last '\n' before `end` (or from 0) up to `end`: the
// line that ends at `end`, without its '\n'.
absl::StatusOr<std::string> ReadLineEndingAt(int fd, int64_t end, const std::string& path) {
  std::string line;  // built backwards in chunks, then reversed into place
  char buf[4096];
  while (end > 0) {
    const int64_t n = std::min<int64_t>(sizeof buf, end);
    const ssize_t got = ::pread(fd, buf, static_cast<size_t>(n), end - n);
    if (got != n) return ErrnoStatus("read", path, got < 0 ? errno : EIO);
    for (int64_t i = n - 1; i >= 0; --i) {
      if (buf[i] == '\n') return std::string(line.rbegin(), line.rend());
      line.push_back(buf[i]);
    }
    end -= n;
  }
  return std::string(line.rbegin(), line.rend());
}

absl::Status WriteAll(int fd, absl::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus("write", path, n < 0 ? errno : EIO);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// Appends `tail` as one line to `side_path` and fsyncs it, so that bytes cut off the log are
// kept for whoever investigates the crash.
absl::Status SetAside(const std::string& side_path, absl::string_view tail) {
  const int fd = ::open(side_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot open", side_path, errno);
  absl::Status s = WriteAll(fd, absl::StrCat(tail, "\n"), side_path);
  if (s.ok() && ::fsync(fd) != 0) s = ErrnoStatus("fsync", side_path, errno);
  ::close(fd);
  return s;
}

// The router's log is its stderr: a repaired log must not go unnoticed by the operator, and this
// library has no other channel at Open() time.
void Warn(const nlohmann::json& fields) {
  nlohmann::json line = fields;
  line["ts"] = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  line["level"] = "warning";
  std::fprintf(stderr, "%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

// A new file's directory entry must reach the disk too, or a crash could lose the whole file.
void SyncParentDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  ::fsync(dfd);
  ::close(dfd);
}

// A torn tail: the bytes after the last '\n' of a file of `size` bytes, left by a crash in the
// middle of an Append; empty when the file ends on a whole line. That record was never
// acknowledged (Append fsyncs the whole line before returning).
absl::StatusOr<std::string> ReadTornTail(int fd, int64_t size, const std::string& path) {
  if (size == 0) return std::string();
  char last = 0;
  if (::pread(fd, &last, 1, size - 1) != 1) return ErrnoStatus("read", path, errno);
  if (last == '\n') return std::string();
  return ReadLineEndingAt(fd, size, path);
}

// Where the chain goes on: the seq of the next record and the hash it must carry as prev.
struct ChainEnd {
  int64_t next_seq = 1;
  std::string prev{kAuditGenesisHash};
};

// The chain's end after the whole lines (the first `complete` bytes). DataLoss when the last of
// them is not an audit record.
absl::StatusOr<ChainEnd> ReadChainEnd(int fd, int64_t complete, const std::string& path) {
  ChainEnd end;
  if (complete == 0) return end;
  auto line = ReadLineEndingAt(fd, complete - 1, path);
  if (!line.ok()) return line.status();
  auto head = ParseAuditRecordHead(*line);
  if (!head.ok()) {
    // Not a crash (every complete line was written whole): an edit, which verification must see
    // before anything is appended after it.
    return absl::DataLossError(absl::StrCat(path, ": the last line is not an audit record (", head.status().message(),
                                            "); run the audit verifier and repair the file before appending"));
  }
  end.next_seq = head->seq + 1;
  end.prev = Sha256Hex(*line);
  return end;
}

// Repairs a torn tail that follows the first `complete` bytes: ends the line when the record is
// whole and chained, else sets its bytes aside in `path`.torn and cuts them off. Updates *end and
// *size; returns what was done, in words, for AuditLog::repair().
absl::StatusOr<std::string> RepairTornTail(int fd, const std::string& path, const std::string& tail, int64_t complete,
                                           ChainEnd* end, int64_t* size) {
  // Append writes `{"seq":N,` first, so a torn write starts with (a prefix of) that. Anything
  // else is not ours to cut: an edit, or `path` names some other file.
  const std::string start = absl::StrCat(R"({"seq":)", end->next_seq, ",");
  const size_t n = std::min(start.size(), tail.size());
  if (tail.compare(0, n, start, 0, n) != 0) {
    return absl::DataLossError(absl::StrCat(
        path, ": the last line has no newline and is not the start of record ", end->next_seq,
        ", so it is not a torn append; run the audit verifier and repair the file before appending"));
  }
  auto head = ParseAuditRecordHead(tail);
  if (head.ok() && head->seq == end->next_seq && head->prev == end->prev) {
    // The write stopped just before the '\n': the record itself is whole and chained, so end it
    // rather than throw it away.
    if (absl::Status s = WriteAll(fd, "\n", path); !s.ok()) return s;
    if (::fsync(fd) != 0) return ErrnoStatus("fsync", path, errno);
    *size += 1;
    end->next_seq = head->seq + 1;
    end->prev = Sha256Hex(tail);
    Warn({{"event", "audit_log_tail_completed"}, {"file", path}, {"seq", head->seq}});
    return absl::StrCat("ended line ", head->seq, ", which lacked its newline");
  }
  // Cut the torn bytes off, so that the chain continues from the last whole line and stays one
  // chain that verifies; the bytes are kept beside the log first. The record was never
  // acknowledged: Append returns only after the whole line is fsync'd.
  const std::string side = path + ".torn";
  if (absl::Status s = SetAside(side, tail); !s.ok()) return s;
  if (::ftruncate(fd, complete) != 0) return ErrnoStatus("ftruncate", path, errno);
  if (::fsync(fd) != 0) return ErrnoStatus("fsync", path, errno);
  *size = complete;
  Warn({{"event", "audit_log_torn_tail_removed"}, {"file", path}, {"bytes", tail.size()}, {"kept_in", side},
        {"continues_after_seq", end->next_seq - 1}});
  return absl::StrCat("removed a torn last line of ", tail.size(), " bytes (kept in ", side, ")");
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path, const Clock* clock) {
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot open audit log", path, errno);
  auto fail = [fd](absl::Status s) {
    ::close(fd);
    return s;
  };
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return fail(absl::FailedPreconditionError(absl::StrCat(path, ": audit log is in use by another writer")));
    }
    return fail(ErrnoStatus("flock", path, errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(ErrnoStatus("fstat", path, errno));
  int64_t size = st.st_size;
  if (size == 0) SyncParentDirectory(path);
  absl::StatusOr<std::string> tail = ReadTornTail(fd, size, path);
  if (!tail.ok()) return fail(tail.status());
  const int64_t complete = size - static_cast<int64_t>(tail->size());  // bytes of whole lines
  absl::StatusOr<ChainEnd> end = ReadChainEnd(fd, complete, path);
  if (!end.ok()) return fail(end.status());
  std::string repair;
  if (!tail->empty()) {
    absl::StatusOr<std::string> repaired = RepairTornTail(fd, path, *tail, complete, &*end, &size);
    if (!repaired.ok()) return fail(repaired.status());
    repair = *std::move(repaired);
  }
  auto log = std::make_unique<AuditLog>(PrivateTag{}, path, fd, clock, end->next_seq, std::move(end->prev), size);
  log->repair_ = std::move(repair);
  return log;
}

AuditLog::AuditLog(PrivateTag, std::string path, int fd, const Clock* clock, int64_t next_seq, std::string prev_hash,
                   int64_t size)
    : path_(std::move(path)), fd_(fd), clock_(clock), next_seq_(next_seq), prev_hash_(std::move(prev_hash)),
      size_(size) {}

AuditLog::~AuditLog() { ::close(fd_); }  // closing releases the flock

int64_t AuditLog::next_seq() const {
  absl::MutexLock l(&mu_);
  return next_seq_;
}

absl::StatusOr<int64_t> AuditLog::Append(const nlohmann::json& event) {
  if (!event.is_object()) return absl::InvalidArgumentError("an audit event must be a JSON object");
  for (const char* reserved : {"seq", "time", "prev"}) {
    if (event.contains(reserved)) {
      return absl::InvalidArgumentError(absl::StrCat("audit event key '", reserved, "' is reserved"));
    }
  }
  absl::MutexLock l(&mu_);
  if (!broken_.ok()) return broken_;
  nlohmann::ordered_json record;
  record["seq"] = next_seq_;
  record["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", clock_->Now(), absl::UTCTimeZone());
  record["prev"] = prev_hash_;
  for (const auto& [k, v] : event.items()) record[k] = v;
  // Invalid UTF-8 in an event (a model's bytes) is replaced rather than thrown on.
  std::string line = record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::string hash = Sha256Hex(line);
  line.push_back('\n');

  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const absl::Status err = ErrnoStatus("write", path_, n < 0 ? errno : EIO);
      // Cut a partial line back off, so that the file still ends on a whole record.
      if (written > 0 && ::ftruncate(fd_, size_) != 0) {
        broken_ = absl::DataLossError(absl::StrCat(path_, ": a partial audit line could not be removed (",
                                                   err.message(), "); the log refuses further appends"));
        return broken_;
      }
      return err;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd_) != 0) {
    // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is
    // unknown, so no later line may claim to follow this one.
    broken_ = absl::DataLossError(absl::StrCat(path_, ": fsync failed (", std::strerror(errno),
                                               "); the log refuses further appends"));
    return broken_;
  }
  size_ += static_cast<int64_t>(line.size());
  prev_hash_ = hash;
  return next_seq_++;
}

}  // namespace switchyard
