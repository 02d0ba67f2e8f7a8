#include "bench/cuda/kernel_cases.h"

#include <cuda_bf16.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "workers/engine/backend/cpu/ops.h"
#include "workers/engine/backend/cuda/cuda_status.h"
#include "workers/engine/backend/cuda/kernels/attention.h"
#include "workers/engine/backend/cuda/kernels/embedding.h"
#include "workers/engine/backend/cuda/kernels/gemv.h"
#include "workers/engine/backend/cuda/kernels/norm.h"
#include "workers/engine/backend/cuda/kernels/rope.h"
#include "workers/engine/backend/cuda/kernels/sampling.h"
#include "workers/engine/backend/cuda/kernels/swiglu.h"
#include "workers/engine/backend/cuda/runner/runner_kernels.h"
#include "workers/engine/util/dtype.h"

namespace switchyard::cuda::bench {
namespace {

constexpr double kU = 0x1p-24;           // f32 unit roundoff
constexpr int64_t kSampledOutputs = 64;  // products: outputs recomputed in double per case
constexpr int64_t kSampledHeads = 16;    // attention: (token, head) pairs recomputed per case

using json = nlohmann::ordered_json;

// Accumulates a comparison; NaN (got or tolerance) fails.
class Checker {
 public:
  explicit Checker(std::string reference) { r_.reference = std::move(reference); }
  void Add(int64_t index, double got, double want, double tol) {
    ++r_.checked;
    const double err = std::fabs(got - want);
    if (!(err <= tol)) {
      if (r_.ok)
        r_.first_failure = absl::StrFormat("output %d: got %.9g, want %.9g, tolerance %.3g", index, got, want, tol);
      r_.ok = false;
    }
    if (std::isfinite(err)) {
      r_.max_abs_err = std::max(r_.max_abs_err, err);
      r_.worst_ratio =
          std::max(r_.worst_ratio, tol > 0 ? err / tol : (err > 0 ? std::numeric_limits<double>::infinity() : 0));
    } else {
      r_.worst_ratio = std::numeric_limits<double>::infinity();
    }
  }
  CheckResult Result() const { return r_; }

 private:
  CheckResult r_;
};

// Every index when n <= k; else the first, the last and k - 2 drawn at random.
std::vector<int64_t> Sample(int64_t n, int64_t k, Rng& rng) {
  std::vector<int64_t> out;
  if (n <= k) {
    for (int64_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  out.push_back(0);
  out.push_back(n - 1);
  while (static_cast<int64_t>(out.size()) < k) out.push_back(rng.Below(n));
  return out;
}

template <class T>
absl::StatusOr<std::vector<T>> Download(const DeviceBuffer& b, size_t n) {
  std::vector<T> v(n);
  if (absl::Status s = b.Download(v.data(), n * sizeof(T)); !s.ok()) return s;
  return v;
}

const __nv_bfloat16* Bf16(const DeviceBuffer& b) { return static_cast<const __nv_bfloat16*>(b.get()); }

// ---------------------------------------------------------------------------------------------
// embedding: out[t,:] = f32(table[ids[t], :])

class EmbeddingCase final : public KernelCase {
 public:
  EmbeddingCase(int64_t T, int64_t vocab, int64_t hidden) : T_(T), V_(vocab), h_(hidden) {}
  std::string Name() const override { return "embedding"; }
  json Shape() const override { return {{"tokens", T_}, {"vocab", V_}, {"hidden", h_}, {"table", "bf16"}}; }
  double Bytes() const override { return static_cast<double>(T_ * h_ * (2 + 4) + 4 * T_); }
  std::string BytesFormula() const override {
    return "T*hidden*(2+4) + 4*T: the tokens' bf16 rows read, f32 rows written, ids read";
  }
  double Flops() const override { return 0; }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    const std::vector<uint16_t> table = rng.Bf16(static_cast<size_t>(V_ * h_), -0.05f, 0.05f);
    std::vector<int32_t> ids(static_cast<size_t>(T_));
    want_.resize(static_cast<size_t>(T_ * h_));
    for (int64_t t = 0; t < T_; ++t) {
      ids[t] = static_cast<int32_t>(rng.Below(V_));
      for (int64_t i = 0; i < h_; ++i) want_[t * h_ + i] = Bf16ToF32(table[ids[t] * h_ + i]);
    }
    auto tb = DeviceBuffer::From(table, "embedding table");
    if (!tb.ok()) return tb.status();
    table_ = std::move(*tb);
    auto ib = DeviceBuffer::From(ids, "token ids");
    if (!ib.ok()) return ib.status();
    ids_ = std::move(*ib);
    auto ob = DeviceBuffer::Allocate(want_.size() * 4, "embedding out");
    if (!ob.ok()) return ob.status();
    out_ = std::move(*ob);
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    const EmbeddingArgs a{.ids = ids_.as<const int32_t>(),
                          .capacity = T_,
                          .num_tokens = nullptr,
                          .vocab = V_,
                          .hidden = h_,
                          .out = out_.as<float>(),
                          .error = nullptr};
    return Embedding(a, Bf16(table_), s);
  }
  absl::StatusOr<CheckResult> Check() override {
    auto got = Download<float>(out_, want_.size());
    if (!got.ok()) return got.status();
    Checker c("the table's bf16 rows widened on the host (exact)");
    for (size_t i = 0; i < want_.size(); ++i) c.Add(static_cast<int64_t>(i), (*got)[i], want_[i], 0);
    return c.Result();
  }

 private:
  int64_t T_, V_, h_;
  std::vector<float> want_;
  DeviceBuffer table_, ids_, out_;
};

// ---------------------------------------------------------------------------------------------
// rms_norm / add_rms_norm (f32 in and out, as the runner calls them)

class NormCase final : public KernelCase {
 public:
  NormCase(bool add, int64_t T, int64_t n, float eps) : add_(add), T_(T), n_(n), eps_(eps) {}
  std::string Name() const override { return add_ ? "add_rms_norm" : "rms_norm"; }
  json Shape() const override { return {{"rows", T_}, {"n", n_}, {"out", "f32"}}; }
  double Bytes() const override { return 4.0 * ((add_ ? 4 : 2) * T_ * n_ + n_); }
  std::string BytesFormula() const override {
    return add_ ? "4*(4*rows*n + n): x and add read, x and y written, w read"
                : "4*(2*rows*n + n): x read, y written, w read";
  }
  double Flops() const override { return static_cast<double>((add_ ? 5 : 4) * T_ * n_); }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    x_ = rng.Floats(static_cast<size_t>(T_ * n_), -2.0f, 2.0f);
    add_in_ = rng.Floats(x_.size(), -1.0f, 1.0f);
    w_ = rng.Floats(static_cast<size_t>(n_), 0.9f, 1.1f);
    for (auto [buf, host] :
         {std::pair<DeviceBuffer*, const std::vector<float>*>{&dx_, &x_}, {&dadd_, &add_in_}, {&dw_, &w_}}) {
      auto b = DeviceBuffer::From(*host, "norm input");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    auto y = DeviceBuffer::Allocate(x_.size() * 4, "norm out");
    if (!y.ok()) return y.status();
    dy_ = std::move(*y);
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    return add_ ? AddRmsNorm(dx_.as<float>(), dadd_.as<const float>(), dw_.as<const float>(), dy_.as<float>(), T_, n_,
                             eps_, s)
                : RmsNorm(dx_.as<const float>(), dw_.as<const float>(), dy_.as<float>(), T_, n_, eps_, s);
  }
  absl::StatusOr<CheckResult> Check() override {
    std::vector<float> x = x_, want(x_.size());
    if (add_) {
      cpu::AddRmsNorm(x.data(), add_in_.data(), w_.data(), want.data(), T_, n_, eps_);
    } else {
      cpu::RmsNorm(x.data(), w_.data(), want.data(), T_, n_, eps_);
    }
    auto got = Download<float>(dy_, want.size());
    if (!got.ok()) return got.status();
    // The GPU sums squares in f32 by a block reduction, the CPU in double: a few ulps of inv_rms
    // (kernels/norm.h); 1e-5 relative is ~80 ulps.
    Checker c(add_ ? "cpu::AddRmsNorm" : "cpu::RmsNorm");
    for (size_t i = 0; i < want.size(); ++i)
      c.Add(static_cast<int64_t>(i), (*got)[i], want[i], 1e-5 * std::fabs(want[i]) + 1e-30);
    if (add_) {  // the residual written back: one f32 add, the same on both sides
      auto gx = Download<float>(dx_, x.size());
      if (!gx.ok()) return gx.status();
      for (size_t i = 0; i < x.size(); ++i) c.Add(static_cast<int64_t>(i), (*gx)[i], x[i], kU * std::fabs(x[i]));
    }
    return c.Result();
  }

 private:
  bool add_;
  int64_t T_, n_;
  float eps_;
  std::vector<float> x_, add_in_, w_;
  DeviceBuffer dx_, dadd_, dw_, dy_;
};

// ---------------------------------------------------------------------------------------------
// head_norm_rope: per-head RmsNorm then rotary, in place on q or k

class HeadNormRopeCase final : public KernelCase {
 public:
  HeadNormRopeCase(std::string which, int64_t T, int64_t heads, int64_t dim, float eps)
      : which_(std::move(which)), T_(T), heads_(heads), d_(dim), eps_(eps) {}
  std::string Name() const override { return "head_norm_rope"; }
  json Shape() const override { return {{"of", which_}, {"rows", T_}, {"heads", heads_}, {"head_dim", d_}}; }
  double Bytes() const override { return 4.0 * (2 * T_ * heads_ * d_ + T_ * d_ + d_); }
  std::string BytesFormula() const override {
    return "4*(2*T*heads*dim + T*dim + dim): x read and written, cos/sin rows, w";
  }
  double Flops() const override { return 7.0 * T_ * heads_ * d_; }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    x_ = rng.Floats(static_cast<size_t>(T_ * heads_ * d_), -2.0f, 2.0f);
    w_ = rng.Floats(static_cast<size_t>(d_), 0.9f, 1.1f);
    cos_.resize(static_cast<size_t>(T_ * d_ / 2));
    sin_.resize(cos_.size());
    for (size_t i = 0; i < cos_.size(); ++i) {
      const double angle = rng.Uniform(-3.14159f, 3.14159f);
      cos_[i] = static_cast<float>(std::cos(angle));
      sin_[i] = static_cast<float>(std::sin(angle));
    }
    for (auto [buf, host] : {std::pair<DeviceBuffer*, const std::vector<float>*>{&dx_, &x_},
                             {&dw_, &w_},
                             {&dcos_, &cos_},
                             {&dsin_, &sin_}}) {
      auto b = DeviceBuffer::From(*host, "head_norm_rope input");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    return HeadNormRope(dx_.as<float>(), dw_.as<const float>(), T_, heads_, d_, eps_, dcos_.as<const float>(),
                        dsin_.as<const float>(), s);
  }
  absl::StatusOr<CheckResult> Check() override {
    std::vector<float> want = x_;
    cpu::HeadNormRope(want.data(), w_.data(), T_, heads_, d_, eps_, cos_.data(), sin_.data());
    auto got = Download<float>(dx_, want.size());
    if (!got.ok()) return got.status();
    // Each output is a*c - b*s of a pair after the norm: the norm's few ulps plus one rounding
    // of each product (FMA or not; kernels/rope.h), relative to the pair's magnitude.
    Checker c("cpu::HeadNormRope");
    const int64_t half = d_ / 2;
    for (size_t i = 0; i < want.size(); ++i) {
      const int64_t in_head = static_cast<int64_t>(i) % d_;
      const size_t pair = in_head < half ? i + half : i - half;
      c.Add(static_cast<int64_t>(i), (*got)[i], want[i], 2e-5 * (std::fabs(want[i]) + std::fabs(want[pair])) + 1e-30);
    }
    return c.Result();
  }

 private:
  std::string which_;
  int64_t T_, heads_, d_;
  float eps_;
  std::vector<float> x_, w_, cos_, sin_;
  DeviceBuffer dx_, dw_, dcos_, dsin_;
};

// ---------------------------------------------------------------------------------------------
// silu_mul: out = silu(g) * u (out of place, so every repetition sees the same inputs)

class SiluMulCase final : public KernelCase {
 public:
  SiluMulCase(int64_t T, int64_t ffn) : T_(T), f_(ffn) {}
  std::string Name() const override { return "silu_mul"; }
  json Shape() const override { return {{"rows", T_}, {"ffn", f_}, {"out", "f32"}}; }
  double Bytes() const override { return 12.0 * T_ * f_; }
  std::string BytesFormula() const override { return "12*n, n = rows*ffn: g and u read, out written, f32"; }
  double Flops() const override { return 6.0 * T_ * f_; }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    g_ = rng.Floats(static_cast<size_t>(T_ * f_), -6.0f, 6.0f);
    u_ = rng.Floats(g_.size(), -2.0f, 2.0f);
    for (auto [buf, host] : {std::pair<DeviceBuffer*, const std::vector<float>*>{&dg_, &g_}, {&du_, &u_}}) {
      auto b = DeviceBuffer::From(*host, "silu_mul input");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    auto o = DeviceBuffer::Allocate(g_.size() * 4, "silu_mul out");
    if (!o.ok()) return o.status();
    dout_ = std::move(*o);
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    return SiluMul(dg_.as<const float>(), du_.as<const float>(), dout_.as<float>(), T_ * f_, s);
  }
  absl::StatusOr<CheckResult> Check() override {
    std::vector<float> want = g_;
    cpu::SiluMul(want.data(), u_.data(), T_ * f_);
    auto got = Download<float>(dout_, want.size());
    if (!got.ok()) return got.status();
    // expf within 2 ulp on the GPU, the CPU's own exp, one division and two products.
    Checker c("cpu::SiluMul");
    for (size_t i = 0; i < want.size(); ++i)
      c.Add(static_cast<int64_t>(i), (*got)[i], want[i], 4e-6 * std::fabs(want[i]) + 1e-30);
    return c.Result();
  }

 private:
  int64_t T_, f_;
  std::vector<float> g_, u_;
  DeviceBuffer dg_, du_, dout_;
};

// ---------------------------------------------------------------------------------------------
// split_bf16: x = hi + lo, the activations' two bf16 halves for the cuBLAS products

class SplitCase final : public KernelCase {
 public:
  SplitCase(std::string of, int64_t T, int64_t n) : of_(std::move(of)), T_(T), n_(n) {}
  std::string Name() const override { return "split_bf16"; }
  json Shape() const override { return {{"of", of_}, {"rows", T_}, {"n", n_}}; }
  double Bytes() const override { return 8.0 * T_ * n_; }
  std::string BytesFormula() const override { return "8*rows*n: x f32 read, hi and lo bf16 written"; }
  double Flops() const override { return static_cast<double>(T_ * n_); }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    x_ = rng.Floats(static_cast<size_t>(T_ * n_), -4.0f, 4.0f);
    auto b = DeviceBuffer::From(x_, "split input");
    if (!b.ok()) return b.status();
    dx_ = std::move(*b);
    auto hl = DeviceBuffer::Allocate(x_.size() * 4, "split out");
    if (!hl.ok()) return hl.status();
    dhilo_ = std::move(*hl);
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    auto* hi = dhilo_.as<__nv_bfloat16>();
    return SplitBf16(dx_.as<const float>(), hi, hi + x_.size(), T_ * n_, s);
  }
  absl::StatusOr<CheckResult> Check() override {
    auto got = Download<uint16_t>(dhilo_, 2 * x_.size());
    if (!got.ok()) return got.status();
    Checker c("F32ToBf16 of x and of x - hi on the host (bit for bit)");
    for (size_t i = 0; i < x_.size(); ++i) {
      const uint16_t hi = F32ToBf16(x_[i]);
      const uint16_t lo = F32ToBf16(x_[i] - Bf16ToF32(hi));
      c.Add(static_cast<int64_t>(i), (*got)[i], hi, 0);
      c.Add(static_cast<int64_t>(i), (*got)[x_.size() + i], lo, 0);
    }
    return c.Result();
  }

 private:
  std::string of_;
  int64_t T_, n_;
  std::vector<float> x_;
  DeviceBuffer dx_, dhilo_;
};

// ---------------------------------------------------------------------------------------------
// Products y[T, M] = x[T, K] . w[M, K]^T, w bf16: the GEMV (T <= 8) or the split-bf16 GemmEx pair.

class ProductCase : public KernelCase {
 public:
  ProductCase(std::vector<std::string> projs, int64_t T, int64_t M, int64_t K)
      : projs_(std::move(projs)), T_(T), M_(M), K_(K) {}
  json Shape() const override {
    return {{"proj", absl::StrJoin(projs_, ",")}, {"T", T_}, {"M", M_}, {"K", K_}, {"w", "bf16"}};
  }
  double Bytes() const override { return 2.0 * M_ * K_ + 4.0 * T_ * K_ + 4.0 * T_ * M_; }
  double Flops() const override { return 2.0 * T_ * M_ * K_; }
  absl::Status Setup(Rng& rng, cudaStream_t stream) override {
    // std 1/sqrt(K), as model_writer's linear weights: outputs of the activations' size.
    const float a = std::sqrt(3.0f / static_cast<float>(K_));
    w_ = rng.Bf16(static_cast<size_t>(M_ * K_), -a, a);
    x_ = rng.Floats(static_cast<size_t>(T_ * K_), -1.0f, 1.0f);
    auto w = DeviceBuffer::From(w_, "weights");
    if (!w.ok()) return w.status();
    dw_ = std::move(*w);
    auto x = DeviceBuffer::From(x_, "activations");
    if (!x.ok()) return x.status();
    dx_ = std::move(*x);
    auto y = DeviceBuffer::Allocate(static_cast<size_t>(T_ * M_) * 4, "product out");
    if (!y.ok()) return y.status();
    dy_ = std::move(*y);
    samples_ = Sample(T_ * M_, kSampledOutputs, rng);
    return SetupMore(stream);
  }
  absl::StatusOr<CheckResult> Check() override {
    auto got = Download<float>(dy_, static_cast<size_t>(T_ * M_));
    if (!got.ok()) return got.status();
    Checker c(absl::StrCat("double-precision dot products of ", samples_.size(), " sampled outputs"));
    for (int64_t idx : samples_) {
      const int64_t t = idx / M_, m = idx % M_;
      double sum = 0, abs = 0;
      for (int64_t k = 0; k < K_; ++k) {
        const double p = static_cast<double>(x_[t * K_ + k]) * Bf16ToF32(w_[m * K_ + k]);
        sum += p;
        abs += std::fabs(p);
      }
      c.Add(idx, (*got)[idx], sum, Tolerance() * abs + 1e-30);
    }
    return c.Result();
  }

 protected:
  virtual absl::Status SetupMore(cudaStream_t) { return absl::OkStatus(); }
  // Times sum_k |x_k w_k|: the kernel's error bound against the exact dot product.
  virtual double Tolerance() const = 0;

  std::vector<std::string> projs_;
  int64_t T_, M_, K_;
  std::vector<uint16_t> w_;
  std::vector<float> x_;
  std::vector<int64_t> samples_;
  DeviceBuffer dw_, dx_, dy_;
};

class GemvCase final : public ProductCase {
 public:
  using ProductCase::ProductCase;
  std::string Name() const override { return "gemv"; }
  std::string BytesFormula() const override {
    return "2*M*K + 4*T*K + 4*T*M: bf16 weights read once, x f32 read, y f32 written";
  }
  absl::Status Launch(cudaStream_t s) override {
    return Gemv(dx_.as<const float>(), T_, K_, Bf16(dw_), M_, dy_.as<float>(), s);
  }

 private:
  // kernels/gemv.h: (K/32 + 8) * 2^-24 * sum |x w|; doubled for the reference's own rounding.
  double Tolerance() const override { return 2.0 * (static_cast<double>(K_) / 32 + 8) * kU; }
};

class GemmCase final : public ProductCase {
 public:
  GemmCase(std::vector<std::string> projs, int64_t T, int64_t M, int64_t K, cublasHandle_t h)
      : ProductCase(std::move(projs), T, M, K), cublas_(h) {}
  std::string Name() const override { return "gemm_bf16x2"; }
  std::string BytesFormula() const override {
    return "2*M*K + 4*T*K + 4*T*M: the product's minimal bytes (bf16 weights once, x f32, y f32); the split-bf16 "
           "pair of GemmEx calls reads the weights twice (split_bf16 is its own line)";
  }
  absl::Status Launch(cudaStream_t) override {
    // As CudaRunner::Linear: row-major y[T, M] = x[T, K] w[M, K]^T is column-major
    // C (M x T) = W^T X, hi then lo accumulated with beta = 1.
    static const float kOne = 1.0f, kZero = 0.0f;
    const int m = static_cast<int>(M_), n = static_cast<int>(T_), k = static_cast<int>(K_);
    const auto* hi = dhilo_.as<const __nv_bfloat16>();
    const auto* lo = hi + T_ * K_;
    for (auto [b, beta, what] : {std::tuple<const void*, const float*, const char*>{hi, &kZero, "cublasGemmEx (hi)"},
                                 {lo, &kOne, "cublasGemmEx (lo)"}}) {
      const cublasStatus_t s =
          cublasGemmEx(cublas_, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &kOne, dw_.get(), CUDA_R_16BF, k, b, CUDA_R_16BF, k,
                       beta, dy_.get(), CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
      if (s != CUBLAS_STATUS_SUCCESS) {
        return absl::InternalError(absl::StrCat(what, ": ", cublasGetStatusName(s), ": ", cublasGetStatusString(s)));
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status SetupMore(cudaStream_t stream) override {
    if (cublas_ == nullptr) return absl::FailedPreconditionError("no cuBLAS handle for the GemmEx cases");
    auto hl = DeviceBuffer::Allocate(static_cast<size_t>(T_ * K_) * 4, "bf16 hi/lo activations");
    if (!hl.ok()) return hl.status();
    dhilo_ = std::move(*hl);
    auto* hi = dhilo_.as<__nv_bfloat16>();
    if (absl::Status s = SplitBf16(dx_.as<const float>(), hi, hi + T_ * K_, T_ * K_, stream); !s.ok()) return s;
    return CudaOk(cudaStreamSynchronize(stream), "cudaStreamSynchronize (split)");
  }
  // hi + lo carry x to 2^-17 |x| (runner_kernels.h); f32 accumulation over K terms in cuBLAS's
  // order (at worst sequential: K * 2^-24), doubled for the reference's rounding.
  double Tolerance() const override { return 0x1p-16 + 2.0 * (static_cast<double>(K_) + 2) * kU; }

  cublasHandle_t cublas_;
  DeviceBuffer dhilo_;
};

// ---------------------------------------------------------------------------------------------
// argmax: greedy token per row of logits

class ArgmaxCase final : public KernelCase {
 public:
  ArgmaxCase(int64_t T, int64_t vocab) : T_(T), V_(vocab) {}
  std::string Name() const override { return "argmax"; }
  json Shape() const override { return {{"rows", T_}, {"vocab", V_}}; }
  double Bytes() const override { return 4.0 * T_ * V_ + 4.0 * T_; }
  std::string BytesFormula() const override { return "4*rows*vocab + 4*rows: f32 logits read, int32 ids written"; }
  double Flops() const override { return static_cast<double>(T_ * V_); }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    logits_ = rng.Floats(static_cast<size_t>(T_ * V_), -10.0f, 10.0f);
    auto l = DeviceBuffer::From(logits_, "logits");
    if (!l.ok()) return l.status();
    dlogits_ = std::move(*l);
    auto ids = DeviceBuffer::Allocate(static_cast<size_t>(T_) * 4, "argmax ids");
    if (!ids.ok()) return ids.status();
    dids_ = std::move(*ids);
    auto scratch = DeviceBuffer::Allocate(static_cast<size_t>(GreedyArgmaxScratchBytes(T_, V_)), "argmax scratch");
    if (!scratch.ok()) return scratch.status();
    dscratch_ = std::move(*scratch);
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    return GreedyArgmax(dlogits_.as<const float>(), T_, V_, dids_.as<int32_t>(), dscratch_.get(), s);
  }
  absl::StatusOr<CheckResult> Check() override {
    auto got = Download<int32_t>(dids_, static_cast<size_t>(T_));
    if (!got.ok()) return got.status();
    Checker c("std::max_element per row on the host (exact)");
    for (int64_t t = 0; t < T_; ++t) {
      const float* row = logits_.data() + t * V_;
      c.Add(t, (*got)[t], static_cast<double>(std::max_element(row, row + V_) - row), 0);
    }
    return c.Result();
  }

 private:
  int64_t T_, V_;
  std::vector<float> logits_;
  DeviceBuffer dlogits_, dids_, dscratch_;
};

// ---------------------------------------------------------------------------------------------
// The paged KV cache of one layer for T sequences with `context` positions cached each and the
// new token at position `context`. Blocks are handed out in a shuffled order, as a pool that
// has run for a while hands them out. The cache is filled with a random tile repeated (the
// tile is at most 16 MiB: generating gigabytes of random values on the host would dominate the
// bench), so the value of element e is tile[e % tile size].

class PagedCache {
 public:
  absl::Status Build(int64_t T, int64_t kv_heads, int64_t dim, int64_t block_size, int64_t context, bool f16,
                     Rng& rng) {
    T_ = T, G_ = kv_heads, d_ = dim, bs_ = block_size, C_ = context, f16_ = f16;
    per_seq_ = (context + 1 + block_size - 1) / block_size;
    num_blocks_ = T * per_seq_;
    std::vector<int32_t> tables(static_cast<size_t>(num_blocks_));
    for (size_t i = 0; i < tables.size(); ++i) tables[i] = static_cast<int32_t>(i);
    for (size_t i = tables.size(); i > 1; --i)
      std::swap(tables[i - 1], tables[static_cast<size_t>(rng.Below(static_cast<int64_t>(i)))]);
    tables_ = tables;
    std::vector<int32_t> positions(static_cast<size_t>(T), static_cast<int32_t>(context)),
        offsets(static_cast<size_t>(T));
    for (int64_t t = 0; t < T; ++t) offsets[t] = static_cast<int32_t>(t * per_seq_);
    for (auto [buf, host] : {std::pair<DeviceBuffer*, const std::vector<int32_t>*>{&dtables_, &tables},
                             {&dpositions_, &positions},
                             {&doffsets_, &offsets}}) {
      auto b = DeviceBuffer::From(*host, "block tables");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    const int64_t elems = num_blocks_ * 2 * G_ * bs_ * d_;
    const size_t elem = f16 ? 2 : 4;
    auto cache = DeviceBuffer::Allocate(static_cast<size_t>(elems) * elem, "KV cache");
    if (!cache.ok()) return cache.status();
    cache_ = std::move(*cache);
    tile_n_ = std::min<int64_t>(elems, int64_t{4} << 20);
    tile_ = rng.Floats(static_cast<size_t>(tile_n_), -1.0f, 1.0f);
    if (f16) {
      std::vector<uint16_t> h(tile_.size());
      for (size_t i = 0; i < h.size(); ++i) {
        h[i] = F32ToF16(tile_[i]);
        tile_[i] = F16ToF32(h[i]);
      }
      if (absl::Status s = cache_.Upload(h.data(), h.size() * 2); !s.ok()) return s;
    } else if (absl::Status s = cache_.Upload(tile_.data(), tile_.size() * 4); !s.ok()) {
      return s;
    }
    // Doubling copies from the start keep the period: every copy lands at a multiple of tile_n_.
    auto* base = static_cast<char*>(cache_.get());
    for (int64_t filled = tile_n_; filled < elems;) {
      const int64_t n = std::min(filled, elems - filled);
      if (absl::Status s =
              CudaOk(cudaMemcpy(base + filled * elem, base, static_cast<size_t>(n) * elem, cudaMemcpyDeviceToDevice),
                     "cudaMemcpy (KV cache fill)");
          !s.ok()) {
        return s;
      }
      filled += n;
    }
    return absl::OkStatus();
  }
  DeviceKvCache cache() const {
    return DeviceKvCache{cache_.get(),         num_blocks_,           1,   static_cast<int>(G_),
                         static_cast<int>(d_), static_cast<int>(bs_), f16_};
  }
  DeviceTokens tokens() const {
    return DeviceTokens{dpositions_.as<const int32_t>(), doffsets_.as<const int32_t>(), dtables_.as<const int32_t>()};
  }
  int64_t num_blocks() const { return num_blocks_; }
  // Element offsets of K[g, i] and V[g, i] at position p of token t's sequence (layer 0).
  int64_t KOffset(int64_t t, int64_t p, int64_t g, int64_t i) const {
    return Base(t, p, 0) + g * d_ * bs_ + i * bs_ + p % bs_;
  }
  int64_t VOffset(int64_t t, int64_t p, int64_t g, int64_t i) const {
    return Base(t, p, 1) + g * bs_ * d_ + (p % bs_) * d_ + i;
  }
  float Initial(int64_t offset) const { return tile_[static_cast<size_t>(offset % tile_n_)]; }
  // The block holding position p of token t's sequence, and its element offset (K half).
  int32_t Block(int64_t t, int64_t p) const { return tables_[static_cast<size_t>(t * per_seq_ + p / bs_)]; }
  int64_t BlockElems() const { return 2 * G_ * bs_ * d_; }
  const DeviceBuffer& buffer() const { return cache_; }

 private:
  int64_t Base(int64_t t, int64_t p, int kv) const {
    return (static_cast<int64_t>(Block(t, p)) * 2 + kv) * G_ * bs_ * d_;
  }

  int64_t T_ = 0, G_ = 0, d_ = 0, bs_ = 0, C_ = 0, per_seq_ = 0, num_blocks_ = 0, tile_n_ = 0;
  bool f16_ = false;
  std::vector<int32_t> tables_;
  std::vector<float> tile_;  // as stored (f16-rounded for an f16 cache)
  DeviceBuffer cache_, dtables_, dpositions_, doffsets_;
};

// The value a cache of this dtype holds after storing x.
float Stored(float x, bool f16) { return f16 ? F16ToF32(F32ToF16(x)) : x; }

// kv_write: each token's k and v into the cache at its position.
class KvWriteCase final : public KernelCase {
 public:
  KvWriteCase(int64_t T, int64_t kv_heads, int64_t dim, int64_t block_size, int64_t context, bool f16)
      : T_(T), G_(kv_heads), d_(dim), bs_(block_size), C_(context), f16_(f16) {}
  std::string Name() const override { return "kv_write"; }
  json Shape() const override {
    return {{"tokens", T_}, {"kv_heads", G_}, {"head_dim", d_}, {"block_size", bs_}, {"cache", f16_ ? "f16" : "f32"}};
  }
  double Bytes() const override { return static_cast<double>(T_ * G_ * d_ * (8 + 2 * (f16_ ? 2 : 4))); }
  std::string BytesFormula() const override {
    return "T*kv_heads*head_dim*(8 + 2*elem): k and v f32 read, written at the cache's element size";
  }
  double Flops() const override { return 0; }
  absl::Status Setup(Rng& rng, cudaStream_t) override {
    if (absl::Status s = cache_.Build(T_, G_, d_, bs_, C_, f16_, rng); !s.ok()) return s;
    k_ = rng.Floats(static_cast<size_t>(T_ * G_ * d_), -1.0f, 1.0f);
    v_ = rng.Floats(k_.size(), -1.0f, 1.0f);
    for (auto [buf, host] : {std::pair<DeviceBuffer*, const std::vector<float>*>{&dk_, &k_}, {&dv_, &v_}}) {
      auto b = DeviceBuffer::From(*host, "new k/v");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    return absl::OkStatus();
  }
  absl::Status Launch(cudaStream_t s) override {
    return KvWrite(cache_.cache(), 0, cache_.tokens(), static_cast<int>(T_), dk_.as<const float>(),
                   dv_.as<const float>(), s);
  }
  absl::StatusOr<CheckResult> Check() override {
    Checker c("the new k and v stored as the cache's dtype on the host (exact), read back from each token's block");
    const size_t elem = f16_ ? 2 : 4;
    const int64_t block_elems = cache_.BlockElems();
    std::vector<char> block(static_cast<size_t>(block_elems) * elem);
    auto value = [&](int64_t offset_in_block) -> double {
      if (f16_) {
        uint16_t h;
        std::memcpy(&h, block.data() + offset_in_block * 2, 2);
        return F16ToF32(h);
      }
      float f;
      std::memcpy(&f, block.data() + offset_in_block * 4, 4);
      return f;
    };
    for (int64_t t = 0; t < T_; ++t) {
      const int64_t first = static_cast<int64_t>(cache_.Block(t, C_)) * block_elems;
      if (absl::Status s = cache_.buffer().Download(block.data(), block.size(), static_cast<size_t>(first) * elem);
          !s.ok())
        return s;
      for (int64_t g = 0; g < G_; ++g) {
        for (int64_t i = 0; i < d_; ++i) {
          const int64_t j = (t * G_ + g) * d_ + i;
          c.Add(j, value(cache_.KOffset(t, C_, g, i) - first), Stored(k_[j], f16_), 0);
          c.Add(j, value(cache_.VOffset(t, C_, g, i) - first), Stored(v_[j], f16_), 0);
        }
      }
    }
    return c.Result();
  }

 private:
  int64_t T_, G_, d_, bs_, C_;
  bool f16_;
  PagedCache cache_;
  std::vector<float> k_, v_;
  DeviceBuffer dk_, dv_;
};

// attention_decode: every token attends to its sequence's context + 1 positions.
class AttentionCase final : public KernelCase {
 public:
  AttentionCase(int64_t T, int64_t heads, int64_t kv_heads, int64_t dim, int64_t block_size, int64_t context, bool f16,
                int sm_count)
      : T_(T),
        H_(heads),
        G_(kv_heads),
        d_(dim),
        bs_(block_size),
        C_(context),
        f16_(f16),
        plan_(PlanAttention(static_cast<int>(T), static_cast<int>(kv_heads), static_cast<int>(context + 1), sm_count)) {
  }
  std::string Name() const override { return "attention_decode"; }
  json Shape() const override {
    return {{"tokens", T_},
            {"heads", H_},
            {"kv_heads", G_},
            {"head_dim", d_},
            {"context", C_},
            {"block_size", bs_},
            {"cache", f16_ ? "f16" : "f32"},
            {"splits", plan_.splits},
            {"chunk", plan_.chunk}};
  }
  double Bytes() const override {
    return static_cast<double>(T_ * (C_ + 1) * 2 * G_ * d_ * (f16_ ? 2 : 4)) + 8.0 * T_ * H_ * d_;
  }
  std::string BytesFormula() const override {
    return "T*(context+1)*2*kv_heads*head_dim*elem + 8*T*heads*head_dim: each kv head's K and V read once per token, q "
           "read and out written f32 (split-K workspace and block tables not counted)";
  }
  double Flops() const override { return 4.0 * T_ * H_ * d_ * (C_ + 1); }
  absl::Status Setup(Rng& rng, cudaStream_t stream) override {
    if (absl::Status s = cache_.Build(T_, G_, d_, bs_, C_, f16_, rng); !s.ok()) return s;
    q_ = rng.Floats(static_cast<size_t>(T_ * H_ * d_), -1.0f, 1.0f);
    k_ = rng.Floats(static_cast<size_t>(T_ * G_ * d_), -1.0f, 1.0f);
    v_ = rng.Floats(k_.size(), -1.0f, 1.0f);
    for (auto [buf, host] :
         {std::pair<DeviceBuffer*, const std::vector<float>*>{&dq_, &q_}, {&dk_, &k_}, {&dv_, &v_}}) {
      auto b = DeviceBuffer::From(*host, "q/k/v");
      if (!b.ok()) return b.status();
      *buf = std::move(*b);
    }
    auto out = DeviceBuffer::Allocate(q_.size() * 4, "attention out");
    if (!out.ok()) return out.status();
    dout_ = std::move(*out);
    ws_floats_ = plan_.WorkspaceFloats(static_cast<int>(T_), static_cast<int>(H_), static_cast<int>(d_));
    auto ws = DeviceBuffer::Allocate(static_cast<size_t>(ws_floats_) * 4, "split-K workspace");
    if (!ws.ok()) return ws.status();
    dws_ = std::move(*ws);
    // The step's new token is written first, as the runner does.
    if (absl::Status s = KvWrite(cache_.cache(), 0, cache_.tokens(), static_cast<int>(T_), dk_.as<const float>(),
                                 dv_.as<const float>(), stream);
        !s.ok()) {
      return s;
    }
    samples_ = Sample(T_ * H_, kSampledHeads, rng);
    return CudaOk(cudaStreamSynchronize(stream), "cudaStreamSynchronize (KV write)");
  }
  absl::Status Launch(cudaStream_t s) override {
    DeviceAttentionArgs a;
    a.q = dq_.as<const float>();
    a.out = dout_.as<float>();
    a.T = static_cast<int>(T_);
    a.heads = static_cast<int>(H_);
    a.scale = Scale();
    a.layer = 0;
    a.cache = cache_.cache();
    a.tokens = cache_.tokens();
    a.max_context = static_cast<int>(C_ + 1);
    return Attention(a, plan_, dws_.as<float>(), ws_floats_, s);
  }
  absl::StatusOr<CheckResult> Check() override {
    auto got = Download<float>(dout_, q_.size());
    if (!got.ok()) return got.status();
    Checker c(absl::StrCat("softmax(q.K) V in double for ", samples_.size(), " sampled (token, head) pairs"));
    const int64_t group = H_ / G_, n = C_ + 1;
    std::vector<double> score(static_cast<size_t>(n));
    for (int64_t th : samples_) {
      const int64_t t = th / H_, h = th % H_, g = h / group;
      const float* q = q_.data() + th * d_;
      auto key = [&](int64_t j, int64_t i) -> double {
        return j == C_ ? Stored(k_[(t * G_ + g) * d_ + i], f16_) : cache_.Initial(cache_.KOffset(t, j, g, i));
      };
      auto value = [&](int64_t j, int64_t i) -> double {
        return j == C_ ? Stored(v_[(t * G_ + g) * d_ + i], f16_) : cache_.Initial(cache_.VOffset(t, j, g, i));
      };
      double max = -INFINITY, a = 0, vmax = 0;
      for (int64_t j = 0; j < n; ++j) {
        double dot = 0, adot = 0;
        for (int64_t i = 0; i < d_; ++i) {
          dot += q[i] * key(j, i);
          adot += std::fabs(q[i] * key(j, i));
          vmax = std::max(vmax, std::fabs(value(j, i)));
        }
        score[j] = dot * Scale();
        a = std::max(a, adot * Scale());
        max = std::max(max, score[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j < n; ++j) sum += (score[j] = std::exp(score[j] - max));
      // As tests/workers/engine/backend/cuda/attention_kernels_test.cc derives it: score errors
      // (1.25 d + 18) eps A move each weight by that relative amount, the output by twice it
      // times the largest |v|, and the two n-term sums add n eps each.
      const double delta = (1.25 * static_cast<double>(d_) + 18) * kU * a + 1e-6;
      const double tol = vmax * (2 * delta + 4.0 * static_cast<double>(n + 32) * kU);
      for (int64_t i = 0; i < d_; ++i) {
        double o = 0;
        for (int64_t j = 0; j < n; ++j) o += score[j] * value(j, i);
        c.Add(th * d_ + i, (*got)[th * d_ + i], o / sum, tol);
      }
    }
    return c.Result();
  }

 private:
  float Scale() const { return 1.0f / std::sqrt(static_cast<float>(d_)); }

  int64_t T_, H_, G_, d_, bs_, C_;
  bool f16_;
  AttentionPlan plan_;
  int64_t ws_floats_ = 0;
  PagedCache cache_;
  std::vector<float> q_, k_, v_;
  std::vector<int64_t> samples_;
  DeviceBuffer dq_, dk_, dv_, dout_, dws_;
};

}  // namespace

absl::StatusOr<std::vector<std::unique_ptr<KernelCase>>> DecodeStepCases(const ModelConfig& c,
                                                                         const KernelCaseOptions& o) {
  if (c.num_experts > 0) {
    // The expert kernels (kernels/moe.h) are timed through the whole model (--bench model).
    return absl::InvalidArgumentError(
        "the per-kernel bench covers dense Qwen3 configs; for a MoE config use --bench model");
  }
  if (!AttentionHeadDimSupported(static_cast<int>(c.head_dim)) || c.num_key_value_heads <= 0 ||
      c.num_attention_heads % c.num_key_value_heads != 0 ||
      c.num_attention_heads / c.num_key_value_heads > kAttentionMaxGroup) {
    return absl::InvalidArgumentError(absl::StrCat("no attention kernel for head_dim ", c.head_dim, ", ",
                                                   c.num_attention_heads, " heads over ", c.num_key_value_heads,
                                                   " kv heads"));
  }
  if (o.batch < 1 || o.block_size < 1 || o.gemv_max_tokens < 0 || o.gemv_max_tokens > kGemvMaxTokens) {
    return absl::InvalidArgumentError("batch and block size must be positive, gemv_max_tokens in [0, 8]");
  }
  const int64_t T = o.batch, h = c.hidden_size, H = c.num_attention_heads, G = c.num_key_value_heads;
  const int64_t d = c.head_dim, f = c.intermediate_size, V = c.vocab_size;
  const float eps = static_cast<float>(c.rms_norm_eps);
  const bool gemv = T <= o.gemv_max_tokens;

  std::vector<std::unique_ptr<KernelCase>> cases;
  // Every projection of the step by shape, so that one case names all the projections it
  // stands for (k and v; gate and up; q and o when heads * head_dim == hidden).
  const std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> all = {
      {"q_proj", {H * d, h}}, {"k_proj", {G * d, h}}, {"v_proj", {G * d, h}}, {"o_proj", {h, H * d}},
      {"gate_proj", {f, h}},  {"up_proj", {f, h}},    {"down_proj", {h, f}},  {"lm_head", {V, h}}};
  std::map<std::pair<int64_t, int64_t>, std::vector<std::string>> names;
  for (const auto& [name, mk] : all) names[mk].push_back(name);
  std::vector<std::pair<int64_t, int64_t>> product_shapes;  // (M, K) already listed
  std::vector<int64_t> split_sizes;                         // split_bf16 n already listed
  // The products of one stage, in launch order; a shape met before is not repeated.
  auto products = [&](const std::vector<std::string>& stage) {
    for (const std::string& proj : stage) {
      const auto it = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.first == proj; });
      const std::pair<int64_t, int64_t> mk = it->second;
      if (std::find(product_shapes.begin(), product_shapes.end(), mk) != product_shapes.end()) continue;
      product_shapes.push_back(mk);
      if (gemv) {
        cases.push_back(std::make_unique<GemvCase>(names[mk], T, mk.first, mk.second));
      } else {
        cases.push_back(std::make_unique<GemmCase>(names[mk], T, mk.first, mk.second, o.cublas));
      }
    }
  };
  auto split = [&](const std::string& of, int64_t n) {
    if (gemv || std::find(split_sizes.begin(), split_sizes.end(), n) != split_sizes.end()) return;
    split_sizes.push_back(n);
    cases.push_back(std::make_unique<SplitCase>(of, T, n));
  };

  cases.push_back(std::make_unique<EmbeddingCase>(T, V, h));
  cases.push_back(std::make_unique<NormCase>(false, T, h, eps));
  split("hidden", h);
  products({"q_proj", "k_proj", "v_proj"});
  cases.push_back(std::make_unique<HeadNormRopeCase>("q", T, H, d, eps));
  cases.push_back(std::make_unique<HeadNormRopeCase>("k", T, G, d, eps));
  cases.push_back(
      std::make_unique<KvWriteCase>(T, G, d, o.block_size, o.contexts.empty() ? 0 : o.contexts[0], o.kv_f16));
  for (int64_t context : o.contexts) {
    cases.push_back(std::make_unique<AttentionCase>(T, H, G, d, o.block_size, context, o.kv_f16, o.sm_count));
  }
  split("attention", H * d);
  products({"o_proj"});
  cases.push_back(std::make_unique<NormCase>(true, T, h, eps));
  products({"gate_proj", "up_proj"});
  cases.push_back(std::make_unique<SiluMulCase>(T, f));
  split("ffn", f);
  products({"down_proj"});
  products({"lm_head"});
  cases.push_back(std::make_unique<ArgmaxCase>(T, V));
  return cases;
}

}  // namespace switchyard::cuda::bench
