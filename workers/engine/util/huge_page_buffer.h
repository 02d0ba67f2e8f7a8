// HugePageBuffer: a zero-filled anonymous memory region that asks the kernel for transparent
// huge pages (MADV_HUGEPAGE), for large buffers the engine walks every token (the KV cache):
// with 4 KiB pages, reading a sequence's blocks across 28 layers costs a TLB miss every few KB.
// Without THP the buffer is ordinary memory and everything still works.
// Thread safety: the object is not shared; the memory is the owner's to synchronize.
#ifndef SWITCHYARD_WORKERS_ENGINE_UTIL_HUGE_PAGE_BUFFER_H_
#define SWITCHYARD_WORKERS_ENGINE_UTIL_HUGE_PAGE_BUFFER_H_

#include <cstddef>

#include "absl/status/statusor.h"

namespace switchyard {

class HugePageBuffer {
 public:
  // ResourceExhausted when the memory cannot be mapped.
  static absl::StatusOr<HugePageBuffer> Allocate(size_t bytes);

  HugePageBuffer() = default;
  HugePageBuffer(HugePageBuffer&& other) noexcept;
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;
  ~HugePageBuffer();

  void* data() const { return data_; }
  size_t size() const { return bytes_; }

 private:
  HugePageBuffer(void* data, size_t bytes) : data_(data), bytes_(bytes) {}
  void Release();

  void* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_UTIL_HUGE_PAGE_BUFFER_H_
