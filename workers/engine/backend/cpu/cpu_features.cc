#include "workers/engine/backend/cpu/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace switchyard {
namespace {

#if defined(__x86_64__)
// F16C from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports has no "f16c".
bool HasF16c() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return (c & (1u << 29)) != 0;
}
#endif

}  // namespace

const CpuFeatures& HostCpuFeatures() {
  static const CpuFeatures f = [] {
    CpuFeatures c;
#if defined(__x86_64__)
    __builtin_cpu_init();
    c.avx2_fma_f16c = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && HasF16c();
    c.avx512 = c.avx2_fma_f16c && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl");
    c.avx512_bf16 = c.avx512 && __builtin_cpu_supports("avx512bf16");
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
