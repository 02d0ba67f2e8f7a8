// The kernels of one Qwen3 decode step on the CUDA backend, each as a benchmark case with the
// shapes CudaRunner (backend/cuda/runner/cuda_runner.h) launches it with for a given config and
// batch: the embedding gather, RmsNorm and AddRmsNorm, every projection (the bf16 GEMV up to
// gemv_max_tokens rows, the split-bf16 cuBLAS GemmEx pair above, with the bf16 split of the
// activations), HeadNormRope on q and k, the KV write and decode attention over the paged
// cache at several context lengths (split-K as PlanAttention decides), SiluMul, the LM head
// and the greedy arg-max.
//
// A case owns its device buffers (random inputs, seeded), launches its kernel, and checks the
// output of one launch on the fresh inputs against a host reference before it is timed: the CPU
// backend's op where there is one (RmsNorm, AddRmsNorm, HeadNormRope, SiluMul), or a scalar
// double-precision reference on every output (embedding, arg-max, bf16 split, KV write) or on
// sampled outputs (products, attention), each within a tolerance derived from the kernel's
// documented error (its header). Bytes() is the op's minimal traffic: every input read once and
// every output written once, stated by BytesFormula(); what a kernel moves beyond it (the
// split-K workspace, the second GEMM's weight pass) is its inefficiency, and shows as a lower
// fraction of peak.
//
// Thread safety: none. A case is Setup(), Launch()ed and Check()ed on one stream by one thread.
#ifndef SWITCHYARD_BENCH_CUDA_KERNEL_CASES_H_
#define SWITCHYARD_BENCH_CUDA_KERNEL_CASES_H_

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/cuda/bench_device.h"
#include "nlohmann/json.hpp"
#include "workers/engine/model/model_config.h"

namespace switchyard::cuda::bench {

struct KernelCaseOptions {
  int64_t batch = 1;                       // tokens of the step: one per sequence
  std::vector<int64_t> contexts = {1024};  // positions already cached per sequence, for attention
  int64_t gemv_max_tokens = 8;             // as CudaRunnerOptions: the GEMV up to here, cuBLAS above
  int64_t block_size = 16;                 // KV cache positions per block
  bool kv_f16 = false;                     // as CudaRunnerOptions (the runner's default is f32)
  int sm_count = 132;                      // for PlanAttention's split-K policy
  cublasHandle_t cublas = nullptr;         // on the bench's stream; for the GemmEx cases
};

// The outcome of comparing one launch's outputs with the reference.
struct CheckResult {
  std::string reference;  // what the outputs were compared with
  int64_t checked = 0;    // outputs compared
  double max_abs_err = 0;
  double worst_ratio = 0;  // max |err| / tolerance over the outputs; <= 1 passes
  bool ok = true;          // false also for any NaN where the reference has a number
  std::string first_failure;
};

class KernelCase {
 public:
  virtual ~KernelCase() = default;
  virtual std::string Name() const = 0;  // "gemv", "attention_decode", ...
  // The shape as JSON: dimensions and, for products, the projections it stands for.
  virtual nlohmann::ordered_json Shape() const = 0;
  virtual double Bytes() const = 0;
  virtual std::string BytesFormula() const = 0;
  virtual double Flops() const = 0;
  // Allocates the buffers and fills the inputs (ResourceExhausted when the device is short).
  virtual absl::Status Setup(Rng& rng, cudaStream_t stream) = 0;
  // Enqueues the kernel(s) on `stream`; no synchronization.
  virtual absl::Status Launch(cudaStream_t stream) = 0;
  // REQUIRES: exactly one Launch since Setup, and the stream synchronized.
  virtual absl::StatusOr<CheckResult> Check() = 0;
};

// One decode step's cases, in launch order, shapes deduplicated (k_proj and v_proj share one
// case, as do gate_proj and up_proj). Nothing is allocated until a case's Setup.
// InvalidArgument for configs the runner refuses (MoE, unsupported head_dim or group size).
absl::StatusOr<std::vector<std::unique_ptr<KernelCase>>> DecodeStepCases(const ModelConfig& config,
                                                                         const KernelCaseOptions& options);

}  // namespace switchyard::cuda::bench

#endif  // SWITCHYARD_BENCH_CUDA_KERNEL_CASES_H_
