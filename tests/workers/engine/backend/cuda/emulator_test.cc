// The CUDA emulator's semantics: kernels that use each feature produce what CUDA defines
// (barriers, shuffles by PTX's lane rules, votes, atomics across blocks, dynamic shared
// memory, the built-in indices), and the runtime behaves as NVIDIA documents it (copy checks,
// launch configuration errors, sticky faults, graph capture and replay).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <numeric>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/workers/engine/backend/cuda/emu_test_util.h"
#include "tests/workers/engine/backend/cuda/test_kernels.h"

namespace switchyard::cuda::test {
namespace {

using ::testing::HasSubstr;

using EmulatorTest = EmuTest;

TEST_F(EmulatorTest, BlockReduceSumsAcrossWarpsBlocksAndAtomics) {
  for (auto [n, blocks, threads] : {std::tuple{1000, 3, 256}, {4096, 8, 128}, {33, 1, 64}, {70000, 5, 1024}}) {
    std::vector<int> x(static_cast<size_t>(n));
    std::mt19937 rng(static_cast<unsigned>(n));
    for (int& v : x) v = static_cast<int>(rng() % 2001) - 1000;
    DeviceBuffer<int> dx(x), sums(static_cast<size_t>(blocks)), total(std::vector<int>{0});
    ASSERT_EQ(BlockReduce(dx.get(), sums.get(), total.get(), n, blocks, threads, nullptr), cudaSuccess) << ErrorText(cudaGetLastError());
    // Block b owns the grid-stride slice starting at b * threads.
    std::vector<int> want(static_cast<size_t>(blocks), 0);
    for (int i = 0; i < n; ++i) want[static_cast<size_t>((i / threads) % blocks)] += x[static_cast<size_t>(i)];
    EXPECT_EQ(sums.Download(), want) << "n=" << n;
    EXPECT_EQ(total.Download()[0], std::accumulate(x.begin(), x.end(), 0));
  }
}

// Expected results straight from the CUDA Programming Guide's definitions of each shuffle.
int ShuffleRef(Shuffle kind, int lane, int arg, int width) {
  const int base = lane / width * width;
  switch (kind) {
    case Shuffle::kIdx: return 100 + base + ((arg % width) + width) % width;
    case Shuffle::kUp: return 100 + (lane - arg >= base ? lane - arg : lane);
    case Shuffle::kDown: return 100 + (lane + arg < base + width ? lane + arg : lane);
    case Shuffle::kXor: {
      const int j = lane ^ arg;
      return 100 + (j < base + width ? j : lane);  // a later group is out of reach: own value
    }
  }
  return 0;
}

TEST_F(EmulatorTest, ShufflesFollowCudaLaneRulesForEveryWidth) {
  DeviceBuffer<int> out(32);
  for (Shuffle kind : {Shuffle::kIdx, Shuffle::kUp, Shuffle::kDown, Shuffle::kXor}) {
    for (int width : {32, 16, 8, 4, 2, 1}) {
      for (int arg : {0, 1, 3, 5, 16, 31}) {
        if (kind == Shuffle::kIdx && arg >= 32) continue;
        out.Poison();
        ASSERT_EQ(WarpShuffle(kind, arg, width, out.get()), cudaSuccess) << ErrorText(cudaGetLastError());
        const std::vector<int> got = out.Download();
        for (int lane = 0; lane < 32; ++lane) {
          ASSERT_EQ(got[static_cast<size_t>(lane)], ShuffleRef(kind, lane, arg, width))
              << "kind " << static_cast<int>(kind) << " width " << width << " arg " << arg << " lane " << lane;
        }
      }
    }
  }
}

TEST_F(EmulatorTest, VotesOverFullAndPartialMasks) {
  std::vector<int> pred(32);
  for (int i = 0; i < 32; ++i) pred[static_cast<size_t>(i)] = (i % 3 == 0) ? 7 : 0;
  DeviceBuffer<int> dp(pred);
  DeviceBuffer<unsigned> out(96);
  for (unsigned mask : {0xffffffffu, 0x0000ff00u, 0x80000001u, 0x00000006u}) {
    ASSERT_EQ(WarpVote(dp.get(), mask, out.get()), cudaSuccess) << ErrorText(cudaGetLastError());
    unsigned ballot = 0;
    for (int i = 0; i < 32; ++i)
      if (((mask >> i) & 1u) && pred[static_cast<size_t>(i)]) ballot |= 1u << i;
    const std::vector<unsigned> got = out.Download();
    for (int lane = 0; lane < 32; ++lane) {
      const size_t l = static_cast<size_t>(lane);
      if ((mask >> lane) & 1u) {
        EXPECT_EQ(got[3 * l], ballot) << "mask " << mask << " lane " << lane;
        EXPECT_EQ(got[3 * l + 1], ballot != 0 ? 1u : 0u);
        EXPECT_EQ(got[3 * l + 2], ballot == mask ? 1u : 0u);
      } else {
        EXPECT_EQ(got[3 * l], 0xffffffffu);
      }
    }
  }
}

TEST_F(EmulatorTest, DynamicSharedMemoryIsSizedByTheLaunch) {
  for (int n : {1, 31, 32, 100, 1024}) {
    std::vector<float> x(static_cast<size_t>(n));
    std::iota(x.begin(), x.end(), 0.5f);
    DeviceBuffer<float> dx(x), dy(static_cast<size_t>(n));
    ASSERT_EQ(ReverseDynamic(dx.get(), dy.get(), n, static_cast<size_t>(n) * sizeof(float)), cudaSuccess)
        << ErrorText(cudaGetLastError());
    EXPECT_EQ(dy.Download(), std::vector<float>(x.rbegin(), x.rend()));
  }
}

TEST_F(EmulatorTest, SharedAndGlobalAtomicsCountEveryElement) {
  const int n = 10007;
  std::vector<int> x(n);
  std::mt19937 rng(3);
  for (int& v : x) v = static_cast<int>(rng() % 1000);
  std::vector<int> want(16, 0);
  for (int v : x) ++want[static_cast<size_t>(v % 16)];
  DeviceBuffer<int> dx(x), hist(std::vector<int>(16, 0));
  ASSERT_EQ(Histogram(dx.get(), n, hist.get(), 7, 96), cudaSuccess) << ErrorText(cudaGetLastError());
  EXPECT_EQ(hist.Download(), want);
}

TEST_F(EmulatorTest, SyncwarpOrdersSharedMemoryWithinAWarp) {
  for (int threads : {32, 256}) {
    DeviceBuffer<int> out(static_cast<size_t>(threads));
    ASSERT_EQ(SyncwarpExchange(out.get(), threads), cudaSuccess) << ErrorText(cudaGetLastError());
    const std::vector<int> got = out.Download();
    for (int t = 0; t < threads; ++t) {
      const int neighbour = t - t % 32 + (t % 32 + 1) % 32;
      ASSERT_EQ(got[static_cast<size_t>(t)], 2 * neighbour + 1);
    }
  }
}

TEST_F(EmulatorTest, BuiltInIndicesCoverTwoDimensionalGrids) {
  const dim3 grid(3, 2), block(8, 4);
  const int width = 24, height = 8;
  DeviceBuffer<int> out(static_cast<size_t>(width * height));
  ASSERT_EQ(Indexing(out.get(), grid, block), cudaSuccess);
  const std::vector<int> got = out.Download();
  for (int gy = 0; gy < height; ++gy)
    for (int gx = 0; gx < width; ++gx) {
      const int want = ((gy / 4) * 3 + gx / 8) * 1000 + (gy % 4) * 8 + gx % 8;
      ASSERT_EQ(got[static_cast<size_t>(gy * width + gx)], want) << gx << "," << gy;
    }
}

TEST_F(EmulatorTest, InvalidLaunchConfigurationIsReportedAndNotSticky) {
  DeviceBuffer<int> out(64);
  EXPECT_EQ(Indexing(out.get(), dim3(1), dim3(2048)), cudaErrorInvalidConfiguration);
  EXPECT_THAT(ErrorText(cudaErrorInvalidConfiguration), HasSubstr("IndexingKernel"));
  EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);  // cleared: configuration errors are not sticky
  EXPECT_EQ(Indexing(out.get(), dim3(0), dim3(32)), cudaErrorInvalidConfiguration);
  cudaGetLastError();
  EXPECT_EQ(Indexing(out.get(), dim3(2), dim3(32)), cudaSuccess);
}

TEST_F(EmulatorTest, TooMuchDynamicSharedMemoryNeedsTheAttribute) {
  const int n = 64;
  DeviceBuffer<float> dx(std::vector<float>(n, 1.0f)), dy(n);
  EXPECT_EQ(ReverseDynamic(dx.get(), dy.get(), n, 64 * 1024), cudaErrorInvalidValue);
  EXPECT_THAT(ErrorText(cudaErrorInvalidValue), HasSubstr("MaxDynamicSharedMemorySize"));
}

TEST_F(EmulatorTest, CopiesOutsideLiveAllocationsAreErrors) {
  float* d = nullptr;
  ASSERT_EQ(cudaMalloc(&d, 16 * sizeof(float)), cudaSuccess);
  std::vector<float> host(32, 1.0f);
  EXPECT_EQ(cudaMemcpy(d, host.data(), 17 * sizeof(float), cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  EXPECT_THAT(ErrorText(cudaErrorInvalidValue), HasSubstr("not inside one live device allocation"));
  EXPECT_EQ(cudaMemcpy(d + 1, host.data(), 16 * sizeof(float), cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpy(host.data(), d, 16 * sizeof(float), cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  EXPECT_EQ(cudaMemcpy(d, host.data(), 16 * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
  EXPECT_EQ(cudaMemset(d + 8, 0, 9 * sizeof(float)), cudaErrorInvalidValue);
  ASSERT_EQ(cudaFree(d), cudaSuccess);
  EXPECT_EQ(cudaMemcpy(host.data(), d, sizeof(float), cudaMemcpyDeviceToHost), cudaErrorInvalidValue);  // use after free
  EXPECT_EQ(cudaFree(d), cudaErrorInvalidValue);  // double free
  EXPECT_THAT(ErrorText(cudaErrorInvalidValue), HasSubstr("freed twice"));
  // None of these is sticky: the device still works.
  cudaGetLastError();
  DeviceBuffer<int> ok(4);
  EXPECT_EQ(cudaMemset(ok.get(), 0, 4 * sizeof(int)), cudaSuccess);
}

TEST_F(EmulatorTest, KernelGivenFreedMemoryFaultsStickily) {
  float* d = nullptr;
  ASSERT_EQ(cudaMalloc(&d, 128 * sizeof(float)), cudaSuccess);
  ASSERT_EQ(cudaFree(d), cudaSuccess);
  EXPECT_EQ(Affine(d, 2.0f, 1.0f, 128, nullptr), cudaErrorIllegalAddress);
  EXPECT_THAT(ErrorText(cudaErrorIllegalAddress), HasSubstr("AffineKernel: pointer argument 0"));
  // Sticky: every later call reports it, until the device is reset.
  EXPECT_EQ(cudaGetLastError(), cudaErrorIllegalAddress);
  EXPECT_EQ(cudaGetLastError(), cudaErrorIllegalAddress);
  EXPECT_EQ(cudaDeviceSynchronize(), cudaErrorIllegalAddress);
  void* p = nullptr;
  EXPECT_EQ(cudaMalloc(&p, 4), cudaErrorIllegalAddress);
  ASSERT_EQ(cudaDeviceReset(), cudaSuccess);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  EXPECT_EQ(cudaMalloc(&p, 4), cudaSuccess);
}

TEST_F(EmulatorTest, GraphCaptureRecordsAndReplaysLaunchesAndCopies) {
  const int n = 300;
  cudaStream_t s = nullptr;
  ASSERT_EQ(cudaStreamCreate(&s), cudaSuccess);
  std::vector<float> host(n, 1.0f), back(n, 0.0f);
  DeviceBuffer<float> x(static_cast<size_t>(n));
  ASSERT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal), cudaSuccess);
  cudaStreamCaptureStatus status;
  ASSERT_EQ(cudaStreamIsCapturing(s, &status), cudaSuccess);
  EXPECT_EQ(status, cudaStreamCaptureStatusActive);
  ASSERT_EQ(cudaMemcpyAsync(x.get(), host.data(), n * sizeof(float), cudaMemcpyHostToDevice, s), cudaSuccess);
  ASSERT_EQ(Affine(x.get(), 2.0f, 1.0f, n, s), cudaSuccess);
  ASSERT_EQ(Affine(x.get(), 1.0f, -0.5f, n, s), cudaSuccess);
  ASSERT_EQ(cudaMemcpyAsync(back.data(), x.get(), n * sizeof(float), cudaMemcpyDeviceToHost, s), cudaSuccess);
  // Capturing records; nothing ran yet.
  EXPECT_EQ(back[0], 0.0f);
  cudaGraph_t graph = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(s, &graph), cudaSuccess);
  cudaGraphExec_t exec = nullptr;
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
  for (int replay = 0; replay < 3; ++replay) {
    host.assign(n, static_cast<float>(replay));  // the copy reads the host buffer when it runs
    ASSERT_EQ(cudaGraphLaunch(exec, s), cudaSuccess) << ErrorText(cudaGetLastError());
    ASSERT_EQ(cudaStreamSynchronize(s), cudaSuccess);
    EXPECT_EQ(back, std::vector<float>(n, 2.0f * replay + 0.5f)) << "replay " << replay;
  }
  EXPECT_EQ(cudaGraphExecDestroy(exec), cudaSuccess);
  EXPECT_EQ(cudaGraphDestroy(graph), cudaSuccess);
  EXPECT_EQ(cudaStreamDestroy(s), cudaSuccess);
}

TEST_F(EmulatorTest, IllegalCallsDuringCaptureInvalidateIt) {
  cudaStream_t s = nullptr;
  ASSERT_EQ(cudaStreamCreate(&s), cudaSuccess);
  DeviceBuffer<float> x(64);
  EXPECT_EQ(cudaStreamBeginCapture(nullptr, cudaStreamCaptureModeGlobal), cudaErrorStreamCaptureUnsupported);
  ASSERT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal), cudaSuccess);
  ASSERT_EQ(Affine(x.get(), 1.0f, 0.0f, 64, s), cudaSuccess);
  EXPECT_EQ(cudaStreamSynchronize(s), cudaErrorStreamCaptureUnsupported);
  cudaGraph_t graph = nullptr;
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorStreamCaptureInvalidated);
  EXPECT_EQ(graph, nullptr);
  // Work on the legacy stream while another stream captures is illegal too.
  ASSERT_EQ(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal), cudaSuccess);
  EXPECT_EQ(Affine(x.get(), 1.0f, 0.0f, 64, nullptr), cudaErrorStreamCaptureImplicit);
  EXPECT_EQ(cudaStreamEndCapture(s, &graph), cudaErrorStreamCaptureInvalidated);
  cudaGetLastError();
  EXPECT_EQ(cudaStreamDestroy(s), cudaSuccess);
}

TEST_F(EmulatorTest, EventsTimeWorkOnAStream) {
  cudaEvent_t a, b;
  ASSERT_EQ(cudaEventCreate(&a), cudaSuccess);
  ASSERT_EQ(cudaEventCreate(&b), cudaSuccess);
  float ms = -1.0f;
  EXPECT_EQ(cudaEventElapsedTime(&ms, a, b), cudaErrorInvalidResourceHandle);  // never recorded
  DeviceBuffer<float> x(std::vector<float>(1000, 1.0f));
  ASSERT_EQ(cudaEventRecord(a), cudaSuccess);
  ASSERT_EQ(Affine(x.get(), 3.0f, 0.0f, 1000, nullptr), cudaSuccess);
  ASSERT_EQ(cudaEventRecord(b), cudaSuccess);
  ASSERT_EQ(cudaEventSynchronize(b), cudaSuccess);
  ASSERT_EQ(cudaEventElapsedTime(&ms, a, b), cudaSuccess);
  EXPECT_GE(ms, 0.0f);
  EXPECT_EQ(cudaEventDestroy(a), cudaSuccess);
  EXPECT_EQ(cudaEventDestroy(b), cudaSuccess);
  EXPECT_EQ(cudaEventDestroy(b), cudaErrorInvalidResourceHandle);
}

TEST_F(EmulatorTest, HalfAndBfloat16ConversionsRoundToNearestEven) {
  // Exhaustive over every 16-bit pattern: to float and back is the identity (NaN -> 0x7fff).
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const auto u = static_cast<unsigned short>(h);
    const float fb = __bfloat162float(__ushort_as_bfloat16(u));
    const float fh = __half2float(__ushort_as_half(u));
    const bool nan_b = fb != fb, nan_h = fh != fh;
    ASSERT_EQ(__bfloat16_as_ushort(__float2bfloat16(fb)), nan_b ? 0x7fff : u) << h;
    ASSERT_EQ(__half_as_ushort(__float2half(fh)), nan_h ? 0x7fff : u) << h;
  }
  // Ties go to the even neighbour; just above a tie rounds up.
  EXPECT_EQ(__bfloat16_as_ushort(__float2bfloat16(1.00390625f)), 0x3f80);      // 1 + 2^-8: tie, down to even
  EXPECT_EQ(__bfloat16_as_ushort(__float2bfloat16(1.01171875f)), 0x3f82);      // 1 + 3*2^-8: tie, up to even
  EXPECT_EQ(__half_as_ushort(__float2half(1.00048828125f)), 0x3c00);           // 1 + 2^-11: tie, down
  EXPECT_EQ(__half_as_ushort(__float2half(65520.0f)), 0x7c00);                 // rounds to infinity
  EXPECT_EQ(__half_as_ushort(__float2half(65519.0f)), 0x7bff);                 // largest finite
  EXPECT_EQ(__half_as_ushort(__float2half(2.98023223876953125e-8f)), 0x0000);  // 2^-25: tie to zero
  EXPECT_EQ(__half_as_ushort(__float2half(2.98023259404e-8f)), 0x0001);        // just above: smallest subnormal
}

}  // namespace
}  // namespace switchyard::cuda::test
