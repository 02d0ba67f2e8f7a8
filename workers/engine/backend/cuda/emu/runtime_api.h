// The CUDA runtime API (cuda_runtime_api.h) as the CUDA emulator implements it: device memory,
// streams, events, errors and CUDA graph capture, with CUDA's names, signatures and documented
// error behaviour, so the backend's host code compiles and behaves the same against either.
//
// The emulated device executes every operation when it is enqueued, in order, on the calling
// thread; streams and events are bookkeeping, and a stream being captured records operations
// into a graph instead of running them. Device memory is host memory, tracked per allocation:
// copies that leave a live allocation, frees of unknown pointers and kernel arguments that point
// at freed or host memory are errors, not silent corruption.
//
// Errors follow CUDA: a failed call returns its error and remembers it for cudaGetLastError
// (per host thread); faults inside a kernel (a shared-memory race, a bad warp shuffle, ...) are
// sticky: every later call returns them until cudaDeviceReset. cudaGetErrorString of the sticky
// error returns the emulator's full diagnostic (which thread, which array, which line).
// Thread safety: every call may be made from any thread; operations are serialized.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_RUNTIME_API_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_RUNTIME_API_H_

#include <cstddef>

#include "workers/engine/backend/cuda/emu/runtime_types.h"

// Errors
cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
const char* cudaGetErrorString(cudaError_t error);
const char* cudaGetErrorName(cudaError_t error);

// Device
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceSynchronize();
// Frees every allocation, stream, event and graph and clears a sticky error.
cudaError_t cudaDeviceReset();
cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value);
template <class T>
cudaError_t cudaFuncSetAttribute(T* entry, cudaFuncAttribute attr, int value) {
  return cudaFuncSetAttribute(reinterpret_cast<const void*>(entry), attr, value);
}

// Memory
cudaError_t cudaMalloc(void** dev_ptr, size_t size);
template <class T>
cudaError_t cudaMalloc(T** dev_ptr, size_t size) {
  return cudaMalloc(reinterpret_cast<void**>(dev_ptr), size);
}
cudaError_t cudaFree(void* dev_ptr);
cudaError_t cudaMallocHost(void** ptr, size_t size);
cudaError_t cudaFreeHost(void* ptr);
cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, cudaMemcpyKind kind, cudaStream_t stream = 0);
cudaError_t cudaMemset(void* dev_ptr, int value, size_t count);
cudaError_t cudaMemsetAsync(void* dev_ptr, int value, size_t count, cudaStream_t stream = 0);

// Streams
cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaStreamQuery(cudaStream_t stream);
cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags = 0);

// Events
cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags);
cudaError_t cudaEventDestroy(cudaEvent_t event);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = 0);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventQuery(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);

// Graphs: capture records kernel launches, copies, memsets, event records and cuBLAS calls;
// a launch replays them in capture order with the arguments captured.
cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode mode);
cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph);
cudaError_t cudaStreamIsCapturing(cudaStream_t stream, cudaStreamCaptureStatus* status);
cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long flags = 0);
cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream);
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec);
cudaError_t cudaGraphDestroy(cudaGraph_t graph);

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CUDA_EMU_RUNTIME_API_H_
