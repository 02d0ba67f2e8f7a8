#include "workers/engine/runtime/qwen3_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "workers/engine/backend/cpu/attention.h"
#include "workers/engine/backend/cpu/matmul.h"
#include "workers/engine/backend/cpu/ops.h"

namespace switchyard {

struct Qwen3Runner::Layer {
  std::vector<float> input_norm, q_norm, k_norm, post_norm;  // small: kept as f32 copies
  TensorView wq, wk, wv, wo;
  bool moe = false;
  TensorView gate, up, down;        // dense MLP
  std::vector<float> router;        // [experts, hidden] f32: routing is computed in f32
  struct Expert {
    TensorView gate, up, down;
  };
  std::vector<Expert> experts;
};

namespace {

std::vector<float> F32Copy(const TensorView& t) {
  std::vector<float> out(static_cast<size_t>(t.numel()));
  cpu::ToF32(t.data, t.dtype, out.data(), t.numel());
  return out;
}

void Grow(std::vector<float>& v, int64_t n) {
  if (static_cast<int64_t>(v.size()) < n) v.resize(static_cast<size_t>(n));
}

}  // namespace

Qwen3Runner::Qwen3Runner(const LoadedModel& model, const RunnerOptions& options, RopeTable rope)
    : model_(model), config_(model.config()), mode_{ResolveSimdLevel(options.simd), options.bf16_activations}, profile_(options.profile), pool_(options.threads),
      rope_(std::move(rope)) {}

Qwen3Runner::~Qwen3Runner() = default;

absl::StatusOr<std::unique_ptr<Qwen3Runner>> Qwen3Runner::Create(const LoadedModel& model, const RunnerOptions& options) {
  auto rope = RopeTable::Create(model.config());
  if (!rope.ok()) return rope.status();
  auto r = std::make_unique<Qwen3Runner>(model, options, std::move(*rope));
  const ModelConfig& c = r->config_;
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
    const std::string p = absl::StrCat("model.layers.", l, ".");
    Layer layer;
    layer.input_norm = F32Copy(model.Tensor(p + "input_layernorm.weight"));
    layer.post_norm = F32Copy(model.Tensor(p + "post_attention_layernorm.weight"));
    layer.q_norm = F32Copy(model.Tensor(p + "self_attn.q_norm.weight"));
    layer.k_norm = F32Copy(model.Tensor(p + "self_attn.k_norm.weight"));
    layer.wq = model.Tensor(p + "self_attn.q_proj.weight");
    layer.wk = model.Tensor(p + "self_attn.k_proj.weight");
    layer.wv = model.Tensor(p + "self_attn.v_proj.weight");
    layer.wo = model.Tensor(p + "self_attn.o_proj.weight");
    layer.moe = c.IsMoeLayer(l);
    if (layer.moe) {
      layer.router = F32Copy(model.Tensor(p + "mlp.gate.weight"));
      for (int64_t e = 0; e < c.num_experts; ++e) {
        const std::string x = absl::StrCat(p, "mlp.experts.", e, ".");
        layer.experts.push_back(Layer::Expert{model.Tensor(x + "gate_proj.weight"), model.Tensor(x + "up_proj.weight"),
                                              model.Tensor(x + "down_proj.weight")});
      }
    } else {
      layer.gate = model.Tensor(p + "mlp.gate_proj.weight");
      layer.up = model.Tensor(p + "mlp.up_proj.weight");
      layer.down = model.Tensor(p + "mlp.down_proj.weight");
    }
    r->layers_.push_back(std::move(layer));
  }
  r->final_norm_ = F32Copy(model.Tensor("model.norm.weight"));
  r->embedding_ = model.Tensor("model.embed_tokens.weight");
  r->lm_head_ = model.Tensor("lm_head.weight");
  return r;
}

std::string Qwen3Runner::ProfileReport() const {
  static constexpr const char* kNames[] = {"norms+rope+kv", "qkv matmul", "attention", "o matmul", "mlp matmuls", "lm head", "other"};
  double total = 0;
  for (double s : profile_seconds_) total += s;
  std::string out;
  for (size_t i = 0; i < profile_seconds_.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", kNames[i], " ", absl::SixDigits(profile_seconds_[i] * 1e3), " ms (",
                    absl::SixDigits(total > 0 ? 100 * profile_seconds_[i] / total : 0), "%)");
  }
  return out;
}

KvCacheShape Qwen3Runner::kv_shape(int64_t block_size, DType dtype) const {
  return ModelKvShape(config_, block_size, dtype);
}

KvPoolSpec Qwen3Runner::KvPoolFor(const KvPoolSpec& wish) const {
  return KvPoolSpec{kv_shape(wish.shape.block_size, wish.shape.dtype), wish.num_blocks, KvMemory::kHost};
}

namespace {

// y = x . w^T inside a parallel region: the calling thread takes chunks of rows from the
// pool's counter `slot` (ThreadPool::Share) until none is left. With `residual`, each chunk's
// outputs are then added into residual ([T][M], the model's residual stream) by the thread that
// computed them, while they are in L1: no separate pass, and no wait for the other threads.
void Linear(ThreadPool& pool, int slot, int ith, const float* x, int64_t T, int64_t K, const TensorView& w, float* y,
            const MatmulMode& mode, float* residual = nullptr) {
  const int64_t M = w.shape[0];
  MatmulArgs args = mode.Args(x, T, K, w.data, w.dtype, M, y);
  args.x_version = NextActivationVersion();
  const int64_t chunk = pool.ChunkFor(M, K * static_cast<int64_t>(DTypeSize(w.dtype)), 16);
  pool.Share(slot, ith, M, chunk, [&](int64_t b, int64_t e) {
    MatmulRows(args, b, e, mode.simd);
    if (residual != nullptr) {
      for (int64_t t = 0; t < T; ++t) cpu::AddInPlace(residual + t * M + b, y + t * M + b, e - b);
    }
  });
}

}  // namespace

void Qwen3Runner::ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) { pool_.ForEach(n, fn); }

void Qwen3Runner::Mlp(const Layer& L, int64_t T, int ith, int nth) {
  const int64_t h = config_.hidden_size, f = config_.intermediate_size;
  // A chunk's rows of gate and up, then SwiGLU on those rows by the same thread: no wait for
  // the others between them.
  MatmulArgs gate = mode_.Args(Xn(ith), T, h, L.gate.data, L.gate.dtype, f, gate_.data());
  MatmulArgs up = mode_.Args(Xn(ith), T, h, L.up.data, L.up.dtype, f, up_.data());
  gate.x_version = up.x_version = NextActivationVersion();  // one input: rounded once
  const int64_t chunk = pool_.ChunkFor(f, 2 * h * static_cast<int64_t>(DTypeSize(L.gate.dtype)), 16);
  pool_.Share(0, ith, f, chunk, [&](int64_t b, int64_t e) {
    MatmulRows(gate, b, e, mode_.simd);
    MatmulRows(up, b, e, mode_.simd);
    for (int64_t t = 0; t < T; ++t) cpu::SiluMul(gate_.data() + t * f + b, up_.data() + t * f + b, e - b);
  });
  pool_.Barrier();
  Linear(pool_, 0, ith, gate_.data(), T, f, L.down, tmp_.data(), mode_, x_.data());
}

void Qwen3Runner::Moe(const Layer& L, int64_t T, int ith, int nth) {
  const int64_t h = config_.hidden_size, E = config_.num_experts, k = config_.num_experts_per_tok;
  const int64_t f = config_.moe_intermediate_size;
  {
    const auto [b, e] = ThreadPool::Range(E, ith, nth);
    if (b < e) MatmulRows(mode_.Args(Xn(ith), T, h, L.router.data(), DType::kF32, E, router_.data()), b, e, mode_.simd);
  }
  pool_.Barrier();
  if (ith == 0) {
    // Router: softmax over experts in f32, top-k, optional renormalization. Cheap: one thread.
    for (auto& list : routed_) list.clear();
    std::vector<int64_t> order, ids(static_cast<size_t>(k));
    std::vector<float> weights(static_cast<size_t>(k));
    for (int64_t t = 0; t < T; ++t) {
      cpu::RouterTopK(router_.data() + t * E, E, k, config_.norm_topk_prob, ids.data(), weights.data(), &order);
      for (size_t j = 0; j < ids.size(); ++j) routed_[static_cast<size_t>(ids[j])].emplace_back(t, weights[j]);
    }
    int64_t most = 0;
    for (const auto& list : routed_) most = std::max<int64_t>(most, static_cast<int64_t>(list.size()));
    Grow(expert_in_, most * h);
    Grow(expert_gate_, most * f);
    Grow(expert_up_, most * f);
    Grow(expert_out_, most * h);
    std::fill(tmp_.begin(), tmp_.begin() + T * h, 0.0f);
  }
  pool_.Barrier();
  for (int64_t e = 0; e < E; ++e) {
    const auto& list = routed_[static_cast<size_t>(e)];
    if (list.empty()) continue;
    const int64_t n = static_cast<int64_t>(list.size());
    {
      const auto [b, end] = ThreadPool::Range(n, ith, nth);
      for (int64_t i = b; i < end; ++i) {
        std::memcpy(expert_in_.data() + i * h, Xn(ith) + list[static_cast<size_t>(i)].first * h, static_cast<size_t>(h) * 4);
      }
    }
    pool_.Barrier();
    const Layer::Expert& ex = L.experts[static_cast<size_t>(e)];
    {
      MatmulArgs gate = mode_.Args(expert_in_.data(), n, h, ex.gate.data, ex.gate.dtype, f, expert_gate_.data());
      MatmulArgs up = mode_.Args(expert_in_.data(), n, h, ex.up.data, ex.up.dtype, f, expert_up_.data());
      gate.x_version = up.x_version = NextActivationVersion();
      const int64_t chunk = pool_.ChunkFor(f, 2 * h * static_cast<int64_t>(DTypeSize(ex.gate.dtype)), 16);
      pool_.Share(0, ith, f, chunk, [&](int64_t b, int64_t end) {
        MatmulRows(gate, b, end, mode_.simd);
        MatmulRows(up, b, end, mode_.simd);
        for (int64_t t = 0; t < n; ++t) cpu::SiluMul(expert_gate_.data() + t * f + b, expert_up_.data() + t * f + b, end - b);
      });
    }
    pool_.Barrier();
    Linear(pool_, 0, ith, expert_gate_.data(), n, f, ex.down, expert_out_.data(), mode_);
    pool_.Barrier();
    {
      // Weighted sum into the layer output, threads splitting the hidden dimension.
      const auto [b, end] = ThreadPool::Range(h, ith, nth, 16);
      for (int64_t i = 0; i < n && b < end; ++i) {
        const auto [t, w] = list[static_cast<size_t>(i)];
        cpu::AxpyInPlace(tmp_.data() + t * h + b, w, expert_out_.data() + i * h + b, end - b);
      }
    }
    pool_.Barrier();
  }
  {
    // The residual add that dense layers fold into the down product.
    const auto [b, end] = ThreadPool::Range(h, ith, nth, 16);
    for (int64_t t = 0; t < T && b < end; ++t) cpu::AddInPlace(x_.data() + t * h + b, tmp_.data() + t * h + b, end - b);
  }
  pool_.Barrier();
}

absl::Status Qwen3Runner::Forward(absl::Span<const SequenceChunk> chunks, float* logits) {
  const ModelConfig& c = config_;
  const int64_t h = c.hidden_size, H = c.num_attention_heads, G = c.num_key_value_heads, d = c.head_dim;
  if (chunks.empty()) return absl::InvalidArgumentError("CPU runner: no sequence chunks");
  int64_t T = 0;
  for (const SequenceChunk& ch : chunks) {
    if (absl::Status s = ValidateChunk(ch, c); !s.ok()) return s;
    if (!ch.kv->pool()->has_memory()) {
      return absl::FailedPreconditionError(
          "CPU runner: a sequence's KvBlockPool is bookkeeping-only (its K/V data lives in device memory); "
          "build it with KvPoolFor() / MakeKvPool");
    }
    T += static_cast<int64_t>(ch.tokens.size());
  }
  // Reserve cache space before computing anything. On ResourceExhausted no sequence's length
  // changes; blocks already reserved by earlier chunks stay with their sequences for next time.
  for (const SequenceChunk& ch : chunks) {
    if (absl::Status s = ch.kv->Reserve(ch.kv->length() + static_cast<int64_t>(ch.tokens.size())); !s.ok()) return s;
  }

  Grow(x_, T * h);
  xn_.resize(static_cast<size_t>(pool_.size()));
  for (std::vector<float>& xn : xn_) Grow(xn, T * h);
  Grow(q_, T * H * d);
  Grow(k_, T * G * d);
  Grow(v_, T * G * d);
  Grow(attn_, T * H * d);
  Grow(tmp_, T * h);
  Grow(gate_, T * std::max<int64_t>(c.intermediate_size, 1));
  Grow(up_, T * std::max<int64_t>(c.intermediate_size, 1));
  Grow(cos_, T * d / 2);
  Grow(sin_, T * d / 2);
  if (c.architecture == Architecture::kQwen3Moe) {
    Grow(router_, T * c.num_experts);
    routed_.resize(static_cast<size_t>(c.num_experts));
  }
  // Per-token bookkeeping, in members reused from call to call (no allocation per token once
  // the largest batch has been seen).
  positions_.resize(static_cast<size_t>(T));
  std::vector<cpu::AttentionToken>& att = att_;
  std::vector<std::pair<KvSequence*, int64_t>>& slot = slot_;  // token -> (sequence, position)
  std::vector<int32_t>& ids = ids_;
  att.resize(static_cast<size_t>(T));
  slot.resize(static_cast<size_t>(T));
  ids.resize(static_cast<size_t>(T));
  {
    int64_t t = 0;
    for (const SequenceChunk& ch : chunks) {
      for (size_t i = 0; i < ch.tokens.size(); ++i, ++t) {
        const int64_t pos = ch.kv->length() + static_cast<int64_t>(i);
        positions_[static_cast<size_t>(t)] = pos;
        att[static_cast<size_t>(t)] = cpu::AttentionToken{&ch.kv->blocks(), pos};
        slot[static_cast<size_t>(t)] = {ch.kv, pos};
        ids[static_cast<size_t>(t)] = ch.tokens[i];
      }
    }
  }
  // Rows whose logits are wanted: the last token of each chunk, or all of them.
  std::vector<int64_t>& head_rows = head_rows_;
  head_rows.clear();
  {
    int64_t t = 0;
    for (const SequenceChunk& ch : chunks) {
      const int64_t n = static_cast<int64_t>(ch.tokens.size());
      if (ch.want_logits) {
        for (int64_t i = ch.all_logits ? t : t + n - 1; i < t + n; ++i) head_rows.push_back(i);
      }
      t += n;
    }
  }
  const int64_t rows = static_cast<int64_t>(head_rows.size());
  Grow(head_in_, rows * h);
  rope_.Fill(positions_.data(), T, cos_.data(), sin_.data());
  const float eps = static_cast<float>(c.rms_norm_eps);
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  KvBlockPool* pool = chunks.front().kv->pool();
  const int64_t bs = pool->shape().block_size;
  const int64_t row_bytes = h * static_cast<int64_t>(DTypeSize(embedding_.dtype));
  scores_.resize(static_cast<size_t>(pool_.size()));
  // Every chunk one token (decode steps): no token attends to another token of this pass.
  const bool one_token_each = T == static_cast<int64_t>(chunks.size());

  // The whole forward pass is one parallel region: threads split each op (matmul rows, tokens,
  // attention heads) and meet at a barrier before the next op needs the result.
  using Clock = std::chrono::steady_clock;
  Clock::time_point last = Clock::now();
  // Wall time per phase, seen by thread 0 (including its wait at the phase's barrier).
  auto mark = [&](int ith, Phase phase) {
    if (!profile_ || ith != 0) return;
    const Clock::time_point now = Clock::now();
    profile_seconds_[static_cast<size_t>(phase)] += std::chrono::duration<double>(now - last).count();
    last = now;
  };
  pool_.Run([&](int ith, int nth) {
    auto tokens = ThreadPool::Range(T, ith, nth);
    const int64_t tb = tokens.first, te = tokens.second;
    for (int64_t t = tb; t < te; ++t) {
      cpu::ToF32(static_cast<const uint8_t*>(embedding_.data) + ids[static_cast<size_t>(t)] * row_bytes, embedding_.dtype,
                 x_.data() + t * h, h);
    }
    std::vector<float>& scores = scores_[static_cast<size_t>(ith)];
    float* xn = Xn(ith);
    mark(ith, Phase::kOther);
    pool_.Barrier();  // every embedding row written
    // Every thread normalizes all rows into its own copy (Xn): layer 0's input norm here, each
    // later one right after the residual add that ends the layer before it.
    cpu::RmsNorm(x_.data(), layers_[0].input_norm.data(), xn, T, h, eps);
    mark(ith, Phase::kNorms);
    for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
      const Layer& L = layers_[static_cast<size_t>(l)];
      Linear(pool_, 0, ith, xn, T, h, L.wq, q_.data(), mode_);
      Linear(pool_, 1, ith, xn, T, h, L.wk, k_.data(), mode_);
      Linear(pool_, 2, ith, xn, T, h, L.wv, v_.data(), mode_);
      pool_.Barrier();
      mark(ith, Phase::kQkv);
      // One (token, kv head) item at a time: items differ in cost (each sequence has its own
      // context length), so they are shared, not split.
      const cpu::AttentionArgs attention{q_.data(), attn_.data(), T, H, G, d, scale, l, pool, att.data()};
      if (one_token_each) {
        // Decode: an item's token is its sequence's only new one, so the item can normalize,
        // rotate and cache its own heads and attend at once; no item reads what another writes.
        pool_.Share(0, ith, T * G, 1, [&](int64_t b, int64_t e) {
          for (int64_t it = b; it < e; ++it) {
            const int64_t t = it / G, g = it % G;
            cpu::HeadNormRope(q_.data() + (t * H + g * (H / G)) * d, L.q_norm.data(), 1, H / G, d, eps, cos_.data() + t * d / 2,
                              sin_.data() + t * d / 2);
            float* kh = k_.data() + (t * G + g) * d;
            cpu::HeadNormRope(kh, L.k_norm.data(), 1, 1, d, eps, cos_.data() + t * d / 2, sin_.data() + t * d / 2);
            const auto [kv, pos] = slot[static_cast<size_t>(t)];
            pool->WriteHead(l, kv->blocks()[static_cast<size_t>(pos / bs)], pos % bs, g, kh, v_.data() + (t * G + g) * d);
          }
          cpu::AttentionItems(attention, b, e, &scores);
        });
      } else {
        if (tb < te) {
          cpu::HeadNormRope(q_.data() + tb * H * d, L.q_norm.data(), te - tb, H, d, eps, cos_.data() + tb * d / 2,
                            sin_.data() + tb * d / 2);
          cpu::HeadNormRope(k_.data() + tb * G * d, L.k_norm.data(), te - tb, G, d, eps, cos_.data() + tb * d / 2,
                            sin_.data() + tb * d / 2);
        }
        for (int64_t t = tb; t < te; ++t) {  // this batch's keys and values into the cache
          const auto [kv, pos] = slot[static_cast<size_t>(t)];
          pool->Write(l, kv->blocks()[static_cast<size_t>(pos / bs)], pos % bs, k_.data() + t * G * d, v_.data() + t * G * d);
        }
        pool_.Barrier();
        mark(ith, Phase::kNorms);
        pool_.Share(0, ith, T * G, 1, [&](int64_t b, int64_t e) { cpu::AttentionItems(attention, b, e, &scores); });
      }
      pool_.Barrier();
      mark(ith, Phase::kAttention);
      Linear(pool_, 0, ith, attn_.data(), T, H * d, L.wo, tmp_.data(), mode_, x_.data());
      pool_.Barrier();
      mark(ith, Phase::kOutProj);
      cpu::RmsNorm(x_.data(), L.post_norm.data(), xn, T, h, eps);
      mark(ith, Phase::kNorms);
      if (L.moe) {
        Moe(L, T, ith, nth);  // ends at a barrier after its residual add
      } else {
        Mlp(L, T, ith, nth);
        pool_.Barrier();
      }
      mark(ith, Phase::kMlp);
      if (l + 1 < c.num_hidden_layers) cpu::RmsNorm(x_.data(), layers_[static_cast<size_t>(l + 1)].input_norm.data(), xn, T, h, eps);
      mark(ith, Phase::kNorms);
    }
    // Final norm on the rows whose logits are wanted, then the head.
    const auto [rb, re] = ThreadPool::Range(rows, ith, nth);
    for (int64_t r = rb; r < re; ++r) {
      cpu::RmsNorm(x_.data() + head_rows[static_cast<size_t>(r)] * h, final_norm_.data(), head_in_.data() + r * h, 1, h, eps);
    }
    pool_.Barrier();
    mark(ith, Phase::kOther);
    if (rows > 0) Linear(pool_, 0, ith, head_in_.data(), rows, h, lm_head_, logits, mode_);
    pool_.Barrier();
    mark(ith, Phase::kHead);
  });
  for (const SequenceChunk& ch : chunks) ch.kv->set_length(ch.kv->length() + static_cast<int64_t>(ch.tokens.size()));
  return absl::OkStatus();
}

}  // namespace switchyard
