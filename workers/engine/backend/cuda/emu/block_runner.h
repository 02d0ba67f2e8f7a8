// RunGrid: executes one kernel launch of the CUDA emulator, block after block on the calling
// thread, each block's threads as Boost.Context fibers.
//
// A thread runs until it reaches __syncthreads, a warp-level call or its end; the scheduler
// then resumes the next runnable thread of the block. So a fiber switch happens only where
// CUDA threads synchronize, and plain arithmetic runs at host speed. When no thread can run,
// the block is either at a barrier every thread reached (released) or stuck (a fault naming
// who waits for whom: the emulator reports deadlocks, it never hangs).
//
// Faults inside a kernel (see device_builtins.h and shared_memory.h) stop the launch; the
// remaining blocks do not run, and the first fault is returned.
// Thread safety: one RunGrid per host thread at a time (state is thread-local).
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_BLOCK_RUNNER_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_BLOCK_RUNNER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "workers/engine/backend/cuda/emu/runtime_types.h"

namespace switchyard::emu {

struct Fault {
  cudaError_t code = cudaErrorLaunchFailure;
  std::string message;
};

struct GridShape {
  dim3 grid, block;
  size_t dynamic_smem = 0;  // bytes, the launch's third <<< >>> argument
  size_t smem_limit = 0;    // static + dynamic bytes a block may use
};

// The order in which the scheduler resumes a block's runnable threads. CUDA promises none, so
// tests run kernels both ways: a kernel that is right only in one order has a race.
enum class ThreadOrder { kAscending, kDescending };
// Process-wide; takes effect at the next launch.
void SetThreadOrder(ThreadOrder order);
ThreadOrder GetThreadOrder();

// Runs `thread_body` once per thread of every block of `shape` (REQUIRES: a valid shape).
// Returns the first fault, or nullopt when every thread finished cleanly.
std::optional<Fault> RunGrid(const GridShape& shape, const std::function<void()>& thread_body);

}  // namespace switchyard::emu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_BLOCK_RUNNER_H_
