// ReadLoop: the fastest plain read of a memory region by N threads, the ceiling that decode's
// weight streaming is measured against. Each thread XORs its contiguous share with 256-bit
// loads (AVX2 where the CPU has it, 64-bit otherwise); a pass is timed from the moment all
// threads are released to the last one's end, so thread start-up is not counted.
#ifndef SWITCHYARD_BENCH_ENGINE_READ_LOOP_H_
#define SWITCHYARD_BENCH_ENGINE_READ_LOOP_H_

#include <cstddef>
#include <cstdint>

namespace switchyard::bench {

struct ReadPass {
  double seconds = 0;
  double gb_s = 0;  // bytes read / seconds / 1e9
};

// Reads [data, data + bytes) once with `threads` threads. `data` must be 32-byte aligned;
// a tail under 128 bytes per thread is not read (and not counted).
ReadPass ReadOnce(const uint8_t* data, size_t bytes, int threads);

// The load width ReadOnce uses on this CPU: "avx2" or "scalar".
const char* ReadLoopLoads();

}  // namespace switchyard::bench

#endif  // SWITCHYARD_BENCH_ENGINE_READ_LOOP_H_
