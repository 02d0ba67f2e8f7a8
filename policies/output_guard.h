// OutputGuard: the output guardrails applied to a streamed answer, delta by delta.
//
// A pattern can span deltas ("alice@" now, "example.com" next), so the guard holds back the
// last kHoldBack bytes of text, and further back still wherever a match reaches into that tail,
// and releases only text that no later delta can change: redacted, or the block that ends the
// stream. Finish() releases the rest. A match longer than kHoldBack (an e-mail address is at
// most 254 bytes) could be released in pieces before it is whole; patterns meant for streamed
// output should match less than that.
//
// The cost: with output rules in force, a client sees the answer kHoldBack bytes (about 60
// tokens) late. Without output rules the router does not use a guard at all.
// Thread safety: one guard per stream, used by one thread at a time.
#ifndef SWITCHYARD_POLICIES_OUTPUT_GUARD_H_
#define SWITCHYARD_POLICIES_OUTPUT_GUARD_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "policies/guardrails.h"

namespace switchyard {

class OutputGuard {
 public:
  static constexpr size_t kHoldBack = 256;

  // `rules` must outlive the guard.
  explicit OutputGuard(const Guardrails& rules) : rules_(rules) {}

  // Adds a delta. The outcome's text is what may be sent now (often empty); blocked when an
  // output rule blocks, after which the guard releases nothing more.
  GuardrailOutcome Push(absl::string_view delta);
  // The held-back rest, at the end of the stream.
  GuardrailOutcome Finish();

 private:
  GuardrailOutcome Release(size_t bytes);

  const Guardrails& rules_;
  std::string held_;
  bool blocked_ = false;
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_OUTPUT_GUARD_H_
