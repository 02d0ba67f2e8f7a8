// ChatCall: one POST /v1/chat/completions in flight: the router's own Router.Chat, called
// asynchronously through its gRPC service (so authentication, policy, the agent loop and
// deadlines are the same as for gRPC clients), its events turned into the HTTP answer.
//
// Non-streaming: events are collected and the answer (or the mapped error) sent at the end.
// Streaming: the response head waits for the first event, so an error before it (bad key,
// rate limit, no worker) is still a plain HTTP error; after it, events are written one chunk at
// a time and the next one is read only when the last is out (a slow reader slows the model, it
// does not fill memory); a client that goes away cancels the call, freeing the worker.
// Thread safety: driven by gRPC's and the connection's threads; internal absl::Mutex.
#ifndef SWITCHYARD_ROUTER_GATEWAY_CHAT_CALL_H_
#define SWITCHYARD_ROUTER_GATEWAY_CHAT_CALL_H_

#include <atomic>
#include <memory>
#include <string>

#include "router/gateway/http_server.h"
#include "router/gateway/openai_request.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::gateway {

// Starts the call; it keeps itself alive until gRPC is done with it. `live` counts calls in
// flight (the gateway waits for them when it stops) and must outlive them.
void StartChatCall(v1::Router::Stub& stub, ChatCompletionRequest request, std::string authorization,
                   std::shared_ptr<HttpExchange> exchange, std::shared_ptr<std::atomic<int>> live);

}  // namespace switchyard::gateway

#endif  // SWITCHYARD_ROUTER_GATEWAY_CHAT_CALL_H_
