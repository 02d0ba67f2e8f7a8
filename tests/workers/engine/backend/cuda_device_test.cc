#include "workers/engine/backend/cuda/cuda_device.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace switchyard {
namespace {

// Without a GPU (the project's CI) the answer is a clear Unavailable; with one, real devices.
TEST(CudaDeviceTest, DevicesOrAClearReason) {
  auto devices = CudaDevices();
  if (devices.ok()) {
    ASSERT_TRUE(CudaCompiledIn());
    ASSERT_FALSE(devices->empty());
    for (const CudaDeviceInfo& d : *devices) {
      EXPECT_FALSE(d.name.empty());
      EXPECT_GT(d.memory_bytes, 0u);
      EXPECT_GE(d.compute_major, 7);
    }
    return;
  }
  EXPECT_EQ(devices.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(devices.status().message()), ::testing::HasSubstr("use the CPU backend"));
  // A second call gives the same answer: the failed probe leaves no sticky state behind.
  EXPECT_EQ(CudaDevices().status(), devices.status());
}

}  // namespace
}  // namespace switchyard
