// RouterBackend against an in-process fake Router service: the requests it sends (messages,
// route, tools, sampling, format, documents, the API key), and what it keeps of the stream.
#include "router/workflows/router_backend.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "switchyard/v1/router.grpc.pb.h"

namespace switchyard::workflows {
namespace {

class FakeRouter final : public v1::Router::Service {
 public:
  grpc::Status Chat(grpc::ServerContext* ctx, const v1::ChatRequest* req, grpc::ServerWriter<v1::ChatEvent>* w) override {
    last_chat = *req;
    auto it = ctx->client_metadata().find("authorization");
    authorization = it == ctx->client_metadata().end() ? "" : std::string(it->second.data(), it->second.size());
    if (!fail.ok()) return fail;
    auto send = [&](auto fill) {
      v1::ChatEvent e;
      fill(e);
      w->Write(e);
    };
    send([](v1::ChatEvent& e) {
      e.set_trace_id("tr-9");
      e.mutable_route()->set_role("coder");
      e.mutable_route()->set_replica("127.0.0.1:9001");
    });
    send([](v1::ChatEvent& e) { e.set_reasoning_delta("let me think"); });
    send([](v1::ChatEvent& e) { e.set_text_delta("I will run it."); });
    send([](v1::ChatEvent& e) {
      e.mutable_tool_call()->set_name("run_code");
      e.mutable_tool_call()->set_arguments_json("{}");
    });
    send([](v1::ChatEvent& e) { e.mutable_step()->set_step(1); });
    send([](v1::ChatEvent& e) { e.mutable_tool_result()->set_name("run_code"); });
    send([](v1::ChatEvent& e) { e.set_text_delta("Final "); });
    send([](v1::ChatEvent& e) { e.set_text_delta("answer"); });
    send([](v1::ChatEvent& e) { e.mutable_step()->set_step(2); });
    send([&](v1::ChatEvent& e) {
      e.mutable_finish()->set_reason(finish);
      e.mutable_finish()->set_detail(finish == v1::RUN_LIMIT ? "max_steps: 2 steps taken" : "");
      e.mutable_finish()->mutable_usage()->set_prompt_tokens(12);
      e.mutable_finish()->mutable_usage()->set_completion_tokens(7);
      e.mutable_finish()->mutable_usage()->set_cached_prompt_tokens(3);
    });
    return grpc::Status::OK;
  }

  grpc::Status CallTool(grpc::ServerContext* ctx, const v1::CallToolRequest* req, v1::ToolResult* out) override {
    last_tool = *req;
    if (!fail.ok()) return fail;
    out->set_name(req->name());
    out->set_ok(false);
    out->set_content("exit 1");
    out->set_error("the program failed");
    out->set_structured_json(R"({"exit_code":1})");
    out->set_latency_ms(33);
    return grpc::Status::OK;
  }

  v1::ChatRequest last_chat;
  v1::CallToolRequest last_tool;
  std::string authorization;
  grpc::Status fail = grpc::Status::OK;
  v1::FinishReason finish = v1::STOP;
};

class RouterBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    b.RegisterService(&router_);
    server_ = b.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    target_ = "127.0.0.1:" + std::to_string(port_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  FakeRouter router_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string target_;
};

TEST_F(RouterBackendTest, ChatSendsThePinnedRequestWithTheKey) {
  auto backend = RouterBackend::Connect(target_, "sk-test");
  ChatOptions o;
  o.router_tools = {"run_code", "search_documents"};
  o.max_tokens = 64;
  o.temperature = 0.5;
  o.seed = 9;
  o.thinking = false;
  o.max_steps = 3;
  o.format = ChatOptions::Format::kJsonSchema;
  o.json_schema = R"({"type":"object"})";
  o.documents = {{"contract", "text"}};
  o.deadline = absl::Now() + absl::Seconds(30);
  auto reply = backend->Chat("coder", {{Message::Role::kSystem, "sys"}, {Message::Role::kUser, "hi"}}, o);
  ASSERT_TRUE(reply.ok()) << reply.status();

  const v1::ChatRequest& req = router_.last_chat;
  EXPECT_EQ(router_.authorization, "Bearer sk-test");
  ASSERT_EQ(req.messages_size(), 2);
  EXPECT_EQ(req.messages(0).role(), v1::ChatMessage::SYSTEM);
  EXPECT_EQ(req.messages(0).content(), "sys");
  EXPECT_EQ(req.messages(1).role(), v1::ChatMessage::USER);
  EXPECT_EQ(req.messages(1).content(), "hi");
  EXPECT_EQ(req.route(), "coder");
  ASSERT_EQ(req.router_tools_size(), 2);
  EXPECT_EQ(req.router_tools(1), "search_documents");
  EXPECT_EQ(req.tools_size(), 0);
  EXPECT_EQ(req.sampling().max_tokens(), 64);
  EXPECT_FLOAT_EQ(req.sampling().temperature(), 0.5f);
  EXPECT_EQ(req.sampling().seed(), 9u);
  EXPECT_TRUE(req.has_enable_thinking());
  EXPECT_FALSE(req.enable_thinking());
  EXPECT_EQ(req.limits().max_steps(), 3);
  EXPECT_EQ(req.response_format().type(), v1::ResponseFormat::JSON_SCHEMA);
  EXPECT_EQ(req.response_format().json_schema(), R"({"type":"object"})");
  ASSERT_EQ(req.documents_size(), 1);
  EXPECT_EQ(req.documents(0).name(), "contract");

  EXPECT_EQ(reply->text, "Final answer");  // the text before the tool call is not the answer
  EXPECT_EQ(reply->reasoning, "let me think");
  EXPECT_EQ(reply->finish, Finish::kStop);
  EXPECT_EQ(reply->prompt_tokens, 12);
  EXPECT_EQ(reply->cached_prompt_tokens, 3);
  EXPECT_EQ(reply->completion_tokens, 7);
  EXPECT_EQ(reply->role, "coder");
  EXPECT_EQ(reply->replica, "127.0.0.1:9001");
  EXPECT_EQ(reply->trace_id, "tr-9");
  EXPECT_EQ(reply->model_calls, 2);
  EXPECT_EQ(reply->tool_calls, std::vector<std::string>{"run_code"});
}

TEST_F(RouterBackendTest, NoKeyNoAuthorizationAndUnsetOptionsStayUnset) {
  auto backend = RouterBackend::Connect(target_, "");
  auto reply = backend->Chat("translation", {{Message::Role::kUser, "hallo"}}, ChatOptions{});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(router_.authorization, "");
  EXPECT_FALSE(router_.last_chat.has_enable_thinking());
  EXPECT_FALSE(router_.last_chat.sampling().has_max_tokens());
  EXPECT_FALSE(router_.last_chat.sampling().has_temperature());
  EXPECT_FALSE(router_.last_chat.has_limits());
  EXPECT_EQ(router_.last_chat.response_format().type(), v1::ResponseFormat::TEXT);
}

TEST_F(RouterBackendTest, RunLimitIsReportedNotHidden) {
  router_.finish = v1::RUN_LIMIT;
  auto reply = RouterBackend::Connect(target_, "")->Chat("reasoning", {{Message::Role::kUser, "x"}}, ChatOptions{});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->finish, Finish::kRunLimit);
  EXPECT_EQ(reply->finish_detail, "max_steps: 2 steps taken");
}

TEST_F(RouterBackendTest, GrpcErrorsKeepTheirCode) {
  router_.fail = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "token budget spent");
  auto backend = RouterBackend::Connect(target_, "k");
  auto reply = backend->Chat("coder", {{Message::Role::kUser, "x"}}, ChatOptions{});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(reply.status().message(), "token budget spent");
  auto tool = backend->CallTool("run_code", "{}", ToolOptions{});
  EXPECT_EQ(tool.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(RouterBackendTest, CallToolSendsArgumentsAndDocuments) {
  auto backend = RouterBackend::Connect(target_, "sk");
  ToolOptions o;
  o.documents = {{"notes", "paged KV cache"}};
  auto reply = backend->CallTool("search_documents", R"({"query":"kv"})", o);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(router_.last_tool.name(), "search_documents");
  EXPECT_EQ(router_.last_tool.arguments_json(), R"({"query":"kv"})");
  ASSERT_EQ(router_.last_tool.documents_size(), 1);
  EXPECT_EQ(router_.last_tool.documents(0).text(), "paged KV cache");
  EXPECT_FALSE(reply->ok);
  EXPECT_EQ(reply->content, "exit 1");
  EXPECT_EQ(reply->error, "the program failed");
  EXPECT_EQ(reply->structured_json, R"({"exit_code":1})");
  EXPECT_EQ(reply->latency_ms, 33);
}

TEST(RouterBackendUnreachableTest, SaysWhereItLooked) {
  // Port 1 on loopback: nothing listens there, and connecting fails at once.
  auto backend = RouterBackend::Connect("127.0.0.1:1", "");
  ToolOptions o;
  o.deadline = absl::Now() + absl::Seconds(5);
  auto reply = backend->CallTool("run_code", "{}", o);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::EndsWith(reply.status().message(), "(is a router running at 127.0.0.1:1?)")) << reply.status();
}

}  // namespace
}  // namespace switchyard::workflows
