#include "router/agent/grpc_worker_transport.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"

namespace switchyard {
namespace {

class GrpcGenerateStream final : public GenerateStream,
                                 public grpc::ClientReadReactor<v1::GenerateEvent>,
                                 public std::enable_shared_from_this<GrpcGenerateStream> {
 public:
  GrpcGenerateStream(Replica* replica, std::shared_ptr<const v1::GenerateRequest> request, const CallSettings& settings,
                     std::shared_ptr<GenerateStreamObserver> observer)
      : replica_(replica), request_(std::move(request)), observer_(std::move(observer)) {
    if (settings.deadline != absl::InfiniteFuture()) ctx_.set_deadline(absl::ToChronoTime(settings.deadline));
    ctx_.AddMetadata("x-trace-id", settings.trace_id);
  }

  void Start() override {
    self_ = shared_from_this();  // gRPC calls us until OnDone
    replica_->Acquire();
    replica_->stub().async()->Generate(&ctx_, request_.get(), this);
    AddHold();  // reads are asked for from outside the reactions: keep the call until they end
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
      started_ = true;
    }
    StartRead(&event_);
    StartCall();
  }

  void Read() override {
    {
      absl::MutexLock lock(&mu_);
      if (!started_ || reads_over_ || reading_) return;
      reading_ = true;
    }
    StartRead(&event_);  // the hold keeps the call alive: reads_over_ is still false
  }

  void Cancel() override {
    ctx_.TryCancel();  // before the call starts too: gRPC cancels it as it starts
    bool release = false;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      // With a read in flight, its failure releases the hold; without one, nobody else will.
      if (started_ && !reading_ && !reads_over_) release = reads_over_ = true;
    }
    if (release) RemoveHold();
  }

  void OnReadDone(bool ok) override {
    bool over;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      over = !ok || cancelled_;
      if (over) reads_over_ = true;
    }
    if (over) {
      RemoveHold();
      return;
    }
    if (event_.has_finish()) {
      // What the replica holds now is the pools' to keep; the answer goes on without it.
      replica_->held_prefix_keys().Replace(event_.finish().held_prefix_keys());
      event_.mutable_finish()->clear_held_prefix_keys();
    }
    observer_->OnStreamEvent(std::move(event_));
  }

  void OnDone(const grpc::Status& status) override {
    std::shared_ptr<GrpcGenerateStream> self = std::move(self_);  // alive until we return
    replica_->Release();
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      replica_->MarkFailed(absl::StrCat("call failed: ", status.error_message()));
    }
    std::shared_ptr<GenerateStreamObserver> observer = std::move(observer_);
    observer->OnStreamDone(ToAbsl(status));
  }

 private:
  Replica* const replica_;
  const std::shared_ptr<const v1::GenerateRequest> request_;
  std::shared_ptr<GenerateStreamObserver> observer_;
  std::shared_ptr<GrpcGenerateStream> self_;
  grpc::ClientContext ctx_;
  v1::GenerateEvent event_;  // written by the read in flight, handed over in OnReadDone

  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_over_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

absl::StatusOr<PickedReplica> GrpcWorkerTransport::Pick(absl::string_view role, const std::vector<ReplicaKey>& exclude) {
  std::vector<const Replica*> skip;
  skip.reserve(exclude.size());
  for (ReplicaKey k : exclude) skip.push_back(static_cast<const Replica*>(k));
  absl::StatusOr<Replica*> r = pools_.Pick(role, skip);
  if (!r.ok()) return r.status();
  return PickedReplica{*r, (*r)->endpoint()};
}

std::shared_ptr<GenerateStream> GrpcWorkerTransport::Open(const PickedReplica& replica,
                                                          std::shared_ptr<const v1::GenerateRequest> request,
                                                          const CallSettings& settings,
                                                          std::shared_ptr<GenerateStreamObserver> observer) {
  // The key is the Replica* Pick returned: the pools own it for the router's lifetime.
  auto* r = const_cast<Replica*>(static_cast<const Replica*>(replica.key));
  return std::make_shared<GrpcGenerateStream>(r, std::move(request), settings, std::move(observer));
}

}  // namespace switchyard
