// switchyard-bench-serving: load on a worker (Worker/Generate) or a router (Router/Chat) from
// N concurrent client streams, as one JSON line: time to first token and total latency
// percentiles, requests per second, generated tokens per second over the whole run, and the
// steady decode rate: tokens that arrived while every request was past its first token and
// none had finished, over that window's length (with --requests equal to --concurrency, the
// rate of a full batch of that many sequences decoding together, without prefill and ramps).
//
//   switchyard-bench-serving --target HOST:PORT --mode worker|router --concurrency N
//       --requests M --max-tokens K [--route coder] [--prompt TEXT]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/command_line.h"
#include "grpcpp/grpcpp.h"
#include "switchyard/v1/router.grpc.pb.h"
#include "switchyard/v1/worker.grpc.pb.h"

namespace switchyard::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kTool[] = "switchyard-bench-serving";
constexpr char kUsage[] =
    "usage: switchyard-bench-serving --target HOST:PORT --mode worker|router --concurrency N --requests M\n"
    "         --max-tokens K [--route auto|reasoning|coder|translation] [--prompt TEXT]\n"
    "         [--temperature T]   (default 0, greedy; above 0: full-vocabulary sampling, seed = request index)\n";

struct Sample {
  double ttft_ms;
  double total_ms;
  int tokens;
  Clock::time_point first_token;
  Clock::time_point finish;
  std::vector<std::pair<Clock::time_point, int>> arrivals;  // (when, how many token ids)
};

// Tokens per second that arrived in the window where every request was decoding: after the
// last first token, up to the first finish. 0 when the window is empty.
double SteadyDecodeRate(const std::vector<Sample>& samples) {
  if (samples.empty()) return 0;
  Clock::time_point begin = samples[0].first_token, end = samples[0].finish;
  for (const Sample& s : samples) {
    begin = std::max(begin, s.first_token);
    end = std::min(end, s.finish);
  }
  const double seconds = std::chrono::duration<double>(end - begin).count();
  if (seconds <= 0) return 0;
  int64_t tokens = 0;
  for (const Sample& s : samples) {
    for (const auto& [when, n] : s.arrivals) {
      if (when > begin && when <= end) tokens += n;
    }
  }
  return static_cast<double>(tokens) / seconds;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int Run(int argc, char** argv) {
  CommandLine args({"target", "mode", "concurrency", "requests", "max-tokens", "route", "prompt", "temperature"}, {"help"});
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage)) return *code;
  auto target = args.Required("target");
  auto concurrency = args.IntOr("concurrency", 1, 1, 4096);
  auto requests = args.IntOr("requests", 32, 1, 1 << 24);
  auto max_tokens = args.IntOr("max-tokens", 16, 1, 1 << 20);
  for (const absl::Status& s : {target.status(), concurrency.status(), requests.status(), max_tokens.status()}) {
    if (!s.ok()) return UsageError(kTool, s, kUsage);
  }
  const std::string mode = args.GetOr("mode", "worker");
  if (mode != "worker" && mode != "router") return UsageError(kTool, absl::InvalidArgumentError("--mode: worker or router"), kUsage);
  const std::string prompt = args.GetOr("prompt", "Write a short Python function that adds two numbers.");
  const std::string route = args.GetOr("route", "auto");
  float temperature = 0;
  if (const std::string t = args.GetOr("temperature", "0"); !absl::SimpleAtof(t, &temperature) || !(temperature >= 0)) {
    return UsageError(kTool, absl::InvalidArgumentError(absl::StrCat("--temperature: '", t, "' is not a number >= 0")), kUsage);
  }
  // Greedy by default; with a temperature, every token of the vocabulary stays a candidate (no
  // top-k or top-p cut), the sampler's costliest case.
  auto set_sampling = [&](v1::SamplingParams* sp, int64_t i) {
    sp->set_max_tokens(static_cast<int32_t>(*max_tokens));
    sp->set_temperature(temperature);
    if (temperature > 0) {
      sp->set_top_k(0);
      sp->set_top_p(1.0f);
      sp->set_seed(static_cast<uint64_t>(i));
    }
  };

  grpc::ChannelArguments ch;
  ch.SetInt(GRPC_ARG_MAX_CONCURRENT_STREAMS, 10000);
  auto channel = grpc::CreateCustomChannel(*target, grpc::InsecureChannelCredentials(), ch);
  auto worker = v1::Worker::NewStub(channel);
  auto router = v1::Router::NewStub(channel);
  std::atomic<int64_t> next{0};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::vector<Sample> samples;
  std::string first_error;
  auto client = [&](int id) {
    for (int64_t i; (i = next.fetch_add(1)) < *requests;) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
      const auto t0 = Clock::now();
      double ttft = -1;
      int tokens = 0;
      Clock::time_point first_token;
      std::vector<std::pair<Clock::time_point, int>> arrivals;
      grpc::Status status;
      if (mode == "worker") {
        v1::GenerateRequest req;
        auto* m = req.add_messages();
        m->set_role(v1::ChatMessage::USER);
        m->set_content(absl::StrCat(prompt, " (", i, ")"));
        set_sampling(req.mutable_sampling(), i);
        req.set_enable_thinking(false);
        auto reader = worker->Generate(&ctx, req);
        v1::GenerateEvent e;
        while (reader->Read(&e)) {
          if (e.token_ids_size() == 0) continue;
          const auto now = Clock::now();
          if (ttft < 0) {
            ttft = std::chrono::duration<double, std::milli>(now - t0).count();
            first_token = now;
          }
          tokens += e.token_ids_size();
          arrivals.emplace_back(now, e.token_ids_size());
        }
        status = reader->Finish();
      } else {
        v1::ChatRequest req;
        auto* m = req.add_messages();
        m->set_role(v1::ChatMessage::USER);
        m->set_content(absl::StrCat(prompt, " (", i, ")"));
        req.set_route(route);
        set_sampling(req.mutable_sampling(), i);
        req.set_enable_thinking(false);
        auto reader = router->Chat(&ctx, req);
        v1::ChatEvent e;
        while (reader->Read(&e)) {
          if (e.token_ids_size() == 0) continue;
          const auto now = Clock::now();
          if (ttft < 0) {
            ttft = std::chrono::duration<double, std::milli>(now - t0).count();
            first_token = now;
          }
          tokens += e.token_ids_size();
          arrivals.emplace_back(now, e.token_ids_size());
        }
        status = reader->Finish();
      }
      const auto finish = Clock::now();
      const double total = std::chrono::duration<double, std::milli>(finish - t0).count();
      std::lock_guard<std::mutex> lock(mu);
      if (!status.ok()) {
        ++failures;
        if (first_error.empty()) first_error = status.error_message();
        continue;
      }
      samples.push_back(Sample{ttft, total, tokens, first_token, finish, std::move(arrivals)});
    }
    (void)id;
  };
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int64_t c = 0; c < *concurrency; ++c) threads.emplace_back(client, static_cast<int>(c));
  for (auto& t : threads) t.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> ttft, total;
  int64_t tokens = 0;
  for (const Sample& s : samples) {
    ttft.push_back(s.ttft_ms);
    total.push_back(s.total_ms);
    tokens += s.tokens;
  }
  std::printf(
      "{\"mode\": \"%s\", \"target\": \"%s\", \"concurrency\": %lld, \"requests\": %zu, \"failures\": %d, \"max_tokens\": %lld, "
      "\"ttft_ms_p50\": %.3f, \"ttft_ms_p99\": %.3f, \"latency_ms_p50\": %.3f, \"latency_ms_p99\": %.3f, "
      "\"requests_per_s\": %.2f, \"generated_tok_s\": %.2f, \"steady_decode_tok_s\": %.2f, \"wall_s\": %.3f%s}\n",
      mode.c_str(), target->c_str(), static_cast<long long>(*concurrency), samples.size(), failures.load(),
      static_cast<long long>(*max_tokens), Percentile(ttft, 0.5), Percentile(ttft, 0.99), Percentile(total, 0.5),
      Percentile(total, 0.99), static_cast<double>(samples.size()) / wall, static_cast<double>(tokens) / wall, SteadyDecodeRate(samples), wall,
      first_error.empty() ? "" : absl::StrCat(", \"first_error\": \"", first_error, "\"").c_str());
  return failures.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace switchyard::cli

int main(int argc, char** argv) { return switchyard::cli::Run(argc, argv); }
