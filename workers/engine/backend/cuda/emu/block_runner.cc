#include "workers/engine/backend/cuda/emu/block_runner.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workers/engine/backend/cuda/emu/device_builtins.h"

namespace switchyard::emu {
namespace {

namespace ctx = boost::context;

// Fiber stacks, reused across blocks and launches: making a fiber then costs a few hundred
// nanoseconds instead of an mmap. Each stack has a guard page, so a kernel that overflows its
// stack crashes at once instead of corrupting its neighbour.
class StackPool {
 public:
  static constexpr size_t kStackBytes = 256 * 1024;

  ~StackPool() {
    for (const ctx::stack_context& sc : free_) Unmap(sc);
  }
  ctx::stack_context Take() {
    if (!free_.empty()) {
      ctx::stack_context sc = free_.back();
      free_.pop_back();
      return sc;
    }
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    void* base = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
    if (base == MAP_FAILED) {
      std::fprintf(stderr, "cuda emulator: cannot map a %zu-byte fiber stack\n", kStackBytes);
      std::abort();  // out of address space: nothing sensible to return into a running kernel
    }
    mprotect(base, page, PROT_NONE);  // stacks grow down into the guard page
    ctx::stack_context sc;
    sc.size = kStackBytes;
    sc.sp = static_cast<char*>(base) + page + kStackBytes;
    return sc;
  }
  void Give(ctx::stack_context& sc) { free_.push_back(sc); }

 private:
  static void Unmap(const ctx::stack_context& sc) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    munmap(static_cast<char*>(sc.sp) - sc.size - page, sc.size + page);
  }
  std::vector<ctx::stack_context> free_;
};

StackPool& Stacks() {
  thread_local StackPool pool;
  return pool;
}

// Boost.Context StackAllocator over the pool.
struct PooledStack {
  ctx::stack_context allocate() { return Stacks().Take(); }
  void deallocate(ctx::stack_context& sc) noexcept { Stacks().Give(sc); }
};

// Thrown inside a fiber to stop a faulting thread; caught at the fiber's entry, never crosses
// the emulator's boundary.
struct KernelFault {
  Fault fault;
};

enum class State : uint8_t { kRunnable, kBarrier, kWarp, kDone };

struct PendingOp {
  WarpOp op = WarpOp::kSync;
  uint32_t mask = 0;
  int width = 32;
  int b = 0;
  uint64_t value = 0;
  uint64_t result = 0;
  const char* file = "";
  int line = 0;
};

struct Thread {
  ctx::fiber fiber;  // the thread while it is suspended
  ctx::fiber sink;   // the scheduler while the thread runs
  State state = State::kRunnable;
  PendingOp op;
  const char* bar_file = "";
  int bar_line = 0;
};

struct Warp {
  uint32_t present = 0;  // lanes that exist (the last warp of a block may be partial)
  uint32_t exited = 0;
  uint32_t pending = 0;  // lanes waiting at a warp-level call
  uint32_t sync_seq = 0;  // __syncwarp calls completed
  std::vector<std::pair<uint32_t, uint32_t>> sync_log;  // (seq, mask) since the last __syncthreads
};

const char* OpName(WarpOp op) {
  switch (op) {
    case WarpOp::kSync: return "__syncwarp";
    case WarpOp::kShflIdx: return "__shfl_sync";
    case WarpOp::kShflUp: return "__shfl_up_sync";
    case WarpOp::kShflDown: return "__shfl_down_sync";
    case WarpOp::kShflXor: return "__shfl_xor_sync";
    case WarpOp::kBallot: return "__ballot_sync";
    case WarpOp::kAny: return "__any_sync";
    case WarpOp::kAll: return "__all_sync";
  }
  return "?";
}

bool SameSite(const char* f1, int l1, const char* f2, int l2) {
  return l1 == l2 && (f1 == f2 || std::strcmp(f1, f2) == 0);
}

// The block being run by this host thread.
class Block {
 public:
  Block(const GridShape& shape, const std::function<void()>& body)
      : shape_(shape),
        body_(body),
        n_(static_cast<int>(shape.block.x * shape.block.y * shape.block.z)),
        threads_(static_cast<size_t>(n_)),
        warps_(static_cast<size_t>((n_ + 31) / 32)) {}

  std::optional<Fault> Run(uint3 block_idx);

  // Kernel-side entry points, for the running thread.
  void SyncThreads(const char* file, int line);
  uint64_t WarpCall(WarpOp op, uint32_t mask, uint64_t value, int b, int width, const char* file, int line);
  uint32_t ActiveMask() const {
    const Warp& w = warps_[static_cast<size_t>(cur_ / 32)];
    return w.present & ~w.exited;
  }
  SharedAlloc& Static(const void* key, size_t elem, size_t count, const char* name, const char* file, int line);
  SharedAlloc& Dynamic(size_t elem, const char* name, const char* file, int line);
  void CheckAccess(SharedAlloc& a, int64_t off, size_t size, const char* type_name, Access kind);

 private:
  [[noreturn]] void Throw(cudaError_t code, const std::string& what) const {
    throw KernelFault{Fault{code, absl::StrCat(what, " (", Who(cur_), ")")}};
  }
  std::string ThreadName(int t) const {
    const unsigned bx = shape_.block.x, by = shape_.block.y;
    const unsigned u = static_cast<unsigned>(t);
    return absl::StrFormat("thread (%u,%u,%u)", u % bx, (u / bx) % by, u / (bx * by));
  }
  std::string Who(int t) const {
    return absl::StrFormat("%s of block (%u,%u,%u)", ThreadName(t), block_.x, block_.y, block_.z);
  }
  std::string Where(const char* file, int line) const { return absl::StrCat(file, ":", line); }
  std::string Describe(int t) const;
  void Yield() {
    Thread& th = threads_[static_cast<size_t>(cur_)];
    th.sink = std::move(th.sink).resume();
  }
  void Resume(int t);
  void Complete(int warp, uint32_t mask);
  void ReleaseOrFault();
  void InitAlloc(SharedAlloc& a);
  bool Ordered(int warp, uint32_t lanes, uint32_t since_seq) const {
    for (const auto& [seq, m] : warps_[static_cast<size_t>(warp)].sync_log)
      if (seq > since_seq && (m & lanes) == lanes) return true;
    return false;
  }

  const GridShape& shape_;
  const std::function<void()>& body_;
  const int n_;
  std::vector<Thread> threads_;
  std::vector<Warp> warps_;
  uint3 block_{};
  int cur_ = 0;
  uint32_t epoch_ = 0;  // __syncthreads completed in this block
  uint64_t generation_ = 0;  // which block the shared arrays belong to
  std::optional<Fault> fault_;
  std::vector<std::unique_ptr<SharedAlloc>> statics_;
  std::vector<uint64_t> static_gen_;
  std::unique_ptr<SharedAlloc> dynamic_;
  uint64_t dynamic_gen_ = 0;
  size_t static_bytes_ = 0;
};

thread_local Block* tls_block = nullptr;
std::atomic<ThreadOrder> g_order{ThreadOrder::kAscending};

Block& Current(const char* what) {
  if (tls_block == nullptr) {
    std::fprintf(stderr, "cuda emulator: %s called outside a kernel\n", what);
    std::abort();  // a host-side call of a device function: a programming error, not a kernel fault
  }
  return *tls_block;
}

std::optional<Fault> Block::Run(uint3 block_idx) {
  block_ = block_idx;
  blockIdx = block_idx;
  epoch_ = 0;
  ++generation_;
  static_bytes_ = 0;
  for (int w = 0; w < static_cast<int>(warps_.size()); ++w) {
    const int lanes = std::min(32, n_ - w * 32);
    warps_[static_cast<size_t>(w)] = Warp{};
    warps_[static_cast<size_t>(w)].present = lanes == 32 ? 0xffffffffu : ((1u << lanes) - 1u);
  }
  for (int t = 0; t < n_; ++t) {
    Thread& th = threads_[static_cast<size_t>(t)];
    th.state = State::kRunnable;
    th.fiber = ctx::fiber(std::allocator_arg, PooledStack{}, [this, t](ctx::fiber&& sink) {
      threads_[static_cast<size_t>(t)].sink = std::move(sink);
      try {
        body_();
      } catch (KernelFault& f) {
        if (!fault_) fault_ = std::move(f.fault);
      }
      threads_[static_cast<size_t>(t)].state = State::kDone;
      return std::move(threads_[static_cast<size_t>(t)].sink);
    });
  }
  int done = 0;
  const bool descending = g_order.load(std::memory_order_relaxed) == ThreadOrder::kDescending;
  while (!fault_) {
    bool progress = false;
    for (int i = 0; i < n_ && !fault_; ++i) {
      const int t = descending ? n_ - 1 - i : i;
      if (threads_[static_cast<size_t>(t)].state != State::kRunnable) continue;
      progress = true;
      Resume(t);
      if (threads_[static_cast<size_t>(t)].state == State::kDone) ++done;
    }
    if (fault_ || done == n_) break;
    if (!progress) ReleaseOrFault();
  }
  // Unfinished fibers unwind their stacks as they are destroyed.
  for (Thread& th : threads_) th.fiber = ctx::fiber();
  return std::move(fault_);
}

void Block::Resume(int t) {
  const unsigned u = static_cast<unsigned>(t);
  threadIdx = uint3{u % shape_.block.x, (u / shape_.block.x) % shape_.block.y, u / (shape_.block.x * shape_.block.y)};
  cur_ = t;
  Thread& th = threads_[static_cast<size_t>(t)];
  th.fiber = std::move(th.fiber).resume();
  if (th.state != State::kDone || fault_) return;
  // An exited lane can never join a warp call its warp-mates wait at.
  Warp& w = warps_[static_cast<size_t>(t / 32)];
  const uint32_t bit = 1u << (t % 32);
  w.exited |= bit;
  for (uint32_t p = w.pending; p != 0; p &= p - 1) {
    const int lane = __builtin_ctz(p);
    const PendingOp& op = threads_[static_cast<size_t>(t / 32 * 32 + lane)].op;
    if (op.mask & bit) {
      fault_ = Fault{cudaErrorLaunchFailure,
                     absl::StrFormat("%s exited while lane %d waits for it at %s (%s) with mask 0x%08x (%s)",
                                     ThreadName(t), lane, OpName(op.op), Where(op.file, op.line), op.mask, Who(t))};
      return;
    }
  }
}

std::string Block::Describe(int t) const {
  const Thread& th = threads_[static_cast<size_t>(t)];
  switch (th.state) {
    case State::kRunnable: return absl::StrCat(ThreadName(t), " is runnable");
    case State::kDone: return absl::StrCat(ThreadName(t), " has exited");
    case State::kBarrier: return absl::StrCat(ThreadName(t), " waits at __syncthreads (", Where(th.bar_file, th.bar_line), ")");
    case State::kWarp:
      return absl::StrFormat("%s waits at %s (%s) with mask 0x%08x", ThreadName(t), OpName(th.op.op),
                             Where(th.op.file, th.op.line), th.op.mask);
  }
  return "";
}

// No thread can run: either every live thread waits at the same __syncthreads (release it) or
// the block can never finish.
void Block::ReleaseOrFault() {
  int first_barrier = -1, first_warp = -1, first_done = -1;
  for (int t = 0; t < n_; ++t) {
    const State s = threads_[static_cast<size_t>(t)].state;
    if (s == State::kBarrier && first_barrier < 0) first_barrier = t;
    if (s == State::kWarp && first_warp < 0) first_warp = t;
    if (s == State::kDone && first_done < 0) first_done = t;
  }
  const std::string block = absl::StrFormat("block (%u,%u,%u)", block_.x, block_.y, block_.z);
  if (first_warp < 0 && first_barrier >= 0) {
    const Thread& b = threads_[static_cast<size_t>(first_barrier)];
    if (first_done >= 0) {
      fault_ = Fault{cudaErrorLaunchFailure,
                     absl::StrCat("__syncthreads (", Where(b.bar_file, b.bar_line), ") is not reached by every thread of ",
                                  block, ": ", ThreadName(first_done), " exited while ", ThreadName(first_barrier),
                                  " waits there (a barrier in divergent code?)")};
      return;
    }
    for (int t = 0; t < n_; ++t) {
      const Thread& th = threads_[static_cast<size_t>(t)];
      if (!SameSite(th.bar_file, th.bar_line, b.bar_file, b.bar_line)) {
        fault_ = Fault{cudaErrorLaunchFailure,
                       absl::StrCat("threads of ", block, " wait at different __syncthreads: ", Describe(first_barrier),
                                    ", ", Describe(t))};
        return;
      }
    }
    ++epoch_;
    for (Warp& w : warps_) w.sync_log.clear();
    for (Thread& th : threads_) th.state = State::kRunnable;
    return;
  }
  // Deadlock: name a waiting warp call and a lane it waits for.
  std::string why = "no thread can run";
  if (first_warp >= 0) {
    const int base = first_warp / 32 * 32;
    const uint32_t missing = threads_[static_cast<size_t>(first_warp)].op.mask & ~warps_[static_cast<size_t>(base / 32)].pending;
    why = Describe(first_warp);
    if (missing != 0) why += absl::StrCat(", but lane ", __builtin_ctz(missing), ": ", Describe(base + __builtin_ctz(missing)));
  } else if (first_barrier >= 0) {
    why = Describe(first_barrier);
  }
  fault_ = Fault{cudaErrorLaunchTimeout, absl::StrCat("deadlock in ", block, ": ", why)};
}

void Block::SyncThreads(const char* file, int line) {
  Thread& th = threads_[static_cast<size_t>(cur_)];
  th.state = State::kBarrier;
  th.bar_file = file;
  th.bar_line = line;
  Yield();
}

uint64_t Block::WarpCall(WarpOp op, uint32_t mask, uint64_t value, int b, int width, const char* file, int line) {
  const int lane = cur_ % 32;
  const int wi = cur_ / 32;
  Warp& w = warps_[static_cast<size_t>(wi)];
  const uint32_t bit = 1u << lane;
  // Messages are built only on a fault: this runs for every shuffle and vote.
  const auto site = [&] { return absl::StrCat(OpName(op), " (", Where(file, line), ")"); };
  if ((mask & bit) == 0) Throw(cudaErrorLaunchFailure, absl::StrFormat("%s with mask 0x%08x omits the calling lane %d", site(), mask, lane));
  if (mask & ~w.present) {
    Throw(cudaErrorLaunchFailure, absl::StrFormat("%s with mask 0x%08x names lanes that do not exist (this warp has lanes 0x%08x)",
                                                  site(), mask, w.present));
  }
  if (mask & w.exited) {
    Throw(cudaErrorLaunchFailure, absl::StrFormat("%s with mask 0x%08x names lane %d, which has exited", site(), mask,
                                                  __builtin_ctz(mask & w.exited)));
  }
  if (width < 1 || width > 32 || (width & (width - 1)) != 0)
    Throw(cudaErrorLaunchFailure, absl::StrCat(site(), " with width ", width, ", not a power of two in [1, 32]"));
  Thread& th = threads_[static_cast<size_t>(cur_)];
  th.op = PendingOp{op, mask, width, b, value, 0, file, line};
  w.pending |= bit;
  if ((w.pending & mask) == mask) {
    Complete(wi, mask);
  } else {
    th.state = State::kWarp;
    Yield();
  }
  return th.op.result;
}

// Every lane of `mask` has arrived: check they made the same call, then compute each lane's
// result as shfl.sync / vote.sync define it.
void Block::Complete(int wi, uint32_t mask) {
  Warp& w = warps_[static_cast<size_t>(wi)];
  Thread* lanes[32] = {};
  for (uint32_t m = mask; m != 0; m &= m - 1) lanes[__builtin_ctz(m)] = &threads_[static_cast<size_t>(wi * 32 + __builtin_ctz(m))];
  const PendingOp& me = threads_[static_cast<size_t>(cur_)].op;
  for (uint32_t m = mask; m != 0; m &= m - 1) {
    const int l = __builtin_ctz(m);
    const PendingOp& o = lanes[l]->op;
    if (o.op != me.op || o.mask != me.mask || o.width != me.width || !SameSite(o.file, o.line, me.file, me.line)) {
      Throw(cudaErrorLaunchFailure,
            absl::StrFormat("lanes of one warp disagree: lane %d calls %s (%s) with mask 0x%08x, lane %d calls %s (%s) "
                            "with mask 0x%08x; every lane of a mask must make the same call",
                            cur_ % 32, OpName(me.op), Where(me.file, me.line), me.mask, l, OpName(o.op),
                            Where(o.file, o.line), o.mask));
    }
  }
  switch (me.op) {
    case WarpOp::kSync:
      w.sync_log.emplace_back(++w.sync_seq, mask);
      break;
    case WarpOp::kBallot:
    case WarpOp::kAny:
    case WarpOp::kAll: {
      uint32_t votes = 0;
      for (uint32_t m = mask; m != 0; m &= m - 1) {
        const int l = __builtin_ctz(m);
        if (lanes[l]->op.b) votes |= 1u << l;
      }
      const uint64_t r = me.op == WarpOp::kBallot ? votes : me.op == WarpOp::kAny ? (votes != 0) : (votes == mask);
      for (uint32_t m = mask; m != 0; m &= m - 1) lanes[__builtin_ctz(m)]->op.result = r;
      break;
    }
    default: {
      // PTX shfl.sync: c = ((32 - width) << 8) | clamp, clamp 0 for .up and 31 otherwise.
      const int segmask = 32 - me.width;
      const int clamp = me.op == WarpOp::kShflUp ? 0 : 31;
      for (uint32_t m = mask; m != 0; m &= m - 1) {
        const int l = __builtin_ctz(m);
        const int bval = lanes[l]->op.b & 31;
        const int max_lane = (l & segmask) | (clamp & ~segmask);
        const int min_lane = l & segmask;
        int j = l;
        bool in_range = true;
        switch (me.op) {
          case WarpOp::kShflUp: j = l - bval; in_range = j >= max_lane; break;
          case WarpOp::kShflDown: j = l + bval; in_range = j <= max_lane; break;
          case WarpOp::kShflXor: j = l ^ bval; in_range = j <= max_lane; break;
          default: j = min_lane | (bval & ~segmask); in_range = j <= max_lane; break;
        }
        if (!in_range) j = l;
        if ((mask & (1u << j)) == 0) {
          Throw(cudaErrorLaunchFailure,
                absl::StrFormat("%s (%s): lane %d reads lane %d, which is not in mask 0x%08x (its value is undefined)",
                                OpName(me.op), Where(me.file, me.line), l, j, mask));
        }
        lanes[l]->op.result = lanes[j]->op.value;
      }
    }
  }
  w.pending &= ~mask;
  for (uint32_t m = mask; m != 0; m &= m - 1) lanes[__builtin_ctz(m)]->state = State::kRunnable;
}

void Block::InitAlloc(SharedAlloc& a) {
  std::fill(a.data.begin(), a.data.end(), static_cast<unsigned char>(0xff));  // NaN as f32, f16 and bf16
  std::fill(a.shadow.begin(), a.shadow.end(), ShadowCell{});
}

SharedAlloc& Block::Static(const void* key, size_t elem, size_t count, const char* name, const char* file, int line) {
  size_t i = 0;
  while (i < statics_.size() && statics_[i]->key != key) ++i;
  if (i == statics_.size()) {
    auto a = std::make_unique<SharedAlloc>();
    a->key = key;
    a->name = name;
    a->file = file;
    a->line = line;
    a->granule = elem;
    a->bytes = elem * count;
    a->data.resize(a->bytes);
    a->shadow.resize(count);
    statics_.push_back(std::move(a));
    static_gen_.push_back(0);
  }
  SharedAlloc& a = *statics_[i];
  if (static_gen_[i] != generation_) {
    static_gen_[i] = generation_;
    static_bytes_ += a.bytes;
    if (static_bytes_ + shape_.dynamic_smem > shape_.smem_limit) {
      Throw(cudaErrorLaunchOutOfResources,
            absl::StrFormat("shared memory '%s' (%s) brings the block to %zu static + %zu dynamic bytes, over its "
                            "limit of %zu (raise it with cudaFuncSetAttribute(MaxDynamicSharedMemorySize)?)",
                            name, Where(file, line), static_bytes_, shape_.dynamic_smem, shape_.smem_limit));
    }
    InitAlloc(a);
  }
  return a;
}

SharedAlloc& Block::Dynamic(size_t elem, const char* name, const char* file, int line) {
  if (dynamic_ == nullptr) {
    dynamic_ = std::make_unique<SharedAlloc>();
    dynamic_->name = name;
    dynamic_->file = file;
    dynamic_->line = line;
    dynamic_->granule = elem;
    dynamic_->bytes = shape_.dynamic_smem;
    dynamic_->data.resize(dynamic_->bytes);
    dynamic_->shadow.resize((dynamic_->bytes + elem - 1) / elem);
  }
  if (dynamic_gen_ != generation_) {
    dynamic_gen_ = generation_;
    InitAlloc(*dynamic_);
  }
  return *dynamic_;
}

void Block::CheckAccess(SharedAlloc& a, int64_t off, size_t size, const char* type_name, Access kind) {
  // Messages are built only on a fault: this runs for every shared-memory access.
  const auto verb = [&] { return kind == Access::kRead ? "reads" : kind == Access::kWrite ? "writes" : "atomically updates"; };
  const auto elem = [&] {
    const int64_t sz = static_cast<int64_t>(size);
    return absl::StrCat(a.name, "[", off >= 0 ? off / sz : -((-off + sz - 1) / sz), "]");
  };
  const auto decl = [&] {
    return a.key == nullptr ? absl::StrCat("dynamic shared memory declared at ", Where(a.file, a.line))
                            : absl::StrCat("declared at ", Where(a.file, a.line));
  };
  const auto race = [&](const std::string& other) {
    Throw(cudaErrorLaunchFailure, absl::StrCat("shared-memory race: ", ThreadName(cur_), " ", verb(), " ", elem(), ", which ",
                                               other, " with no __syncthreads in between (", decl(),
                                               "; a missing __syncthreads?)"));
  };
  if (off < 0 || off + static_cast<int64_t>(size) > static_cast<int64_t>(a.bytes)) {
    Throw(cudaErrorIllegalAddress,
          absl::StrFormat("out-of-bounds shared-memory access: %s %s, but %s holds %d %s elements (%s%s)", verb(), elem(),
                          a.name, static_cast<int64_t>(a.bytes / size), type_name, decl(),
                          a.key == nullptr ? ", sized by the launch's shared-memory argument" : ""));
  }
  if (off % static_cast<int64_t>(size) != 0) {
    Throw(cudaErrorMisalignedAddress, absl::StrFormat("misaligned shared-memory access: %s %zu bytes at byte %d of %s (%s)",
                                                      verb(), size, off, a.name, decl()));
  }
  const int wi = cur_ / 32;
  const uint32_t bit = 1u << (cur_ % 32);
  const uint32_t seq = warps_[static_cast<size_t>(wi)].sync_seq;
  const size_t first = static_cast<size_t>(off) / a.granule;
  const size_t last = (static_cast<size_t>(off) + size - 1) / a.granule;
  for (size_t c = first; c <= last; ++c) {
    ShadowCell& s = a.shadow[c];
    // The last write, if another thread made it since the last barrier, must be ordered before
    // this access by a __syncwarp naming both (same warp), or be an atomic meeting an atomic.
    if (s.write_epoch == epoch_ && s.writer != cur_ && !(kind == Access::kAtomic && s.atomic)) {
      const uint32_t both = bit | (1u << (s.writer % 32));
      if (s.writer / 32 != wi || !Ordered(wi, both, s.write_seq))
        race(absl::StrCat(ThreadName(s.writer), s.atomic ? " updated atomically" : " wrote"));
    }
    if (kind == Access::kRead) {
      if (s.write_epoch == ShadowCell::kNever) {
        Throw(cudaErrorLaunchFailure, absl::StrCat("read of uninitialised shared memory: ", ThreadName(cur_), " reads ",
                                                   elem(), " (", decl(), "), which no thread of this block has written yet (a missing __syncthreads before the read?)"));
      }
      if (s.read_epoch != epoch_) {
        s.read_epoch = epoch_;
        s.read_warp = wi;
        s.read_lanes = bit;
      } else if (s.read_warp == wi) {
        s.read_lanes |= bit;
      } else {
        s.read_warp = -2;
      }
      s.read_seq = seq;
      continue;
    }
    // A write must also come after every other thread's read since the last barrier.
    if (s.read_epoch == epoch_) {
      const uint32_t others = s.read_warp == wi ? (s.read_lanes & ~bit) : 0;
      const bool other_warps = s.read_warp == -2 || s.read_warp != wi;
      if (other_warps) race("threads of another warp read");
      if (others != 0 && !Ordered(wi, others | bit, s.read_seq))
        race(absl::StrCat(ThreadName(wi * 32 + __builtin_ctz(others)), " read"));
    }
    s.write_epoch = epoch_;
    s.write_seq = seq;
    s.writer = cur_;
    s.atomic = kind == Access::kAtomic;
  }
}

}  // namespace

void SetThreadOrder(ThreadOrder order) { g_order.store(order); }
ThreadOrder GetThreadOrder() { return g_order.load(); }

std::optional<Fault> RunGrid(const GridShape& shape, const std::function<void()>& thread_body) {
  Block block(shape, thread_body);
  Block* const outer = tls_block;
  tls_block = &block;
  gridDim = shape.grid;
  blockDim = shape.block;
  std::optional<Fault> fault;
  for (unsigned z = 0; z < shape.grid.z && !fault; ++z)
    for (unsigned y = 0; y < shape.grid.y && !fault; ++y)
      for (unsigned x = 0; x < shape.grid.x && !fault; ++x) fault = block.Run(uint3{x, y, z});
  tls_block = outer;
  return fault;
}

void SyncThreads(const char* file, int line) { Current("__syncthreads").SyncThreads(file, line); }

uint64_t WarpCall(WarpOp op, uint32_t mask, uint64_t value, int b, int width, const char* file, int line) {
  return Current(OpName(op)).WarpCall(op, mask, value, b, width, file, line);
}

uint32_t ActiveMask() { return Current("__activemask").ActiveMask(); }

SharedAlloc& StaticSharedAlloc(const void* key, size_t elem_size, size_t count, const char* name, const char* file,
                               int line) {
  return Current("SY_SHARED").Static(key, elem_size, count, name, file, line);
}

SharedAlloc& DynamicSharedAlloc(size_t elem_size, const char* name, const char* file, int line) {
  return Current("SY_DYNAMIC_SHARED").Dynamic(elem_size, name, file, line);
}

void CheckSharedAccess(SharedAlloc& a, int64_t byte_offset, size_t size, const char* type_name, Access kind) {
  Current("shared memory access").CheckAccess(a, byte_offset, size, type_name, kind);
}

}  // namespace switchyard::emu
