// The device side of the CUDA language for kernels compiled by the host compiler against the
// CUDA emulator: qualifiers, built-in index variables, barriers, warp shuffles and votes,
// atomics and the math intrinsics our kernels use.
//
// Semantics follow the CUDA C++ Programming Guide and the PTX ISA (shfl.sync's lane and clamp
// rules, vote.sync), and the emulator checks what the guide calls undefined: a warp function
// whose mask omits the calling lane or names an exited or missing lane, lanes of one mask at
// different calls, a shuffle reading a lane outside the mask, a __syncthreads some threads of
// the block never reach. Each such fault stops the kernel and becomes the launch's error.
//
// Precision: rsqrtf, __expf, __fdividef and friends are computed exactly here (IEEE, correctly
// rounded or glibc's), while a GPU returns them within a few ulp; tests state tolerances that
// cover the GPU, not the emulator.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_BUILTINS_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_BUILTINS_H_

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "workers/engine/backend/cuda/emu/runtime_types.h"
#include "workers/engine/backend/cuda/emu/shared_memory.h"

// Qualifiers. `__shared__` is deliberately left undefined: kernels declare shared memory with
// SY_SHARED / SY_DYNAMIC_SHARED, so every access can be checked.
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)
#define __constant__

// Per-thread built-ins: the scheduler sets them before it resumes each fiber.
inline thread_local uint3 threadIdx;
inline thread_local uint3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
constexpr int warpSize = 32;

namespace switchyard::emu {

enum class WarpOp : uint8_t { kSync, kShflIdx, kShflUp, kShflDown, kShflXor, kBallot, kAny, kAll };

// Block-wide barrier; returns when every thread of the block has reached the same call.
void SyncThreads(const char* file, int line);
// One warp-level operation by the calling lane; returns this lane's result once every lane of
// `mask` has made the same call. `b` is the source lane, delta or lane mask (shuffles) or the
// predicate (votes).
uint64_t WarpCall(WarpOp op, uint32_t mask, uint64_t value, int b, int width, const char* file, int line);
// Lanes of the calling warp that exist and have not exited.
uint32_t ActiveMask();

template <class T>
uint64_t ToBits(T v) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8, "warp shuffles move up to 8 bytes");
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  return bits;
}
template <class T>
T FromBits(uint64_t bits) {
  T v;
  std::memcpy(&v, &bits, sizeof(T));
  return v;
}

}  // namespace switchyard::emu

// Barriers and warp functions. The trailing defaulted arguments record the call site, so the
// emulator can tell two different calls apart; callers never pass them.
inline void __syncthreads(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  switchyard::emu::SyncThreads(file, line);
}
inline void __syncwarp(unsigned mask = 0xffffffffu, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  switchyard::emu::WarpCall(switchyard::emu::WarpOp::kSync, mask, 0, 0, warpSize, file, line);
}
inline void __threadfence() {}
inline void __threadfence_block() {}
inline unsigned __activemask() { return switchyard::emu::ActiveMask(); }

template <class T>
T __shfl_sync(unsigned mask, T var, int src_lane, int width = warpSize, const char* file = __builtin_FILE(),
              int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return FromBits<T>(WarpCall(WarpOp::kShflIdx, mask, ToBits(var), src_lane, width, file, line));
}
template <class T>
T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = warpSize, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return FromBits<T>(WarpCall(WarpOp::kShflUp, mask, ToBits(var), static_cast<int>(delta), width, file, line));
}
template <class T>
T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = warpSize, const char* file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return FromBits<T>(WarpCall(WarpOp::kShflDown, mask, ToBits(var), static_cast<int>(delta), width, file, line));
}
template <class T>
T __shfl_xor_sync(unsigned mask, T var, int lane_mask, int width = warpSize, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return FromBits<T>(WarpCall(WarpOp::kShflXor, mask, ToBits(var), lane_mask, width, file, line));
}
inline unsigned __ballot_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return static_cast<unsigned>(WarpCall(WarpOp::kBallot, mask, 0, predicate != 0, warpSize, file, line));
}
inline int __any_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return static_cast<int>(WarpCall(WarpOp::kAny, mask, 0, predicate != 0, warpSize, file, line));
}
inline int __all_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  using namespace switchyard::emu;
  return static_cast<int>(WarpCall(WarpOp::kAll, mask, 0, predicate != 0, warpSize, file, line));
}

// Atomics on global memory. Blocks run one at a time, but std::atomic_ref keeps them right
// should blocks ever run on several host threads.
#define SY_EMU_ATOMIC_RMW(name, T, expr)                      \
  inline T name(T* address, T val) {                          \
    std::atomic_ref<T> ref(*address);                         \
    T old = ref.load();                                       \
    while (!ref.compare_exchange_weak(old, (expr))) {         \
    }                                                         \
    return old;                                               \
  }                                                           \
  inline T name(switchyard::emu::SharedPtr<T> address, T val) { \
    return (*address).AtomicUpdate([&]([[maybe_unused]] T old) { return (expr); }); \
  }
SY_EMU_ATOMIC_RMW(atomicAdd, int, old + val)
SY_EMU_ATOMIC_RMW(atomicAdd, unsigned int, old + val)
SY_EMU_ATOMIC_RMW(atomicAdd, unsigned long long, old + val)
SY_EMU_ATOMIC_RMW(atomicAdd, float, old + val)
SY_EMU_ATOMIC_RMW(atomicAdd, double, old + val)
SY_EMU_ATOMIC_RMW(atomicSub, int, old - val)
SY_EMU_ATOMIC_RMW(atomicSub, unsigned int, old - val)
SY_EMU_ATOMIC_RMW(atomicExch, int, val)
SY_EMU_ATOMIC_RMW(atomicExch, unsigned int, val)
SY_EMU_ATOMIC_RMW(atomicExch, unsigned long long, val)
SY_EMU_ATOMIC_RMW(atomicExch, float, val)
SY_EMU_ATOMIC_RMW(atomicMax, int, old > val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMax, unsigned int, old > val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMax, long long, old > val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMax, unsigned long long, old > val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMin, int, old < val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMin, unsigned int, old < val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMin, long long, old < val ? old : val)
SY_EMU_ATOMIC_RMW(atomicMin, unsigned long long, old < val ? old : val)
SY_EMU_ATOMIC_RMW(atomicAnd, int, old & val)
SY_EMU_ATOMIC_RMW(atomicAnd, unsigned int, old & val)
SY_EMU_ATOMIC_RMW(atomicOr, int, old | val)
SY_EMU_ATOMIC_RMW(atomicOr, unsigned int, old | val)
SY_EMU_ATOMIC_RMW(atomicXor, int, old ^ val)
SY_EMU_ATOMIC_RMW(atomicXor, unsigned int, old ^ val)
#undef SY_EMU_ATOMIC_RMW

#define SY_EMU_ATOMIC_CAS(T)                                                      \
  inline T atomicCAS(T* address, T compare, T val) {                              \
    std::atomic_ref<T> ref(*address);                                             \
    T expected = compare;                                                         \
    ref.compare_exchange_strong(expected, val);                                   \
    return expected;                                                              \
  }                                                                               \
  inline T atomicCAS(switchyard::emu::SharedPtr<T> address, T compare, T val) {   \
    return (*address).AtomicUpdate([&](T old) { return old == compare ? val : old; }); \
  }
SY_EMU_ATOMIC_CAS(int)
SY_EMU_ATOMIC_CAS(unsigned int)
SY_EMU_ATOMIC_CAS(unsigned long long)
SY_EMU_ATOMIC_CAS(unsigned short)
#undef SY_EMU_ATOMIC_CAS

// Math. The single-precision functions of <cmath> (expf, sqrtf, fmaxf, ...) are the C
// library's, as kernels call them; these are CUDA's own names.
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __expf(float x) { return std::exp(x); }
inline float __logf(float x) { return std::log(x); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __fdividef(float x, float y) { return x / y; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __fadd_rn(float x, float y) { return x + y; }
inline float __fsub_rn(float x, float y) { return x - y; }
inline float __fmul_rn(float x, float y) { return x * y; }
inline float __fdiv_rn(float x, float y) { return x / y; }
inline float __fmaf_rn(float x, float y, float z) { return std::fma(x, y, z); }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : (x == x ? x : 0.0f)); }
inline void sincosf(float x, float* s, float* c) { *s = std::sin(x), *c = std::cos(x); }
inline int __float_as_int(float x) { return switchyard::emu::FromBits<int>(switchyard::emu::ToBits(x)); }
inline unsigned __float_as_uint(float x) { return switchyard::emu::FromBits<unsigned>(switchyard::emu::ToBits(x)); }
inline float __int_as_float(int x) { return switchyard::emu::FromBits<float>(switchyard::emu::ToBits(x)); }
inline float __uint_as_float(unsigned x) { return switchyard::emu::FromBits<float>(switchyard::emu::ToBits(x)); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
template <class T>
T __ldg(const T* p) {
  return *p;
}
// CUDA's device min/max overloads for integers (floats use fminf/fmaxf).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long min(long a, long b) { return a < b ? a : b; }
inline long max(long a, long b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long min(unsigned long a, unsigned long b) { return a < b ? a : b; }
inline unsigned long max(unsigned long a, unsigned long b) { return a > b ? a : b; }

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_DEVICE_BUILTINS_H_
