#include "workers/engine/sampling/sampler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace switchyard {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
// Buckets over z_max - z in [0, kRange): the rest share the last bucket. Below z_max - 32 a
// token weighs < e^-32; the whole tail of a 152k vocabulary weighs < 2e-9 of the max token, so
// top_p (a float below 1 - 5.9e-8) never cuts there and a draw lands there with probability
// < 2e-9 (then that bucket is sorted: slow, still exact). 2048 buckets over the row's actual
// spread leave ~100 tokens in a bucket, so a cut sorts only those.
constexpr int kBuckets = 2048;
constexpr double kRange = 32.0;
// top-k: a heap up to this k, else nth_element on a copy; the sorted explicit path when top-k
// leaves at most kSmall tokens (ties with the k-th can leave more than k).
constexpr int32_t kHeapMaxK = 1024;
constexpr int64_t kSmall = 4096;

// The weight of a token z below z_max. Exact in the subtraction (two floats in a double) and
// the same function everywhere, so the reference and the fast path see identical weights.
double Weight(float z, float zmax) { return std::exp(static_cast<double>(z) - static_cast<double>(zmax)); }

bool InDrawOrder(float za, int32_t ia, float zb, int32_t ib) { return za != zb ? za > zb : ia < ib; }

// The lowest id holding z == zmax.
int32_t FirstOf(const float* z, int64_t n, float zmax) {
  return static_cast<int32_t>(std::find(z, z + n, zmax) - z);
}

}  // namespace

Sampler::Sampler(const SamplingParams& params, int64_t vocab_size)
    : params_(params), vocab_(vocab_size), rng_(params.seed), seen_mask_(static_cast<size_t>(vocab_size), 0) {}

void Sampler::AddPrompt(absl::Span<const int32_t> prompt) {
  for (int32_t t : prompt) {
    if (t >= 0 && t < vocab_ && !seen_mask_[static_cast<size_t>(t)]) {
      seen_mask_[static_cast<size_t>(t)] = 1;
      seen_.push_back(t);
    }
  }
}

void Sampler::Accept(int32_t token) {
  if (token < 0 || token >= vocab_) return;
  ++output_counts_[token];
  if (!seen_mask_[static_cast<size_t>(token)]) {
    seen_mask_[static_cast<size_t>(token)] = 1;
    seen_.push_back(token);
  }
}

void Sampler::ApplyPenalties(float* logits) const {
  if (params_.repetition_penalty != 1.0f) {
    const float p = params_.repetition_penalty;
    for (int32_t t : seen_) logits[t] = logits[t] > 0 ? logits[t] / p : logits[t] * p;
  }
  if (params_.presence_penalty != 0.0f || params_.frequency_penalty != 0.0f) {
    for (const auto& [t, n] : output_counts_) {
      logits[t] -= params_.presence_penalty + params_.frequency_penalty * static_cast<float>(n);
    }
  }
}

std::pair<float, float> Sampler::Scale(float* logits) const {
  const float inv_t = 1.0f / params_.temperature;
  float zmax = -kInf, zmin = kInf;
  for (int64_t i = 0; i < vocab_; ++i) {
    float z = logits[i] * inv_t;
    if (std::isnan(z)) z = -kInf;  // NaN would break every ordering below
    logits[i] = z;
    zmax = std::max(zmax, z);
    if (z > -kInf) zmin = std::min(zmin, z);
  }
  return {zmax, zmin};
}

float Sampler::TopKThreshold(const float* z) {
  const int32_t k = params_.top_k;
  if (k <= 0 || k >= vocab_) return -kInf;
  if (k > kHeapMaxK) {  // rare: a copy, not kept
    std::vector<float> copy(z, z + vocab_);
    std::nth_element(copy.begin(), copy.begin() + (k - 1), copy.end(), std::greater<float>());
    return copy[static_cast<size_t>(k - 1)];
  }
  // A min-heap of the k largest: on a shuffled row only ~k ln(V/k) tokens ever enter it.
  heap_.assign(z, z + k);
  std::make_heap(heap_.begin(), heap_.end(), std::greater<float>());
  for (int64_t i = k; i < vocab_; ++i) {
    if (z[i] <= heap_.front()) continue;
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<float>());
    heap_.back() = z[i];
    std::push_heap(heap_.begin(), heap_.end(), std::greater<float>());
  }
  return heap_.front();
}

void Sampler::GatherSorted(const float* z, float zmax, float lo, std::vector<Candidate>* out) const {
  out->clear();
  for (int64_t i = 0; i < vocab_; ++i) {
    if (z[i] >= lo) out->push_back({z[i], static_cast<int32_t>(i), Weight(z[i], zmax)});
  }
  std::sort(out->begin(), out->end(),
            [](const Candidate& a, const Candidate& b) { return InDrawOrder(a.z, a.id, b.z, b.id); });
}

size_t Sampler::KeepSorted(absl::Span<const Candidate> sorted, double* kept_mass) const {
  size_t keep = sorted.size();
  if (params_.top_p < 1.0f) {
    double total = 0;
    for (const Candidate& c : sorted) total += c.w;
    // The smallest prefix whose mass reaches top_p (at least one token).
    const double target = static_cast<double>(params_.top_p) * total;
    double cum = 0;
    for (size_t i = 0; i < sorted.size(); ++i) {
      cum += sorted[i].w;
      if (cum >= target) {
        keep = i + 1;
        break;
      }
    }
  }
  if (params_.min_p > 0.0f) {
    // p >= min_p * p_max  <=>  z - z_max >= ln(min_p): a threshold on z, so a prefix.
    const double floor = std::log(static_cast<double>(params_.min_p));
    size_t n = 1;
    while (n < keep && static_cast<double>(sorted[n].z) - static_cast<double>(sorted[0].z) >= floor) ++n;
    keep = n;
  }
  double kept = 0;
  for (size_t i = 0; i < keep; ++i) kept += sorted[i].w;
  *kept_mass = kept;
  return keep;
}

namespace {

// The first of `n` sorted tokens whose cumulative weight, from `acc`, exceeds t; if rounding
// leaves none, the last with a positive weight; -1 if none has one.
template <typename C>
int32_t WalkTo(const C* sorted, size_t n, double acc, double t) {
  int32_t last = -1;
  for (size_t i = 0; i < n; ++i) {
    acc += sorted[i].w;
    if (sorted[i].w > 0) last = sorted[i].id;
    if (acc > t) return sorted[i].id;
  }
  return last;
}

}  // namespace

size_t Sampler::ReferenceKept(float* logits, double* kept_mass, int32_t* token) {
  ApplyPenalties(logits);
  if (params_.greedy()) {
    *token = static_cast<int32_t>(std::max_element(logits, logits + vocab_) - logits);
    return 0;
  }
  const float zmax = Scale(logits).first;
  if (!std::isfinite(zmax)) {
    *token = FirstOf(logits, vocab_, zmax);
    return 0;
  }
  GatherSorted(logits, zmax, TopKThreshold(logits), &sorted_);
  return KeepSorted(sorted_, kept_mass);
}

std::vector<std::pair<int32_t, double>> Sampler::Distribution(float* logits) {
  double kept = 0;
  int32_t token = -1;
  const size_t n = ReferenceKept(logits, &kept, &token);
  if (n == 0) return {{token, 1.0}};
  std::vector<std::pair<int32_t, double>> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(sorted_[i].id, sorted_[i].w / kept);
  return out;
}

int32_t Sampler::ReferenceDraw(float* logits, double u) {
  double kept = 0;
  int32_t token = -1;
  const size_t n = ReferenceKept(logits, &kept, &token);
  if (n == 0) return token;
  if (n == 1) return sorted_[0].id;
  const int32_t t = WalkTo(sorted_.data(), n, 0.0, u * kept);
  return t >= 0 ? t : sorted_[0].id;
}

int Sampler::BucketOf(float z) const {
  // gap * scale is NaN for z = -inf when the scale is 0; both land in the last bucket.
  const double x = (static_cast<double>(bucket_zmax_) - static_cast<double>(z)) * bucket_scale_;
  return x < kBuckets - 1 ? static_cast<int>(x) : kBuckets - 1;
}

void Sampler::GatherBucket(const float* z, float lo, int b, std::vector<Candidate>* out) const {
  out->clear();
  // A float window half a bucket wider than bucket b each side (and rounded outwards, for
  // buckets narrower than a float's spacing) rejects almost every token with two compares;
  // BucketOf() then decides exactly, so the window need not be exact.
  float hi = kInf, low = -kInf;
  if (bucket_scale_ > 0) {
    hi = std::nextafter(static_cast<float>(static_cast<double>(bucket_zmax_) - (b - 0.5) / bucket_scale_), kInf);
    if (b < kBuckets - 1) {
      low = std::nextafter(static_cast<float>(static_cast<double>(bucket_zmax_) - (b + 1.5) / bucket_scale_), -kInf);
    }
  }
  low = std::max(low, lo);
  for (int64_t i = 0; i < vocab_; ++i) {
    if (z[i] < low || z[i] > hi) continue;
    if (BucketOf(z[i]) == b) out->push_back({z[i], static_cast<int32_t>(i), Weight(z[i], bucket_zmax_)});
  }
  std::sort(out->begin(), out->end(),
            [](const Candidate& a, const Candidate& c) { return InDrawOrder(a.z, a.id, c.z, c.id); });
}

template <typename Draw>
int32_t Sampler::SampleBucketed(const float* z, float zmax, float zmin, float lo, Draw draw) {
  // Bucket by z_max - z over the row's own spread (capped at kRange): bucket order is draw
  // order, ties share a bucket, and one pass sums every weight per bucket.
  const double range = std::min(kRange, static_cast<double>(zmax) - static_cast<double>(std::max(zmin, lo)));
  bucket_zmax_ = zmax;
  bucket_scale_ = range > 0 ? (kBuckets - 1) / range : 0.0;
  bucket_mass_.assign(kBuckets, 0.0);
  bucket_count_.assign(kBuckets, 0);
  const double min_p_floor = params_.min_p > 0.0f ? std::log(static_cast<double>(params_.min_p)) : -std::numeric_limits<double>::infinity();
  int min_p_last = 0;  // the last bucket holding a token that min-p keeps
  double total = 0;
  for (int64_t i = 0; i < vocab_; ++i) {
    if (z[i] < lo) continue;
    const double w = Weight(z[i], zmax);
    const int b = BucketOf(z[i]);
    bucket_mass_[static_cast<size_t>(b)] += w;
    ++bucket_count_[static_cast<size_t>(b)];
    total += w;
    if (b > min_p_last && static_cast<double>(z[i]) - static_cast<double>(zmax) >= min_p_floor) min_p_last = b;
  }

  Cut cut{kBuckets, 0};
  if (params_.top_p < 1.0f) {
    // Whole buckets until the one where the mass reaches top_p * total; sort just that one.
    const double target = static_cast<double>(params_.top_p) * total;
    double acc = 0;
    for (int b = 0; b < kBuckets; ++b) {
      if (acc + bucket_mass_[static_cast<size_t>(b)] >= target) {
        GatherBucket(z, lo, b, &sorted_);
        cut = {b, sorted_.size()};
        for (size_t i = 0; i < sorted_.size(); ++i) {
          acc += sorted_[i].w;
          if (acc >= target) {
            cut.n = i + 1;
            break;
          }
        }
        break;
      }
      acc += bucket_mass_[static_cast<size_t>(b)];
    }
  }
  if (params_.min_p > 0.0f && min_p_last <= cut.bucket) {
    if (min_p_last < cut.bucket) GatherBucket(z, lo, min_p_last, &sorted_);
    size_t n = 1;  // bucket min_p_last holds a kept token, and kept tokens come first in it
    while (n < sorted_.size() && static_cast<double>(sorted_[n].z) - static_cast<double>(zmax) >= min_p_floor) ++n;
    cut = {min_p_last, min_p_last < cut.bucket ? n : std::min(cut.n, n)};
  }

  double kept = 0;
  int64_t count = 0;
  for (int b = 0; b < cut.bucket; ++b) {
    kept += bucket_mass_[static_cast<size_t>(b)];
    count += bucket_count_[static_cast<size_t>(b)];
  }
  for (size_t i = 0; i < cut.n; ++i) kept += sorted_[i].w;
  count += static_cast<int64_t>(cut.n);
  if (count == 1) return FirstOf(z, vocab_, zmax);  // no draw, as the reference

  // The same additions as `kept`, so the walk ends at exactly `kept` > t.
  const double t = draw() * kept;
  double acc = 0;
  int32_t token = -1;
  for (int b = 0; b < cut.bucket && token < 0; ++b) {
    if (acc + bucket_mass_[static_cast<size_t>(b)] > t) {
      GatherBucket(z, lo, b, &draw_bucket_);
      token = WalkTo(draw_bucket_.data(), draw_bucket_.size(), acc, t);
    }
    acc += bucket_mass_[static_cast<size_t>(b)];
  }
  if (token < 0) token = WalkTo(sorted_.data(), cut.n, acc, t);
  return token >= 0 ? token : FirstOf(z, vocab_, zmax);
}

template <typename Draw>
int32_t Sampler::Pick(float* logits, Draw draw) {
  ApplyPenalties(logits);
  if (params_.greedy()) return static_cast<int32_t>(std::max_element(logits, logits + vocab_) - logits);
  const auto [zmax, zmin] = Scale(logits);
  if (!std::isfinite(zmax)) return FirstOf(logits, vocab_, zmax);
  const float kth = TopKThreshold(logits);
  if (kth > -kInf && std::count_if(logits, logits + vocab_, [&](float z) { return z >= kth; }) <= kSmall) {
    // Few tokens left: the reference itself, sorted.
    GatherSorted(logits, zmax, kth, &sorted_);
    double kept = 0;
    const size_t n = KeepSorted(sorted_, &kept);
    if (n == 1) return sorted_[0].id;
    const int32_t t = WalkTo(sorted_.data(), n, 0.0, draw() * kept);
    return t >= 0 ? t : sorted_[0].id;
  }
  return SampleBucketed(logits, zmax, zmin, kth, draw);
}

int32_t Sampler::Sample(float* logits) {
  // 53 random bits -> [0, 1): the same on every platform for the same seed.
  return Pick(logits, [this] { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; });
}

int32_t Sampler::SampleWithDraw(float* logits, double u) {
  return Pick(logits, [u] { return u; });
}

}  // namespace switchyard
