#include "policies/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "policies/audit_record.h"
#include "policies/sha256.h"

namespace switchyard {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& path, int err) {
  return absl::InternalError(absl::StrCat(path, ": ", what, ": ", std::strerror(err)));
}

// The last line of an fd's first `size` bytes (which end in '\n'), without the '\n'.
absl::StatusOr<std::string> ReadLastLine(int fd, int64_t size, const std::string& path) {
  std::string line;  // built backwards in chunks, then reversed into place
  int64_t end = size - 1;  // the final '\n'
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

// A new file's directory entry must reach the disk too, or a crash could lose the whole file.
void SyncParentDirectory(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  ::fsync(dfd);
  ::close(dfd);
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
  const int64_t size = st.st_size;
  int64_t next_seq = 1;
  std::string prev(kAuditGenesisHash);
  if (size == 0) {
    SyncParentDirectory(path);
  } else {
    char last = 0;
    if (::pread(fd, &last, 1, size - 1) != 1) return fail(ErrnoStatus("read", path, errno));
    if (last != '\n') {
      return fail(absl::DataLossError(absl::StrCat(
          path, ": the last line is truncated (no newline at the end); run the audit verifier and repair the "
                "file before appending")));
    }
    auto line = ReadLastLine(fd, size, path);
    if (!line.ok()) return fail(line.status());
    auto head = ParseAuditRecordHead(*line);
    if (!head.ok()) {
      return fail(absl::DataLossError(absl::StrCat(path, ": the last line is not an audit record (",
                                                   head.status().message(),
                                                   "); run the audit verifier and repair the file before appending")));
    }
    next_seq = head->seq + 1;
    prev = Sha256Hex(*line);
  }
  return std::make_unique<AuditLog>(PrivateTag{}, path, fd, clock, next_seq, std::move(prev), size);
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
