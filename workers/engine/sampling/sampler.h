// Sampler: picks the next token from a row of logits. The order is transformers' and vLLM's:
// repetition penalty (prompt and output tokens), presence and frequency penalties (output
// tokens), then greedy argmax, or temperature -> top-k -> top-p -> min-p -> a draw from the
// renormalized distribution with the sequence's own seeded generator, so the same seed and
// input give the same tokens on every run.
//
// The rules, over the tokens in draw order (scaled logit z descending, lower token id first on
// ties), with weights w = exp(z - z_max):
//   top-k  keeps the k largest z, plus any tied with the k-th;
//   top-p  keeps the smallest prefix whose weight reaches top_p * (weight of what top-k kept),
//          at least one token;
//   min-p  keeps z - z_max >= ln(min_p), i.e. p >= min_p * p_max;
//   draw   u in [0, 1) from 53 bits of the generator, only when more than one token is kept;
//          the token is the first whose cumulative weight exceeds u * (kept weight).
// NaN logits count as -inf. A row whose largest z is not finite (every token masked, or +inf)
// gives the lowest id holding that largest value.
//
// Cost: Sample() is O(V) plus sorts of small sets: it never sorts the vocabulary. It buckets the
// tokens by z in one pass that also sums the weights, then sorts only the bucket where top-p
// (or min-p) cuts and the bucket the draw lands in. Distribution() is the explicit reference,
// O(V log V): it sorts everything. Both give the same kept set and the same token for the same
// u, except when a prefix sum lands within rounding of top_p * total or of u * kept: Sample()
// adds the weights bucket by bucket (each in token id order), Distribution() in draw order,
// and the last bits may differ. Either order depends on nothing but the logits and params.
//
// Thread safety: one Sampler per sequence. Scratch is kept small (a few KiB plus the tokens of
// the buckets sorted), so that many live sequences do not each hold a vocabulary-sized buffer.
#ifndef SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_
#define SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "workers/engine/sampling/sampling_params.h"

namespace switchyard {

class Sampler {
 public:
  // REQUIRES: params.Validate().ok().
  Sampler(const SamplingParams& params, int64_t vocab_size);

  // Records prompt tokens for the repetition penalty.
  void AddPrompt(absl::Span<const int32_t> prompt);
  // Records a generated token (for penalties), whether sampled or forced.
  void Accept(int32_t token);
  // Chooses a token. Modifies `logits` in place: penalties, then (unless greedy) division by
  // the temperature. Advances the generator only when more than one token survives the rules.
  int32_t Sample(float* logits);

  // For tests: Sample() with the draw given (u in [0, 1)); the generator does not move.
  int32_t SampleWithDraw(float* logits, double u);

  // The explicit reference, for tests: what survives the rules, in draw order, as
  // (token, probability) pairs summing to 1. Modifies `logits` as Sample() does.
  std::vector<std::pair<int32_t, double>> Distribution(float* logits);
  // The token the reference draws for u: the first whose cumulative weight exceeds u * kept.
  int32_t ReferenceDraw(float* logits, double u);

 private:
  struct Candidate {
    float z;     // logit / temperature
    int32_t id;  // token
    double w;    // exp(z - z_max)
  };
  // Where the kept set ends in draw order: buckets [0, bucket) whole, then the first n tokens of
  // `bucket` (kBuckets, 0: everything).
  struct Cut {
    int bucket;
    size_t n;
  };

  // Penalties, then the reference's kept set in sorted_ (draw order); returns how many are kept
  // and their weight, or 0 with *token set when the row needs no draw (greedy, no finite max).
  size_t ReferenceKept(float* logits, double* kept_mass, int32_t* token);
  template <typename Draw>
  int32_t Pick(float* logits, Draw draw);
  void ApplyPenalties(float* logits) const;
  // Divides by the temperature and turns NaN into -inf, in place; returns the largest z and the
  // smallest finite z.
  std::pair<float, float> Scale(float* logits) const;
  // The k-th largest z (ties counted), or -inf when top-k is off.
  float TopKThreshold(const float* z);
  // The tokens with z >= lo, sorted in draw order, into *out.
  void GatherSorted(const float* z, float zmax, float lo, std::vector<Candidate>* out) const;
  // Applies top-p and min-p to `sorted` (draw order, z_max first); returns how many are kept.
  size_t KeepSorted(absl::Span<const Candidate> sorted, double* kept_mass) const;
  // The O(V) path over the tokens with z >= lo; `draw` is called only if > 1 token is kept.
  template <typename Draw>
  int32_t SampleBucketed(const float* z, float zmax, float zmin, float lo, Draw draw);
  int BucketOf(float z) const;
  // The tokens of bucket b with z >= lo, sorted in draw order, into *out.
  void GatherBucket(const float* z, float lo, int b, std::vector<Candidate>* out) const;

  SamplingParams params_;
  int64_t vocab_;
  std::mt19937_64 rng_;
  absl::flat_hash_map<int32_t, int32_t> output_counts_;
  std::vector<int32_t> seen_;        // distinct prompt and output tokens
  std::vector<uint8_t> seen_mask_;

  // Scratch, reused across calls; none is vocabulary-sized.
  std::vector<float> heap_;             // top-k: the k largest z so far (a min-heap)
  std::vector<Candidate> sorted_;       // the explicit path's tokens, or the bucket cut by top-p/min-p
  std::vector<Candidate> draw_bucket_;  // the bucket the draw lands in
  std::vector<double> bucket_mass_;     // per bucket: sum of weights
  std::vector<int32_t> bucket_count_;   // per bucket: tokens
  float bucket_zmax_ = 0;               // the row being bucketed: z_max, and
  double bucket_scale_ = 0;             // buckets per unit of z_max - z
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SAMPLING_SAMPLER_H_
