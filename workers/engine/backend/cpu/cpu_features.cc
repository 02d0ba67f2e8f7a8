#include "workers/engine/backend/cpu/cpu_features.h"

namespace switchyard {

const CpuFeatures& HostCpuFeatures() {
  static const CpuFeatures f = [] {
    CpuFeatures c;
#if defined(__x86_64__)
    __builtin_cpu_init();
    c.avx2_fma_f16c = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    c.avx512 = c.avx2_fma_f16c && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl");
#endif
    return c;
  }();
  return f;
}

std::string CpuFeatures::Describe() const {
  if (avx512) return "avx512";
  if (avx2_fma_f16c) return "avx2";
  return "scalar";
}

SimdLevel ResolveSimdLevel(SimdLevel requested) {
  const CpuFeatures& f = HostCpuFeatures();
  SimdLevel best = f.avx512 ? SimdLevel::kAvx512 : f.avx2_fma_f16c ? SimdLevel::kAvx2 : SimdLevel::kScalar;
  if (requested == SimdLevel::kAuto) return best;
  // Never run instructions the CPU lacks, whatever was asked.
  if (requested == SimdLevel::kAvx512 && !f.avx512) return best;
  if (requested == SimdLevel::kAvx2 && !f.avx2_fma_f16c) return SimdLevel::kScalar;
  return requested;
}

}  // namespace switchyard
