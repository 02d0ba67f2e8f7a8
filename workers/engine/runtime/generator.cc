#include "workers/engine/runtime/generator.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "workers/engine/grammar/token_constraint.h"
#include "workers/engine/sampling/sampler.h"
#include "workers/engine/sampling/stop_strings.h"
#include "workers/engine/tokenizer/stream_decoder.h"

namespace switchyard {

std::vector<TokenLogit> TopLogits(const float* logits, int64_t n, int k) {
  const float mx = *std::max_element(logits, logits + n);
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(logits[i]) - mx);
  const double lse = mx + std::log(sum);
  std::vector<TokenLogit> top;
  auto worse = [](const TokenLogit& a, const TokenLogit& b) { return a.logit != b.logit ? a.logit > b.logit : a.id < b.id; };
  for (int64_t i = 0; i < n; ++i) {
    if (static_cast<int>(top.size()) < k || logits[i] > top.back().logit) {
      top.push_back(TokenLogit{static_cast<int32_t>(i), logits[i], 0.0});
      std::sort(top.begin(), top.end(), worse);
      if (static_cast<int>(top.size()) > k) top.pop_back();
    }
  }
  for (TokenLogit& t : top) t.prob = std::exp(static_cast<double>(t.logit) - lse);
  return top;
}

absl::StatusOr<GenerationResult> Generator::Generate(absl::Span<const int32_t> prompt, const GenerateOptions& options,
                                                     const std::function<void(const GenerationStep&)>& on_step) {
  const SamplingParams& sp = options.sampling;
  if (absl::Status s = sp.Validate(); !s.ok()) return s;
  if (sp.grammar && sp.grammar->vocab_size() != runner_.vocab_size()) {
    return absl::InvalidArgumentError(absl::StrCat("the grammar was compiled for a vocabulary of ", sp.grammar->vocab_size(),
                                                   " tokens, the model has ", runner_.vocab_size()));
  }
  if (prompt.empty()) return absl::InvalidArgumentError("the prompt is empty");
  const int64_t context = runner_.max_context();
  if (static_cast<int64_t>(prompt.size()) >= context) {
    return absl::InvalidArgumentError(absl::StrCat("prompt of ", prompt.size(), " tokens leaves no room in the model's context of ",
                                                   context, " tokens"));
  }
  const int64_t V = runner_.vocab_size();
  for (int32_t t : options.force_tokens) {
    if (t < 0 || t >= V) return absl::InvalidArgumentError(absl::StrCat("forced token ", t, " is outside the vocabulary [0, ", V, ")"));
  }
  const bool forcing = !options.force_tokens.empty();
  const int64_t steps = forcing ? std::min<int64_t>(static_cast<int64_t>(options.force_tokens.size()), sp.max_tokens) : sp.max_tokens;

  GenerationResult result;
  result.prompt_tokens.assign(prompt.begin(), prompt.end());
  KvSequence seq(&pool_);
  std::vector<float> logits(static_cast<size_t>(V));
  // The prompt in one Forward where the runner allows it (the CPU), else in its largest batches;
  // only the last chunk's last token needs logits.
  const int64_t most = std::max<int64_t>(1, runner_.max_batch_tokens());
  for (size_t at = 0; at < prompt.size();) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(most, static_cast<int64_t>(prompt.size() - at)));
    SequenceChunk chunk{&seq, prompt.subspan(at, n), false, /*want_logits=*/at + n == prompt.size()};
    if (absl::Status s = runner_.Forward({&chunk, 1}, logits.data()); !s.ok()) return s;
    at += n;
  }

  Sampler sampler(sp, V);
  sampler.AddPrompt(prompt);
  // Teacher forcing ignores the grammar as it ignores stop conditions.
  std::optional<TokenConstraint> constraint;
  if (sp.grammar && !forcing) constraint.emplace(sp.grammar, sp.stop_token_ids, sp.grammar_starts_after_token);
  StreamDecoder decoder(tokenizer_, options.skip_special);
  StopStringFilter stops(forcing ? std::vector<std::string>{} : sp.stop_strings);
  result.finish_reason = "length";
  for (int64_t step = 0; step < steps; ++step) {
    GenerationStep out;
    out.top = TopLogits(logits.data(), V, options.top_logits);
    if (constraint) constraint->ApplyMask(logits.data(), V);
    const int32_t token = forcing ? options.force_tokens[static_cast<size_t>(step)] : sampler.Sample(logits.data());
    if (constraint) {
      if (absl::Status s = constraint->Accept(token); !s.ok()) {
        return absl::InternalError(absl::StrCat("constrained decoding: ", s.message()));
      }
    }
    sampler.Accept(token);
    result.tokens.push_back(token);
    out.token = token;
    const bool stop_token = !forcing && std::find(sp.stop_token_ids.begin(), sp.stop_token_ids.end(), token) != sp.stop_token_ids.end();
    if (!stop_token) out.text = stops.Push(decoder.Push(token));
    const bool stop_string = !forcing && stops.stopped();
    // A complete grammar with no stop token to end it ends the output itself.
    const bool grammar_done = constraint && constraint->finished() && sp.stop_token_ids.empty();
    const bool last = stop_token || stop_string || grammar_done || step + 1 == steps || seq.length() + 1 >= context;
    if (last) {
      if (!stop_string) out.text += stops.Push(decoder.Finish()) + stops.Finish();
      if (stop_token || stop_string || grammar_done) result.finish_reason = "stop";
    }
    result.text += out.text;
    if (on_step) on_step(out);
    if (last) break;
    SequenceChunk next{&seq, {&token, 1}, false};
    if (absl::Status s = runner_.Forward({&next, 1}, logits.data()); !s.ok()) return s;
  }
  return result;
}

}  // namespace switchyard
