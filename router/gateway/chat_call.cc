#include "router/gateway/chat_call.h"

#include <ctime>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"
#include "router/gateway/openai_error.h"
#include "router/gateway/openai_response.h"

namespace switchyard::gateway {
namespace {

HttpResponse ErrorResponse(const HttpError& e) {
  HttpResponse r{static_cast<http::status>(e.status), 11};
  r.set(http::field::content_type, "application/json");
  if (e.retry_after_s > 0) r.set(http::field::retry_after, std::to_string(e.retry_after_s));
  r.body() = ErrorBody(e);
  return r;
}

HttpError FromGrpc(const grpc::Status& s) {
  return ToHttpError(ToAbsl(s));
}

class ChatCall final : public grpc::ClientReadReactor<v1::ChatEvent>, public std::enable_shared_from_this<ChatCall> {
 public:
  ChatCall(ChatCompletionRequest request, std::shared_ptr<HttpExchange> exchange, std::shared_ptr<std::atomic<int>> live)
      : stream_(request.stream),
        exchange_(std::move(exchange)),
        live_(std::move(live)),
        request_(std::move(request)) {
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (stream_) {
      encoder_.emplace(request_, now);
    } else {
      builder_.emplace(request_, now);
    }
    live_->fetch_add(1);
  }
  ~ChatCall() override { live_->fetch_sub(1); }

  void Begin(v1::Router::Stub& stub, const std::string& authorization) {
    if (!authorization.empty()) context_.AddMetadata("authorization", authorization);
    self_ = shared_from_this();  // released in OnDone: gRPC holds a plain pointer until then
    stub.async()->Chat(&context_, &request_.chat, this);
    StartRead(&event_);
    StartCall();
  }

  // Exchange methods are never called with mu_ held: they may run their callbacks inline.
  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows with the status
    std::string data;
    std::optional<http::response<http::empty_body>> head;
    {
      absl::MutexLock lock(&mu_);
      if (!gone_ && !stream_) builder_->Add(event_);
      if (!gone_ && stream_) data = encoder_->Encode(event_);
      if (!data.empty() && !started_) {
        started_ = true;
        head = StreamHeadLocked();
      }
    }
    if (data.empty()) {
      StartRead(&event_);
      return;
    }
    // The next read waits for this write; the hold keeps OnDone from coming in between.
    AddHold();
    auto self = shared_from_this();
    auto after = [self](bool ok) { self->AfterWrite(ok); };
    if (!head) {
      exchange_->WriteChunk(std::move(data), std::move(after));
      return;
    }
    exchange_->StartStream(*std::move(head), [self, data = std::move(data), after](bool ok) mutable {
      if (!ok) return self->AfterWrite(false);
      self->exchange_->WriteChunk(std::move(data), std::move(after));
    });
  }

  void OnDone(const grpc::Status& s) override {
    std::shared_ptr<ChatCall> keep = std::move(self_);
    Finish(s);
  }

 private:
  http::response<http::empty_body> StreamHeadLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    http::response<http::empty_body> head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    head.set("x-accel-buffering", "no");
    AddRouteHeaders(*encoder_, head);
    return head;
  }

  template <typename Response>
  static void AddRouteHeaders(const ResponseBase& r, Response& out) {
    if (r.has_route()) out.set("x-switchyard-route", RouteHeaderValue(r.route()));
    if (!r.trace_id().empty()) out.set("x-switchyard-trace-id", r.trace_id());
  }

  // On the connection's strand, after a chunk went out (or did not).
  void AfterWrite(bool ok) {
    bool cancel = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok && !gone_) cancel = gone_ = true;
    }
    if (cancel) context_.TryCancel();  // the client left: stop the run and free the worker
    StartRead(&event_);  // (after a cancel: drains until the call ends)
    RemoveHold();
  }

  // The call has ended: the rest of the answer.
  void Finish(const grpc::Status& s) {
    enum { kNothing, kRespond, kStartEmpty, kLastChunk } action = kNothing;
    HttpResponse response;
    std::optional<http::response<http::empty_body>> head;
    std::string rest;
    {
      absl::MutexLock lock(&mu_);
      if (gone_) return;
      if (!stream_) {
        action = kRespond;
        if (s.ok()) {
          response = HttpResponse{http::status::ok, 11};
          response.set(http::field::content_type, "application/json");
          AddRouteHeaders(*builder_, response);
          response.body() = builder_->Body();
        } else {
          response = ErrorResponse(FromGrpc(s));
        }
      } else if (!started_) {
        // Nothing was streamed: an error is the HTTP answer itself.
        if (!s.ok()) {
          action = kRespond;
          response = ErrorResponse(FromGrpc(s));
        } else {
          action = kStartEmpty;
          started_ = true;
          head = StreamHeadLocked();
          rest = encoder_->End();
        }
      } else {
        action = kLastChunk;
        rest = s.ok() ? encoder_->End() : ChunkEncoder::Error(FromGrpc(s));
      }
    }
    auto exchange = exchange_;
    auto last = [exchange, rest = std::move(rest)]() mutable {
      exchange->WriteChunk(std::move(rest), [exchange](bool ok) {
        if (ok) exchange->EndStream();
      });
    };
    switch (action) {
      case kRespond: exchange_->Respond(std::move(response)); break;
      case kStartEmpty:
        exchange_->StartStream(*std::move(head), [last = std::move(last)](bool ok) mutable {
          if (ok) last();
        });
        break;
      case kLastChunk: last(); break;
      case kNothing: break;
    }
  }

  const bool stream_;
  std::shared_ptr<HttpExchange> exchange_;
  std::shared_ptr<std::atomic<int>> live_;
  ChatCompletionRequest request_;
  grpc::ClientContext context_;
  v1::ChatEvent event_;  // the read in flight writes here
  std::shared_ptr<ChatCall> self_;

  absl::Mutex mu_;
  std::optional<ChunkEncoder> encoder_ ABSL_GUARDED_BY(mu_);
  std::optional<CompletionBuilder> builder_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;  // the stream's head is (being) written
  bool gone_ ABSL_GUARDED_BY(mu_) = false;     // the client left
};

}  // namespace

void StartChatCall(v1::Router::Stub& stub, ChatCompletionRequest request, std::string authorization,
                   std::shared_ptr<HttpExchange> exchange, std::shared_ptr<std::atomic<int>> live) {
  auto call = std::make_shared<ChatCall>(std::move(request), std::move(exchange), std::move(live));
  call->Begin(stub, authorization);
}

}  // namespace switchyard::gateway
