// Sequence: one request's life inside the engine: its prompt, the tokens generated so far,
// its share of the KV cache, its sampler and text decoding, and how it ends.
//
// States (vLLM's RequestStatus): kWaiting (queued, or preempted and waiting to recompute) ->
// kRunning (in the batch: prefilling its prompt in chunks, then decoding) -> kFinished.
// Thread safety: owned by the engine thread; only Cancel() and the output callback's consumer
// cross threads (Cancel is an atomic flag).
#ifndef SWITCHYARD_WORKERS_ENGINE_SCHED_SEQUENCE_H_
#define SWITCHYARD_WORKERS_ENGINE_SCHED_SEQUENCE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "workers/engine/grammar/token_constraint.h"
#include "workers/engine/kv/kv_block_pool.h"
#include "workers/engine/sampling/sampler.h"
#include "workers/engine/sampling/stop_strings.h"
#include "workers/engine/tokenizer/stream_decoder.h"

namespace switchyard {

enum class FinishReason { kNone, kStop, kLength, kCancelled, kError };

// What one engine step produced for a sequence. The last output has `finished` set.
struct SequenceOutput {
  std::vector<int32_t> token_ids;  // tokens generated this step
  std::string text;                // text they made visible (stop strings removed)
  bool finished = false;
  FinishReason reason = FinishReason::kNone;
  absl::Status error;              // set when reason == kError
  int32_t prompt_tokens = 0;
  int32_t completion_tokens = 0;
};

using OutputFn = std::function<void(SequenceOutput)>;

struct EngineRequest {
  std::string id;  // for logs
  std::vector<int32_t> prompt;
  SamplingParams sampling;
  bool skip_special = true;  // keep special tokens out of the text
  // Called on the engine thread after each step that changed this sequence; must not block
  // (hand the output to another thread). Called exactly once with finished = true.
  OutputFn on_output;
};

class Sequence {
 public:
  enum class State { kWaiting, kRunning, kFinished };

  Sequence(EngineRequest request, KvBlockPool* pool, const Tokenizer& tokenizer, int64_t vocab);

  const std::string& id() const { return request_.id; }
  State state() const { return state_; }
  void set_state(State s) { state_ = s; }

  // Tokens whose K/V must be in the cache before the next token can be sampled: the prompt
  // plus everything generated except the newest token (which is fed next).
  const std::vector<int32_t>& tokens() const { return tokens_; }
  int64_t prompt_length() const { return prompt_length_; }
  int64_t generated() const { return static_cast<int64_t>(tokens_.size()) - prompt_length_; }
  // Positions already in the KV cache.
  int64_t computed() const { return kv_.length(); }
  // Tokens still to run through the model before sampling.
  int64_t pending() const { return static_cast<int64_t>(tokens_.size()) - kv_.length(); }
  KvSequence& kv() { return kv_; }

  // Drops the cache so the sequence recomputes it later (preemption when the pool is full).
  void Preempt() { kv_.Release(); }

  // Samples the next token from `logits` (this sequence's row; the sampler may rewrite it).
  // Touches only this sequence's sampler: different sequences may sample on different threads
  // at once. Call Accept with the result, in step order, before the next step.
  // With a grammar (SamplingParams::grammar) the refused tokens' logits become -inf first.
  int32_t Sample(float* logits) {
    if (constraint_) constraint_->ApplyMask(logits, vocab_);
    return sampler_.Sample(logits);
  }
  // Appends `token` (from Sample), updates text and stop state, and reports the step through
  // the callback. Returns true if the sequence finished.
  bool Accept(int32_t token, int64_t context_limit);
  // Ends the sequence now (cancellation, deadline, error) and reports it.
  void Finish(FinishReason reason, absl::Status error = absl::OkStatus());

  void Cancel() { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  uint64_t arrival() const { return arrival_; }
  void set_arrival(uint64_t a) { arrival_ = a; }

 private:
  EngineRequest request_;
  int64_t prompt_length_;
  std::vector<int32_t> tokens_;
  KvSequence kv_;
  int64_t vocab_;
  Sampler sampler_;
  std::optional<TokenConstraint> constraint_;
  StreamDecoder decoder_;
  StopStringFilter stops_;
  State state_ = State::kWaiting;
  std::atomic<bool> cancelled_{false};
  uint64_t arrival_ = 0;
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_SCHED_SEQUENCE_H_
