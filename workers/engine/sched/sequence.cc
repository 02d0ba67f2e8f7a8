#include "workers/engine/sched/sequence.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace switchyard {

Sequence::Sequence(EngineRequest request, KvBlockPool* pool, const Tokenizer& tokenizer, int64_t vocab)
    : request_(std::move(request)),
      prompt_length_(static_cast<int64_t>(request_.prompt.size())),
      tokens_(request_.prompt),
      kv_(pool),
      vocab_(vocab),
      sampler_(request_.sampling, vocab),
      decoder_(tokenizer, request_.skip_special),
      stops_(request_.sampling.stop_strings) {
  sampler_.AddPrompt(request_.prompt);
  const SamplingParams& sp = request_.sampling;
  if (sp.grammar) constraint_.emplace(sp.grammar, sp.stop_token_ids, sp.grammar_starts_after_token);
}

bool Sequence::Accept(int32_t token, int64_t context_limit) {
  if (constraint_) {
    // Sample() only returns allowed tokens; a refusal here means every logit was masked (a
    // grammar with no way on), which is reported rather than streamed as invalid output.
    if (absl::Status s = constraint_->Accept(token); !s.ok()) {
      Finish(FinishReason::kError, absl::InternalError(absl::StrCat("constrained decoding: ", s.message())));
      return true;
    }
  }
  sampler_.Accept(token);
  tokens_.push_back(token);
  const SamplingParams& sp = request_.sampling;
  SequenceOutput out;
  out.token_ids.push_back(token);
  const bool stop_token = std::find(sp.stop_token_ids.begin(), sp.stop_token_ids.end(), token) != sp.stop_token_ids.end();
  if (!stop_token) out.text = stops_.Push(decoder_.Push(token));
  const bool stop_string = stops_.stopped();
  // A grammar that is complete with no stop token to end it ends the sequence itself.
  const bool grammar_done = constraint_ && constraint_->finished() && sp.stop_token_ids.empty();
  const bool length = generated() >= sp.max_tokens || static_cast<int64_t>(tokens_.size()) >= context_limit;
  if (stop_token || stop_string || grammar_done || length) {
    if (!stop_string) out.text += stops_.Push(decoder_.Finish()) + stops_.Finish();
    out.finished = true;
    out.reason = stop_token || stop_string || grammar_done ? FinishReason::kStop : FinishReason::kLength;
    state_ = State::kFinished;
    kv_.Release();
  }
  out.prompt_tokens = static_cast<int32_t>(prompt_length_);
  out.completion_tokens = static_cast<int32_t>(generated());
  if (request_.on_output) request_.on_output(std::move(out));
  return state_ == State::kFinished;
}

void Sequence::Finish(FinishReason reason, absl::Status error) {
  if (state_ == State::kFinished) return;
  state_ = State::kFinished;
  kv_.Release();
  SequenceOutput out;
  out.finished = true;
  out.reason = reason;
  out.error = std::move(error);
  out.prompt_tokens = static_cast<int32_t>(prompt_length_);
  out.completion_tokens = static_cast<int32_t>(generated());
  if (request_.on_output) request_.on_output(std::move(out));
}

}  // namespace switchyard
