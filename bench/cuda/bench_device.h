// What switchyard-cuda-bench needs of a device besides the kernels: owned device memory and
// streams, a timer that takes the median of CUDA-event timings with the L2 cache flushed before
// every repetition, the device-to-device copy bandwidth that every kernel's GB/s is compared
// with, and seeded host random numbers for inputs.
//
// Compiled twice, like the kernels: against the CUDA runtime (switchyard-cuda-bench) and against
// the CUDA emulator (switchyard-cuda-bench-emu), whose events time the host executing each
// launch, so its figures say nothing about a GPU (every JSON line says "emulated": true).
//
// Thread safety: none; the bench runs on one host thread.
#ifndef SWITCHYARD_BENCH_CUDA_BENCH_DEVICE_H_
#define SWITCHYARD_BENCH_CUDA_BENCH_DEVICE_H_

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace switchyard::cuda::bench {

#ifdef SWITCHYARD_CUDA_BENCH_EMULATED
inline constexpr bool kEmulated = true;
#else
inline constexpr bool kEmulated = false;
#endif

// The device the bench runs on. Unavailable with the CUDA runtime's reason (no device, no
// driver, a driver too old) when there is none: the bench's one expected failure.
struct DeviceInfo {
  int device = 0;
  std::string name;
  int sm_count = 1;
  double memory_gib = 0;
  int cc_major = 0, cc_minor = 0;
};
absl::StatusOr<DeviceInfo> OpenDevice(int device);

// cudaMalloc'd memory, freed on destruction. Move-only.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  // ResourceExhausted (naming `what` and the size) when the device is out of memory.
  static absl::StatusOr<DeviceBuffer> Allocate(size_t bytes, const char* what);
  void* get() const { return p_.get(); }
  template <class T>
  T* as() const {
    return static_cast<T*>(p_.get());
  }
  size_t bytes() const { return bytes_; }
  absl::Status Upload(const void* src, size_t bytes, size_t offset = 0);
  absl::Status Download(void* dst, size_t bytes, size_t offset = 0) const;
  // A host vector's bytes, in a new buffer.
  template <class T>
  static absl::StatusOr<DeviceBuffer> From(const std::vector<T>& v, const char* what) {
    auto b = Allocate(v.size() * sizeof(T), what);
    if (!b.ok()) return b.status();
    if (absl::Status s = b->Upload(v.data(), v.size() * sizeof(T)); !s.ok()) return s;
    return b;
  }

 private:
  struct Free {
    void operator()(void* p) const { cudaFree(p); }
  };
  std::unique_ptr<void, Free> p_;
  size_t bytes_ = 0;
};

// A non-blocking stream, destroyed on destruction.
class Stream {
 public:
  static absl::StatusOr<Stream> Create();
  cudaStream_t get() const { return s_.get(); }
  absl::Status Synchronize() const;

 private:
  struct Destroy {
    void operator()(CUstream_st* s) const { cudaStreamDestroy(s); }
  };
  std::unique_ptr<CUstream_st, Destroy> s_;
};

struct TimingOptions {
  int warmup = 3;  // untimed launches first (clocks up, caches and lazy module loading done)
  int reps = 30;   // timed launches; the median is reported
  // Bytes written before every timed launch so that it starts with a cold L2 (as a decode step
  // finds its weights: a model is many times the L2); 0 keeps the L2 warm. 256 MiB covers twice
  // the largest L2 of the GPUs in view (H100/H200 50 MB, B200 126 MB).
  size_t flush_bytes = size_t{256} << 20;
};

struct Timing {
  double median_us = 0;
  double min_us = 0;
  int reps = 0;
};

// Times launches on one stream with CUDA events: per repetition, [flush], event, launch, event;
// one synchronization after all of them. The flush keeps the GPU busy while the host enqueues
// the launch, so no host launch latency lands between the two events.
class KernelTimer {
 public:
  static absl::StatusOr<KernelTimer> Create(cudaStream_t stream, const TimingOptions& options);
  absl::StatusOr<Timing> Time(const std::function<absl::Status()>& launch);
  const TimingOptions& options() const { return options_; }

 private:
  KernelTimer(cudaStream_t stream, const TimingOptions& options) : stream_(stream), options_(options) {}
  cudaStream_t stream_;
  TimingOptions options_;
  DeviceBuffer flush_;
};

// Device-to-device cudaMemcpy of a `bytes` buffer: GB/s counted as 2 * bytes / time (read and
// write), as NVIDIA's bandwidthTest counts it: the bandwidth a kernel that streams memory can
// hope for.
struct CopyBandwidth {
  size_t bytes = 0;
  double median_us = 0;
  double gbs = 0;
};
absl::StatusOr<CopyBandwidth> MeasureCopyBandwidth(cudaStream_t stream, size_t bytes, const TimingOptions& options);

// Seeded, fast host random numbers (SplitMix64): inputs of 10^9 elements are generated in
// seconds, and a seed reproduces them.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  float Uniform(float lo, float hi);  // [lo, hi)
  int64_t Below(int64_t n);           // [0, n)
  std::vector<float> Floats(size_t n, float lo, float hi);
  // bf16 bit patterns of uniform values in [lo, hi).
  std::vector<uint16_t> Bf16(size_t n, float lo, float hi);

 private:
  uint64_t state_;
};

double Median(std::vector<double> v);
// v rounded to `digits` significant digits, for the JSON lines: 4 digits say all a timing can,
// and tiny values (the emulator's) stay non-zero where fixed decimals would print 0.
double Sig(double v, int digits = 4);

}  // namespace switchyard::cuda::bench

#endif  // SWITCHYARD_BENCH_CUDA_BENCH_DEVICE_H_
