#include "workers/engine/sched/sequence.h"

#include <algorithm>

namespace switchyard {

Sequence::Sequence(EngineRequest request, KvBlockPool* pool, const Tokenizer& tokenizer, int64_t vocab)
    : request_(std::move(request)),
      prompt_length_(static_cast<int64_t>(request_.prompt.size())),
      tokens_(request_.prompt),
      kv_(pool),
      sampler_(request_.sampling, vocab),
      decoder_(tokenizer, request_.skip_special),
      stops_(request_.sampling.stop_strings) {
  sampler_.AddPrompt(request_.prompt);
}

bool Sequence::Accept(int32_t token, int64_t context_limit) {
  sampler_.Accept(token);
  tokens_.push_back(token);
  const SamplingParams& sp = request_.sampling;
  SequenceOutput out;
  out.token_ids.push_back(token);
  const bool stop_token = std::find(sp.stop_token_ids.begin(), sp.stop_token_ids.end(), token) != sp.stop_token_ids.end();
  if (!stop_token) out.text = stops_.Push(decoder_.Push(token));
  const bool stop_string = stops_.stopped();
  const bool length = generated() >= sp.max_tokens || static_cast<int64_t>(tokens_.size()) >= context_limit;
  if (stop_token || stop_string || length) {
    if (!stop_string) out.text += stops_.Push(decoder_.Finish()) + stops_.Finish();
    out.finished = true;
    out.reason = stop_token || stop_string ? FinishReason::kStop : FinishReason::kLength;
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
