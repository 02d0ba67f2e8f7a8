#include "router/agent/worker_client.h"

#include <utility>

namespace switchyard {

bool WorkerClient::Retryable(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:        // the worker died or cannot be reached
    case absl::StatusCode::kResourceExhausted:  // its queue is full
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

std::shared_ptr<WorkerCall> WorkerClient::NewCall(std::string role, std::shared_ptr<const v1::GenerateRequest> request,
                                                  CallSettings settings, WorkerCallObserver* observer,
                                                  std::shared_ptr<void> keep_alive) {
  // Not make_shared: the constructor is private to the client.
  return std::shared_ptr<WorkerCall>(new WorkerCall(transport_, std::move(role), std::move(request),
                                                    std::move(settings), observer, std::move(keep_alive)));
}

WorkerCall::WorkerCall(WorkerTransport& transport, std::string role, std::shared_ptr<const v1::GenerateRequest> request,
                       CallSettings settings, WorkerCallObserver* observer, std::shared_ptr<void> keep_alive)
    : transport_(transport),
      role_(std::move(role)),
      request_(std::move(request)),
      settings_(std::move(settings)),
      observer_(observer),
      keep_alive_(std::move(keep_alive)) {}

absl::Status WorkerCall::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (cancelled_) return absl::CancelledError("the request was cancelled");
  }
  absl::StatusOr<PickedReplica> picked = transport_.Pick(role_, {});
  if (!picked.ok()) return picked.status();
  StartAttempt(*picked);
  return absl::OkStatus();
}

void WorkerCall::StartAttempt(const PickedReplica& replica) {
  {
    absl::MutexLock lock(&mu_);
    tried_.push_back(replica.key);
    answered_ = false;
    reading_ = true;  // a stream starts with its first read in flight
    read_wanted_ = false;
  }
  observer_->OnAttempt(replica.endpoint);
  std::shared_ptr<GenerateStream> stream = transport_.Open(replica, request_, settings_, shared_from_this());
  bool cancelled;
  {
    absl::MutexLock lock(&mu_);
    stream_ = stream;
    cancelled = cancelled_;
  }
  if (cancelled) stream->Cancel();  // before Start: the stream ends as soon as it starts
  stream->Start();
}

void WorkerCall::Read() {
  std::shared_ptr<GenerateStream> stream;
  {
    absl::MutexLock lock(&mu_);
    if (reading_ || cancelled_ || stream_ == nullptr) return;
    if (delivering_) {
      read_wanted_ = true;  // OnStreamEvent reads once the observer is done with this event
      return;
    }
    reading_ = true;
    stream = stream_;
  }
  stream->Read();
}

void WorkerCall::Cancel() {
  std::shared_ptr<GenerateStream> stream;
  {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    stream = stream_;
  }
  if (stream != nullptr) stream->Cancel();
}

void WorkerCall::OnStreamEvent(v1::GenerateEvent event) {
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (cancelled_) return;  // the caller has stopped listening
    answered_ = true;
    delivering_ = true;
  }
  observer_->OnEvent(std::move(event));
  std::shared_ptr<GenerateStream> stream;
  {
    absl::MutexLock lock(&mu_);
    delivering_ = false;
    if (read_wanted_ && !cancelled_) {
      read_wanted_ = false;
      reading_ = true;
      stream = stream_;
    }
  }
  // Only now: the next event must not reach the observer while it still handles this one.
  if (stream != nullptr) stream->Read();
}

bool WorkerCall::MayRetryLocked(const absl::Status& status) const {
  return !status.ok() && !answered_ && !cancelled_ && static_cast<int>(tried_.size()) < kMaxAttempts &&
         WorkerClient::Retryable(status.code());
}

void WorkerCall::OnStreamDone(const absl::Status& status) {
  std::vector<ReplicaKey> tried;
  bool retry;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    retry = MayRetryLocked(status);
    tried = tried_;
  }
  absl::StatusOr<PickedReplica> next = absl::UnavailableError("no retry");
  if (retry) next = transport_.Pick(role_, tried);
  retry = retry && next.ok();
  observer_->OnAttemptEnd(status, retry);
  if (retry) {
    StartAttempt(*next);
    return;
  }
  // The observer has had its last call: let go of what kept it alive (perhaps the last
  // reference to the caller's state, which may own this call; our stream still holds us).
  std::shared_ptr<void> released;
  absl::MutexLock lock(&mu_);
  released = std::move(keep_alive_);
  stream_.reset();
}

}  // namespace switchyard
