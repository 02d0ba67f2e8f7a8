#include "workers/engine/sched/scheduler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace switchyard {

void Scheduler::Add(std::unique_ptr<Sequence> seq) {
  seq->set_arrival(next_arrival_++);
  seq->set_state(Sequence::State::kWaiting);
  waiting_.push_back(std::move(seq));
}

void Scheduler::Reap() {
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [](const auto& s) { return s->state() == Sequence::State::kFinished; }),
                 running_.end());
}

void Scheduler::FinishAll(FinishReason reason, const absl::Status& error) {
  for (auto& s : running_) s->Finish(reason, error);
  for (auto& s : waiting_) s->Finish(reason, error);
  running_.clear();
  waiting_.clear();
}

StepPlan Scheduler::Schedule() {
  StepPlan plan;
  // Cancelled sequences leave now: their blocks return to the pool before anything else.
  for (auto& s : running_) {
    if (s->cancelled()) s->Finish(FinishReason::kCancelled);
  }
  for (auto& s : waiting_) {
    if (s->cancelled()) s->Finish(FinishReason::kCancelled);
  }
  Reap();
  waiting_.erase(std::remove_if(waiting_.begin(), waiting_.end(),
                                [](const auto& s) { return s->state() == Sequence::State::kFinished; }),
                 waiting_.end());

  int64_t budget = options_.step_tokens;
  int64_t free_blocks = pool_->free_blocks();
  // Running sequences, oldest first; preempt from the newest end when blocks run out.
  for (size_t i = 0; i < running_.size() && budget > 0; ++i) {
    Sequence& s = *running_[i];
    const int64_t count = std::min(s.pending(), budget);
    if (count <= 0) continue;
    int64_t need = ExtraBlocks(s, count);
    while (need > free_blocks && running_.size() > i + 1) {
      // Preempt the newest running sequence (never the one being scheduled).
      std::unique_ptr<Sequence> victim = std::move(running_.back());
      running_.pop_back();
      // Blocks it held count as free from now on; items already planned for it are removed.
      free_blocks += static_cast<int64_t>(victim->kv().blocks().size());
      plan.items.erase(std::remove_if(plan.items.begin(), plan.items.end(),
                                      [&](const StepPlan::Item& it) { return it.seq == victim.get(); }),
                       plan.items.end());
      victim->Preempt();
      victim->set_state(Sequence::State::kWaiting);
      plan.preempted.push_back(victim.get());
      waiting_.push_front(std::move(victim));
    }
    if (need > free_blocks) {
      if (static_cast<int64_t>(s.kv().blocks().size()) + need > pool_->num_blocks()) {
        s.Finish(FinishReason::kError,
                 absl::ResourceExhaustedError(absl::StrCat("sequence of ", s.computed() + count,
                                                           " positions does not fit in the KV cache (",
                                                           pool_->num_blocks() * pool_->shape().block_size, " positions)")));
      }
      continue;  // waits for blocks freed by others
    }
    free_blocks -= need;
    budget -= count;
    plan.items.push_back(StepPlan::Item{&s, count, count == s.pending()});
  }
  Reap();
  // Admit waiting sequences while there is room.
  while (!waiting_.empty() && budget > 0 && static_cast<int>(running_.size()) < options_.max_batch) {
    Sequence& s = *waiting_.front();
    const int64_t count = std::min(s.pending(), budget);
    const int64_t need = ExtraBlocks(s, count);
    if (BlocksFor(s.pending()) > pool_->num_blocks()) {
      s.Finish(FinishReason::kError,
               absl::ResourceExhaustedError(absl::StrCat("prompt of ", s.pending(), " tokens does not fit in the KV cache (",
                                                         pool_->num_blocks() * pool_->shape().block_size, " positions)")));
      waiting_.pop_front();
      continue;
    }
    if (need > free_blocks) break;  // the oldest waiter goes first: no overtaking
    free_blocks -= need;
    budget -= count;
    s.set_state(Sequence::State::kRunning);
    plan.items.push_back(StepPlan::Item{&s, count, count == s.pending()});
    running_.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  return plan;
}

}  // namespace switchyard
