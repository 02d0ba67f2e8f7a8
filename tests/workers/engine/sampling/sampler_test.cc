// Each sampling rule checked on fixed logits: the distribution Sample() draws from, exactly,
// and the empirical frequencies of many seeded draws against it. Then the fast Sample() against
// the sorted reference (Distribution / ReferenceDraw): the same token for the same draw u on
// random rows and parameter sets, ties and masked (-inf) tokens included.
#include "workers/engine/sampling/sampler.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workers/engine/sampling/stop_strings.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

// logits 0..7: 3, 2, 1, 0, -1, 2, 0.5, -3 (token 1 and 5 tie).
std::vector<float> Logits() { return {3.0f, 2.0f, 1.0f, 0.0f, -1.0f, 2.0f, 0.5f, -3.0f}; }

// Softmax of `logits` / t restricted to `keep`, computed independently in double.
std::map<int32_t, double> Expected(const std::vector<float>& logits, double t, const std::vector<int32_t>& keep) {
  double z = 0;
  for (int32_t i : keep) z += std::exp(logits[static_cast<size_t>(i)] / t);
  std::map<int32_t, double> out;
  for (int32_t i : keep) out[i] = std::exp(logits[static_cast<size_t>(i)] / t) / z;
  return out;
}

std::map<int32_t, double> Dist(const SamplingParams& p, std::vector<float> logits) {
  Sampler s(p, static_cast<int64_t>(logits.size()));
  std::map<int32_t, double> out;
  for (const auto& [id, prob] : s.Distribution(logits.data())) out[id] = prob;
  return out;
}

void ExpectDist(const std::map<int32_t, double>& got, const std::map<int32_t, double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [id, p] : want) {
    ASSERT_TRUE(got.count(id)) << "token " << id << " missing";
    EXPECT_NEAR(got.at(id), p, 1e-6) << "token " << id;
  }
}

// Draws n samples and checks each frequency within 5 standard deviations of the expectation,
// and that nothing outside the support is ever drawn.
void ExpectFrequencies(const SamplingParams& p, const std::map<int32_t, double>& want, int n = 200000) {
  Sampler s(p, 8);
  std::map<int32_t, int> counts;
  for (int i = 0; i < n; ++i) {
    std::vector<float> l = Logits();
    ++counts[s.Sample(l.data())];
  }
  for (const auto& [id, c] : counts) ASSERT_TRUE(want.count(id)) << "drew token " << id << " outside the support";
  for (const auto& [id, q] : want) {
    const double sd = std::sqrt(n * q * (1 - q));
    EXPECT_NEAR(counts[id], n * q, 5 * sd + 1) << "token " << id;
  }
}

TEST(SamplerTest, GreedyIsArgmaxLowestIdOnTies) {
  SamplingParams p;
  p.temperature = 0;
  ExpectDist(Dist(p, Logits()), {{0, 1.0}});
  ExpectDist(Dist(p, {1.0f, 5.0f, 5.0f}), {{1, 1.0}});
}

TEST(SamplerTest, Temperature) {
  SamplingParams p;
  p.temperature = 0.7f;
  const std::vector<int32_t> all = {0, 1, 2, 3, 4, 5, 6, 7};
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 0.7, all));
  ExpectFrequencies(p, Expected(Logits(), 0.7, all));
}

TEST(SamplerTest, TopKKeepsTiesAtTheBoundary) {
  SamplingParams p;
  p.top_k = 2;  // 3.0, then 2.0 twice: both tied tokens stay
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 1.0, {0, 1, 5}));
  p.top_k = 1;
  ExpectDist(Dist(p, Logits()), {{0, 1.0}});
  p.top_k = 4;
  ExpectFrequencies(p, Expected(Logits(), 1.0, {0, 1, 5, 2}));
}

TEST(SamplerTest, TopPSmallestPrefixReachingMass) {
  // Probabilities at t=1: 0.4711 (0), 0.1733 (1), 0.1733 (5), 0.1051 (6)... cumulative after
  // three: 0.818, after four 0.923.
  SamplingParams p;
  p.top_p = 0.8f;
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 1.0, {0, 1, 5}));
  p.top_p = 0.9f;
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 1.0, {0, 1, 5, 2}));
  p.top_p = 0.01f;
  ExpectDist(Dist(p, Logits()), {{0, 1.0}});
  p.top_p = 0.9f;
  ExpectFrequencies(p, Expected(Logits(), 1.0, {0, 1, 5, 2}));
}

TEST(SamplerTest, MinP) {
  // Keep tokens with p >= 0.3 * p_max: exp(l - 3) >= 0.3 <=> l >= 3 + ln 0.3 = 1.796.
  SamplingParams p;
  p.min_p = 0.3f;
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 1.0, {0, 1, 5}));
  ExpectFrequencies(p, Expected(Logits(), 1.0, {0, 1, 5}));
}

TEST(SamplerTest, RulesCombineInOrder) {
  SamplingParams p;
  p.temperature = 2.0f;  // flattens: more tokens survive top_p
  p.top_k = 5;
  p.top_p = 0.7f;
  // t=2 over the top 5 (0,1,5,2,6), 5-token softmax 0.3497 0.2121 0.2121 0.1286 0.0975: the
  // prefix reaching 0.7 is 0,1,5 (0.774). Renormalized over those three.
  ExpectDist(Dist(p, Logits()), Expected(Logits(), 2.0, {0, 1, 5}));
}

TEST(SamplerTest, RepetitionPenaltyFollowsTransformers) {
  SamplingParams p;
  p.temperature = 0;
  p.repetition_penalty = 2.0f;
  Sampler s(p, 8);
  const std::vector<int32_t> prompt = {0, 4};
  s.AddPrompt(prompt);
  std::vector<float> l = Logits();
  s.Distribution(l.data());
  EXPECT_EQ(l[0], 1.5f);   // positive: divided
  EXPECT_EQ(l[4], -2.0f);  // negative: multiplied
  EXPECT_EQ(l[1], 2.0f);   // untouched
}

TEST(SamplerTest, PresenceAndFrequencyPenaltiesOnOutputTokens) {
  SamplingParams p;
  p.temperature = 0;
  p.presence_penalty = 0.5f;
  p.frequency_penalty = 0.25f;
  Sampler s(p, 8);
  s.AddPrompt(std::vector<int32_t>{2});  // prompt tokens are not penalized by these
  s.Accept(0);
  s.Accept(0);
  s.Accept(1);
  std::vector<float> l = Logits();
  EXPECT_EQ(s.Sample(l.data()), 0);  // 0 -> 3 - 0.5 - 2 * 0.25 = 2.0 ties with 5 (2.0): lowest id
  EXPECT_EQ(l[0], 2.0f);
  EXPECT_EQ(l[1], 1.25f);
  EXPECT_EQ(l[2], 1.0f);
}

TEST(SamplerTest, SameSeedSameDrawsDifferentSeedDifferentDraws) {
  SamplingParams p;
  p.seed = 42;
  auto draws = [](const SamplingParams& params) {
    Sampler s(params, 8);
    std::vector<int32_t> out;
    for (int i = 0; i < 64; ++i) {
      std::vector<float> l = Logits();
      out.push_back(s.Sample(l.data()));
    }
    return out;
  };
  EXPECT_EQ(draws(p), draws(p));
  SamplingParams q = p;
  q.seed = 43;
  EXPECT_NE(draws(p), draws(q));
  // Pinned values: the generator and the draw are part of the reproducibility contract, so a
  // change here changes every seeded answer users may have recorded.
  const std::vector<int32_t> d = draws(p);
  EXPECT_EQ(std::vector<int32_t>(d.begin(), d.begin() + 12), (std::vector<int32_t>{5, 1, 5, 0, 2, 0, 1, 0, 0, 0, 0, 1}));
}

// A row like a model's: mostly Gaussian, a few tokens well above the rest, optionally rounded
// to a grid (many exact ties) and with some tokens masked to -inf.
std::vector<float> RandomRow(std::mt19937_64& g, int64_t vocab, float spread, float grid, double masked) {
  std::normal_distribution<float> normal(0.0f, spread);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<float> row(static_cast<size_t>(vocab));
  for (float& x : row) {
    x = normal(g);
    if (coin(g) < 0.001) x += 4 * spread;  // a head of likely tokens
    if (grid > 0) x = std::round(x / grid) * grid;
    if (coin(g) < masked) x = -std::numeric_limits<float>::infinity();
  }
  return row;
}

struct FastCase {
  float temperature, top_p, min_p;
  int32_t top_k;
};

std::string Describe(const FastCase& c) {
  return "t=" + std::to_string(c.temperature) + " top_k=" + std::to_string(c.top_k) + " top_p=" + std::to_string(c.top_p) +
         " min_p=" + std::to_string(c.min_p);
}

// For every case and row: SampleWithDraw(u) == ReferenceDraw(u) for many u (0 included), and
// at u = 1 - 2^-53 a token the reference keeps with a positive probability. (There u * kept is
// kept less one ulp, so which of the last, lightest tokens first lifts the sum past it depends
// on the summation order: the one place the two may differ by design.) Each call gets a fresh
// copy of the row: both modify it.
void ExpectFastMatchesReference(const std::vector<FastCase>& cases, int64_t vocab, int rows, int draws, uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<float> pick(0.0f, 1.0f);
  for (const FastCase& c : cases) {
    SamplingParams p;
    p.temperature = c.temperature;
    p.top_k = c.top_k;
    p.top_p = c.top_p;
    p.min_p = c.min_p;
    ASSERT_TRUE(p.Validate().ok()) << Describe(c);
    for (int r = 0; r < rows; ++r) {
      const float spread = pick(g) < 0.5f ? 2.0f : 6.0f;
      const float grid = pick(g) < 0.3f ? 0.25f : 0.0f;
      const double masked = pick(g) < 0.3f ? 0.2 : 0.0;
      const std::vector<float> row = RandomRow(g, vocab, spread, grid, masked);
      Sampler fast(p, vocab), ref(p, vocab);
      for (int d = 0; d < draws; ++d) {
        const double u = d == 0 ? 0.0 : static_cast<double>(g() >> 11) * 0x1.0p-53;
        std::vector<float> a = row, b = row;
        ASSERT_EQ(fast.SampleWithDraw(a.data(), u), ref.ReferenceDraw(b.data(), u))
            << Describe(c) << " vocab=" << vocab << " row " << r << " u=" << u << " spread=" << spread << " grid=" << grid
            << " masked=" << masked;
      }
      std::vector<float> a = row, b = row;
      const int32_t last = fast.SampleWithDraw(a.data(), 1.0 - 0x1.0p-53);
      std::map<int32_t, double> dist;
      for (const auto& [id, prob] : ref.Distribution(b.data())) dist[id] = prob;
      ASSERT_TRUE(dist.count(last)) << Describe(c) << " row " << r;
      EXPECT_GT(dist[last], 0.0) << Describe(c) << " row " << r;
    }
  }
}

std::vector<FastCase> FastCases() {
  std::vector<FastCase> out;
  for (float t : {0.01f, 0.7f, 1.0f, 5.0f, 100.0f}) {
    for (float top_p : {1.0f, 0.9f, 0.95f, 0.5f, 0.001f, 0.999999f}) {
      for (float min_p : {0.0f, 0.05f, 0.5f}) out.push_back({t, top_p, min_p, 0});
    }
    out.push_back({t, 0.95f, 0.0f, 20});
    out.push_back({t, 1.0f, 0.0f, 1});
    out.push_back({t, 0.9f, 0.05f, 50});
    out.push_back({t, 0.9f, 0.0f, 3000});   // above the heap's k: nth_element
    out.push_back({t, 0.95f, 0.0f, 6000});  // leaves more than the sorted path takes: bucketed with a floor
  }
  return out;
}

TEST(SamplerFastTest, MatchesReferenceOnRandomRows) { ExpectFastMatchesReference(FastCases(), 12000, 2, 6, 7); }

TEST(SamplerFastTest, MatchesReferenceOnSmallVocabularies) {
  ExpectFastMatchesReference(FastCases(), 8, 10, 12, 11);
  ExpectFastMatchesReference(FastCases(), 300, 5, 12, 12);
}

TEST(SamplerFastTest, MatchesReferenceAtQwenVocabulary) {
  const std::vector<FastCase> cases = {{0.7f, 1.0f, 0.0f, 0}, {0.7f, 0.9f, 0.0f, 0}, {0.6f, 0.95f, 0.0f, 20},
                                       {1.0f, 1.0f, 0.05f, 0}, {1.0f, 0.999f, 0.0f, 0}};
  ExpectFastMatchesReference(cases, 151936, 2, 8, 13);
}

TEST(SamplerFastTest, TiesWithTheKthAllSurviveTopK) {
  // 5000 tokens tie at the top, so top_k = 10 keeps all 5000 (more than the sorted path takes).
  std::vector<float> row(20000, -1.0f);
  for (int i = 0; i < 5000; ++i) row[static_cast<size_t>(i * 4)] = 2.0f;
  SamplingParams p;
  p.top_k = 10;
  Sampler ref(p, 20000);
  std::vector<float> a = row;
  EXPECT_EQ(ref.Distribution(a.data()).size(), 5000u);
  for (double u : {0.0, 0.25, 0.5, 0.9999}) {
    Sampler fast(p, 20000);
    std::vector<float> b = row, c = row;
    const int32_t token = fast.SampleWithDraw(b.data(), u);
    EXPECT_EQ(token % 4, 0) << u;
    EXPECT_EQ(token, ref.ReferenceDraw(c.data(), u)) << u;
  }
}

TEST(SamplerFastTest, SampleDrawsFromTheSeededGeneratorOnlyWhenSeveralSurvive) {
  // Alternate rows that keep one token (min_p = 1 with a unique max) and rows that keep many:
  // Sample() must equal SampleWithDraw fed by a twin generator advanced only on the latter.
  SamplingParams p;
  p.seed = 1234;
  p.temperature = 0.8f;
  p.top_p = 0.95f;
  const int64_t vocab = 20000;
  std::mt19937_64 g(5);
  Sampler s(p, vocab), twin(p, vocab);
  std::mt19937_64 rng(p.seed);
  for (int i = 0; i < 40; ++i) {
    std::vector<float> row = RandomRow(g, vocab, 3.0f, 0.0f, 0.0f);
    if (i % 3 == 0) row[static_cast<size_t>(i)] = 1000.0f;  // one token holds all the mass
    std::vector<float> a = row, b = row, c = row;
    const bool single = twin.Distribution(c.data()).size() == 1;  // also when a row's head holds 95%
    if (i % 3 == 0) {
      EXPECT_TRUE(single);
    }
    const double u = single ? 0.0 : static_cast<double>(rng() >> 11) * 0x1.0p-53;
    EXPECT_EQ(s.Sample(a.data()), twin.SampleWithDraw(b.data(), u)) << i;
  }
}

TEST(SamplerFastTest, SpreadNarrowerThanFloatSpacing) {
  // Every logit within 40 ulps of 10: buckets far narrower than a float's spacing.
  std::mt19937_64 g(17);
  std::vector<float> row(20000);
  for (float& x : row) {
    x = 10.0f;
    for (int s = static_cast<int>(g() % 40); s > 0; --s) x = std::nextafter(x, 0.0f);
  }
  for (float top_p : {1.0f, 0.5f}) {
    SamplingParams p;
    p.temperature = 0.5f;
    p.top_p = top_p;
    Sampler fast(p, 20000), ref(p, 20000);
    for (int d = 0; d < 8; ++d) {
      const double u = static_cast<double>(g() >> 11) * 0x1.0p-53;
      std::vector<float> a = row, b = row;
      EXPECT_EQ(fast.SampleWithDraw(a.data(), u), ref.ReferenceDraw(b.data(), u)) << top_p << " " << u;
    }
  }
}

TEST(SamplerFastTest, MaskedAndNanRows) {
  const float inf = std::numeric_limits<float>::infinity();
  SamplingParams p;
  p.top_p = 0.9f;
  Sampler s(p, 4);
  std::vector<float> all_masked = {-inf, -inf, -inf, -inf};
  EXPECT_EQ(s.Sample(all_masked.data()), 0);  // nothing finite: the lowest id, no NaN walk
  std::vector<float> nan_row = {std::nanf(""), -inf, 1.0f, std::nanf("")};
  EXPECT_EQ(s.Sample(nan_row.data()), 2);  // NaN counts as -inf
  EXPECT_EQ(nan_row[0], -inf);
  // A masked token is never drawn, even at u = 1 - 2^-53 with nothing cut.
  SamplingParams q;
  std::vector<float> row(1000, 0.0f);
  for (size_t i = 500; i < row.size(); ++i) row[i] = -inf;
  Sampler t(q, 1000);
  std::vector<float> a = row;
  EXPECT_EQ(t.SampleWithDraw(a.data(), 1.0 - 0x1.0p-53), 499);
}

TEST(SamplerTest, ValidateNamesTheField) {
  SamplingParams p;
  p.top_p = 0;
  EXPECT_THAT(std::string(p.Validate().message()), HasSubstr("top_p = 0 is outside (0, 1]"));
  p = SamplingParams();
  p.temperature = -1;
  EXPECT_THAT(std::string(p.Validate().message()), HasSubstr("temperature"));
  p = SamplingParams();
  p.max_tokens = 0;
  EXPECT_EQ(p.Validate().code(), absl::StatusCode::kInvalidArgument);
  p = SamplingParams();
  p.stop_strings = {""};
  EXPECT_EQ(p.Validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(SamplingParams().Validate().ok());
}

TEST(SamplerTest, DefaultsFromGenerationConfig) {
  GenerationConfig g;
  g.do_sample = true;
  g.temperature = 0.6;
  g.top_k = 20;
  g.top_p = 0.95;
  g.eos_token_ids = {151645, 151643};
  SamplingParams p = SamplingParams::FromGenerationConfig(g);
  EXPECT_FLOAT_EQ(p.temperature, 0.6f);
  EXPECT_EQ(p.top_k, 20);
  EXPECT_FLOAT_EQ(p.top_p, 0.95f);
  EXPECT_EQ(p.stop_token_ids, (std::vector<int32_t>{151645, 151643}));
  g.do_sample = false;
  EXPECT_TRUE(SamplingParams::FromGenerationConfig(g).greedy());
}

TEST(StopStringFilterTest, HoldsBackOnlyPossiblePrefixes) {
  StopStringFilter f({"</answer>", "STOP"});
  EXPECT_EQ(f.Push("hello </an"), "hello ");
  EXPECT_EQ(f.Push("d more <"), "</and more ");
  EXPECT_EQ(f.Push("/answer> tail"), "");
  EXPECT_TRUE(f.stopped());
  EXPECT_EQ(f.Push("ignored"), "");
  EXPECT_EQ(f.Finish(), "");
  StopStringFilter g({"STOP"});
  EXPECT_EQ(g.Push("abcST"), "abc");
  EXPECT_EQ(g.Finish(), "ST");
  StopStringFilter none({});
  EXPECT_EQ(none.Push("x</answer>"), "x</answer>");
}

}  // namespace
}  // namespace switchyard
