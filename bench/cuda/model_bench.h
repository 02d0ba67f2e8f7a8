// The whole model on the CUDA backend through CudaRunner (backend/cuda/runner/cuda_runner.h):
// prefill tokens/s for one prompt, and decode tokens/s at each batch size (every sequence with
// `context` positions cached, one token per sequence per step, decode steps replayed as CUDA
// graphs as the runner does), each decode step's time set against DecodeCost's bytes
// (model/decode_cost.h) at the measured copy bandwidth and at the spec bandwidth: the fraction
// of the memory roofline the step reaches.
//
// The weights come from a checkpoint directory, or, without one, are random bf16 weights of a
// config.json's shape written by model_writer into a temporary directory (removed afterwards):
// CudaRunner takes a LoadedModel, which only LoadModel builds. Times are wall clock around
// CudaRunner::Forward, which waits for the step and copies its logits to the host, as a worker
// would see it.
//
// Thread safety: none; one call at a time.
#ifndef SWITCHYARD_BENCH_CUDA_MODEL_BENCH_H_
#define SWITCHYARD_BENCH_CUDA_MODEL_BENCH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace switchyard::cuda::bench {

struct ModelBenchOptions {
  std::string model_dir;    // a Hugging Face Qwen3 directory; empty: random weights of config_path
  std::string config_path;  // config.json (or its folder) for random weights
  std::string scratch_dir;  // where random weights are written (a fresh folder inside it)
  int device = 0;
  uint64_t seed = 1;
  int64_t prompt = 512;  // prefill tokens (one sequence)
  int prefill_reps = 3;
  std::vector<int64_t> batches = {1, 64};
  int64_t context = 1024;  // positions cached per sequence before the timed decode steps
  int warmup = 3;          // untimed steps (the first captures the decode graph)
  int steps = 32;          // timed decode steps
  int64_t block_size = 16;
  bool kv_f16 = false;
  int64_t gemv_max_tokens = 8;
  bool decode_graphs = true;
  double copy_gbs = 0;  // measured device-to-device bandwidth
  double spec_gbs = 0;  // the device's spec bandwidth (0: not given)
};

// Emits one JSON object per measurement through `emit`: "model" (where the weights came from,
// load and upload times), "prefill", then one "decode" per batch. Unavailable without a device;
// the loader's and runner's errors otherwise; Internal when logits come back non-finite.
absl::Status RunModelBench(const ModelBenchOptions& options, const std::function<void(nlohmann::ordered_json)>& emit);

}  // namespace switchyard::cuda::bench

#endif  // SWITCHYARD_BENCH_CUDA_MODEL_BENCH_H_
