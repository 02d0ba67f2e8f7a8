// CpuFeatures: which SIMD instruction sets this CPU has, read once at run time, so one binary
// uses AVX-512 where it exists and AVX2 (or plain C++) elsewhere.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_CPU_FEATURES_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_CPU_FEATURES_H_

#include <string>

namespace switchyard {

struct CpuFeatures {
  bool avx2_fma_f16c = false;
  bool avx512 = false;  // F + BW + VL (+ AVX2/FMA/F16C)
  bool avx512_bf16 = false;  // AVX512_BF16 on top of avx512: vdpbf16ps, vcvtne2ps2bf16
  std::string Describe() const;
};

const CpuFeatures& HostCpuFeatures();

// Which kernel family to use; kAuto picks the best the CPU has. Tests force each in turn.
enum class SimdLevel { kAuto, kScalar, kAvx2, kAvx512 };
SimdLevel ResolveSimdLevel(SimdLevel requested);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_CPU_FEATURES_H_
