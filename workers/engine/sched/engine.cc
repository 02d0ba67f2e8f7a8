#include "workers/engine/sched/engine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "workers/engine/grammar/compiled_grammar.h"

namespace switchyard {

int64_t EngineOptions::KvBlocks(int64_t max_context) const {
  if (kv_blocks > 0) return kv_blocks;
  const int64_t positions = std::min<int64_t>(max_context, 2048) * max_batch;
  return (positions + block_size - 1) / block_size;
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(ModelRunner* runner, const Tokenizer* tokenizer,
                                                       const EngineOptions& options) {
  if (options.max_batch < 1 || options.max_queue < 0 || options.block_size < 1 || options.step_tokens < 1) {
    return absl::InvalidArgumentError("engine: max_batch, block_size and step_tokens must be positive");
  }
  // A step carries up to step_tokens tokens (the scheduler's budget): the runner must take them.
  if (options.step_tokens > runner->max_batch_tokens()) {
    return absl::InvalidArgumentError(absl::StrCat("engine: step_tokens ", options.step_tokens, " exceeds the ",
                                                   runner->device_name(), " runner's largest batch of ",
                                                   runner->max_batch_tokens(), " tokens"));
  }
  const KvPoolSpec wish{ModelKvShape(runner->config(), options.block_size, options.kv_dtype),
                        options.KvBlocks(runner->max_context()), KvMemory::kHost};
  auto pool = MakeKvPool(*runner, wish);
  if (!pool.ok()) return pool.status();
  auto engine = std::make_unique<Engine>(PassKey(), runner, tokenizer, options, std::move(*pool));
  engine->thread_ = std::thread([e = engine.get()] { e->Loop(); });
  return engine;
}

Engine::Engine(PassKey, ModelRunner* runner, const Tokenizer* tokenizer, const EngineOptions& options,
               std::unique_ptr<KvBlockPool> pool)
    : runner_(runner),
      tokenizer_(tokenizer),
      options_(options),
      pool_(std::move(pool)),
      scheduler_(pool_.get(), SchedulerOptions{options.max_batch, options.step_tokens}) {
  absl::MutexLock lock(&mu_);
  stats_.kv_blocks_total = pool_->num_blocks();
}

Engine::~Engine() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<std::shared_ptr<RequestHandle>> Engine::Submit(EngineRequest request) {
  if (request.prompt.empty()) return absl::InvalidArgumentError("the prompt is empty");
  const int64_t context = runner_->max_context();
  if (static_cast<int64_t>(request.prompt.size()) >= context) {
    return absl::InvalidArgumentError(absl::StrCat("prompt of ", request.prompt.size(),
                                                   " tokens leaves no room in the model's context of ", context, " tokens"));
  }
  for (int32_t t : request.prompt) {
    if (t < 0 || t >= runner_->vocab_size()) {
      return absl::InvalidArgumentError(absl::StrCat("prompt token ", t, " is outside the vocabulary"));
    }
  }
  if (absl::Status s = request.sampling.Validate(); !s.ok()) return s;
  if (request.sampling.grammar && request.sampling.grammar->vocab_size() != runner_->vocab_size()) {
    return absl::InvalidArgumentError(absl::StrCat("the grammar was compiled for a vocabulary of ",
                                                   request.sampling.grammar->vocab_size(), " tokens, the model has ",
                                                   runner_->vocab_size()));
  }
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  auto seq = std::make_unique<Sequence>(std::move(request), pool_.get(), *tokenizer_, runner_->vocab_size());
  absl::MutexLock lock(&mu_);
  if (stop_) return absl::UnavailableError("the engine is shutting down");
  // Capacity: a slot in the batch or in the queue behind it.
  if (stats_.running + stats_.waiting + static_cast<int>(incoming_.size()) >= options_.max_batch + options_.max_queue) {
    return absl::ResourceExhaustedError(absl::StrCat("the worker's queue is full (", options_.max_queue,
                                                     " waiting, ", options_.max_batch, " running); retry later"));
  }
  incoming_.push_back(Incoming{std::move(seq), cancel});
  return std::make_shared<RequestHandle>(cancel);
}

EngineStats Engine::Stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void Engine::Loop() {
  for (;;) {
    std::vector<Incoming> arrived;
    {
      absl::MutexLock lock(&mu_);
      // Sleep while there is nothing to do.
      // Evaluated by whichever thread releases mu_: reads only mu_-guarded state.
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !incoming_.empty() || busy_;
      };
      mu_.Await(absl::Condition(&has_work));
      if (stop_) break;
      arrived.swap(incoming_);
      // Counted as waiting from now on, not from the end of the step: admission (Submit) must
      // see them while this thread is busy in the step.
      stats_.waiting += static_cast<int>(arrived.size());
    }
    for (Incoming& in : arrived) {
      live_.emplace_back(in.seq.get(), in.cancel);
      scheduler_.Add(std::move(in.seq));
    }
    for (auto& [seq, flag] : live_) {
      if (flag->load(std::memory_order_acquire)) seq->Cancel();
    }
    StepPlan plan = scheduler_.Schedule();
    if (!plan.empty()) Step(plan);
    scheduler_.Reap();
    // Forget sequences that no longer exist in the scheduler.
    live_.erase(std::remove_if(live_.begin(), live_.end(),
                               [](const auto& p) { return p.first->state() == Sequence::State::kFinished; }),
                live_.end());
    absl::MutexLock lock(&mu_);
    stats_.running = scheduler_.running();
    stats_.waiting = scheduler_.waiting();
    stats_.kv_blocks_free = pool_->free_blocks();
    ++stats_.steps;
    stats_.preemptions += static_cast<int64_t>(plan.preempted.size());
    busy_ = scheduler_.running() > 0 || scheduler_.waiting() > 0;
    if (plan.empty() && scheduler_.running() > 0) {
      // Nothing could run (all waiting for blocks held by nobody): avoid a hot loop.
      mu_.AwaitWithTimeout(absl::Condition(+[](bool* s) { return *s; }, &stop_), absl::Milliseconds(1));
    }
  }
  scheduler_.FinishAll(FinishReason::kCancelled, absl::UnavailableError("the worker is shutting down"));
}

void Engine::Step(const StepPlan& plan) {
  std::vector<SequenceChunk> chunks;
  chunks.reserve(plan.items.size());
  for (const StepPlan::Item& it : plan.items) {
    Sequence& s = *it.seq;
    const int64_t from = s.computed();
    // Mid-prompt chunks need no logits: the head runs only for sequences that sample.
    chunks.push_back(SequenceChunk{&s.kv(),
                                   absl::MakeConstSpan(s.tokens()).subspan(static_cast<size_t>(from), static_cast<size_t>(it.count)),
                                   /*all_logits=*/false, /*want_logits=*/it.samples});
  }
  const int64_t V = runner_->vocab_size();
  logits_.resize(static_cast<size_t>(LogitRows(chunks) * V));
  absl::Status st = runner_->Forward(chunks, logits_.data());
  if (!st.ok()) {
    // The scheduler reserved blocks ahead, so this is a bug or an impossible input: end the
    // step's sequences with the error rather than the whole worker.
    for (const StepPlan::Item& it : plan.items) it.seq->Finish(FinishReason::kError, st);
    return;
  }
  std::vector<Sequence*> sampling;  // in logits-row order
  for (const StepPlan::Item& it : plan.items) {
    if (it.samples) sampling.push_back(it.seq);  // not a prefill chunk in the middle of a prompt
  }
  const int64_t generated = static_cast<int64_t>(sampling.size());
  // Sampling costs up to ~1.5 ms a sequence (a temperature without top-k over 151,936 logits):
  // 16 sequences in turn would leave the runner's other threads idle for 20 ms a step. Each
  // sequence samples with its own sampler, so they run on the runner's threads at once; the
  // tokens are then accepted (text, stops, callbacks) in order on this thread.
  sampled_.resize(sampling.size());
  runner_->ParallelFor(generated, [&](int64_t i) {
    sampled_[static_cast<size_t>(i)] = sampling[static_cast<size_t>(i)]->Sample(logits_.data() + i * V);
  });
  for (size_t i = 0; i < sampling.size(); ++i) sampling[i]->Accept(sampled_[i], runner_->max_context());
  absl::MutexLock lock(&mu_);
  stats_.tokens_generated += generated;
}

}  // namespace switchyard
