// Inputs and comparisons shared by the kernel tests on the emulator: a seed that can be
// replayed (SWITCHYARD_TEST_SEED), random inputs, and an element-wise check whose tolerance
// each test derives for itself.
#ifndef SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_KERNEL_TEST_UTIL_H_
#define SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_KERNEL_TEST_UTIL_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard::cuda::test {

// Fresh per process, printed by the tests that use it; SWITCHYARD_TEST_SEED replays one.
inline uint64_t Seed() {
  if (const char* s = std::getenv("SWITCHYARD_TEST_SEED")) return std::strtoull(s, nullptr, 10);
  static const uint64_t seed = std::random_device{}();
  return seed;
}

inline std::vector<float> Random(size_t n, std::mt19937_64& rng, float scale = 1.0f) {
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// Passes when |got[i] - want[i]| <= tol(i) for every i; NaN (an unwritten, poisoned element)
// always fails.
template <class Tol>
::testing::AssertionResult Close(const std::vector<float>& got, const std::vector<float>& want, Tol tol) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "size " << got.size() << " vs " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    const double diff = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (!(diff <= tol(i))) {
      return ::testing::AssertionFailure() << "element " << i << ": got " << got[i] << ", want " << want[i]
                                           << " (|diff| " << diff << " > " << tol(i) << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace switchyard::cuda::test

#endif  // SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_KERNEL_TEST_UTIL_H_
