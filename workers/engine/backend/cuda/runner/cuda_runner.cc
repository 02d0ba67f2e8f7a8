#include "workers/engine/backend/cuda/runner/cuda_runner.h"

#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/backend/cpu/thread_pool.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/attention.h"
#include "workers/engine/backend/cuda/kernels/embedding.h"
#include "workers/engine/backend/cuda/kernels/gemv.h"
#include "workers/engine/backend/cuda/kernels/moe.h"
#include "workers/engine/backend/cuda/kernels/norm.h"
#include "workers/engine/backend/cuda/kernels/rope.h"
#include "workers/engine/backend/cuda/kernels/swiglu.h"
#include "workers/engine/backend/cuda/runner/runner_kernels.h"

namespace switchyard::cuda {
namespace {

struct DeviceFree {
  void operator()(void* p) const { cudaFree(p); }
};
using DevicePtr = std::unique_ptr<void, DeviceFree>;

absl::StatusOr<DevicePtr> DeviceAlloc(size_t bytes, const char* what) {
  void* p = nullptr;
  if (absl::Status s = CudaOk(cudaMalloc(&p, std::max<size_t>(bytes, 1)), what); !s.ok()) return s;
  return DevicePtr(p);
}

absl::Status CublasOk(cublasStatus_t s, const char* what) {
  if (s == CUBLAS_STATUS_SUCCESS) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", cublasGetStatusName(s), ": ", cublasGetStatusString(s)));
}

struct CublasDestroy {
  void operator()(cublasContext* h) const { cublasDestroy(h); }
};
struct StreamDestroy {
  void operator()(CUstream_st* s) const { cudaStreamDestroy(s); }
};
struct GraphExecDestroy {
  void operator()(CUgraphExec_st* g) const { cudaGraphExecDestroy(g); }
};

// y[n, M] = x[n, K] . w[M, K]^T with x given as bf16 hi + lo (runner_kernels.h): two bf16
// GemmEx calls with f32 accumulation, the second adding to the first (see the header).
absl::Status SplitGemm(cublasHandle_t h, const __nv_bfloat16* w, const __nv_bfloat16* hi, const __nv_bfloat16* lo,
                       int64_t n, int64_t K, int64_t M, float* y) {
  static const float kOne = 1.0f, kZero = 0.0f;
  const int m = static_cast<int>(M), cols = static_cast<int>(n), k = static_cast<int>(K);
  if (absl::Status st = CublasOk(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, m, cols, k, &kOne, w, CUDA_R_16BF, k, hi,
                                              CUDA_R_16BF, k, &kZero, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                                              CUBLAS_GEMM_DEFAULT),
                                 "cublasGemmEx (expert, hi)");
      !st.ok()) {
    return st;
  }
  return CublasOk(cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, m, cols, k, &kOne, w, CUDA_R_16BF, k, lo, CUDA_R_16BF, k,
                               &kOne, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                  "cublasGemmEx (expert, lo)");
}

int64_t Bucket(int64_t context, int64_t cap) {
  int64_t b = 64;
  while (b < context) b *= 2;
  return std::min(b, cap);
}

}  // namespace

struct CudaRunner::State {
  struct Layer {
    DevicePtr input_norm, post_norm, q_norm, k_norm;  // f32 [hidden] / [head_dim]
    DevicePtr wq, wk, wv, wo, gate, up, down;         // bf16, row-major [out, in]; gate..down null in MoE layers
    bool moe = false;
    // MoE layers, bf16 as stored: router [E, hidden]; each projection's experts stacked, expert
    // e at e * rows * cols: gate, up [E, moe_inter, hidden], down [E, hidden, moe_inter].
    DevicePtr router, expert_gate, expert_up, expert_down;
  };
  std::vector<Layer> layers;
  DevicePtr embedding, lm_head, final_norm;  // lm_head null when tied (the embedding serves)
  DevicePtr kv;
  DeviceKvCache cache;
  // Scratch for options.max_tokens tokens.
  DevicePtr x, xn, q, k, v, attn, tmp, gate, up, head_in, logits, hi, lo, ints, floats, workspace;
  // MoE scratch (MoE models only), for max_tokens tokens of k experts each: router logits
  // [T, E] f32; ids, weights, dispatch (kernels/moe.h); expert-order rows xe [T*k, hidden] f32
  // (the gathered input of the GEMV path, then every path's expert outputs); ea, eu [T*k, moe_inter]
  // f32 (gate or SwiGLU output, up); ehi, elo [T*k, max(hidden, moe_inter)] bf16 (the split
  // expert-order input of the GEMM path, then the split SwiGLU output).
  DevicePtr router_logits, moe_ids, moe_weights, moe_counts, moe_offsets, moe_pairs, moe_rows, xe, ea, eu, ehi, elo;
  std::vector<int32_t> host_offsets;  // [E + 1]: the GEMM path's once-per-layer read back
  int64_t workspace_floats = 0;
  int64_t table_capacity = 0;
  int sm_count = 132;
  std::unique_ptr<CUstream_st, StreamDestroy> stream;
  std::unique_ptr<cublasContext, CublasDestroy> cublas;
  std::vector<std::unique_ptr<CUgraphExec_st, GraphExecDestroy>> graphs;

  template <class T>
  static T* P(const DevicePtr& p) {
    return static_cast<T*>(p.get());
  }
};

CudaRunner::CudaRunner(PassKey, const LoadedModel& model, const CudaRunnerOptions& options, RopeTable rope)
    : model_(model), config_(model.config()), options_(options), rope_(std::move(rope)), s_(std::make_unique<State>()) {}

CudaRunner::~CudaRunner() {
  if (s_ != nullptr && s_->stream != nullptr) cudaStreamSynchronize(s_->stream.get());
}

void CudaRunner::ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) {
  if (n > 1 && host_threads_ == nullptr) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    host_threads_ = std::make_unique<ThreadPool>(static_cast<int>(std::min(8u, cores)));
  }
  if (host_threads_ == nullptr) {
    for (int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  host_threads_->ForEach(n, fn);
}

KvCacheShape CudaRunner::kv_shape() const {
  return KvCacheShape{config_.num_hidden_layers, config_.num_key_value_heads, config_.head_dim, options_.block_size,
                      options_.kv_f16 ? DType::kF16 : DType::kF32};
}

absl::StatusOr<std::unique_ptr<CudaRunner>> CudaRunner::Create(const LoadedModel& model,
                                                               const CudaRunnerOptions& options) {
  int count = 0;
  if (const cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess || count == 0) {
    cudaGetLastError();
    return absl::UnavailableError(absl::StrCat("CUDA runner: no CUDA device (",
                                               e == cudaSuccess ? "none visible" : cudaGetErrorString(e), ")"));
  }
  if (options.device < 0 || options.device >= count) {
    return absl::InvalidArgumentError(absl::StrCat("CUDA runner: device ", options.device, " of ", count));
  }
  if (absl::Status s = CudaOk(cudaSetDevice(options.device), "cudaSetDevice"); !s.ok()) return s;
  const ModelConfig& c = model.config();
  const bool moe = c.architecture == Architecture::kQwen3Moe && c.num_experts > 0;
  if (moe && (c.num_experts > kMaxExperts || c.num_experts_per_tok < 1 || c.num_experts_per_tok > kMaxTopK ||
              c.num_experts_per_tok > c.num_experts || c.moe_intermediate_size < 1)) {
    return absl::UnimplementedError(absl::StrCat("CUDA runner: no MoE kernels for ", c.num_experts, " experts, top-",
                                                 c.num_experts_per_tok, ", moe_intermediate_size ",
                                                 c.moe_intermediate_size, " (kernels/moe.h: experts <= ", kMaxExperts,
                                                 ", top-k <= ", kMaxTopK, ")"));
  }
  if (!AttentionHeadDimSupported(static_cast<int>(c.head_dim)) || c.num_key_value_heads <= 0 ||
      c.num_attention_heads % c.num_key_value_heads != 0 ||
      c.num_attention_heads / c.num_key_value_heads > kAttentionMaxGroup) {
    return absl::UnimplementedError(absl::StrCat("CUDA runner: no attention kernel for head_dim ", c.head_dim, ", ",
                                                 c.num_attention_heads, " heads over ", c.num_key_value_heads,
                                                 " kv heads"));
  }
  if (options.kv_blocks <= 0 || options.block_size <= 0 || options.max_tokens <= 0 || options.gemv_max_tokens < 0 ||
      options.gemv_max_tokens > kGemvMaxTokens) {
    return absl::InvalidArgumentError(absl::StrCat("CUDA runner: bad options: kv_blocks ", options.kv_blocks,
                                                   ", block_size ", options.block_size, ", max_tokens ",
                                                   options.max_tokens, ", gemv_max_tokens ", options.gemv_max_tokens));
  }
  auto rope = RopeTable::Create(c);
  if (!rope.ok()) return rope.status();
  auto r = std::make_unique<CudaRunner>(PassKey(), model, options, std::move(*rope));
  State& s = *r->s_;

  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, options.device) == cudaSuccess && prop.multiProcessorCount > 0) {
    s.sm_count = prop.multiProcessorCount;
  }
  {
    cudaStream_t stream = nullptr;
    if (absl::Status st = CudaOk(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate"); !st.ok()) {
      return st;
    }
    s.stream.reset(stream);
    cublasHandle_t h = nullptr;
    if (absl::Status st = CublasOk(cublasCreate(&h), "cublasCreate"); !st.ok()) return st;
    s.cublas.reset(h);
    if (absl::Status st = CublasOk(cublasSetStream(h, stream), "cublasSetStream"); !st.ok()) return st;
  }

  // Weights: one copy each, bf16 matrices as stored, norms as f32.
  auto upload_matrix = [&](const std::string& name, DevicePtr* out) -> absl::Status {
    const TensorView& t = model.Tensor(name);
    if (t.dtype != DType::kBF16) {
      return absl::UnimplementedError(absl::StrCat("CUDA runner: tensor '", name, "' is not bf16 (only bf16 matrices are supported)"));
    }
    auto p = DeviceAlloc(t.bytes(), "cudaMalloc (weight)");
    if (!p.ok()) return p.status();
    *out = std::move(*p);
    return CudaOk(cudaMemcpy(out->get(), t.data, t.bytes(), cudaMemcpyHostToDevice), "cudaMemcpy (weight)");
  };
  // One allocation per projection of a MoE layer, the experts' matrices (each bf16 as stored,
  // all of one shape) back to back, so a kernel finds expert e's from its id alone.
  auto upload_experts = [&](const std::string& layer, const char* proj, DevicePtr* out) -> absl::Status {
    const int64_t E = c.num_experts;
    size_t each = 0;
    for (int64_t e = 0; e < E; ++e) {
      const std::string name = absl::StrCat(layer, "mlp.experts.", e, ".", proj);
      const TensorView& t = model.Tensor(name);
      if (t.dtype != DType::kBF16) {
        return absl::UnimplementedError(absl::StrCat("CUDA runner: tensor '", name, "' is not bf16 (only bf16 matrices are supported)"));
      }
      if (e == 0) {
        each = t.bytes();
        auto p = DeviceAlloc(each * static_cast<size_t>(E), "cudaMalloc (experts)");
        if (!p.ok()) return p.status();
        *out = std::move(*p);
      } else if (t.bytes() != each) {
        return absl::InvalidArgumentError(absl::StrCat("CUDA runner: tensor '", name, "' differs in size from expert 0's"));
      }
      if (absl::Status st = CudaOk(cudaMemcpy(static_cast<char*>(out->get()) + each * static_cast<size_t>(e), t.data,
                                              each, cudaMemcpyHostToDevice),
                                   "cudaMemcpy (expert)");
          !st.ok()) {
        return st;
      }
    }
    return absl::OkStatus();
  };
  auto upload_norm = [&](const std::string& name, DevicePtr* out) -> absl::Status {
    const TensorView& t = model.Tensor(name);
    std::vector<float> f(static_cast<size_t>(t.numel()));
    cpu::ToF32(t.data, t.dtype, f.data(), t.numel());
    auto p = DeviceAlloc(f.size() * 4, "cudaMalloc (norm)");
    if (!p.ok()) return p.status();
    *out = std::move(*p);
    return CudaOk(cudaMemcpy(out->get(), f.data(), f.size() * 4, cudaMemcpyHostToDevice), "cudaMemcpy (norm)");
  };
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
    const std::string p = absl::StrCat("model.layers.", l, ".");
    State::Layer L;
    for (auto [name, out] : {std::pair<const char*, DevicePtr*>{"input_layernorm.weight", &L.input_norm},
                             {"post_attention_layernorm.weight", &L.post_norm},
                             {"self_attn.q_norm.weight", &L.q_norm},
                             {"self_attn.k_norm.weight", &L.k_norm}}) {
      if (absl::Status st = upload_norm(p + name, out); !st.ok()) return st;
    }
    for (auto [name, out] : {std::pair<const char*, DevicePtr*>{"self_attn.q_proj.weight", &L.wq},
                             {"self_attn.k_proj.weight", &L.wk},
                             {"self_attn.v_proj.weight", &L.wv},
                             {"self_attn.o_proj.weight", &L.wo}}) {
      if (absl::Status st = upload_matrix(p + name, out); !st.ok()) return st;
    }
    L.moe = c.IsMoeLayer(l);
    if (!L.moe) {
      for (auto [name, out] : {std::pair<const char*, DevicePtr*>{"mlp.gate_proj.weight", &L.gate},
                               {"mlp.up_proj.weight", &L.up},
                               {"mlp.down_proj.weight", &L.down}}) {
        if (absl::Status st = upload_matrix(p + name, out); !st.ok()) return st;
      }
    } else {
      if (absl::Status st = upload_matrix(p + "mlp.gate.weight", &L.router); !st.ok()) return st;
      for (auto [name, out] : {std::pair<const char*, DevicePtr*>{"gate_proj.weight", &L.expert_gate},
                               {"up_proj.weight", &L.expert_up},
                               {"down_proj.weight", &L.expert_down}}) {
        if (absl::Status st = upload_experts(p, name, out); !st.ok()) return st;
      }
    }
    s.layers.push_back(std::move(L));
  }
  if (absl::Status st = upload_norm("model.norm.weight", &s.final_norm); !st.ok()) return st;
  if (absl::Status st = upload_matrix("model.embed_tokens.weight", &s.embedding); !st.ok()) return st;
  if (model.Tensor("lm_head.weight").data != model.Tensor("model.embed_tokens.weight").data) {
    if (absl::Status st = upload_matrix("lm_head.weight", &s.lm_head); !st.ok()) return st;
  }

  // The KV cache, zeroed (attention never reads unwritten positions; zeros keep it tidy).
  const KvCacheShape shape = r->kv_shape();
  {
    const size_t bytes = static_cast<size_t>(shape.BlockBytes() * options.kv_blocks);
    auto kv = DeviceAlloc(bytes, "cudaMalloc (KV cache)");
    if (!kv.ok()) return kv.status();
    s.kv = std::move(*kv);
    if (absl::Status st = CudaOk(cudaMemset(s.kv.get(), 0, bytes), "cudaMemset (KV cache)"); !st.ok()) return st;
    // The uploads and this memset ran on the legacy default stream, which the runner's
    // non-blocking stream does not wait for; a pageable cudaMemcpy may even return before its
    // DMA lands. One device-wide wait here, so the first step cannot read weights mid-copy (seen
    // on an H200: a bench kernel read its input before the copy landed).
    if (absl::Status st = CudaOk(cudaDeviceSynchronize(), "cudaDeviceSynchronize (uploads)"); !st.ok()) return st;
    s.cache = DeviceKvCache{s.kv.get(), options.kv_blocks, static_cast<int>(c.num_hidden_layers),
                            static_cast<int>(c.num_key_value_heads), static_cast<int>(c.head_dim),
                            static_cast<int>(options.block_size), options.kv_f16};
  }

  // Scratch for max_tokens tokens.
  const int64_t T = options.max_tokens, h = c.hidden_size, H = c.num_attention_heads, G = c.num_key_value_heads;
  const int64_t d = c.head_dim, f = c.intermediate_size, V = c.vocab_size;
  const int64_t widest = std::max({h, H * d, f});
  s.table_capacity = options.kv_blocks + T;
  const int64_t context_cap = std::min<int64_t>(r->max_context(), options.kv_blocks * options.block_size);
  for (int64_t t = 1; t <= T; ++t) {
    s.workspace_floats = std::max(
        s.workspace_floats,
        PlanAttention(static_cast<int>(t), static_cast<int>(G), static_cast<int>(Bucket(context_cap, context_cap)),
                      s.sm_count)
            .WorkspaceFloats(static_cast<int>(t), static_cast<int>(H), static_cast<int>(d)));
  }
  for (auto [ptr, bytes] : {std::pair<DevicePtr*, int64_t>{&s.x, T * h * 4},
                            {&s.xn, T * h * 4},
                            {&s.q, T * H * d * 4},
                            {&s.k, T * G * d * 4},
                            {&s.v, T * G * d * 4},
                            {&s.attn, T * H * d * 4},
                            {&s.tmp, T * h * 4},
                            {&s.gate, T * f * 4},
                            {&s.up, T * f * 4},
                            {&s.head_in, T * h * 4},
                            {&s.logits, T * V * 4},
                            {&s.hi, T * widest * 2},
                            {&s.lo, T * widest * 2},
                            {&s.ints, (4 * T + s.table_capacity) * 4},
                            {&s.floats, T * d * 4},
                            {&s.workspace, s.workspace_floats * 4}}) {
    auto p = DeviceAlloc(static_cast<size_t>(bytes), "cudaMalloc (scratch)");
    if (!p.ok()) return p.status();
    *ptr = std::move(*p);
  }
  if (moe) {
    const int64_t E = c.num_experts, pairs = T * c.num_experts_per_tok, fm = c.moe_intermediate_size;
    for (auto [ptr, bytes] : {std::pair<DevicePtr*, int64_t>{&s.router_logits, T * E * 4},
                              {&s.moe_ids, pairs * 4},
                              {&s.moe_weights, pairs * 4},
                              {&s.moe_counts, E * 4},
                              {&s.moe_offsets, (E + 1) * 4},
                              {&s.moe_pairs, pairs * 4},
                              {&s.moe_rows, pairs * 4},
                              {&s.xe, pairs * h * 4},
                              {&s.ea, pairs * fm * 4},
                              {&s.eu, pairs * fm * 4},
                              {&s.ehi, pairs * std::max(h, fm) * 2},
                              {&s.elo, pairs * std::max(h, fm) * 2}}) {
      auto p = DeviceAlloc(static_cast<size_t>(bytes), "cudaMalloc (MoE scratch)");
      if (!p.ok()) return p.status();
      *ptr = std::move(*p);
    }
    s.host_offsets.assign(static_cast<size_t>(E + 1), 0);
  }
  r->ints_.assign(static_cast<size_t>(4 * T + s.table_capacity), 0);
  r->floats_.assign(static_cast<size_t>(T * d), 0.0f);
  return r;
}

absl::Status CudaRunner::Split(const float* x, int64_t n) {
  return SplitBf16(x, State::P<__nv_bfloat16>(s_->hi), State::P<__nv_bfloat16>(s_->lo), n, s_->stream.get());
}

absl::Status CudaRunner::LinearMany(const float* x, int64_t T, int64_t K, std::initializer_list<GemvProduct> products) {
  // One launch instead of two or three: on an H200 a 4096 x 4096 GEMV alone streamed at 1.9 TB/s
  // and the 151936-row LM head at 4.3, so small products gain from sharing a grid.
  if (T <= options_.gemv_max_tokens) return GemvMany(x, T, K, products, s_->stream.get());
  for (const GemvProduct& p : products) {
    if (absl::Status st = Linear(x, T, K, p.w, p.M, p.y, true); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status CudaRunner::Linear(const float* x, int64_t T, int64_t K, const void* w, int64_t M, float* y, bool x_split) {
  if (T <= options_.gemv_max_tokens) {
    return Gemv(x, T, K, static_cast<const __nv_bfloat16*>(w), M, y, s_->stream.get());
  }
  if (!x_split) {
    if (absl::Status st = Split(x, T * K); !st.ok()) return st;
  }
  // Row-major y[T, M] = x[T, K] w[M, K]^T is column-major C (M x T) = W^T (M x K) X (K x T),
  // W being w read column-major as K x M (lda K), X the activations as K x T (ldb K).
  static const float kOne = 1.0f, kZero = 0.0f;
  const int m = static_cast<int>(M), n = static_cast<int>(T), k = static_cast<int>(K);
  if (absl::Status st = CublasOk(cublasGemmEx(s_->cublas.get(), CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &kOne, w, CUDA_R_16BF, k,
                                              s_->hi.get(), CUDA_R_16BF, k, &kZero, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                                              CUBLAS_GEMM_DEFAULT),
                                 "cublasGemmEx (hi)");
      !st.ok()) {
    return st;
  }
  return CublasOk(cublasGemmEx(s_->cublas.get(), CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &kOne, w, CUDA_R_16BF, k,
                               s_->lo.get(), CUDA_R_16BF, k, &kOne, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F,
                               CUBLAS_GEMM_DEFAULT),
                  "cublasGemmEx (lo)");
}

absl::Status CudaRunner::Moe(size_t layer, int64_t T, bool decode) {
  State& s = *s_;
  const State::Layer& L = s.layers[layer];
  const ModelConfig& c = config_;
  const int64_t h = c.hidden_size, E = c.num_experts, k = c.num_experts_per_tok, fm = c.moe_intermediate_size;
  cudaStream_t st = s.stream.get();
  const float* xn = State::P<const float>(s.xn);
  float* logits = State::P<float>(s.router_logits);
  int32_t* ids = State::P<int32_t>(s.moe_ids);
  float* weights = State::P<float>(s.moe_weights);
  float *xe = State::P<float>(s.xe), *ea = State::P<float>(s.ea), *eu = State::P<float>(s.eu);
  __nv_bfloat16 *ehi = State::P<__nv_bfloat16>(s.ehi), *elo = State::P<__nv_bfloat16>(s.elo);
  const MoeShape shape{T, E, k, nullptr};
  const MoeDispatch d{State::P<int32_t>(s.moe_counts), State::P<int32_t>(s.moe_offsets), State::P<int32_t>(s.moe_pairs),
                      State::P<int32_t>(s.moe_rows)};
  const bool gemv = T <= options_.gemv_max_tokens;
  // Routing on the device: router logits in f32 (bf16 router weights, f32 or split-bf16
  // activations, as every product here), softmax top-k with the CPU's tie order, then the
  // per-expert row lists. Every token has k experts, so the routed rows are T*k.
  if (absl::Status e = Linear(xn, T, h, L.router.get(), E, logits, true); !e.ok()) return e;
  if (absl::Status e = RouterTopK(logits, shape, c.norm_topk_prob, ids, weights, st); !e.ok()) return e;
  if (absl::Status e = MoeDispatchBuild(ids, shape, d, st); !e.ok()) return e;
  const auto* gate = State::P<const __nv_bfloat16>(L.expert_gate);
  const auto* up = State::P<const __nv_bfloat16>(L.expert_up);
  const auto* down = State::P<const __nv_bfloat16>(L.expert_down);
  if (gemv || decode) {
    // GEMVs over each routed expert's rows; the experts and their rows are read from the
    // dispatch on the device, so a decode step (captured in a graph) never waits on the host.
    if (absl::Status e = MoeGather(xn, shape, h, d, xe, st); !e.ok()) return e;
    if (absl::Status e = MoeExpertGateUp(xe, shape, h, gate, up, fm, d, ea, st); !e.ok()) return e;
    if (absl::Status e = MoeExpertGemv(ea, shape, fm, down, h, d, xe, st); !e.ok()) return e;
  } else {
    // Prefill and mixed steps of more than gemv_max_tokens tokens: per-expert split-bf16
    // GemmEx calls over the expert-order rows. cuBLAS takes each product's row count from the
    // host, so this path reads the dispatch's offsets back: ONE host synchronization per MoE
    // layer, on steps that are never captured (decode steps take the branch above). Padding every
    // expert to the worst case instead would multiply the work by up to E / k.
    const __nv_bfloat16* xhi = State::P<const __nv_bfloat16>(s.hi);
    const __nv_bfloat16* xlo = State::P<const __nv_bfloat16>(s.lo);
    if (absl::Status e = MoeGather(xhi, shape, h, d, ehi, st); !e.ok()) return e;
    if (absl::Status e = MoeGather(xlo, shape, h, d, elo, st); !e.ok()) return e;
    if (absl::Status e = CudaOk(cudaMemcpyAsync(s.host_offsets.data(), d.offsets, static_cast<size_t>(E + 1) * 4,
                                                cudaMemcpyDeviceToHost, st),
                                "cudaMemcpyAsync (MoE offsets)");
        !e.ok()) {
      return e;
    }
    if (absl::Status e = CudaOk(cudaStreamSynchronize(st), "cudaStreamSynchronize (MoE offsets)"); !e.ok()) return e;
    const std::vector<int32_t>& off = s.host_offsets;
    if (off[static_cast<size_t>(E)] != T * k) {
      return absl::InternalError(absl::StrCat("CUDA runner: MoE dispatch routed ", off[static_cast<size_t>(E)], " rows, not ", T * k));
    }
    cublasHandle_t cb = s.cublas.get();
    for (int64_t e = 0; e < E; ++e) {
      const int64_t r = off[static_cast<size_t>(e)], n = off[static_cast<size_t>(e) + 1] - r;
      if (n == 0) continue;
      if (absl::Status x = SplitGemm(cb, gate + e * fm * h, ehi + r * h, elo + r * h, n, h, fm, ea + r * fm); !x.ok()) return x;
      if (absl::Status x = SplitGemm(cb, up + e * fm * h, ehi + r * h, elo + r * h, n, h, fm, eu + r * fm); !x.ok()) return x;
    }
    if (absl::Status e = SiluMul(ea, eu, ea, T * k * fm, st); !e.ok()) return e;
    if (absl::Status e = SplitBf16(ea, ehi, elo, T * k * fm, st); !e.ok()) return e;
    for (int64_t e = 0; e < E; ++e) {
      const int64_t r = off[static_cast<size_t>(e)], n = off[static_cast<size_t>(e) + 1] - r;
      if (n == 0) continue;
      if (absl::Status x = SplitGemm(cb, down + e * h * fm, ehi + r * fm, elo + r * fm, n, fm, h, xe + r * h); !x.ok()) return x;
    }
  }
  // Each token's k outputs, weighted, summed in ascending expert id (the CPU's order).
  return MoeCombine(xe, weights, ids, shape, h, d, State::P<float>(s.tmp), st);
}

absl::Status CudaRunner::Enqueue(int64_t T, int64_t rows, int context_bound, bool decode) {
  State& s = *s_;
  const ModelConfig& c = config_;
  const int64_t h = c.hidden_size, H = c.num_attention_heads, G = c.num_key_value_heads, d = c.head_dim;
  const int64_t f = c.intermediate_size, V = c.vocab_size, cap = options_.max_tokens;
  const float eps = static_cast<float>(c.rms_norm_eps);
  cudaStream_t st = s.stream.get();
  const int32_t* ints = State::P<int32_t>(s.ints);
  const DeviceTokens tokens{ints + cap, ints + 2 * cap, ints + 4 * cap};
  const float* cos = State::P<float>(s.floats);
  const float* sin = cos + cap * d / 2;
  float *x = State::P<float>(s.x), *xn = State::P<float>(s.xn), *q = State::P<float>(s.q), *k = State::P<float>(s.k);
  float *v = State::P<float>(s.v), *attn = State::P<float>(s.attn), *tmp = State::P<float>(s.tmp);
  float *gate = State::P<float>(s.gate), *up = State::P<float>(s.up);
  const bool gemv = T <= options_.gemv_max_tokens;
  const AttentionPlan plan =
      PlanAttention(static_cast<int>(T), static_cast<int>(G), context_bound, s.sm_count);
#define SY_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    if (absl::Status sy_st = (expr); !sy_st.ok()) return sy_st; \
  } while (0)
  SY_RETURN_IF_ERROR(Embedding(EmbeddingArgs{.ids = ints, .capacity = T, .num_tokens = nullptr, .vocab = V, .hidden = h, .out = x, .error = nullptr},
                               State::P<const __nv_bfloat16>(s.embedding), st));
  SY_RETURN_IF_ERROR(RmsNorm(x, State::P<const float>(s.layers[0].input_norm), xn, T, h, eps, st));
  for (size_t l = 0; l < s.layers.size(); ++l) {
    const State::Layer& L = s.layers[l];
    if (!gemv) SY_RETURN_IF_ERROR(Split(xn, T * h));
    SY_RETURN_IF_ERROR(LinearMany(xn, T, h,
                                  {GemvProduct{State::P<const __nv_bfloat16>(L.wq), H * d, q},
                                   GemvProduct{State::P<const __nv_bfloat16>(L.wk), G * d, k},
                                   GemvProduct{State::P<const __nv_bfloat16>(L.wv), G * d, v}}));
    SY_RETURN_IF_ERROR(HeadNormRope(q, State::P<const float>(L.q_norm), T, H, d, eps, cos, sin, st));
    SY_RETURN_IF_ERROR(HeadNormRope(k, State::P<const float>(L.k_norm), T, G, d, eps, cos, sin, st));
    SY_RETURN_IF_ERROR(KvWrite(s.cache, static_cast<int>(l), tokens, static_cast<int>(T), k, v, st));
    DeviceAttentionArgs a;
    a.q = q;
    a.out = attn;
    a.T = static_cast<int>(T);
    a.heads = static_cast<int>(H);
    a.scale = 1.0f / std::sqrt(static_cast<float>(d));
    a.layer = static_cast<int>(l);
    a.cache = s.cache;
    a.tokens = tokens;
    a.max_context = context_bound;
    SY_RETURN_IF_ERROR(Attention(a, plan, State::P<float>(s.workspace), s.workspace_floats, st));
    SY_RETURN_IF_ERROR(Linear(attn, T, H * d, L.wo.get(), h, tmp, false));
    SY_RETURN_IF_ERROR(AddRmsNorm(x, tmp, State::P<const float>(L.post_norm), xn, T, h, eps, st));
    if (!gemv) SY_RETURN_IF_ERROR(Split(xn, T * h));
    if (L.moe) {
      SY_RETURN_IF_ERROR(Moe(l, T, decode));
    } else {
      SY_RETURN_IF_ERROR(LinearMany(xn, T, h,
                                    {GemvProduct{State::P<const __nv_bfloat16>(L.gate), f, gate},
                                     GemvProduct{State::P<const __nv_bfloat16>(L.up), f, up}}));
      SY_RETURN_IF_ERROR(SiluMul(gate, up, gate, T * f, st));
      SY_RETURN_IF_ERROR(Linear(gate, T, f, L.down.get(), h, tmp, false));
    }
    // The residual add, fused with the next layer's input norm, or with the final norm.
    const float* next = l + 1 < s.layers.size() ? State::P<const float>(s.layers[l + 1].input_norm)
                                                : State::P<const float>(s.final_norm);
    SY_RETURN_IF_ERROR(AddRmsNorm(x, tmp, next, xn, T, h, eps, st));
  }
  if (rows > 0) {
    float* head_in = State::P<float>(s.head_in);
    SY_RETURN_IF_ERROR(GatherRows(xn, ints + 3 * cap, rows, h, head_in, st));
    const void* head = s.lm_head != nullptr ? s.lm_head.get() : s.embedding.get();
    SY_RETURN_IF_ERROR(Linear(head_in, rows, h, head, V, State::P<float>(s.logits), false));
  }
#undef SY_RETURN_IF_ERROR
  return absl::OkStatus();
}

absl::Status CudaRunner::Forward(absl::Span<const SequenceChunk> chunks, float* logits) {
  const ModelConfig& c = config_;
  State& s = *s_;
  const int64_t cap = options_.max_tokens, d = c.head_dim, V = c.vocab_size;
  if (chunks.empty()) return absl::InvalidArgumentError("CUDA runner: no sequence chunks");
  const KvCacheShape want = kv_shape();
  int64_t T = 0, table_len = 0;
  for (const SequenceChunk& ch : chunks) {
    if (absl::Status e = ValidateChunk(ch, c); !e.ok()) return e;
    const KvBlockPool* pool = ch.kv->pool();
    const KvCacheShape& got = pool->shape();
    if (pool->num_blocks() != options_.kv_blocks || got.layers != want.layers || got.kv_heads != want.kv_heads ||
        got.head_dim != want.head_dim || got.block_size != want.block_size || got.dtype != want.dtype) {
      return absl::InvalidArgumentError(absl::StrCat("CUDA runner: a sequence's KvBlockPool (", pool->num_blocks(),
                                                     " blocks of ", got.block_size,
                                                     ") does not match the device cache: make it with kv_shape() and kv_blocks() (",
                                                     options_.kv_blocks, " blocks of ", want.block_size, ")"));
    }
    const int64_t end = ch.kv->length() + static_cast<int64_t>(ch.tokens.size());
    T += static_cast<int64_t>(ch.tokens.size());
    table_len += (end + options_.block_size - 1) / options_.block_size;
  }
  if (T > cap || table_len > s.table_capacity) {
    return absl::InvalidArgumentError(absl::StrCat("CUDA runner: a batch of ", T, " tokens (", table_len,
                                                   " table entries) exceeds max_tokens ", cap));
  }
  for (const SequenceChunk& ch : chunks) {
    if (absl::Status st = ch.kv->Reserve(ch.kv->length() + static_cast<int64_t>(ch.tokens.size())); !st.ok()) return st;
  }

  // Host staging: ids [cap] | positions [cap] | table offsets [cap] | head rows [cap] | tables.
  int32_t* ids = ints_.data();
  int32_t* pos = ids + cap;
  int32_t* offsets = ids + 2 * cap;
  int32_t* head_rows = ids + 3 * cap;
  int32_t* tables = ids + 4 * cap;
  positions_.resize(static_cast<size_t>(T));
  int64_t t = 0, rows = 0, table_at = 0, context_bound = 0;
  bool single = true;  // every chunk one token: no host synchronization in the step (Enqueue)
  bool decode = options_.decode_graphs;
  for (const SequenceChunk& ch : chunks) {
    const int64_t n = static_cast<int64_t>(ch.tokens.size());
    const int64_t end = ch.kv->length() + n;
    const std::vector<int32_t>& blocks = ch.kv->blocks();
    const int64_t used = (end + options_.block_size - 1) / options_.block_size;
    std::copy(blocks.begin(), blocks.begin() + used, tables + table_at);
    for (int64_t i = 0; i < n; ++i, ++t) {
      ids[t] = ch.tokens[static_cast<size_t>(i)];
      positions_[static_cast<size_t>(t)] = ch.kv->length() + i;
      pos[t] = static_cast<int32_t>(ch.kv->length() + i);
      offsets[t] = static_cast<int32_t>(table_at);
    }
    if (ch.want_logits) {
      for (int64_t i = ch.all_logits ? t - n : t - 1; i < t; ++i) head_rows[rows++] = static_cast<int32_t>(i);
    }
    single = single && n == 1;
    decode = decode && n == 1 && ch.want_logits;
    table_at += used;
    context_bound = std::max(context_bound, end);
  }
  rope_.Fill(positions_.data(), T, floats_.data(), floats_.data() + cap * d / 2);
  cudaStream_t st = s.stream.get();
  if (absl::Status e = CudaOk(cudaMemcpyAsync(s.ints.get(), ints_.data(), (4 * cap + table_at) * 4, cudaMemcpyHostToDevice, st),
                              "cudaMemcpyAsync (step inputs)");
      !e.ok()) {
    return e;
  }
  if (absl::Status e = CudaOk(cudaMemcpyAsync(s.floats.get(), floats_.data(), floats_.size() * 4, cudaMemcpyHostToDevice, st),
                              "cudaMemcpyAsync (rotary)");
      !e.ok()) {
    return e;
  }

  const int64_t context_cap = std::min<int64_t>(max_context(), options_.kv_blocks * options_.block_size);
  if (decode) {
    const int bucket = static_cast<int>(Bucket(context_bound, context_cap));
    auto it = graphs_.find({T, bucket});
    if (it == graphs_.end()) {
      if (absl::Status e = CudaOk(cudaStreamBeginCapture(st, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
          !e.ok()) {
        return e;
      }
      absl::Status enq = Enqueue(T, rows, bucket, /*decode=*/true);
      cudaGraph_t graph = nullptr;
      const cudaError_t end = cudaStreamEndCapture(st, &graph);
      if (!enq.ok()) {
        if (graph != nullptr) cudaGraphDestroy(graph);
        return enq;
      }
      if (absl::Status e = CudaOk(end, "cudaStreamEndCapture"); !e.ok()) return e;
      cudaGraphExec_t exec = nullptr;
      const cudaError_t inst = cudaGraphInstantiate(&exec, graph, 0);
      cudaGraphDestroy(graph);
      if (absl::Status e = CudaOk(inst, "cudaGraphInstantiate"); !e.ok()) return e;
      s.graphs.emplace_back(exec);
      it = graphs_.emplace(std::make_pair(T, bucket), static_cast<int>(s.graphs.size() - 1)).first;
    } else {
      ++graph_replays_;
    }
    if (absl::Status e = CudaOk(cudaGraphLaunch(s.graphs[static_cast<size_t>(it->second)].get(), st), "cudaGraphLaunch");
        !e.ok()) {
      return e;
    }
  } else if (absl::Status e = Enqueue(T, rows, static_cast<int>(context_bound), single); !e.ok()) {
    return e;
  }
  if (rows > 0) {
    if (absl::Status e = CudaOk(cudaMemcpyAsync(logits, s.logits.get(), static_cast<size_t>(rows * V) * 4,
                                                cudaMemcpyDeviceToHost, st),
                                "cudaMemcpyAsync (logits)");
        !e.ok()) {
      return e;
    }
  }
  if (absl::Status e = CudaOk(cudaStreamSynchronize(st), "cudaStreamSynchronize (step)"); !e.ok()) return e;
  for (const SequenceChunk& ch : chunks) ch.kv->set_length(ch.kv->length() + static_cast<int64_t>(ch.tokens.size()));
  return absl::OkStatus();
}

}  // namespace switchyard::cuda
