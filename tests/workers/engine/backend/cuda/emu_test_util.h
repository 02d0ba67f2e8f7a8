// Helpers for tests on the CUDA emulator: device buffers that free themselves, a fixture that
// starts every test on a fresh device, and an error matcher that reads the emulator's message.
#ifndef SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_EMU_TEST_UTIL_H_
#define SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_EMU_TEST_UTIL_H_

#include <cuda_runtime.h>

#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "workers/engine/backend/cuda/emu/block_runner.h"

namespace switchyard::cuda::test {

// A device array of T, poisoned (0xFF bytes: NaN for floats) until written.
template <class T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t n) : n_(n) {
    EXPECT_EQ(cudaMalloc(&p_, n * sizeof(T) + (n == 0 ? 1 : 0)), cudaSuccess);
  }
  explicit DeviceBuffer(const std::vector<T>& v) : DeviceBuffer(v.size()) { Upload(v); }
  ~DeviceBuffer() {
    if (p_ != nullptr) cudaFree(p_);  // after cudaDeviceReset the allocation is gone: the error is expected
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* get() const { return p_; }
  size_t size() const { return n_; }
  void Upload(const std::vector<T>& v) {
    ASSERT_EQ(v.size(), n_);
    ASSERT_EQ(cudaMemcpy(p_, v.data(), n_ * sizeof(T), cudaMemcpyHostToDevice), cudaSuccess);
  }
  std::vector<T> Download() const {
    std::vector<T> v(n_);
    EXPECT_EQ(cudaMemcpy(v.data(), p_, n_ * sizeof(T), cudaMemcpyDeviceToHost), cudaSuccess);
    return v;
  }
  // Fills with 0xFF bytes, so a kernel that leaves an element unwritten shows NaN there.
  void Poison() { ASSERT_EQ(cudaMemset(p_, 0xff, n_ * sizeof(T)), cudaSuccess); }

 private:
  T* p_ = nullptr;
  size_t n_;
};

// Every test starts on a fresh emulated device in ascending thread order, and leaves it clean.
class EmuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cudaDeviceReset();
    emu::SetThreadOrder(emu::ThreadOrder::kAscending);
  }
  void TearDown() override {
    emu::SetThreadOrder(emu::ThreadOrder::kAscending);
    cudaDeviceReset();
  }
};

// cudaGetErrorString of `e`: under the emulator, the full diagnostic of the last fault.
inline std::string ErrorText(cudaError_t e) { return cudaGetErrorString(e); }

}  // namespace switchyard::cuda::test

#endif  // SWITCHYARD_TESTS_ENGINE_BACKEND_CUDA_EMU_TEST_UTIL_H_
