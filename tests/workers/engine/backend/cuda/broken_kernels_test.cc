// Each deliberately broken kernel fails under the emulator with the error that names its bug,
// in both thread orders, while the same kernel without the bug (variant 0) passes: proof that
// the emulator checks what it claims, and that each failure comes from the bug itself.
#include <cuda_runtime.h>

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/test_kernels.h"

namespace switchyard::cuda::test {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Matcher;

class BrokenKernelTest : public EmuTest, public ::testing::WithParamInterface<emu::ThreadOrder> {
 protected:
  void SetUp() override {
    EmuTest::SetUp();
    emu::SetThreadOrder(GetParam());
  }

  // Runs the correct variant (must succeed), then the broken one on a fresh device (must fail
  // with `code` and a message matching `message`; the fault is sticky).
  void Check(const std::function<cudaError_t(int)>& launch, int variant, cudaError_t code,
             const Matcher<std::string>& message) {
    ASSERT_EQ(launch(0), cudaSuccess) << "the fixed kernel fails: " << ErrorText(cudaGetLastError());
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    const cudaError_t e = launch(variant);
    EXPECT_EQ(e, code) << cudaGetErrorName(e) << ": " << ErrorText(e);
    EXPECT_THAT(ErrorText(e), message);
    EXPECT_EQ(cudaDeviceSynchronize(), code) << "kernel faults are sticky";
    EXPECT_EQ(cudaGetLastError(), code);
  }
};

std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return v;
}

TEST_P(BrokenKernelTest, MissingSyncthreadsIsARace) {
  const int n = 200;  // several warps, the last one partial
  DeviceBuffer<float> x(Iota(n)), y(static_cast<size_t>(n));
  // Ascending order finds the neighbour's value already written (a race); descending order
  // finds it not yet written. Both name the missing barrier.
  Check([&](int v) { return NeighbourSum(x.get(), y.get(), n, v); }, 1, cudaErrorLaunchFailure,
        AllOf(HasSubstr("NeighbourSumKernel"), HasSubstr("s["), HasSubstr("missing __syncthreads"),
              AnyOf(HasSubstr("shared-memory race"), HasSubstr("uninitialised shared memory"))));
}

TEST_P(BrokenKernelTest, OverwritingWhatOthersStillReadIsARace) {
  const int n = 96;
  DeviceBuffer<float> x(Iota(n)), y(static_cast<size_t>(n));
  // Ascending order sees thread 1 overwrite s[1] after thread 0 read it (write after read);
  // descending order sees thread n-2 read s[n-1] after thread n-1 overwrote it.
  const bool ascending = GetParam() == emu::ThreadOrder::kAscending;
  Check([&](int v) { return ReuseBuffer(x.get(), y.get(), n, v); }, 1, cudaErrorLaunchFailure,
        AllOf(HasSubstr("ReuseBufferKernel"), HasSubstr("shared-memory race"), HasSubstr("missing __syncthreads"),
              ascending ? HasSubstr("thread (1,0,0) writes s[1], which thread (0,0,0) read")
                        : HasSubstr("reads s[95], which thread (95,0,0) wrote")));
}

TEST_P(BrokenKernelTest, ShuffleMaskOmittingTheCallingLane) {
  DeviceBuffer<float> y(48);
  Check([&](int v) { return BadShuffle(y.get(), v); }, 1, cudaErrorLaunchFailure,
        AllOf(HasSubstr("__shfl_xor_sync"), HasSubstr("mask 0x0000ffff omits the calling lane")));
}

TEST_P(BrokenKernelTest, ShuffleSourceLaneOutsideTheMask) {
  DeviceBuffer<float> y(48);
  Check([&](int v) { return BadShuffle(y.get(), v); }, 2, cudaErrorLaunchFailure,
        AllOf(HasSubstr("__shfl_xor_sync"), HasSubstr("which is not in mask 0x0000ffff")));
}

TEST_P(BrokenKernelTest, LanesOfOneMaskAtDifferentShuffles) {
  DeviceBuffer<float> y(48);
  Check([&](int v) { return BadShuffle(y.get(), v); }, 3, cudaErrorLaunchFailure,
        AllOf(HasSubstr("lanes of one warp disagree"), HasSubstr("broken_kernels.cu")));
}

TEST_P(BrokenKernelTest, FullMaskInAPartialWarp) {
  DeviceBuffer<float> y(48);
  Check([&](int v) { return BadShuffle(y.get(), v); }, 4, cudaErrorLaunchFailure,
        AllOf(HasSubstr("__shfl_down_sync"), HasSubstr("names lanes that do not exist")));
}

TEST_P(BrokenKernelTest, StaticSharedIndexOutOfBounds) {
  DeviceBuffer<float> x(Iota(64)), y(64);
  Check([&](int v) { return OutOfBounds(x.get(), y.get(), v); }, 1, cudaErrorIllegalAddress,
        AllOf(HasSubstr("out-of-bounds shared-memory access"), HasSubstr("writes s[32]"), HasSubstr("holds 32 float"),
              HasSubstr("thread (32,0,0)")));
}

TEST_P(BrokenKernelTest, DynamicSharedSmallerThanUsed) {
  DeviceBuffer<float> x(Iota(64)), y(64);
  // Variant 3 is the right size; variant 2 is one float short.
  Check([&](int v) { return OutOfBounds(x.get(), y.get(), v == 0 ? 3 : v); }, 2, cudaErrorIllegalAddress,
        AllOf(HasSubstr("tile[63]"), HasSubstr("holds 63 float"), HasSubstr("launch's shared-memory argument")));
}

TEST_P(BrokenKernelTest, SyncthreadsNotReachedByExitedThreads) {
  DeviceBuffer<float> y(64);
  Check([&](int v) { return DivergentBarrier(y.get(), v); }, 1, cudaErrorLaunchFailure,
        AllOf(HasSubstr("is not reached by every thread"), HasSubstr("exited")));
}

TEST_P(BrokenKernelTest, HalvesAtDifferentSyncthreads) {
  DeviceBuffer<float> y(64);
  Check([&](int v) { return DivergentBarrier(y.get(), v); }, 2, cudaErrorLaunchFailure,
        HasSubstr("wait at different __syncthreads"));
}

TEST_P(BrokenKernelTest, DeadlockIsReportedNotHung) {
  DeviceBuffer<float> y(64);
  Check([&](int v) { return Deadlock(y.get(), v); }, 1, cudaErrorLaunchTimeout,
        AllOf(HasSubstr("deadlock"), HasSubstr("waits at __shfl_sync"), HasSubstr("waits at __syncthreads")));
}

TEST_P(BrokenKernelTest, ReadOfNeverWrittenSharedMemory) {
  DeviceBuffer<float> y(64);
  Check([&](int v) { return Uninitialised(y.get(), v); }, 1, cudaErrorLaunchFailure,
        AllOf(HasSubstr("uninitialised shared memory"), HasSubstr("s[7]")));
}

INSTANTIATE_TEST_SUITE_P(BothOrders, BrokenKernelTest,
                         ::testing::Values(emu::ThreadOrder::kAscending, emu::ThreadOrder::kDescending),
                         [](const auto& info) {
                           return std::string(info.param == emu::ThreadOrder::kAscending ? "Ascending" : "Descending");
                         });

}  // namespace
}  // namespace switchyard::cuda::test
