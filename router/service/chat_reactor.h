// ChatReactor: one Router.Chat call on the gRPC side. It authenticates and routes the request,
// has it planned (chat_admission.h), and hands it to an AgentRun (router/agent/agent_run.h),
// which decides everything else; the reactor only relays the run's events to the client (one
// write in flight, as the run asks), passes on write completions and the client's
// cancellation, and ends the call once: the tenant charged, the run counted in RouterMetrics
// and one chat_done log line whose trace id the workers' lines share.
// Thread safety: gRPC's reactor contract; the run may call it from any thread.
#ifndef SWITCHYARD_ROUTER_SERVICE_CHAT_REACTOR_H_
#define SWITCHYARD_ROUTER_SERVICE_CHAT_REACTOR_H_

#include "grpcpp/grpcpp.h"
#include "switchyard/v1/router.pb.h"

namespace switchyard {

class RouterService;

// Starts the call's reactor; gRPC owns it (it deletes itself in OnDone).
grpc::ServerWriteReactor<v1::ChatEvent>* StartChatRun(grpc::CallbackServerContext* ctx, const v1::ChatRequest& request,
                                                     RouterService* service);

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_SERVICE_CHAT_REACTOR_H_
