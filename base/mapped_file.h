// MappedFile: a read-only memory map of a whole file, unmapped when the object dies.
//
// Model weights are served straight from the map (the page cache is the one copy in RAM), so
// a MappedFile usually lives as long as the model that points into it.
// Thread safety: immutable after Open(); safe to read from any thread.
#ifndef SWITCHYARD_BASE_MAPPED_FILE_H_
#define SWITCHYARD_BASE_MAPPED_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace switchyard {

class MappedFile {
 public:
  // NotFound if the path does not exist, FailedPrecondition if it is not a regular file,
  // PermissionDenied / Internal for other system errors (the message names the path).
  static absl::StatusOr<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  absl::string_view bytes() const { return {reinterpret_cast<const char*>(data_), size_}; }
  const std::string& path() const { return path_; }

  // Asks the kernel to read [offset, offset+len) ahead; a hint, never an error.
  void WillNeed(size_t offset, size_t len) const;

 private:
  void Reset();
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_BASE_MAPPED_FILE_H_
