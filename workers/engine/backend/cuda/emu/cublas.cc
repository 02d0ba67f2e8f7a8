// The cuBLAS subset of the CUDA emulator (cublas_api.h).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "absl/strings/str_format.h"
#include "workers/engine/backend/cuda/emu/cublas_api.h"
#include "workers/engine/backend/cuda/emu/device.h"
#include "workers/engine/backend/cuda/emu/half_types.h"

struct cublasContext {
  cudaStream_t stream = nullptr;
  cublasPointerMode_t pointer_mode = CUBLAS_POINTER_MODE_HOST;
};

namespace switchyard::emu {
namespace {

// Live handles, so a destroyed or made-up handle answers NOT_INITIALIZED instead of crashing.
class Handles {
 public:
  cublasHandle_t Add() {
    std::lock_guard<std::mutex> lock(mu_);
    auto h = std::make_unique<cublasContext>();
    cublasHandle_t p = h.get();
    live_.insert(std::move(h));
    return p;
  }
  bool Remove(cublasHandle_t h) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = live_.begin(); it != live_.end(); ++it) {
      if (it->get() == h) {
        live_.erase(it);
        return true;
      }
    }
    return false;
  }
  bool Live(cublasHandle_t h) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& p : live_)
      if (p.get() == h) return true;
    return false;
  }

 private:
  std::mutex mu_;
  std::set<std::unique_ptr<cublasContext>> live_;
};

Handles& AllHandles() {
  static Handles h;
  return h;
}

size_t TypeSize(cudaDataType t) { return t == CUDA_R_32F ? 4 : 2; }

float Load(const void* base, cudaDataType t, int64_t i) {
  switch (t) {
    case CUDA_R_32F: return static_cast<const float*>(base)[i];
    case CUDA_R_16F: return HalfBitsToFloat(static_cast<const uint16_t*>(base)[i]);
    default: return Bf16BitsToFloat(static_cast<const uint16_t*>(base)[i]);
  }
}

void Store(void* base, cudaDataType t, int64_t i, float v) {
  switch (t) {
    case CUDA_R_32F: static_cast<float*>(base)[i] = v; return;
    case CUDA_R_16F: static_cast<uint16_t*>(base)[i] = FloatToHalfBits(v); return;
    default: static_cast<uint16_t*>(base)[i] = FloatToBf16Bits(v); return;
  }
}

bool IsOp(cublasOperation_t op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; }
bool IsInput(cudaDataType t) { return t == CUDA_R_16BF || t == CUDA_R_16F || t == CUDA_R_32F; }
bool IsF32Compute(cublasComputeType_t c) {
  return c == CUBLAS_COMPUTE_32F || c == CUBLAS_COMPUTE_32F_PEDANTIC || c == CUBLAS_COMPUTE_32F_FAST_16F ||
         c == CUBLAS_COMPUTE_32F_FAST_16BF || c == CUBLAS_COMPUTE_32F_FAST_TF32;
}

// Elements an operand spans: `cols` columns of leading dimension `ld`, the last one `rows` long.
int64_t Span(int64_t rows, int64_t cols, int64_t ld) { return rows == 0 || cols == 0 ? 0 : (cols - 1) * ld + rows; }

struct Gemm {
  bool ta, tb;
  int m, n, k;
  float alpha, beta;
  const void* a;
  cudaDataType at;
  int lda;
  long long sa;
  const void* b;
  cudaDataType bt;
  int ldb;
  long long sb;
  void* c;
  cudaDataType ct;
  int ldc;
  long long sc;
  int batch;
  const float* alpha_dev;  // device pointer mode: read when the GEMM runs
  const float* beta_dev;
};

OpResult Run(Gemm g) {
  if (g.alpha_dev != nullptr) {
    if (!IsDeviceRange(g.alpha_dev, 4) || !IsDeviceRange(g.beta_dev, 4))
      return {cudaErrorIllegalAddress, "cublasGemmEx: alpha or beta is not device memory (pointer mode device)"};
    g.alpha = *g.alpha_dev;
    g.beta = *g.beta_dev;
  }
  const int64_t a_rows = g.ta ? g.k : g.m, a_cols = g.ta ? g.m : g.k;
  const int64_t b_rows = g.tb ? g.n : g.k, b_cols = g.tb ? g.k : g.n;
  std::vector<float> ap(static_cast<size_t>(g.m) * g.k), bp(static_cast<size_t>(g.n) * g.k);
  for (int batch = 0; batch < g.batch; ++batch) {
    const char* a = static_cast<const char*>(g.a) + batch * g.sa * static_cast<long long>(TypeSize(g.at));
    const char* b = static_cast<const char*>(g.b) + batch * g.sb * static_cast<long long>(TypeSize(g.bt));
    char* c = static_cast<char*>(g.c) + batch * g.sc * static_cast<long long>(TypeSize(g.ct));
    const int64_t a_span = Span(a_rows, a_cols, g.lda), b_span = Span(b_rows, b_cols, g.ldb), c_span = Span(g.m, g.n, g.ldc);
    if ((g.k > 0 && (!IsDeviceRange(a, static_cast<size_t>(a_span) * TypeSize(g.at)) ||
                     !IsDeviceRange(b, static_cast<size_t>(b_span) * TypeSize(g.bt)))) ||
        !IsDeviceRange(c, static_cast<size_t>(c_span) * TypeSize(g.ct))) {
      return {cudaErrorIllegalAddress,
              absl::StrFormat("cublasGemmEx: batch %d of A, B or C (m=%d n=%d k=%d lda=%d ldb=%d ldc=%d) reaches outside "
                              "its device allocation",
                              batch, g.m, g.n, g.k, g.lda, g.ldb, g.ldc)};
    }
    // op(A) as m rows of k, op(B) as n rows of k: both walked along k.
    for (int i = 0; i < g.m; ++i)
      for (int p = 0; p < g.k; ++p)
        ap[static_cast<size_t>(i) * g.k + p] = Load(a, g.at, g.ta ? p + static_cast<int64_t>(i) * g.lda : i + static_cast<int64_t>(p) * g.lda);
    for (int j = 0; j < g.n; ++j)
      for (int p = 0; p < g.k; ++p)
        bp[static_cast<size_t>(j) * g.k + p] = Load(b, g.bt, g.tb ? j + static_cast<int64_t>(p) * g.ldb : p + static_cast<int64_t>(j) * g.ldb);
    for (int j = 0; j < g.n; ++j) {
      for (int i = 0; i < g.m; ++i) {
        const float* x = &ap[static_cast<size_t>(i) * g.k];
        const float* y = &bp[static_cast<size_t>(j) * g.k];
        float acc = 0.0f;
        for (int p = 0; p < g.k; ++p) acc += x[p] * y[p];
        const int64_t ci = i + static_cast<int64_t>(j) * g.ldc;
        // beta == 0: C is output only and is not read (it may hold NaN), as cuBLAS documents.
        const float out = g.beta == 0.0f ? g.alpha * acc : g.alpha * acc + g.beta * Load(c, g.ct, ci);
        Store(c, g.ct, ci, out);
      }
    }
  }
  return {};
}

cublasStatus_t Submit(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
                      const void* alpha, const void* A, cudaDataType Atype, int lda, long long strideA, const void* B,
                      cudaDataType Btype, int ldb, long long strideB, const void* beta, void* C, cudaDataType Ctype,
                      int ldc, long long strideC, int batchCount, cublasComputeType_t computeType,
                      cublasGemmAlgo_t algo) {
  if (handle == nullptr || !AllHandles().Live(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  // The checks and their order follow the cublasGemmEx documentation.
  if (m < 0 || n < 0 || k < 0 || batchCount < 0 || !IsOp(transa) || !IsOp(transb)) return CUBLAS_STATUS_INVALID_VALUE;
  const bool ta = transa != CUBLAS_OP_N, tb = transb != CUBLAS_OP_N;  // OP_C is OP_T for real types
  if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m)) return CUBLAS_STATUS_INVALID_VALUE;
  if (alpha == nullptr || beta == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
  if (!IsF32Compute(computeType)) return CUBLAS_STATUS_NOT_SUPPORTED;
  if (!IsInput(Atype) || Atype != Btype || !(Ctype == Atype || Ctype == CUDA_R_32F)) return CUBLAS_STATUS_NOT_SUPPORTED;
  if (algo != CUBLAS_GEMM_DEFAULT && algo != CUBLAS_GEMM_DEFAULT_TENSOR_OP && !(algo >= 0 && algo <= 23) &&
      !(algo >= 99 && algo <= 115)) {
    return CUBLAS_STATUS_INVALID_VALUE;
  }
  if (m == 0 || n == 0 || batchCount == 0) return CUBLAS_STATUS_SUCCESS;
  Gemm g{ta, tb, m, n, k, 0.0f, 0.0f, A, Atype, lda, strideA, B, Btype, ldb, strideB, C, Ctype, ldc, strideC, batchCount,
         nullptr, nullptr};
  if (handle->pointer_mode == CUBLAS_POINTER_MODE_HOST) {
    g.alpha = *static_cast<const float*>(alpha);  // host scalars are read now, even when captured
    g.beta = *static_cast<const float*>(beta);
  } else {
    g.alpha_dev = static_cast<const float*>(alpha);
    g.beta_dev = static_cast<const float*>(beta);
  }
  const cudaError_t e = Enqueue(handle->stream, [g] { return Run(g); });
  return e == cudaSuccess ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_EXECUTION_FAILED;
}

}  // namespace
}  // namespace switchyard::emu

using switchyard::emu::AllHandles;

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  if (handle == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
  *handle = AllHandles().Add();
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  return AllHandles().Remove(handle) ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
  if (!AllHandles().Live(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  handle->stream = stream;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetStream(cublasHandle_t handle, cudaStream_t* stream) {
  if (!AllHandles().Live(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (stream == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
  *stream = handle->stream;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetPointerMode(cublasHandle_t handle, cublasPointerMode_t mode) {
  if (!AllHandles().Live(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (mode != CUBLAS_POINTER_MODE_HOST && mode != CUBLAS_POINTER_MODE_DEVICE) return CUBLAS_STATUS_INVALID_VALUE;
  handle->pointer_mode = mode;
  return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetPointerMode(cublasHandle_t handle, cublasPointerMode_t* mode) {
  if (!AllHandles().Live(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
  if (mode == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
  *mode = handle->pointer_mode;
  return CUBLAS_STATUS_SUCCESS;
}

const char* cublasGetStatusName(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

const char* cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "success";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "the library was not initialized";
    case CUBLAS_STATUS_INVALID_VALUE: return "an invalid numeric value was used as an argument";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "the functionality requested is not supported";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "the GPU program failed to execute";
    default: return cublasGetStatusName(status);
  }
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                            int k, const void* alpha, const void* A, cudaDataType Atype, int lda, const void* B,
                            cudaDataType Btype, int ldb, const void* beta, void* C, cudaDataType Ctype, int ldc,
                            cublasComputeType_t computeType, cublasGemmAlgo_t algo) {
  return switchyard::emu::Submit(handle, transa, transb, m, n, k, alpha, A, Atype, lda, 0, B, Btype, ldb, 0, beta, C,
                                 Ctype, ldc, 0, 1, computeType, algo);
}

cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                          int m, int n, int k, const void* alpha, const void* A, cudaDataType Atype,
                                          int lda, long long int strideA, const void* B, cudaDataType Btype, int ldb,
                                          long long int strideB, const void* beta, void* C, cudaDataType Ctype,
                                          int ldc, long long int strideC, int batchCount,
                                          cublasComputeType_t computeType, cublasGemmAlgo_t algo) {
  return switchyard::emu::Submit(handle, transa, transb, m, n, k, alpha, A, Atype, lda, strideA, B, Btype, ldb, strideB,
                                 beta, C, Ctype, ldc, strideC, batchCount, computeType, algo);
}
