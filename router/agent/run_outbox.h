// RunOutbox: the events of one run waiting for the client's stream, which takes one write at a
// time. The run queues events as they happen; the next write starts when the last one is done.
// Its backlog is what the run reads ahead of the client: a slow client slows the worker down
// rather than filling memory.
// Thread safety: none; the run guards it with its own mutex.
#ifndef SWITCHYARD_ROUTER_AGENT_RUN_OUTBOX_H_
#define SWITCHYARD_ROUTER_AGENT_RUN_OUTBOX_H_

#include <cstddef>
#include <deque>
#include <utility>

#include "switchyard/v1/router.pb.h"

namespace switchyard {

class RunOutbox {
 public:
  void Push(v1::ChatEvent event) { queued_.push_back(std::move(event)); }
  // The oldest event not yet being written, or null (to amend it before it goes out).
  v1::ChatEvent* FirstQueued() { return queued_.empty() ? nullptr : &queued_.front(); }

  // The next event to write, when none is in flight and one is queued; else null. The event
  // stays where the pointer says until WriteDone().
  const v1::ChatEvent* StartWrite() {
    if (in_flight_ || queued_.empty()) return nullptr;
    writing_ = std::move(queued_.front());
    queued_.pop_front();
    in_flight_ = true;
    return &writing_;
  }
  void WriteDone() { in_flight_ = false; }

  size_t backlog() const { return queued_.size(); }  // not counting the write in flight
  bool drained() const { return !in_flight_ && queued_.empty(); }

 private:
  std::deque<v1::ChatEvent> queued_;
  v1::ChatEvent writing_;
  bool in_flight_ = false;
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_AGENT_RUN_OUTBOX_H_
