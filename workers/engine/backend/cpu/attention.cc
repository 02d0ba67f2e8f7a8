#include "workers/engine/backend/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "workers/engine/backend/cpu/ops.h"

namespace switchyard::cpu {

void AttentionItems(const AttentionArgs& a, int64_t begin, int64_t end, std::vector<float>* scores) {
  const int64_t group = a.heads / a.kv_heads;
  const int64_t bs = a.pool->shape().block_size;
  const int64_t d = a.dim;
  for (int64_t item = begin; item < end; ++item) {
    const int64_t t = item / a.heads, h = item % a.heads, g = h / group;
    const AttentionToken& tok = a.tokens[t];
    const int64_t n = tok.position + 1;
    const float* q = a.q + (t * a.heads + h) * d;
    scores->resize(static_cast<size_t>(n));
    float* sc = scores->data();
    for (int64_t j = 0; j < n; ++j) {
      const int32_t block = (*tok.blocks)[static_cast<size_t>(j / bs)];
      const float* k = a.pool->K(a.layer, block) + (g * bs + j % bs) * d;
      sc[j] = Dot(q, k, d) * a.scale;
    }
    Softmax(sc, n);
    float* o = a.out + (t * a.heads + h) * d;
    std::memset(o, 0, static_cast<size_t>(d) * sizeof(float));
    for (int64_t j = 0; j < n; ++j) {
      const int32_t block = (*tok.blocks)[static_cast<size_t>(j / bs)];
      const float* v = a.pool->V(a.layer, block) + (g * bs + j % bs) * d;
      AxpyInPlace(o, sc[j], v, d);
    }
  }
}

void Attention(const AttentionArgs& a, ThreadPool& pool) {
  pool.For(a.T * a.heads, [&](int64_t begin, int64_t end) {
    std::vector<float> scores;
    AttentionItems(a, begin, end, &scores);
  });
}

}  // namespace switchyard::cpu
