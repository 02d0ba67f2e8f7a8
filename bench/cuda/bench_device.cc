#include "bench/cuda/bench_device.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::cuda::bench {

absl::StatusOr<DeviceInfo> OpenDevice(int device) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    cudaGetLastError();  // not sticky, but leave nothing behind
    return absl::UnavailableError(
        e != cudaSuccess
            ? absl::StrCat("no CUDA device: cudaGetDeviceCount: ", cudaGetErrorName(e), ": ", cudaGetErrorString(e))
            : std::string("no CUDA device: cudaGetDeviceCount found none"));
  }
  if (device < 0 || device >= count) {
    return absl::InvalidArgumentError(absl::StrCat("--device ", device, ": there are ", count, " CUDA devices"));
  }
  if (absl::Status s = CudaOk(cudaSetDevice(device), "cudaSetDevice"); !s.ok()) return s;
  cudaDeviceProp prop{};
  if (absl::Status s = CudaOk(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties"); !s.ok()) return s;
  DeviceInfo info;
  info.device = device;
  info.name = prop.name;
  info.sm_count = std::max(1, prop.multiProcessorCount);
  info.memory_gib = static_cast<double>(prop.totalGlobalMem) / (1 << 30);
  info.cc_major = prop.major;
  info.cc_minor = prop.minor;
  return info;
}

absl::StatusOr<DeviceBuffer> DeviceBuffer::Allocate(size_t bytes, const char* what) {
  void* p = nullptr;
  const cudaError_t e = cudaMalloc(&p, std::max<size_t>(bytes, 1));
  if (e != cudaSuccess) {
    cudaGetLastError();  // an allocation failure is not sticky: the bench may go on with smaller cases
    return absl::ResourceExhaustedError(absl::StrCat("cudaMalloc of ", bytes, " bytes (", what,
                                                     "): ", cudaGetErrorName(e), ": ", cudaGetErrorString(e)));
  }
  DeviceBuffer b;
  b.p_.reset(p);
  b.bytes_ = bytes;
  return b;
}

absl::Status DeviceBuffer::Upload(const void* src, size_t bytes, size_t offset) {
  if (offset + bytes > bytes_) return absl::OutOfRangeError("DeviceBuffer::Upload past the end");
  if (absl::Status s = CudaOk(cudaMemcpy(static_cast<char*>(get()) + offset, src, bytes, cudaMemcpyHostToDevice),
                              "cudaMemcpy (upload)");
      !s.ok()) {
    return s;
  }
  // A pageable cudaMemcpy may return before its DMA lands, and the cases launch on a
  // non-blocking stream that does not wait for the legacy one: without this wait a kernel read
  // its input mid-copy on an H200 (split_bf16 and o_proj failed their checks).
  return CudaOk(cudaDeviceSynchronize(), "cudaDeviceSynchronize (upload)");
}

absl::Status DeviceBuffer::Download(void* dst, size_t bytes, size_t offset) const {
  if (offset + bytes > bytes_) return absl::OutOfRangeError("DeviceBuffer::Download past the end");
  return CudaOk(cudaMemcpy(dst, static_cast<const char*>(get()) + offset, bytes, cudaMemcpyDeviceToHost),
                "cudaMemcpy (download)");
}

absl::StatusOr<Stream> Stream::Create() {
  cudaStream_t s = nullptr;
  if (absl::Status st = CudaOk(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate"); !st.ok()) {
    return st;
  }
  Stream out;
  out.s_.reset(s);
  return out;
}

absl::Status Stream::Synchronize() const { return CudaOk(cudaStreamSynchronize(get()), "cudaStreamSynchronize"); }

namespace {

// Events for one Time() call, destroyed with it.
class Events {
 public:
  ~Events() {
    for (cudaEvent_t e : events_) cudaEventDestroy(e);
  }
  absl::StatusOr<cudaEvent_t> Make() {
    cudaEvent_t e = nullptr;
    if (absl::Status s = CudaOk(cudaEventCreate(&e), "cudaEventCreate"); !s.ok()) return s;
    events_.push_back(e);
    return e;
  }

 private:
  std::vector<cudaEvent_t> events_;
};

// Runs launch() `reps` times between event pairs (after a flush when `flush` is non-null) and
// returns each repetition's microseconds.
absl::StatusOr<std::vector<double>> TimeReps(cudaStream_t stream, int reps, const DeviceBuffer* flush,
                                             const std::function<absl::Status()>& launch) {
  Events events;
  std::vector<std::pair<cudaEvent_t, cudaEvent_t>> marks;
  for (int r = 0; r < reps; ++r) {
    auto a = events.Make();
    if (!a.ok()) return a.status();
    auto b = events.Make();
    if (!b.ok()) return b.status();
    marks.emplace_back(*a, *b);
  }
  for (int r = 0; r < reps; ++r) {
    if (flush != nullptr && flush->bytes() > 0) {
      if (absl::Status s =
              CudaOk(cudaMemsetAsync(flush->get(), r & 0xff, flush->bytes(), stream), "cudaMemsetAsync (L2 flush)");
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = CudaOk(cudaEventRecord(marks[r].first, stream), "cudaEventRecord"); !s.ok()) return s;
    if (absl::Status s = launch(); !s.ok()) return s;
    if (absl::Status s = CudaOk(cudaEventRecord(marks[r].second, stream), "cudaEventRecord"); !s.ok()) return s;
  }
  if (absl::Status s = CudaOk(cudaStreamSynchronize(stream), "cudaStreamSynchronize (timed launches)"); !s.ok()) {
    return s;
  }
  std::vector<double> us;
  for (const auto& [a, b] : marks) {
    float ms = 0;
    if (absl::Status s = CudaOk(cudaEventElapsedTime(&ms, a, b), "cudaEventElapsedTime"); !s.ok()) return s;
    us.push_back(static_cast<double>(ms) * 1e3);
  }
  return us;
}

}  // namespace

absl::StatusOr<KernelTimer> KernelTimer::Create(cudaStream_t stream, const TimingOptions& options) {
  if (options.reps < 1 || options.warmup < 0) return absl::InvalidArgumentError("reps must be >= 1, warmup >= 0");
  KernelTimer t(stream, options);
  if (options.flush_bytes > 0) {
    auto f = DeviceBuffer::Allocate(options.flush_bytes, "L2 flush buffer");
    if (!f.ok()) return f.status();
    t.flush_ = std::move(*f);
  }
  return t;
}

absl::StatusOr<Timing> KernelTimer::Time(const std::function<absl::Status()>& launch) {
  for (int i = 0; i < options_.warmup; ++i) {
    if (absl::Status s = launch(); !s.ok()) return s;
  }
  auto us = TimeReps(stream_, options_.reps, options_.flush_bytes > 0 ? &flush_ : nullptr, launch);
  if (!us.ok()) return us.status();
  Timing t;
  t.reps = options_.reps;
  t.min_us = *std::min_element(us->begin(), us->end());
  t.median_us = Median(*us);
  return t;
}

absl::StatusOr<CopyBandwidth> MeasureCopyBandwidth(cudaStream_t stream, size_t bytes, const TimingOptions& options) {
  auto src = DeviceBuffer::Allocate(bytes, "copy source");
  if (!src.ok()) return src.status();
  auto dst = DeviceBuffer::Allocate(bytes, "copy destination");
  if (!dst.ok()) return dst.status();
  if (absl::Status s = CudaOk(cudaMemsetAsync(src->get(), 1, bytes, stream), "cudaMemsetAsync"); !s.ok()) return s;
  auto copy = [&]() {
    return CudaOk(cudaMemcpyAsync(dst->get(), src->get(), bytes, cudaMemcpyDeviceToDevice, stream),
                  "cudaMemcpyAsync (device to device)");
  };
  for (int i = 0; i < std::max(1, options.warmup); ++i) {
    if (absl::Status s = copy(); !s.ok()) return s;
  }
  // No flush: the buffers are many times the L2, and the copy itself evicts it.
  auto us = TimeReps(stream, options.reps, nullptr, copy);
  if (!us.ok()) return us.status();
  CopyBandwidth c;
  c.bytes = bytes;
  c.median_us = Median(*us);
  c.gbs = c.median_us > 0 ? 2.0 * static_cast<double>(bytes) / (c.median_us * 1e3) : 0;
  return c;
}

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

float Rng::Uniform(float lo, float hi) {
  const float u = static_cast<float>(Next() >> 40) * 0x1p-24f;  // 24 random bits: exact in f32
  return lo + (hi - lo) * u;
}

int64_t Rng::Below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }

std::vector<float> Rng::Floats(size_t n, float lo, float hi) {
  std::vector<float> v(n);
  for (float& x : v) x = Uniform(lo, hi);
  return v;
}

std::vector<uint16_t> Rng::Bf16(size_t n, float lo, float hi) {
  std::vector<uint16_t> v(n);
  for (uint16_t& x : v) x = F32ToBf16(Uniform(lo, hi));
  return v;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Sig(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

}  // namespace switchyard::cuda::bench
