#include "router/gateway/openai_response.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace switchyard::gateway {
namespace {

constexpr int64_t kCreated = 1700000000;

ChatCompletionRequest Request(const std::string& model, bool include_usage = false) {
  ChatCompletionRequest r;
  r.model = model;
  r.stream = true;
  r.include_usage = include_usage;
  return r;
}

v1::ChatEvent Route() {
  v1::ChatEvent e;
  e.set_trace_id("t1");
  v1::RouteDecision* d = e.mutable_route();
  d->set_role("coder");
  d->set_replica("127.0.0.1:1");
  d->set_label("coder");
  d->set_confidence(0.9f);
  d->set_pinned(true);
  v1::Feature* f = d->add_features();
  f->set_name("code");
  f->set_weight(1.5f);
  return e;
}
v1::ChatEvent Text(const std::string& t) {
  v1::ChatEvent e;
  e.set_text_delta(t);
  return e;
}
v1::ChatEvent Reasoning(const std::string& t) {
  v1::ChatEvent e;
  e.set_reasoning_delta(t);
  return e;
}
v1::ChatEvent Call(const std::string& id, const std::string& name, const std::string& args) {
  v1::ChatEvent e;
  e.mutable_tool_call()->set_id(id);
  e.mutable_tool_call()->set_name(name);
  e.mutable_tool_call()->set_arguments_json(args);
  return e;
}
v1::ChatEvent Finish(v1::FinishReason reason, int prompt, int completion, const std::string& detail = "") {
  v1::ChatEvent e;
  e.mutable_finish()->set_reason(reason);
  e.mutable_finish()->mutable_usage()->set_prompt_tokens(prompt);
  e.mutable_finish()->mutable_usage()->set_completion_tokens(completion);
  e.mutable_finish()->set_detail(detail);
  return e;
}

constexpr char kRoute[] =
    R"("route":{"role":"coder","replica":"127.0.0.1:1","label":"coder","confidence":0.9,"pinned":true,)"
    R"("features":[{"name":"code","weight":1.5}]})";

std::string Chunk(const std::string& model, const std::string& delta, const std::string& finish,
                  const std::string& extension = "") {
  return "data: {\"id\":\"chatcmpl-t1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model +
         "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]" +
         (extension.empty() ? "" : ",\"switchyard\":" + extension) + "}\n\n";
}

TEST(OpenAiResponseTest, CompletionObject) {
  CompletionBuilder b(Request("coder"), kCreated);
  v1::ChatEvent trace;
  trace.mutable_trace()->set_end_reason("stop");
  trace.mutable_trace()->set_wall_ms(7);
  for (const v1::ChatEvent& e : {Route(), Reasoning("hm"), Text("Hel"), Text("lo"), trace, Finish(v1::STOP, 5, 2)}) b.Add(e);
  EXPECT_EQ(b.Body(),
            std::string(R"({"id":"chatcmpl-t1","object":"chat.completion","created":1700000000,"model":"coder",)") +
                R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello","reasoning_content":"hm"},)" +
                R"("logprobs":null,"finish_reason":"stop"}],)" +
                R"("usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7,"prompt_tokens_details":{"cached_tokens":0}},)" +
                R"("switchyard":{"trace_id":"t1",)" + kRoute + R"(,"trace":{"end_reason":"stop","wall_ms":"7"}}})");
  EXPECT_EQ(RouteHeaderValue(b.route()), "role=coder; replica=127.0.0.1:1; confidence=0.90");
}

TEST(OpenAiResponseTest, CompletionWithToolCallsHasNullContent) {
  CompletionBuilder b(Request("auto"), kCreated);
  for (const v1::ChatEvent& e : {Route(), Call("c1", "f", R"({"a":1})"), Finish(v1::TOOL_CALLS, 3, 4)}) b.Add(e);
  EXPECT_EQ(b.Body(),
            std::string(R"({"id":"chatcmpl-t1","object":"chat.completion","created":1700000000,"model":"auto",)") +
                R"("choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[)" +
                R"({"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},)" +
                R"("logprobs":null,"finish_reason":"tool_calls"}],)" +
                R"("usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"prompt_tokens_details":{"cached_tokens":0}},)" +
                R"("switchyard":{"trace_id":"t1",)" + kRoute + "}}");
}

TEST(OpenAiResponseTest, StreamOfTextAndAClientToolCall) {
  ChunkEncoder enc(Request("auto", /*include_usage=*/true), kCreated);
  std::string out;
  for (const v1::ChatEvent& e : {Route(), Reasoning("hm"), Text("Hi"), Text(""), Call("c1", "f", R"({"a":1})"),
                                 Finish(v1::TOOL_CALLS, 3, 4)}) {
    out += enc.Encode(e);
  }
  out += enc.End();
  const std::string expected =
      Chunk("auto", R"({"role":"assistant","content":""})", "null", std::string(R"({"trace_id":"t1",)") + kRoute + "}") +
      Chunk("auto", R"({"reasoning_content":"hm"})", "null") + Chunk("auto", R"({"content":"Hi"})", "null") +
      Chunk("auto",
            R"({"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]})",
            "null") +
      Chunk("auto", "{}", R"("tool_calls")") +
      R"(data: {"id":"chatcmpl-t1","object":"chat.completion.chunk","created":1700000000,"model":"auto","choices":[],)"
      R"("usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"prompt_tokens_details":{"cached_tokens":0}}})"
      "\n\ndata: [DONE]\n\n";
  EXPECT_EQ(out, expected);
}

// The router's own tools are the router's business: their calls, results and steps travel in
// the extension field, and a run a limit ended says which in it.
TEST(OpenAiResponseTest, StreamOfAnAgentRun) {
  ChatCompletionRequest req = Request("coder");
  req.chat.add_router_tools("search_documents");
  ChunkEncoder enc(req, kCreated);
  v1::ChatEvent result;
  result.mutable_tool_result()->set_tool_call_id("c1");
  result.mutable_tool_result()->set_name("search_documents");
  result.mutable_tool_result()->set_ok(true);
  result.mutable_tool_result()->set_step(1);
  v1::ChatEvent step;
  step.mutable_step()->set_step(1);
  step.mutable_step()->set_role("coder");
  step.mutable_step()->set_finish_reason(v1::TOOL_CALLS);
  std::string out;
  for (const v1::ChatEvent& e : {Route(), Call("c1", "search_documents", R"({"query":"x"})"), result, step,
                                 Finish(v1::RUN_LIMIT, 1, 1, "max_steps: 1 model calls made")}) {
    out += enc.Encode(e);
  }
  out += enc.End();
  const std::string expected =
      Chunk("coder", R"({"role":"assistant","content":""})", "null", std::string(R"({"trace_id":"t1",)") + kRoute + "}") +
      Chunk("coder", "{}", "null",
            R"({"tool_call":{"id":"c1","type":"function","function":{"name":"search_documents","arguments":"{\"query\":\"x\"}"}}})") +
      Chunk("coder", "{}", "null", R"({"tool_result":{"tool_call_id":"c1","name":"search_documents","ok":true,"step":1}})") +
      Chunk("coder", "{}", "null", R"({"step":{"step":1,"role":"coder","finish_reason":"TOOL_CALLS"}})") +
      Chunk("coder", "{}", R"("stop")", R"({"finish":{"reason":"run_limit","detail":"max_steps: 1 model calls made"}})") +
      "data: [DONE]\n\n";
  EXPECT_EQ(out, expected);
}

// The prompt tokens the workers' prefix caches supplied: OpenAI's
// usage.prompt_tokens_details.cached_tokens, in the body and in the stream's usage chunk.
TEST(OpenAiResponseTest, CachedPromptTokensInBothShapes) {
  v1::ChatEvent finish = Finish(v1::STOP, 1200, 9);
  finish.mutable_finish()->mutable_usage()->set_cached_prompt_tokens(1024);
  CompletionBuilder b(Request("coder"), kCreated);
  for (const v1::ChatEvent& e : {Route(), Text("ok"), finish}) b.Add(e);
  EXPECT_EQ(b.Body(),
            std::string(R"({"id":"chatcmpl-t1","object":"chat.completion","created":1700000000,"model":"coder",)") +
                R"("choices":[{"index":0,"message":{"role":"assistant","content":"ok"},)" +
                R"("logprobs":null,"finish_reason":"stop"}],)" +
                R"("usage":{"prompt_tokens":1200,"completion_tokens":9,"total_tokens":1209,)" +
                R"("prompt_tokens_details":{"cached_tokens":1024}},)" + R"("switchyard":{"trace_id":"t1",)" + kRoute + "}}");

  ChunkEncoder enc(Request("coder", /*include_usage=*/true), kCreated);
  std::string out;
  for (const v1::ChatEvent& e : {Route(), Text("ok"), finish}) out += enc.Encode(e);
  out += enc.End();
  const std::string expected =
      Chunk("coder", R"({"role":"assistant","content":""})", "null", std::string(R"({"trace_id":"t1",)") + kRoute + "}") +
      Chunk("coder", R"({"content":"ok"})", "null") + Chunk("coder", "{}", R"("stop")") +
      R"(data: {"id":"chatcmpl-t1","object":"chat.completion.chunk","created":1700000000,"model":"coder","choices":[],)"
      R"("usage":{"prompt_tokens":1200,"completion_tokens":9,"total_tokens":1209,"prompt_tokens_details":{"cached_tokens":1024}}})"
      "\n\ndata: [DONE]\n\n";
  EXPECT_EQ(out, expected);
}

TEST(OpenAiResponseTest, ErrorInTheStream) {
  EXPECT_EQ(ChunkEncoder::Error(ToHttpError(absl::UnavailableError("worker a failed"))),
            "data: {\"error\":{\"message\":\"worker a failed\",\"type\":\"server_error\",\"param\":null,\"code\":"
            "\"unavailable\"}}\n\ndata: [DONE]\n\n");
}

TEST(OpenAiResponseTest, FinishReasons) {
  EXPECT_STREQ(OpenAiFinishReason(v1::STOP), "stop");
  EXPECT_STREQ(OpenAiFinishReason(v1::LENGTH), "length");
  EXPECT_STREQ(OpenAiFinishReason(v1::TOOL_CALLS), "tool_calls");
  EXPECT_STREQ(OpenAiFinishReason(v1::RUN_LIMIT), "stop");
}

}  // namespace
}  // namespace switchyard::gateway
