// The emulator's cuBLAS subset against a naive column-major reference written from NVIDIA's
// documentation: every transpose combination, leading dimensions larger than the matrices,
// alpha and beta, bf16 / f16 / f32 storage with f32 compute, strided batches, the argument
// checks cuBLAS documents, and GEMMs captured into a CUDA graph.
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"

namespace switchyard::cuda::test {
namespace {

// A column-major matrix stored in `type`, with its values also kept as the floats they round to.
struct Matrix {
  int rows, cols, ld;
  cudaDataType type;
  std::vector<float> value;      // ld * cols, the stored values as floats
  std::vector<uint8_t> storage;  // ld * cols elements of `type`
  float At(int r, int c) const { return value[static_cast<size_t>(r) + static_cast<size_t>(c) * ld]; }
};

size_t Size(cudaDataType t) { return t == CUDA_R_32F ? 4 : 2; }

float Round(cudaDataType t, float f) {
  if (t == CUDA_R_16BF) return __bfloat162float(__float2bfloat16(f));
  if (t == CUDA_R_16F) return __half2float(__float2half(f));
  return f;
}

void Put(Matrix& m, size_t i, float f) {
  m.value[i] = Round(m.type, f);
  if (m.type == CUDA_R_32F) {
    std::memcpy(&m.storage[i * 4], &f, 4);
  } else {
    const uint16_t bits = m.type == CUDA_R_16BF ? __bfloat16_as_ushort(__float2bfloat16(f)) : __half_as_ushort(__float2half(f));
    std::memcpy(&m.storage[i * 2], &bits, 2);
  }
}

Matrix Random(int rows, int cols, int ld, cudaDataType type, std::mt19937& rng, float nan_padding = true) {
  Matrix m{rows, cols, ld, type, std::vector<float>(static_cast<size_t>(ld) * cols),
           std::vector<uint8_t>(static_cast<size_t>(ld) * cols * Size(type))};
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < ld; ++r)  // padding rows hold NaN: a GEMM that reads them shows it
      Put(m, static_cast<size_t>(r) + static_cast<size_t>(c) * ld, r < rows || !nan_padding ? d(rng) : NAN);
  return m;
}

float Read(const std::vector<uint8_t>& s, cudaDataType t, size_t i) {
  if (t == CUDA_R_32F) {
    float f;
    std::memcpy(&f, &s[i * 4], 4);
    return f;
  }
  uint16_t b;
  std::memcpy(&b, &s[i * 2], 2);
  return t == CUDA_R_16BF ? __bfloat162float(__ushort_as_bfloat16(b)) : __half2float(__ushort_as_half(b));
}

class CublasTest : public EmuTest {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    ASSERT_EQ(cublasCreate(&handle_), CUBLAS_STATUS_SUCCESS);
  }
  void TearDown() override {
    cublasDestroy(handle_);
    EmuTest::TearDown();
  }
  cublasHandle_t handle_ = nullptr;
};

struct Case {
  cublasOperation_t ta, tb;
  int m, n, k;
  cudaDataType ab, c;
};

TEST_F(CublasTest, GemmExMatchesTheDocumentedColumnMajorDefinition) {
  std::mt19937 rng(11);
  int cases = 0;
  for (cublasOperation_t ta : {CUBLAS_OP_N, CUBLAS_OP_T, CUBLAS_OP_C}) {
    for (cublasOperation_t tb : {CUBLAS_OP_N, CUBLAS_OP_T}) {
      for (auto [m, n, k] : {std::tuple{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {64, 1, 130}, {3, 40, 8}}) {
        for (auto [ab, ct] : {std::pair{CUDA_R_16BF, CUDA_R_16BF}, {CUDA_R_16BF, CUDA_R_32F}, {CUDA_R_16F, CUDA_R_32F},
                              {CUDA_R_16F, CUDA_R_16F}, {CUDA_R_32F, CUDA_R_32F}}) {
          for (float beta : {0.0f, 0.75f}) {
            const bool a_t = ta != CUBLAS_OP_N, b_t = tb != CUBLAS_OP_N;
            // op(A) is m x k: A itself is k x m when transposed. Leading dimensions get padding.
            const int a_rows = a_t ? k : m, a_cols = a_t ? m : k, b_rows = b_t ? n : k, b_cols = b_t ? k : n;
            const Matrix A = Random(a_rows, a_cols, a_rows + 3, ab, rng);
            const Matrix B = Random(b_rows, b_cols, b_rows + 1, ab, rng);
            // With beta 0, C starts as NaN everywhere: cuBLAS must not read it.
            Matrix C = Random(m, n, m + 2, ct, rng, /*nan_padding=*/true);
            if (beta == 0.0f)
              for (size_t i = 0; i < C.value.size(); ++i) Put(C, i, NAN);
            const float alpha = -1.25f;
            DeviceBuffer<uint8_t> dA(A.storage), dB(B.storage), dC(C.storage);
            ASSERT_EQ(cublasGemmEx(handle_, ta, tb, m, n, k, &alpha, dA.get(), ab, A.ld, dB.get(), ab, B.ld, &beta,
                                   dC.get(), ct, C.ld, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                      CUBLAS_STATUS_SUCCESS);
            const std::vector<uint8_t> got = dC.Download();
            for (int j = 0; j < n; ++j) {
              for (int i = 0; i < m; ++i) {
                double ref = 0, mag = 0;
                for (int p = 0; p < k; ++p) {
                  const double a = a_t ? A.At(p, i) : A.At(i, p), b = b_t ? B.At(j, p) : B.At(p, j);
                  ref += a * b;
                  mag += std::fabs(a * b);
                }
                ref *= alpha;
                if (beta != 0.0f) ref += static_cast<double>(beta) * C.At(i, j);
                // f32 accumulation over k: |error| <= k * 2^-24 * sum|a*b| (times |alpha|), plus the
                // final rounding into C's type (2^-8 relative for bf16, 2^-11 for f16).
                const double out_ulp = ct == CUDA_R_16BF ? 0x1p-8 : ct == CUDA_R_16F ? 0x1p-11 : 0x1p-24;
                const double tol = (k + 2) * 0x1p-24 * (std::fabs(alpha) * mag + 1.0) + out_ulp * std::fabs(ref) + 1e-30;
                const float g = Read(got, ct, static_cast<size_t>(i) + static_cast<size_t>(j) * C.ld);
                ASSERT_NEAR(g, ref, tol) << "ta=" << ta << " tb=" << tb << " m,n,k=" << m << "," << n << "," << k
                                         << " types " << ab << "->" << ct << " beta " << beta << " at " << i << "," << j;
              }
              for (int i = m; i < C.ld; ++i) {  // rows between m and ldc are not touched
                const size_t at = static_cast<size_t>(i) + static_cast<size_t>(j) * C.ld;
                ASSERT_EQ(std::memcmp(&got[at * Size(ct)], &C.storage[at * Size(ct)], Size(ct)), 0);
              }
            }
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 3 * 2 * 5 * 5 * 2);
}

TEST_F(CublasTest, StridedBatchedRunsEachBatchOnItsOwnSlices) {
  std::mt19937 rng(5);
  const int m = 9, n = 6, k = 13, batch = 4;
  const int lda = k + 1, ldb = k, ldc = m + 3;  // A transposed: k x m; B not: k x n
  const long long sa = static_cast<long long>(lda) * m + 5, sb = static_cast<long long>(ldb) * n, sc = static_cast<long long>(ldc) * n + 7;
  const Matrix A = Random(static_cast<int>(sa), batch, static_cast<int>(sa), CUDA_R_16BF, rng);
  const Matrix B = Random(static_cast<int>(sb), batch, static_cast<int>(sb), CUDA_R_16BF, rng);
  DeviceBuffer<uint8_t> dA(A.storage), dB(B.storage), dC(static_cast<size_t>(sc) * batch * 4);
  dC.Poison();
  const float alpha = 1.0f, beta = 0.0f;
  ASSERT_EQ(cublasGemmStridedBatchedEx(handle_, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, dA.get(), CUDA_R_16BF, lda, sa,
                                       dB.get(), CUDA_R_16BF, ldb, sb, &beta, dC.get(), CUDA_R_32F, ldc, sc, batch,
                                       CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_SUCCESS);
  const std::vector<uint8_t> got = dC.Download();
  for (int b = 0; b < batch; ++b)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) {
        double ref = 0, mag = 0;
        for (int p = 0; p < k; ++p) {
          const double x = A.value[static_cast<size_t>(b * sa + p + i * lda)] * static_cast<double>(B.value[static_cast<size_t>(b * sb + p + j * ldb)]);
          ref += x;
          mag += std::fabs(x);
        }
        ASSERT_NEAR(Read(got, CUDA_R_32F, static_cast<size_t>(b * sc + i + j * ldc)), ref, (k + 2) * 0x1p-24 * mag)
            << b << ":" << i << "," << j;
      }
}

TEST_F(CublasTest, ArgumentChecksAnswerAsCublasDocuments) {
  DeviceBuffer<float> a(64), b(64), c(64);
  const float one = 1.0f;
  const auto gemm = [&](cublasHandle_t h, cublasOperation_t ta, int m, int n, int k, int lda, int ldb, int ldc,
                        cudaDataType at, cudaDataType ct, const float* alpha, cublasComputeType_t compute) {
    return cublasGemmEx(h, ta, CUBLAS_OP_N, m, n, k, alpha, a.get(), at, lda, b.get(), at, ldb, &one, c.get(), ct, ldc,
                        compute, CUBLAS_GEMM_DEFAULT);
  };
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_SUCCESS);
  EXPECT_EQ(gemm(nullptr, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_NOT_INITIALIZED);
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, -1, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 3, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);  // lda < m
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_T, 8, 2, 4, 4, 4, 8, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_SUCCESS);  // lda >= k suffices
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_T, 8, 2, 4, 3, 4, 8, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);  // lda < k
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 3, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);  // ldb < k
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 3, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);  // ldc < m
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, nullptr, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_INVALID_VALUE);
  EXPECT_EQ(gemm(handle_, static_cast<cublasOperation_t>(7), 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F),
            CUBLAS_STATUS_INVALID_VALUE);
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_16BF, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_8I, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 4, 4, 4, 4, 4, 4, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_64F), CUBLAS_STATUS_NOT_SUPPORTED);
  // Zero-sized products are valid no-ops.
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 0, 4, 4, 1, 4, 1, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_SUCCESS);
  // An operand reaching past its allocation is the GPU's illegal address, reported stickily.
  EXPECT_EQ(gemm(handle_, CUBLAS_OP_N, 9, 9, 9, 9, 9, 9, CUDA_R_32F, CUDA_R_32F, &one, CUBLAS_COMPUTE_32F), CUBLAS_STATUS_EXECUTION_FAILED);
  EXPECT_EQ(cudaGetLastError(), cudaErrorIllegalAddress);
}

TEST_F(CublasTest, GemmIsCapturedIntoAGraphWithHostScalarsReadAtCapture) {
  cudaStream_t s = nullptr;
  ASSERT_EQ(cudaStreamCreate(&s), cudaSuccess);
  ASSERT_EQ(cublasSetStream(handle_, s), CUBLAS_STATUS_SUCCESS);
  DeviceBuffer<float> a(std::vector<float>{1, 2, 3, 4}), b(std::vector<float>{1, 0, 0, 1}), c(4);
  float alpha = 2.0f;
  const float beta = 0.0f;
  ASSERT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal), cudaSuccess);
  ASSERT_EQ(cublasGemmEx(handle_, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, &alpha, a.get(), CUDA_R_32F, 2, b.get(), CUDA_R_32F,
                         2, &beta, c.get(), CUDA_R_32F, 2, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
            CUBLAS_STATUS_SUCCESS);
  cudaGraph_t graph;
  ASSERT_EQ(cudaStreamEndCapture(s, &graph), cudaSuccess);
  cudaGraphExec_t exec;
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
  alpha = 100.0f;  // host-mode scalars were read when the call was captured
  c.Poison();
  ASSERT_EQ(cudaGraphLaunch(exec, s), cudaSuccess);
  ASSERT_EQ(cudaStreamSynchronize(s), cudaSuccess);
  EXPECT_EQ(c.Download(), (std::vector<float>{2, 4, 6, 8}));
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  cudaStreamDestroy(s);
}

}  // namespace
}  // namespace switchyard::cuda::test
