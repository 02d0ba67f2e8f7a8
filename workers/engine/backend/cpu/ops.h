// Elementwise and row-wise kernels of the Qwen3 block on the CPU, one op per function, each
// with its shapes and cost. All f32. `ith`/`nth` split rows across a ThreadPool's threads.
#ifndef SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_OPS_H_
#define SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_OPS_H_

#include <cstdint>
#include <vector>

#include "workers/engine/util/dtype.h"

namespace switchyard::cpu {

// rms_norm  y[r,:] = x[r,:] * w / sqrt(mean(x[r,:]^2) + eps)   x,y: [rows, n]  w: [n]
// bytes: 4 * (2*rows*n + n)   flops: 4 * rows * n.  y may equal x.
void RmsNorm(const float* x, const float* w, float* y, int64_t rows, int64_t n, float eps);

// The residual add and the next RmsNorm in one pass: x[r,:] += add[r,:], then y[r,:] =
// RmsNorm(x[r,:]) with w, the same arithmetic as AddInPlace then RmsNorm.   x,add,y: [rows, n]
void AddRmsNorm(float* x, const float* add, const float* w, float* y, int64_t rows, int64_t n, float eps);

// rotary embedding, rotate-half layout, in place on x: [rows, heads, dim]; token r uses
// cos/sin row r of [rows, dim/2]:  (a, b) = (x[i], x[i+dim/2]) -> (a*c - b*s, b*c + a*s)
// bytes: 4 * (2*rows*heads*dim + rows*dim)   flops: 3 * rows * heads * dim
void Rope(float* x, int64_t rows, int64_t heads, int64_t dim, const float* cos, const float* sin);

// Qwen3's per-head q/k norm and rotary embedding in one pass, in place on x: [rows, heads, dim]:
// RmsNorm of each head's dim values with w: [dim], then Rope with cos/sin row r. The same
// arithmetic as the two calls, each head read and written once instead of twice.
void HeadNormRope(float* x, const float* w, int64_t rows, int64_t heads, int64_t dim, float eps, const float* cos,
                  const float* sin);

// swiglu  g[i] = silu(g[i]) * u[i] = g / (1 + exp(-g)) * u      g,u: [n]
// bytes: 12 * n   flops: ~6 * n
void SiluMul(float* g, const float* u, int64_t n);

// y[i] += x[i]   bytes: 12 * n
void AddInPlace(float* y, const float* x, int64_t n);
// y[i] += a * x[i]
void AxpyInPlace(float* y, float a, const float* x, int64_t n);

// Converts n weights of type t to f32.
void ToF32(const void* src, DType t, float* dst, int64_t n);

// In-place softmax over n values; returns nothing, all f32 with max subtraction.
void Softmax(float* x, int64_t n);

// The MoE router of one token, as Qwen3-MoE defines it: softmax over its E logits in place
// (f32), then the k most probable experts (ties: the lower id first) into ids[0, k), and their
// probabilities into weights[0, k), renormalized to sum 1 when `renormalize` (norm_topk_prob).
// `order` is the caller's scratch (grown to E), so routing a batch allocates nothing per token.
void RouterTopK(float* logits, int64_t E, int64_t k, bool renormalize, int64_t* ids, float* weights,
                std::vector<int64_t>* order);

// Dot product of two f32 vectors (the attention inner loop).
float Dot(const float* a, const float* b, int64_t n);

}  // namespace switchyard::cpu

#endif  // SWITCHYARD_WORKERS_ENGINE_BACKEND_CPU_OPS_H_
