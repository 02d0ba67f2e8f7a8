// ChatReactor: one Router.Chat call, from admission to the last event — the agent loop.
//
// A run is a sequence of steps. Each step streams one worker answer to the client (through the
// output guardrails when the policy has them). When the answer calls router tools (the request's
// router_tools), the reactor runs them on a tool thread (RunToolCalls: policy, audit, parallel
// calls), streams each ToolResult, appends the assistant turn and the tool results to the
// conversation (results paired with their call ids) and starts the next step on the same role.
// The run ends when an answer calls no router tool (its finish reason is the run's), when it
// calls a client tool (handed back: finish TOOL_CALLS, OpenAI semantics), or when a limit ends
// it (finish RUN_LIMIT with the limit in Finish.detail). Every step ends with a StepTrace event
// and the run with a RunTrace event just before the finish.
//
// Worker calls are asynchronous (a ClientReadReactor per step); only tool execution, which
// blocks on the sandbox or on another worker, takes a thread, and only while tools run.
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
