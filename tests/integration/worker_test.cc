// The worker process for real: switchyard-worker started on a free loopback port with a tiny
// random model, driven over gRPC. Streams give the engine's exact tokens, concurrently too;
// cancellation and deadlines free the slot; bad requests get the right codes; tool_choice FUNCTION
// forces a call that finishes TOOL_CALLS; SIGTERM stops it.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "switchyard/v1/worker.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_paths.h"
#include "tests/support/tiny_qwen_model.h"
#include "workers/engine/runtime/generator.h"
#include "workers/engine/runtime/qwen3_runner.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class WorkerProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto tok = testing::QwenTokenizerDir();
    if (!tok) return;
    dir_ = std::make_unique<testing::ScratchDir>();
    auto model = testing::WriteTinyQwenModel(dir_->File("model"), *tok, /*seed=*/31, /*max_position_embeddings=*/512);
    ASSERT_TRUE(model.ok()) << model.status();
    auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model",
                                           *model, "--listen", "127.0.0.1:0", "--threads", "2", "--max-batch", "8",
                                           "--max-queue", "2", "--kv-cache-tokens", "4096"},
                                          dir_->File("worker.log"));
    ASSERT_TRUE(p.ok()) << p.status();
    proc_ = std::move(*p);
    auto addr = proc_->WaitForLine("listening ", 30s);
    ASSERT_TRUE(addr.ok()) << addr.status();
    address_ = *addr;
    ASSERT_TRUE(proc_->WaitForLine("ready ", 60s).ok());
  }
  static void TearDownTestSuite() {
    proc_.reset();
    dir_.reset();
  }
  void SetUp() override {
    if (!proc_) GTEST_SKIP() << "no Qwen3 tokenizer files: run scripts/setup.sh";
    channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    stub_ = v1::Worker::NewStub(channel_);
  }

  struct Stream {
    std::vector<int32_t> tokens;
    std::string text;
    v1::FinishReason reason = v1::FINISH_REASON_UNSPECIFIED;
    int completion_tokens = 0;
    grpc::Status status;
  };
  Stream Generate(const v1::GenerateRequest& req, std::chrono::milliseconds deadline = 60s) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    auto reader = stub_->Generate(&ctx, req);
    Stream s;
    v1::GenerateEvent e;
    while (reader->Read(&e)) {
      for (int32_t t : e.token_ids()) s.tokens.push_back(t);
      if (e.has_text_delta()) s.text += e.text_delta();
      if (e.has_finish()) {
        s.reason = e.finish().reason();
        s.completion_tokens = e.finish().usage().completion_tokens();
      }
    }
    s.status = reader->Finish();
    return s;
  }
  static v1::GenerateRequest Request(int i, int max_tokens = 12) {
    v1::GenerateRequest r;
    r.set_prompt(absl::StrCat("Worker request ", i, ": write a function that adds ", i, " numbers"));
    r.mutable_sampling()->set_temperature(i % 2 == 0 ? 0.0f : 0.8f);
    r.mutable_sampling()->set_top_k(30);
    r.mutable_sampling()->set_seed(static_cast<uint64_t>(500 + i));
    r.mutable_sampling()->set_max_tokens(max_tokens);
    return r;
  }
  // What the engine alone gives for Request(i), with the worker's default arithmetic or with
  // bf16 activations and an f16 cache.
  static GenerationResult Solo(int i, int max_tokens = 12, bool bf16_activations = false, DType kv = DType::kF32) {
    auto model = std::move(*LoadModel(dir_->File("model"), LoadOptions{.progress = nullptr, .prefault = false}));
    auto tok = std::move(*Tokenizer::Load(model->tokenizer_json_path()));
    auto runner = std::move(*Qwen3Runner::Create(*model, RunnerOptions{.threads = 1, .bf16_activations = bf16_activations}));
    auto pool = std::move(*KvBlockPool::Create(runner->kv_shape(16, kv), 16));
    Generator gen(*runner, *tok, *pool);
    GenerateOptions o;
    o.sampling = SamplingParams::FromGenerationConfig(model->generation_config());
    const v1::GenerateRequest r = Request(i, max_tokens);
    o.sampling.temperature = r.sampling().temperature();
    o.sampling.top_k = r.sampling().top_k();
    o.sampling.seed = r.sampling().seed();
    o.sampling.max_tokens = max_tokens;
    return *gen.Generate(*tok->Encode(r.prompt()), o, nullptr);
  }
  v1::WorkerInfo Info() {
    grpc::ClientContext ctx;
    v1::WorkerInfo info;
    EXPECT_TRUE(stub_->Info(&ctx, v1::InfoRequest(), &info).ok());
    return info;
  }
  void WaitIdle() {
    for (int i = 0; i < 500; ++i) {
      const v1::WorkerInfo info = Info();
      if (info.running() == 0 && info.queued() == 0 && info.kv_blocks_free() == info.kv_blocks_total()) return;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "the worker did not become idle";
  }

  static inline std::unique_ptr<testing::ScratchDir> dir_;
  static inline std::unique_ptr<testing::ChildProcess> proc_;
  static inline std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Worker::Stub> stub_;
};

TEST_F(WorkerProcessTest, HealthAndInfo) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  const v1::WorkerInfo info = Info();
  EXPECT_EQ(info.role(), "coder");
  EXPECT_EQ(info.model(), "model");
  EXPECT_EQ(info.max_batch(), 8);
  EXPECT_EQ(info.kv_blocks_total(), 256);
  EXPECT_EQ(info.context_length(), 512);
}

TEST_F(WorkerProcessTest, StreamEqualsTheEngineAlone) {
  const Stream s = Generate(Request(3));
  ASSERT_TRUE(s.status.ok()) << s.status.error_message();
  const GenerationResult solo = Solo(3);
  EXPECT_EQ(s.tokens, solo.tokens);
  EXPECT_EQ(s.text, solo.text);
  EXPECT_EQ(s.reason, v1::LENGTH);
  EXPECT_EQ(s.completion_tokens, 12);
}

TEST_F(WorkerProcessTest, ConcurrentStreamsEachEqualTheEngineAlone) {
  const int n = 10;  // more than max_batch: some wait in the queue... within max_queue 2, so
                     // they are sent in two waves of at most 10 in flight
  std::vector<Stream> got(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back([&, i] { got[static_cast<size_t>(i)] = Generate(Request(i)); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(got[static_cast<size_t>(i)].status.ok()) << i << ": " << got[static_cast<size_t>(i)].status.error_message();
    EXPECT_EQ(got[static_cast<size_t>(i)].tokens, Solo(i).tokens) << "stream " << i;
  }
  WaitIdle();
}

TEST_F(WorkerProcessTest, CancellationAndDeadlineFreeTheSlot) {
  {
    grpc::ClientContext ctx;
    auto reader = stub_->Generate(&ctx, Request(1, 400));
    v1::GenerateEvent e;
    ASSERT_TRUE(reader->Read(&e));
    ctx.TryCancel();
    while (reader->Read(&e)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  WaitIdle();
  const Stream late = Generate(Request(2, 400), 30ms);
  EXPECT_EQ(late.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  WaitIdle();
}

TEST_F(WorkerProcessTest, BadRequestsGetTheRightCodes) {
  v1::GenerateRequest both = Request(0);
  both.add_prompt_token_ids(5);
  Stream s = Generate(both);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.status.error_message(), HasSubstr("exactly one of messages, prompt and prompt_token_ids"));
  v1::GenerateRequest bad_p = Request(0);
  bad_p.mutable_sampling()->set_top_p(3);
  s = Generate(bad_p);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.status.error_message(), HasSubstr("top_p"));
  v1::GenerateRequest too_long;
  for (int i = 0; i < 600; ++i) too_long.add_prompt_token_ids(9707);
  s = Generate(too_long);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.status.error_message(), HasSubstr("prompt of 600 tokens leaves no room in the model's context of 512 tokens"));
  v1::GenerateRequest bad_id;
  bad_id.add_prompt_token_ids(-3);
  s = Generate(bad_id);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::GenerateRequest empty;
  s = Generate(empty);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::GenerateRequest invalid_utf8 = Request(0);
  invalid_utf8.set_prompt(std::string("ab\xff", 3));
  s = Generate(invalid_utf8);  // protobuf refuses to parse a non-UTF-8 string field
  EXPECT_NE(s.status.error_code(), grpc::StatusCode::OK);
  // The worker survived all of it.
  EXPECT_TRUE(Generate(Request(4)).status.ok());
}

TEST_F(WorkerProcessTest, FullQueueIsResourceExhausted) {
  // max_batch 8 + max_queue 2: the 11th concurrent long request is refused.
  std::vector<std::unique_ptr<grpc::ClientContext>> ctxs;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::GenerateEvent>>> readers;
  for (int i = 0; i < 10; ++i) {
    ctxs.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(stub_->Generate(ctxs.back().get(), Request(i, 480)));
    v1::GenerateEvent e;
    if (i < 8) {
      ASSERT_TRUE(readers.back()->Read(&e)) << i;  // running: its first token arrives
    }
  }
  for (int i = 0; i < 200 && Info().queued() + Info().running() < 10; ++i) std::this_thread::sleep_for(10ms);
  const Stream refused = Generate(Request(11, 480));
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.status.error_message(), HasSubstr("queue is full"));
  for (auto& c : ctxs) c->TryCancel();
  for (auto& r : readers) {
    v1::GenerateEvent e;
    while (r->Read(&e)) {
    }
    r->Finish();
  }
  WaitIdle();
}

// --kv-dtype f16 --activations bf16 (llama.cpp's arithmetic): a second worker on the same
// model gives exactly the tokens the engine alone gives with those settings. Values it does not
// support are refused at start with exit code 2 naming the flag.
TEST_F(WorkerProcessTest, NumericsFlags) {
  for (const auto& [flag, value, message] :
       {std::tuple<std::string, std::string, std::string>{"--kv-dtype", "bf16", "--kv-dtype: 'bf16' (use f32 or f16)"},
        {"--activations", "f16", "--activations: 'f16' (use f32 or bf16)"}}) {
    auto bad = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model",
                                             dir_->File("model"), "--listen", "127.0.0.1:0", flag, value},
                                            dir_->File("worker-bad.log"));
    ASSERT_TRUE(bad.ok()) << bad.status();
    EXPECT_EQ((*bad)->Wait(30s), 2);
    std::ifstream log(dir_->File("worker-bad.log"));
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(message), std::string::npos) << text;
  }

  auto p = testing::ChildProcess::Start({testing::BinDir() + "/switchyard-worker", "--role", "coder", "--model",
                                         dir_->File("model"), "--listen", "127.0.0.1:0", "--threads", "1",
                                         "--kv-cache-tokens", "4096", "--kv-dtype", "f16", "--activations", "bf16"},
                                        dir_->File("worker-f16.log"));
  ASSERT_TRUE(p.ok()) << p.status();
  auto addr = (*p)->WaitForLine("listening ", 30s);
  ASSERT_TRUE(addr.ok()) << addr.status();
  ASSERT_TRUE((*p)->WaitForLine("ready ", 60s).ok());
  auto stub = v1::Worker::NewStub(grpc::CreateChannel(*addr, grpc::InsecureChannelCredentials()));
  int differs_from_default = 0;
  for (int i = 0; i < 4; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 60s);
    auto reader = stub->Generate(&ctx, Request(i));
    v1::GenerateEvent e;
    std::vector<int32_t> tokens;
    v1::FinishReason reason = v1::FINISH_REASON_UNSPECIFIED;
    while (reader->Read(&e)) {
      for (int32_t t : e.token_ids()) tokens.push_back(t);
      if (e.has_finish()) reason = e.finish().reason();
    }
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_EQ(reason, v1::LENGTH);
    EXPECT_EQ(tokens, Solo(i, 12, /*bf16_activations=*/true, DType::kF16).tokens) << "request " << i;
    differs_from_default += tokens != Solo(i).tokens;
  }
  // Random tiny models have near-flat logits: the rounding changes some of the sampled tokens.
  EXPECT_GT(differs_from_default, 0);
}

// tool_choice FUNCTION over gRPC: the random model, held by the grammar, calls the tool with
// schema-shaped arguments and the stream finishes TOOL_CALLS; REQUIRED without tools is refused.
TEST_F(WorkerProcessTest, ToolChoiceFunctionForcesACall) {
  v1::GenerateRequest r;
  v1::ChatMessage* m = r.add_messages();
  m->set_role(v1::ChatMessage::USER);
  m->set_content("What is 2 + 3?");
  v1::Tool* t = r.add_tools();
  t->set_name("add");
  t->set_parameters_json_schema(
      R"({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]})");
  r.mutable_tool_choice()->set_mode(v1::ToolChoice::FUNCTION);
  r.mutable_tool_choice()->set_function_name("add");
  r.set_enable_thinking(false);
  r.mutable_sampling()->set_temperature(1.0f);
  r.mutable_sampling()->set_seed(11);
  r.mutable_sampling()->set_max_tokens(200);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 60s);
  auto reader = stub_->Generate(&ctx, r);
  v1::GenerateEvent e;
  std::vector<v1::ToolCall> calls;
  v1::FinishReason reason = v1::FINISH_REASON_UNSPECIFIED;
  while (reader->Read(&e)) {
    if (e.has_tool_call()) calls.push_back(e.tool_call());
    EXPECT_FALSE(e.has_tool_call_error()) << e.tool_call_error().reason();
    if (e.has_finish()) reason = e.finish().reason();
  }
  const grpc::Status st = reader->Finish();
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].name(), "add");
  const nlohmann::json args = nlohmann::json::parse(calls[0].arguments_json(), nullptr, false);
  ASSERT_TRUE(args.is_object()) << calls[0].arguments_json();
  EXPECT_EQ(args.size(), 2u) << calls[0].arguments_json();
  EXPECT_TRUE(args["a"].is_number_integer() && args["b"].is_number_integer()) << calls[0].arguments_json();
  EXPECT_EQ(reason, v1::TOOL_CALLS);

  v1::GenerateRequest no_tools = r;
  no_tools.clear_tools();
  no_tools.mutable_tool_choice()->set_mode(v1::ToolChoice::REQUIRED);
  const Stream s = Generate(no_tools);
  EXPECT_EQ(s.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.status.error_message(), HasSubstr("tool_choice: REQUIRED needs at least one tool in tools"));
  WaitIdle();
}

TEST_F(WorkerProcessTest, ZzSigtermStopsCleanly) {  // runs last: it stops the shared worker
  proc_->Signal(SIGTERM);
  EXPECT_EQ(proc_->Wait(15s), 0);
}

}  // namespace
}  // namespace switchyard
