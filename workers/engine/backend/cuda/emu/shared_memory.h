// Shared memory under the CUDA emulator: per-block arrays whose every element access is
// checked. Kernels never name these types; they declare shared memory with SY_SHARED /
// SY_DYNAMIC_SHARED from cuda_compat.h, which are plain `__shared__` arrays under nvcc.
//
// Each access goes through SharedRef, which checks, for the thread making it:
//  - bounds: the element lies inside the array (cudaErrorIllegalAddress otherwise);
//  - initialisation: a read finds a value written by this block (fresh shared memory is
//    poisoned with 0xFF bytes, a NaN for floats, and reading it is an error);
//  - races: a read, or a write, of an element another thread wrote or read since the last
//    __syncthreads (or since the last __syncwarp naming both threads of one warp), which is
//    what a missing __syncthreads looks like. Atomics do not race with one another.
//
// Limits, stated so no one relies on more: elements are read and written whole (no member
// access through a reference to a struct element, no reinterpreting a shared array as a wider
// type); `auto v = s[i]` binds a reference, not a value (write `float v = s[i]`).
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_SHARED_MEMORY_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_SHARED_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace switchyard::emu {

enum class Access : uint8_t { kRead, kWrite, kAtomic };

// What the race checker remembers about one element (granule) of a shared array.
struct ShadowCell {
  static constexpr uint32_t kNever = 0xffffffffu;
  uint32_t write_epoch = kNever;  // __syncthreads count at the last write; kNever: not written
  uint32_t write_seq = 0;         // writer's warp __syncwarp count at that write
  uint32_t read_epoch = kNever;   // epoch of the reads recorded below
  uint32_t read_seq = 0;          // reader warp's __syncwarp count at the latest read
  uint32_t read_lanes = 0;        // lanes of read_warp that read in read_epoch
  int32_t writer = -1;            // linear thread index of the last writer
  int32_t read_warp = -1;         // -1: none; -2: threads of several warps read
  bool atomic = false;            // the last write was an atomic
};

// One shared array of the running block.
struct SharedAlloc {
  const void* key = nullptr;  // the declaration it belongs to (nullptr: dynamic shared memory)
  std::string name;
  const char* file = "";
  int line = 0;
  size_t granule = 1;  // bytes per shadow cell: the declared element size
  size_t bytes = 0;
  std::vector<unsigned char> data;
  std::vector<ShadowCell> shadow;
};

// Checks one access by the calling thread; faults the kernel (never returns) if it is wrong.
void CheckSharedAccess(SharedAlloc& a, int64_t byte_offset, size_t size, const char* type_name, Access kind);

template <class T>
const char* TypeName() {
  if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, int>) return "int";
  else if constexpr (std::is_same_v<T, unsigned>) return "unsigned";
  else return "element";
}

template <class T>
class SharedPtr;

// A reference to one element; every conversion to T is a checked read, every assignment a
// checked write.
template <class T>
class SharedRef {
 public:
  SharedRef(SharedAlloc* a, int64_t off) : a_(a), off_(off) {}
  SharedRef(const SharedRef&) = default;

  operator T() const { return Load(); }  // NOLINT: reads like a T, as under nvcc
  SharedRef& operator=(T v) {
    Store(v);
    return *this;
  }
  SharedRef& operator=(const SharedRef& o) { return *this = o.Load(); }
  SharedRef& operator+=(T v) { return *this = Load() + v; }
  SharedRef& operator-=(T v) { return *this = Load() - v; }
  SharedRef& operator*=(T v) { return *this = Load() * v; }
  SharedRef& operator/=(T v) { return *this = Load() / v; }
  SharedRef& operator|=(T v) { return *this = Load() | v; }
  SharedRef& operator&=(T v) { return *this = Load() & v; }
  SharedPtr<T> operator&() const { return SharedPtr<T>(a_, off_); }

  T Load() const {
    CheckSharedAccess(*a_, off_, sizeof(T), TypeName<T>(), Access::kRead);
    T v;
    std::memcpy(&v, a_->data.data() + off_, sizeof(T));
    return v;
  }
  void Store(T v) {
    CheckSharedAccess(*a_, off_, sizeof(T), TypeName<T>(), Access::kWrite);
    std::memcpy(a_->data.data() + off_, &v, sizeof(T));
  }
  // Read-modify-write as one atomic access (atomicAdd and friends on shared memory).
  template <class F>
  T AtomicUpdate(F f) {
    CheckSharedAccess(*a_, off_, sizeof(T), TypeName<T>(), Access::kAtomic);
    T old;
    std::memcpy(&old, a_->data.data() + off_, sizeof(T));
    const T v = f(old);
    std::memcpy(a_->data.data() + off_, &v, sizeof(T));
    return old;
  }

 private:
  SharedAlloc* a_;
  int64_t off_;
};

// A pointer into a shared array: what `&s[i]`, `s + k` and a shared array passed to a device
// function are. Arithmetic is free; the checks happen at each dereference.
template <class T>
class SharedPtr {
 public:
  SharedPtr() = default;
  SharedPtr(SharedAlloc* a, int64_t off) : a_(a), off_(off) {}

  template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
  SharedRef<T> operator[](I i) const {
    return SharedRef<T>(a_, off_ + static_cast<int64_t>(i) * static_cast<int64_t>(sizeof(T)));
  }
  SharedRef<T> operator*() const { return SharedRef<T>(a_, off_); }
  template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
  SharedPtr operator+(I i) const {
    return SharedPtr(a_, off_ + static_cast<int64_t>(i) * static_cast<int64_t>(sizeof(T)));
  }
  template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
  SharedPtr operator-(I i) const {
    return *this + (-static_cast<int64_t>(i));
  }
  template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
  SharedPtr& operator+=(I i) {
    return *this = *this + i;
  }
  SharedPtr& operator++() { return *this = *this + 1; }
  bool operator==(const SharedPtr& o) const { return a_ == o.a_ && off_ == o.off_; }
  bool operator!=(const SharedPtr& o) const { return !(*this == o); }

 private:
  SharedAlloc* a_ = nullptr;
  int64_t off_ = 0;
};

// The arrays of the running block, made on first use by each declaration and poisoned.
SharedAlloc& StaticSharedAlloc(const void* key, size_t elem_size, size_t count, const char* name, const char* file,
                               int line);
SharedAlloc& DynamicSharedAlloc(size_t elem_size, const char* name, const char* file, int line);

template <class T>
SharedPtr<T> StaticShared(size_t count, const char* name, const char* file, int line, const void* key) {
  static_assert(std::is_trivially_copyable_v<T>, "shared memory holds trivially copyable values");
  return SharedPtr<T>(&StaticSharedAlloc(key, sizeof(T), count, name, file, line), 0);
}

template <class T>
SharedPtr<T> DynamicShared(const char* name, const char* file, int line) {
  static_assert(std::is_trivially_copyable_v<T>, "shared memory holds trivially copyable values");
  return SharedPtr<T>(&DynamicSharedAlloc(sizeof(T), name, file, line), 0);
}

}  // namespace switchyard::emu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_SHARED_MEMORY_H_
