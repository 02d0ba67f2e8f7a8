#include "workers/engine/sampling/sampler.h"

#include <algorithm>
#include <cmath>

namespace switchyard {

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

std::vector<std::pair<int32_t, double>> Sampler::Distribution(float* logits) {
  ApplyPenalties(logits);
  if (params_.greedy()) {
    const int32_t best = static_cast<int32_t>(std::max_element(logits, logits + vocab_) - logits);
    return {{best, 1.0}};
  }
  const float inv_t = 1.0f / params_.temperature;
  candidates_.clear();
  for (int64_t i = 0; i < vocab_; ++i) candidates_.emplace_back(logits[i] * inv_t, static_cast<int32_t>(i));
  auto by_logit = [](const std::pair<float, int32_t>& a, const std::pair<float, int32_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  if (params_.top_k > 0 && params_.top_k < vocab_) {
    // Keep the k largest, plus any tied with the k-th (as transformers' >= threshold does).
    std::nth_element(candidates_.begin(), candidates_.begin() + (params_.top_k - 1), candidates_.end(), by_logit);
    const float kth = candidates_[static_cast<size_t>(params_.top_k - 1)].first;
    candidates_.erase(std::remove_if(candidates_.begin(), candidates_.end(), [&](const auto& c) { return c.first < kth; }),
                      candidates_.end());
  }
  std::sort(candidates_.begin(), candidates_.end(), by_logit);
  // Softmax over what is left (the max is first).
  std::vector<double> probs(candidates_.size());
  double sum = 0;
  for (size_t i = 0; i < candidates_.size(); ++i) {
    probs[i] = std::exp(static_cast<double>(candidates_[i].first) - candidates_[0].first);
    sum += probs[i];
  }
  for (double& p : probs) p /= sum;
  size_t keep = candidates_.size();
  if (params_.top_p < 1.0f) {
    // The smallest prefix whose mass reaches top_p (at least one token).
    double cum = 0;
    for (size_t i = 0; i < probs.size(); ++i) {
      cum += probs[i];
      if (cum >= params_.top_p) {
        keep = i + 1;
        break;
      }
    }
  }
  if (params_.min_p > 0.0f) {
    const double floor = params_.min_p * probs[0];
    size_t n = 1;
    while (n < keep && probs[n] >= floor) ++n;
    keep = n;
  }
  double kept = 0;
  for (size_t i = 0; i < keep; ++i) kept += probs[i];
  std::vector<std::pair<int32_t, double>> out;
  out.reserve(keep);
  for (size_t i = 0; i < keep; ++i) out.emplace_back(candidates_[i].second, probs[i] / kept);
  return out;
}

int32_t Sampler::Sample(float* logits) {
  const auto dist = Distribution(logits);
  if (dist.size() == 1) return dist[0].first;
  // 53 random bits -> [0, 1): the same on every platform for the same seed.
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  double cum = 0;
  for (const auto& [token, p] : dist) {
    cum += p;
    if (u < cum) return token;
  }
  return dist.back().first;
}

}  // namespace switchyard
