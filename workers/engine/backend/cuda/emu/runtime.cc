// The emulated device behind runtime_api.h: allocations, streams, events, graphs, errors.
//
// The CUDA runtime is process-wide state by design (one context per device per process), so
// the emulator keeps one Device for the process too; cudaDeviceReset returns it to new.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workers/engine/backend/cuda/emu/block_runner.h"
#include "workers/engine/backend/cuda/emu/device.h"
#include "workers/engine/backend/cuda/emu/launch.h"
#include "workers/engine/backend/cuda/emu/runtime_api.h"

namespace {

using switchyard::emu::OpResult;
using switchyard::emu::StreamOp;

struct Capture {
  std::vector<StreamOp> ops;
  cudaStream_t origin = nullptr;
  cudaStreamCaptureMode mode = cudaStreamCaptureModeGlobal;
  bool invalidated = false;
};

}  // namespace

struct CUstream_st {
  unsigned flags = 0;
  std::shared_ptr<Capture> capture;  // set while the stream is part of a capture
};
struct CUevent_st {
  unsigned flags = 0;
  bool recorded = false;
  std::chrono::steady_clock::time_point when;
  std::shared_ptr<Capture> capture;  // recorded into this capture: waiting on it joins it
};
struct CUgraph_st {
  std::vector<StreamOp> ops;
};
struct CUgraphExec_st {
  std::shared_ptr<const std::vector<StreamOp>> ops;
};

namespace switchyard::emu {
namespace {

constexpr size_t kDefaultSmem = 48 * 1024;   // per block without opting in, as on every GPU since Volta
constexpr size_t kOptinSmem = 227 * 1024;    // sm_90's opt-in maximum
constexpr size_t kAllocAlign = 256;          // cudaMalloc's documented alignment

const char* GenericMessage(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInvalidDeviceFunction: return "invalid device function";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorIllegalState: return "the operation cannot be performed in the present state";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
    case cudaErrorLaunchOutOfResources: return "too many resources requested for launch";
    case cudaErrorLaunchTimeout: return "the launch timed out and was terminated";
    case cudaErrorAssert: return "device-side assert triggered";
    case cudaErrorMisalignedAddress: return "misaligned address";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorStreamCaptureUnsupported: return "operation not permitted when stream is capturing";
    case cudaErrorStreamCaptureInvalidated: return "operation failed due to a previous error during capture";
    case cudaErrorStreamCaptureUnmatched: return "capture was not initiated in this stream";
    case cudaErrorStreamCaptureImplicit: return "operation would make the legacy stream depend on a capturing blocking stream";
    case cudaErrorUnknown: return "unknown error";
  }
  return "unrecognized error code";
}

struct LastError {
  cudaError_t code = cudaSuccess;  // what cudaGetLastError returns and clears
  cudaError_t detail_code = cudaSuccess;
  std::string detail;  // cudaGetErrorString(detail_code)
};
thread_local LastError tls_error;

class Device {
 public:
  std::recursive_mutex mu;
  std::map<uintptr_t, size_t> device_allocs;  // base -> bytes
  std::map<uintptr_t, size_t> host_allocs;    // pinned host memory (cudaMallocHost)
  std::map<CUstream_st*, std::unique_ptr<CUstream_st>> streams;
  std::map<CUevent_st*, std::unique_ptr<CUevent_st>> events;
  std::map<CUgraph_st*, std::unique_ptr<CUgraph_st>> graphs;
  std::map<CUgraphExec_st*, std::unique_ptr<CUgraphExec_st>> execs;
  std::map<const void*, int> max_dynamic_smem;
  CUstream_st legacy;
  OpResult sticky;          // a fault inside an operation: returned by every call until reset
  std::string sticky_text;  // cudaGetErrorString(sticky.code)

  ~Device() { Reset(); }

  void Reset() {
    for (auto& [base, bytes] : device_allocs) ::operator delete(reinterpret_cast<void*>(base), std::align_val_t{kAllocAlign});
    for (auto& [base, bytes] : host_allocs) ::operator delete(reinterpret_cast<void*>(base), std::align_val_t{kAllocAlign});
    device_allocs.clear();
    host_allocs.clear();
    streams.clear();
    events.clear();
    graphs.clear();
    execs.clear();
    max_dynamic_smem.clear();
    legacy = CUstream_st{};
    sticky = OpResult{};
    sticky_text.clear();
  }

  CUstream_st* Resolve(cudaStream_t s) {
    if (s == nullptr || s == cudaStreamLegacy || s == cudaStreamPerThread) return &legacy;
    return streams.count(s) ? s : nullptr;
  }
  // [p, p + bytes) inside one allocation; with bytes == 0, p may be one past its end.
  static bool Within(const std::map<uintptr_t, size_t>& m, const void* p, size_t bytes) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(p);
    auto it = m.upper_bound(a);
    if (it == m.begin()) return false;
    --it;
    const uintptr_t end = it->first + it->second;
    return a <= end && bytes <= end - a;
  }
  bool InDevice(const void* p, size_t bytes) { return Within(device_allocs, p, bytes); }
  bool InDeviceRegion(const void* p) { return Within(device_allocs, p, 0); }
  bool InAnyRegion(const void* p) { return InDeviceRegion(p) || Within(host_allocs, p, 0); }
  std::vector<Capture*> GlobalCaptures() {
    std::vector<Capture*> out;
    for (auto& [k, s] : streams)
      if (s->capture && s->capture->mode == cudaStreamCaptureModeGlobal) out.push_back(s->capture.get());
    return out;
  }
  // CUDA invalidates every capture an illegal call could have depended on.
  void InvalidateCaptures() {
    for (Capture* c : GlobalCaptures()) c->invalidated = true;
  }
};

Device& Dev() {
  static Device device;
  return device;
}

using Lock = std::lock_guard<std::recursive_mutex>;

cudaError_t Fail(cudaError_t e, const std::string& detail) { return SetLastError(e, detail); }

cudaError_t StickyOr(Device& d) {
  return d.sticky.code != cudaSuccess ? Fail(d.sticky.code, d.sticky.message) : cudaSuccess;
}

// The checks cudaMemcpy makes before it enqueues: both ranges where `kind` says they are.
cudaError_t CheckCopy(Device& d, void* dst, const void* src, size_t count, cudaMemcpyKind kind, const char* what) {
  if (count == 0) return cudaSuccess;
  if (dst == nullptr || src == nullptr) return Fail(cudaErrorInvalidValue, absl::StrCat(what, ": null pointer"));
  bool dst_dev = false, src_dev = false;
  switch (kind) {
    case cudaMemcpyHostToHost: break;
    case cudaMemcpyHostToDevice: dst_dev = true; break;
    case cudaMemcpyDeviceToHost: src_dev = true; break;
    case cudaMemcpyDeviceToDevice: dst_dev = src_dev = true; break;
    case cudaMemcpyDefault:
      dst_dev = d.InDevice(dst, 1);
      src_dev = d.InDevice(src, 1);
      break;
    default: return Fail(cudaErrorInvalidValue, absl::StrCat(what, ": unknown cudaMemcpyKind ", static_cast<int>(kind)));
  }
  const auto side = [&](const void* p, bool dev, const char* name) -> cudaError_t {
    if (dev && !d.InDevice(p, count)) {
      return Fail(cudaErrorInvalidValue,
                  absl::StrFormat("%s: %s range [%p, +%zu) is not inside one live device allocation (freed, or out of "
                                  "bounds?)",
                                  what, name, p, count));
    }
    if (!dev && d.InDevice(p, 1) && kind != cudaMemcpyDefault) {
      return Fail(cudaErrorInvalidValue, absl::StrFormat("%s: %s %p is device memory, but the copy kind says host", what, name, p));
    }
    return cudaSuccess;
  };
  if (cudaError_t e = side(dst, dst_dev, "destination"); e != cudaSuccess) return e;
  return side(src, src_dev, "source");
}

// The copy itself, re-checked when it runs: a captured copy may outlive its allocation.
StreamOp CopyOp(void* dst, const void* src, size_t count, bool dst_dev, bool src_dev) {
  return [=]() -> OpResult {
    Device& d = Dev();
    Lock lock(d.mu);
    if ((dst_dev && !d.InDevice(dst, count)) || (src_dev && !d.InDevice(src, count)))
      return {cudaErrorIllegalAddress, absl::StrFormat("memcpy of %zu bytes touches freed device memory", count)};
    if (count != 0) std::memmove(dst, src, count);
    return {};
  };
}

bool IsDeviceSide(Device& d, const void* p, cudaMemcpyKind kind, bool is_dst) {
  switch (kind) {
    case cudaMemcpyHostToDevice: return is_dst;
    case cudaMemcpyDeviceToHost: return !is_dst;
    case cudaMemcpyDeviceToDevice: return true;
    case cudaMemcpyDefault: return d.InDevice(p, 1);
    default: return false;
  }
}

cudaError_t Memcpy(void* dst, const void* src, size_t count, cudaMemcpyKind kind, cudaStream_t stream, const char* what) {
  Device& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (cudaError_t e = CheckCopy(d, dst, src, count, kind, what); e != cudaSuccess) return e;
  return Enqueue(stream, CopyOp(dst, src, count, IsDeviceSide(d, dst, kind, true), IsDeviceSide(d, src, kind, false)));
}

cudaError_t Memset(void* p, int value, size_t count, cudaStream_t stream, const char* what) {
  Device& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (count == 0) return cudaSuccess;
  if (!d.InDevice(p, count)) {
    return Fail(cudaErrorInvalidValue,
                absl::StrFormat("%s: range [%p, +%zu) is not inside one live device allocation", what, p, count));
  }
  return Enqueue(stream, [=]() -> OpResult {
    Device& dd = Dev();
    Lock l(dd.mu);
    if (!dd.InDevice(p, count)) return {cudaErrorIllegalAddress, absl::StrFormat("memset of %zu bytes touches freed device memory", count)};
    std::memset(p, value, count);
    return {};
  });
}

}  // namespace

cudaError_t SetLastError(cudaError_t e, const std::string& detail) {
  tls_error.code = e;
  tls_error.detail_code = e;
  tls_error.detail = detail.empty() ? GenericMessage(e) : absl::StrCat(GenericMessage(e), ": ", detail);
  return e;
}

cudaError_t Enqueue(cudaStream_t stream, StreamOp op) {
  Device& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "unknown stream (destroyed, or never created?)");
  if (s->capture) {
    if (s->capture->invalidated) return Fail(cudaErrorStreamCaptureInvalidated, "the stream's capture was invalidated by an earlier error");
    s->capture->ops.push_back(std::move(op));
    return cudaSuccess;
  }
  if (s == &d.legacy && !d.GlobalCaptures().empty()) {
    d.InvalidateCaptures();
    return Fail(cudaErrorStreamCaptureImplicit, "work on the legacy default stream while another stream is being captured");
  }
  OpResult r = op();
  if (r.code != cudaSuccess) {
    d.sticky_text = absl::StrCat(GenericMessage(r.code), ": ", r.message);
    d.sticky = std::move(r);
    return Fail(d.sticky.code, d.sticky.message);
  }
  return cudaSuccess;
}

bool IsDeviceRange(const void* p, size_t bytes) {
  Device& d = Dev();
  Lock lock(d.mu);
  return d.InDevice(p, bytes);
}

cudaError_t SubmitLaunch(KernelLaunch launch) {
  Device& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  const dim3 g = launch.grid, b = launch.block;
  const uint64_t threads = static_cast<uint64_t>(b.x) * b.y * b.z;
  if (b.x == 0 || b.y == 0 || b.z == 0 || g.x == 0 || g.y == 0 || g.z == 0 || b.x > 1024 || b.y > 1024 || b.z > 64 ||
      threads > 1024 || g.x > 2147483647u || g.y > 65535 || g.z > 65535) {
    return Fail(cudaErrorInvalidConfiguration,
                absl::StrFormat("kernel %s: grid (%u,%u,%u), block (%u,%u,%u): blocks hold 1..1024 threads (z <= 64), "
                                "grids up to (2^31-1, 65535, 65535)",
                                launch.name, g.x, g.y, g.z, b.x, b.y, b.z));
  }
  auto attr = d.max_dynamic_smem.find(launch.func);
  const size_t dyn_limit = attr == d.max_dynamic_smem.end() ? kDefaultSmem : static_cast<size_t>(attr->second);
  if (launch.dynamic_smem > dyn_limit) {
    return Fail(cudaErrorInvalidValue,
                absl::StrFormat("kernel %s: %zu bytes of dynamic shared memory, over the %zu allowed (raise with "
                                "cudaFuncSetAttribute(cudaFuncAttributeMaxDynamicSharedMemorySize))",
                                launch.name, launch.dynamic_smem, dyn_limit));
  }
  auto l = std::make_shared<const KernelLaunch>(std::move(launch));
  const size_t smem_limit = attr == d.max_dynamic_smem.end() ? kDefaultSmem : kOptinSmem;
  return Enqueue(l->stream, [l, smem_limit]() -> OpResult {
    Device& dd = Dev();
    Lock lk(dd.mu);
    for (const auto& [index, p] : l->pointer_args) {
      if (p != nullptr && !dd.InAnyRegion(p)) {
        return {cudaErrorIllegalAddress,
                absl::StrFormat("kernel %s: pointer argument %d (%p) is not in a live device allocation (freed, or "
                                "host memory?)",
                                l->name, index, p)};
      }
    }
    const GridShape shape{l->grid, l->block, l->dynamic_smem, smem_limit};
    if (std::optional<Fault> f = RunGrid(shape, l->thread_body)) return {f->code, absl::StrCat("kernel ", l->name, ": ", f->message)};
    return {};
  });
}

std::string KernelNameFromSignature(const char* pretty_function) {
  const std::string s = pretty_function;
  size_t p = s.find("kKernel = ");
  if (p == std::string::npos) return s;
  p += 10;
  if (p < s.size() && s[p] == '&') ++p;
  int depth = 0;
  size_t e = p;
  for (; e < s.size(); ++e) {
    const char c = s[e];
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (depth == 0 && (c == ';' || c == ',' || c == ']')) break;
    if (depth < 0) break;
  }
  return s.substr(p, e - p);
}

}  // namespace switchyard::emu

using switchyard::emu::Dev;
using switchyard::emu::Enqueue;
using switchyard::emu::Fail;
using switchyard::emu::Lock;
using switchyard::emu::StickyOr;

cudaError_t cudaGetLastError() {
  auto& d = Dev();
  Lock lock(d.mu);
  if (d.sticky.code != cudaSuccess) return d.sticky.code;
  const cudaError_t e = switchyard::emu::tls_error.code;
  switchyard::emu::tls_error.code = cudaSuccess;
  return e;
}

cudaError_t cudaPeekAtLastError() {
  auto& d = Dev();
  Lock lock(d.mu);
  return d.sticky.code != cudaSuccess ? d.sticky.code : switchyard::emu::tls_error.code;
}

const char* cudaGetErrorString(cudaError_t error) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (error != cudaSuccess && error == d.sticky.code) return d.sticky_text.c_str();
  if (error != cudaSuccess && error == switchyard::emu::tls_error.detail_code) return switchyard::emu::tls_error.detail.c_str();
  return switchyard::emu::GenericMessage(error);
}

const char* cudaGetErrorName(cudaError_t error) {
  switch (error) {
#define SY_NAME(e) \
  case e: return #e;
    SY_NAME(cudaSuccess)
    SY_NAME(cudaErrorInvalidValue)
    SY_NAME(cudaErrorMemoryAllocation)
    SY_NAME(cudaErrorInvalidConfiguration)
    SY_NAME(cudaErrorInvalidDevicePointer)
    SY_NAME(cudaErrorInvalidDeviceFunction)
    SY_NAME(cudaErrorNoDevice)
    SY_NAME(cudaErrorInvalidDevice)
    SY_NAME(cudaErrorInvalidResourceHandle)
    SY_NAME(cudaErrorIllegalState)
    SY_NAME(cudaErrorNotReady)
    SY_NAME(cudaErrorIllegalAddress)
    SY_NAME(cudaErrorLaunchOutOfResources)
    SY_NAME(cudaErrorLaunchTimeout)
    SY_NAME(cudaErrorAssert)
    SY_NAME(cudaErrorMisalignedAddress)
    SY_NAME(cudaErrorLaunchFailure)
    SY_NAME(cudaErrorStreamCaptureUnsupported)
    SY_NAME(cudaErrorStreamCaptureInvalidated)
    SY_NAME(cudaErrorStreamCaptureUnmatched)
    SY_NAME(cudaErrorStreamCaptureImplicit)
    SY_NAME(cudaErrorUnknown)
#undef SY_NAME
  }
  return "cudaErrorUnknown";
}

cudaError_t cudaGetDeviceCount(int* count) {
  if (count == nullptr) return Fail(cudaErrorInvalidValue, "cudaGetDeviceCount: null count");
  *count = 1;
  return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
  if (device == nullptr) return Fail(cudaErrorInvalidValue, "cudaGetDevice: null device");
  *device = 0;
  return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
  return device == 0 ? cudaSuccess : Fail(cudaErrorInvalidDevice, absl::StrCat("the emulator has device 0 only, not ", device));
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (prop == nullptr) return Fail(cudaErrorInvalidValue, "cudaGetDeviceProperties: null prop");
  if (device != 0) return Fail(cudaErrorInvalidDevice, absl::StrCat("the emulator has device 0 only, not ", device));
  *prop = cudaDeviceProp{};
  std::snprintf(prop->name, sizeof prop->name, "Switchyard CUDA emulator");
  prop->totalGlobalMem = size_t{16} << 30;
  prop->sharedMemPerBlock = switchyard::emu::kDefaultSmem;
  prop->sharedMemPerBlockOptin = switchyard::emu::kOptinSmem;
  prop->regsPerBlock = 65536;
  prop->warpSize = 32;
  prop->maxThreadsPerBlock = 1024;
  prop->maxThreadsDim[0] = 1024, prop->maxThreadsDim[1] = 1024, prop->maxThreadsDim[2] = 64;
  prop->maxGridSize[0] = 2147483647, prop->maxGridSize[1] = 65535, prop->maxGridSize[2] = 65535;
  prop->major = 9;
  prop->minor = 0;
  prop->multiProcessorCount = 1;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
  auto& d = Dev();
  Lock lock(d.mu);
  if (!d.GlobalCaptures().empty()) {
    d.InvalidateCaptures();
    return Fail(cudaErrorStreamCaptureUnsupported, "cudaDeviceSynchronize while a stream is being captured");
  }
  return StickyOr(d);
}

cudaError_t cudaDeviceReset() {
  auto& d = Dev();
  Lock lock(d.mu);
  d.Reset();
  switchyard::emu::tls_error = switchyard::emu::LastError{};
  return cudaSuccess;
}

cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (func == nullptr) return Fail(cudaErrorInvalidDeviceFunction, "cudaFuncSetAttribute: null function");
  if (attr == cudaFuncAttributeMaxDynamicSharedMemorySize) {
    if (value < 0 || static_cast<size_t>(value) > switchyard::emu::kOptinSmem)
      return Fail(cudaErrorInvalidValue, absl::StrCat("MaxDynamicSharedMemorySize ", value, " is outside [0, ",
                                                      switchyard::emu::kOptinSmem, "]"));
    d.max_dynamic_smem[func] = value;
  }
  return cudaSuccess;
}

cudaError_t cudaMalloc(void** dev_ptr, size_t size) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (dev_ptr == nullptr) return Fail(cudaErrorInvalidValue, "cudaMalloc: null devPtr");
  if (!d.GlobalCaptures().empty()) {
    d.InvalidateCaptures();
    return Fail(cudaErrorStreamCaptureUnsupported, "cudaMalloc while a stream is being captured (global mode)");
  }
  *dev_ptr = nullptr;
  if (size == 0) return cudaSuccess;
  // Exactly `size` bytes, so AddressSanitizer builds catch kernels that run past the end.
  void* p = ::operator new(size, std::align_val_t{switchyard::emu::kAllocAlign}, std::nothrow);
  if (p == nullptr) return Fail(cudaErrorMemoryAllocation, absl::StrCat("cudaMalloc of ", size, " bytes"));
  std::memset(p, 0xff, size);  // fresh device memory is garbage; NaN makes reading it visible
  d.device_allocs[reinterpret_cast<uintptr_t>(p)] = size;
  *dev_ptr = p;
  return cudaSuccess;
}

cudaError_t cudaFree(void* dev_ptr) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (dev_ptr == nullptr) return cudaSuccess;
  if (!d.GlobalCaptures().empty()) {
    d.InvalidateCaptures();
    return Fail(cudaErrorStreamCaptureUnsupported, "cudaFree while a stream is being captured (global mode)");
  }
  auto it = d.device_allocs.find(reinterpret_cast<uintptr_t>(dev_ptr));
  if (it == d.device_allocs.end())
    return Fail(cudaErrorInvalidValue, absl::StrFormat("cudaFree(%p): not the start of a live allocation (freed twice?)", dev_ptr));
  ::operator delete(dev_ptr, std::align_val_t{switchyard::emu::kAllocAlign});
  d.device_allocs.erase(it);
  return cudaSuccess;
}

cudaError_t cudaMallocHost(void** ptr, size_t size) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (ptr == nullptr) return Fail(cudaErrorInvalidValue, "cudaMallocHost: null ptr");
  *ptr = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = ::operator new(size, std::align_val_t{switchyard::emu::kAllocAlign}, std::nothrow);
  if (p == nullptr) return Fail(cudaErrorMemoryAllocation, absl::StrCat("cudaMallocHost of ", size, " bytes"));
  d.host_allocs[reinterpret_cast<uintptr_t>(p)] = size;
  *ptr = p;
  return cudaSuccess;
}

cudaError_t cudaFreeHost(void* ptr) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (ptr == nullptr) return cudaSuccess;
  auto it = d.host_allocs.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == d.host_allocs.end()) return Fail(cudaErrorInvalidValue, absl::StrFormat("cudaFreeHost(%p): not a live pinned allocation", ptr));
  ::operator delete(ptr, std::align_val_t{switchyard::emu::kAllocAlign});
  d.host_allocs.erase(it);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, cudaMemcpyKind kind) {
  return switchyard::emu::Memcpy(dst, src, count, kind, nullptr, "cudaMemcpy");
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, cudaMemcpyKind kind, cudaStream_t stream) {
  return switchyard::emu::Memcpy(dst, src, count, kind, stream, "cudaMemcpyAsync");
}

cudaError_t cudaMemset(void* dev_ptr, int value, size_t count) {
  return switchyard::emu::Memset(dev_ptr, value, count, nullptr, "cudaMemset");
}

cudaError_t cudaMemsetAsync(void* dev_ptr, int value, size_t count, cudaStream_t stream) {
  return switchyard::emu::Memset(dev_ptr, value, count, stream, "cudaMemsetAsync");
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) { return cudaStreamCreateWithFlags(stream, cudaStreamDefault); }

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int flags) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (stream == nullptr) return Fail(cudaErrorInvalidValue, "cudaStreamCreate: null pStream");
  auto s = std::make_unique<CUstream_st>();
  s->flags = flags;
  *stream = s.get();
  d.streams.emplace(s.get(), std::move(s));
  return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  auto& d = Dev();
  Lock lock(d.mu);
  auto it = d.streams.find(stream);
  if (it == d.streams.end()) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamDestroy: unknown stream");
  d.streams.erase(it);
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  auto& d = Dev();
  Lock lock(d.mu);
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamSynchronize: unknown stream");
  if (s->capture) {
    s->capture->invalidated = true;
    return Fail(cudaErrorStreamCaptureUnsupported, "cudaStreamSynchronize on a stream being captured");
  }
  return StickyOr(d);
}

cudaError_t cudaStreamQuery(cudaStream_t stream) {
  auto& d = Dev();
  Lock lock(d.mu);
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamQuery: unknown stream");
  if (s->capture) return Fail(cudaErrorStreamCaptureUnsupported, "cudaStreamQuery on a stream being captured");
  return StickyOr(d);
}

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr || !d.events.count(event)) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamWaitEvent: unknown stream or event");
  // Work runs in submission order, so a wait orders nothing more; what it does change is
  // capture: waiting on an event recorded inside a capture joins the capture (fork/join).
  if (event->capture && !event->capture->invalidated && !s->capture) s->capture = event->capture;
  return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t* event) { return cudaEventCreateWithFlags(event, cudaEventDefault); }

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (event == nullptr) return Fail(cudaErrorInvalidValue, "cudaEventCreate: null event");
  auto ev = std::make_unique<CUevent_st>();
  ev->flags = flags;
  *event = ev.get();
  d.events.emplace(ev.get(), std::move(ev));
  return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (d.events.erase(event) == 0) return Fail(cudaErrorInvalidResourceHandle, "cudaEventDestroy: unknown event");
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (!d.events.count(event)) return Fail(cudaErrorInvalidResourceHandle, "cudaEventRecord: unknown event");
  CUstream_st* s = d.Resolve(stream);
  if (s != nullptr && s->capture) event->capture = s->capture;
  return Enqueue(stream, [event]() -> OpResult {
    event->recorded = true;
    event->when = std::chrono::steady_clock::now();
    return {};
  });
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (!d.events.count(event)) return Fail(cudaErrorInvalidResourceHandle, "cudaEventSynchronize: unknown event");
  return StickyOr(d);
}

cudaError_t cudaEventQuery(cudaEvent_t event) { return cudaEventSynchronize(event); }

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (ms == nullptr) return Fail(cudaErrorInvalidValue, "cudaEventElapsedTime: null ms");
  if (!d.events.count(start) || !d.events.count(end)) return Fail(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: unknown event");
  if ((start->flags | end->flags) & cudaEventDisableTiming)
    return Fail(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: an event was created with cudaEventDisableTiming");
  if (!start->recorded || !end->recorded) return Fail(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: an event was never recorded");
  *ms = std::chrono::duration<float, std::milli>(end->when - start->when).count();
  return cudaSuccess;
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode mode) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamBeginCapture: unknown stream");
  if (s == &d.legacy) return Fail(cudaErrorStreamCaptureUnsupported, "the legacy default stream cannot be captured");
  if (s->capture) return Fail(cudaErrorIllegalState, "cudaStreamBeginCapture: the stream is already capturing");
  s->capture = std::make_shared<Capture>();
  s->capture->origin = stream;
  s->capture->mode = mode;
  return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
  auto& d = Dev();
  Lock lock(d.mu);
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamEndCapture: unknown stream");
  if (graph == nullptr) return Fail(cudaErrorInvalidValue, "cudaStreamEndCapture: null pGraph");
  if (!s->capture) return Fail(cudaErrorIllegalState, "cudaStreamEndCapture: the stream is not capturing");
  if (s->capture->origin != stream) return Fail(cudaErrorStreamCaptureUnmatched, "cudaStreamEndCapture: not the stream that began the capture");
  std::shared_ptr<Capture> c = std::move(s->capture);
  for (auto& [k, other] : d.streams)
    if (other->capture == c) other->capture.reset();
  *graph = nullptr;
  if (c->invalidated) return Fail(cudaErrorStreamCaptureInvalidated, "the capture was invalidated by an earlier error");
  auto g = std::make_unique<CUgraph_st>();
  g->ops = std::move(c->ops);
  *graph = g.get();
  d.graphs.emplace(g.get(), std::move(g));
  return cudaSuccess;
}

cudaError_t cudaStreamIsCapturing(cudaStream_t stream, cudaStreamCaptureStatus* status) {
  auto& d = Dev();
  Lock lock(d.mu);
  CUstream_st* s = d.Resolve(stream);
  if (s == nullptr) return Fail(cudaErrorInvalidResourceHandle, "cudaStreamIsCapturing: unknown stream");
  if (status == nullptr) return Fail(cudaErrorInvalidValue, "cudaStreamIsCapturing: null status");
  *status = !s->capture ? cudaStreamCaptureStatusNone
                        : (s->capture->invalidated ? cudaStreamCaptureStatusInvalidated : cudaStreamCaptureStatusActive);
  return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long flags) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (cudaError_t e = StickyOr(d); e != cudaSuccess) return e;
  if (exec == nullptr) return Fail(cudaErrorInvalidValue, "cudaGraphInstantiate: null pGraphExec");
  if (!d.graphs.count(graph)) return Fail(cudaErrorInvalidResourceHandle, "cudaGraphInstantiate: unknown graph");
  auto x = std::make_unique<CUgraphExec_st>();
  x->ops = std::make_shared<const std::vector<StreamOp>>(graph->ops);
  *exec = x.get();
  d.execs.emplace(x.get(), std::move(x));
  return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (!d.execs.count(exec)) return Fail(cudaErrorInvalidResourceHandle, "cudaGraphLaunch: unknown graph exec");
  return Enqueue(stream, [ops = exec->ops]() -> OpResult {
    for (const StreamOp& op : *ops)
      if (OpResult r = op(); r.code != cudaSuccess) return r;
    return {};
  });
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (d.execs.erase(exec) == 0) return Fail(cudaErrorInvalidResourceHandle, "cudaGraphExecDestroy: unknown graph exec");
  return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  auto& d = Dev();
  Lock lock(d.mu);
  if (d.graphs.erase(graph) == 0) return Fail(cudaErrorInvalidResourceHandle, "cudaGraphDestroy: unknown graph");
  return cudaSuccess;
}
