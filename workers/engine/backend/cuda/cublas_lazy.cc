// cuBLAS loaded on first use, for the nvcc-built CUDA runner (SWITCHYARD_CUDA).
//
// Why: libcublas.so (with libcublasLt.so, ~600 MB) is part of the CUDA Toolkit, not of the
// driver. Linked normally (CUDA::cublas) it becomes a hard DT_NEEDED of switchyard-worker and
// switchyard-generate, which then do not even start, --device cpu included, on a machine without
// the toolkit's libraries. The static archive (CUDA::cublas_static) would avoid that but adds
// hundreds of MB to each binary, and toolkits installed from the runtime packages lack it. So the
// runner links this file instead: it defines the cuBLAS entry points the runner (and the CUDA
// emulator's cuBLAS subset, emu/cublas_api.h) uses, and forwards each to libcublas.so.<major>,
// opened with dlopen on the first call. Where it cannot be opened, cublasCreate fails with
// CUBLAS_STATUS_NOT_INITIALIZED and cublasGetStatusString names the loader's error, which the
// runner's Create reports (so --device cuda explains itself; --device cpu never gets here).
// Thread safety: the library is opened once (a function-local static); the calls are cuBLAS's.
#include <cublas_v2.h>
#include <dlfcn.h>

#include <string>

namespace {

struct Cublas {
  std::string error;  // why the library could not be opened; empty when it was
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasDestroy_v2) destroy = nullptr;
  decltype(&cublasSetStream_v2) set_stream = nullptr;
  decltype(&cublasGetStream_v2) get_stream = nullptr;
  decltype(&cublasSetPointerMode_v2) set_pointer_mode = nullptr;
  decltype(&cublasGetPointerMode_v2) get_pointer_mode = nullptr;
  decltype(&cublasGetStatusName) status_name = nullptr;
  decltype(&cublasGetStatusString) status_string = nullptr;
  // The C entry points (the header also has C++ overloads taking a cudaDataType compute type).
  cublasStatus_t (*gemm_ex)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void*,
                            const void*, cudaDataType, int, const void*, cudaDataType, int, const void*, void*,
                            cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t) = nullptr;
  cublasStatus_t (*gemm_strided_batched_ex)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                            const void*, const void*, cudaDataType, int, long long int, const void*,
                                            cudaDataType, int, long long int, const void*, void*, cudaDataType, int,
                                            long long int, int, cublasComputeType_t, cublasGemmAlgo_t) = nullptr;
};

template <class F>
bool Bind(void* lib, const char* name, F* out, std::string* error) {
  *out = reinterpret_cast<F>(dlsym(lib, name));
  if (*out == nullptr && error->empty()) *error = std::string("cuBLAS has no ") + name;
  return *out != nullptr;
}

Cublas Load() {
  Cublas c;
  // The soname first (LD_LIBRARY_PATH, ld.so.cache), then where the toolkit was at build time.
  void* lib = nullptr;
  std::string tried;
  for (const char* path : {SWITCHYARD_CUBLAS_SONAME, SWITCHYARD_CUBLAS_DIR "/" SWITCHYARD_CUBLAS_SONAME}) {
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib != nullptr) break;
    const char* e = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (e != nullptr ? e : path);
  }
  if (lib == nullptr) {
    c.error = "cuBLAS could not be loaded (" + tried +
              "); install the CUDA Toolkit's cuBLAS or add its lib64 directory to LD_LIBRARY_PATH";
    return c;
  }
  // Never closed: cuBLAS handles live until the process ends.
  Bind(lib, "cublasCreate_v2", &c.create, &c.error);
  Bind(lib, "cublasDestroy_v2", &c.destroy, &c.error);
  Bind(lib, "cublasSetStream_v2", &c.set_stream, &c.error);
  Bind(lib, "cublasGetStream_v2", &c.get_stream, &c.error);
  Bind(lib, "cublasSetPointerMode_v2", &c.set_pointer_mode, &c.error);
  Bind(lib, "cublasGetPointerMode_v2", &c.get_pointer_mode, &c.error);
  Bind(lib, "cublasGetStatusName", &c.status_name, &c.error);
  Bind(lib, "cublasGetStatusString", &c.status_string, &c.error);
  Bind(lib, "cublasGemmEx", &c.gemm_ex, &c.error);
  Bind(lib, "cublasGemmStridedBatchedEx", &c.gemm_strided_batched_ex, &c.error);
  if (!c.error.empty()) c.create = nullptr;  // a partial library: refuse to start rather than fail later
  return c;
}

const Cublas& Lib() {
  static const Cublas lib = Load();
  return lib;
}

}  // namespace

extern "C" {

cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t* handle) {
  const Cublas& c = Lib();
  return c.create != nullptr ? c.create(handle) : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t CUBLASWINAPI cublasDestroy_v2(cublasHandle_t handle) {
  const Cublas& c = Lib();
  return c.destroy != nullptr ? c.destroy(handle) : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t CUBLASWINAPI cublasSetStream_v2(cublasHandle_t handle, cudaStream_t stream) {
  const Cublas& c = Lib();
  return c.set_stream != nullptr ? c.set_stream(handle, stream) : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t CUBLASWINAPI cublasGetStream_v2(cublasHandle_t handle, cudaStream_t* stream) {
  const Cublas& c = Lib();
  return c.get_stream != nullptr ? c.get_stream(handle, stream) : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t CUBLASWINAPI cublasSetPointerMode_v2(cublasHandle_t handle, cublasPointerMode_t mode) {
  const Cublas& c = Lib();
  return c.set_pointer_mode != nullptr ? c.set_pointer_mode(handle, mode) : CUBLAS_STATUS_NOT_INITIALIZED;
}

cublasStatus_t CUBLASWINAPI cublasGetPointerMode_v2(cublasHandle_t handle, cublasPointerMode_t* mode) {
  const Cublas& c = Lib();
  return c.get_pointer_mode != nullptr ? c.get_pointer_mode(handle, mode) : CUBLAS_STATUS_NOT_INITIALIZED;
}

const char* CUBLASWINAPI cublasGetStatusName(cublasStatus_t status) {
  const Cublas& c = Lib();
  return c.status_name != nullptr ? c.status_name(status) : "CUBLAS_STATUS_NOT_INITIALIZED";
}

const char* CUBLASWINAPI cublasGetStatusString(cublasStatus_t status) {
  const Cublas& c = Lib();
  if (!c.error.empty()) return c.error.c_str();
  return c.status_string(status);
}

cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k, const void* alpha, const void* A, cudaDataType Atype,
                                         int lda, const void* B, cudaDataType Btype, int ldb, const void* beta,
                                         void* C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType,
                                         cublasGemmAlgo_t algo) {
  const Cublas& c = Lib();
  if (c.gemm_ex == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  return c.gemm_ex(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc,
                   computeType, algo);
}

cublasStatus_t CUBLASWINAPI cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa,
                                                       cublasOperation_t transb, int m, int n, int k,
                                                       const void* alpha, const void* A, cudaDataType Atype, int lda,
                                                       long long int strideA, const void* B, cudaDataType Btype,
                                                       int ldb, long long int strideB, const void* beta, void* C,
                                                       cudaDataType Ctype, int ldc, long long int strideC,
                                                       int batchCount, cublasComputeType_t computeType,
                                                       cublasGemmAlgo_t algo) {
  const Cublas& c = Lib();
  if (c.gemm_strided_batched_ex == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
  return c.gemm_strided_batched_ex(handle, transa, transb, m, n, k, alpha, A, Atype, lda, strideA, B, Btype, ldb,
                                   strideB, beta, C, Ctype, ldc, strideC, batchCount, computeType, algo);
}

}  // extern "C"
