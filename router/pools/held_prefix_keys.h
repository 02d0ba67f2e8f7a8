// HeldPrefixKeys: which conversation prefixes one replica holds the KV blocks of, as the
// worker last said — the prefix keys (router/agent/prefix_keys.h) listed in WorkerInfo on each
// health round and in Finish on each answer. Each report is the worker's whole list (most
// recently used first) and replaces the last one; keys it no longer lists were evicted.
//
// Bounded: at most kMaxHeldPrefixKeys keys (the worker's own cap), the most recent kept; keys
// that are not 32 bytes are dropped (not keys of ours). The question it answers is the one a
// cache-aware pick asks (issue #13): of this conversation's prefixes, how long is the longest
// this replica holds? The answer is a hint: the report that arrived last wins (an Info answer
// sent before an answer's Finish may land after it), and a pool given as one gRPC target
// (dns:///...) is one replica whose reports come from whichever of its backends answered.
//
// Thread safety: safe for concurrent use (internal absl::Mutex): reports come on gRPC threads,
// questions on request threads.
#ifndef SWITCHYARD_ROUTER_POOLS_HELD_PREFIX_KEYS_H_
#define SWITCHYARD_ROUTER_POOLS_HELD_PREFIX_KEYS_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace switchyard {

inline constexpr size_t kMaxHeldPrefixKeys = 256;

class HeldPrefixKeys {
 public:
  using Keys = google::protobuf::RepeatedPtrField<std::string>;

  // The worker's list, most recently used first: replaces what was held.
  void Replace(const Keys& held) ABSL_LOCKS_EXCLUDED(mu_);

  // How many leading messages of the conversation whose prefix keys are `keys` (one per
  // message, GenerateRequest.prefix_keys) this replica holds: i + 1 for the last keys[i] held,
  // 0 when none is.
  size_t LongestHeldPrefix(const Keys& keys) const ABSL_LOCKS_EXCLUDED(mu_);
  bool Holds(const std::string& key) const ABSL_LOCKS_EXCLUDED(mu_);
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace switchyard

#endif  // SWITCHYARD_ROUTER_POOLS_HELD_PREFIX_KEYS_H_
