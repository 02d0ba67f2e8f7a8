#include "policies/output_guard.h"

#include <utility>
#include <vector>

namespace switchyard {

GuardrailOutcome OutputGuard::Release(size_t bytes) {
  GuardrailOutcome out = rules_.Apply(GuardrailDirection::kOutput, absl::string_view(held_).substr(0, bytes));
  held_.erase(0, bytes);
  if (out.blocked) {
    blocked_ = true;
    held_.clear();
  }
  return out;
}

GuardrailOutcome OutputGuard::Push(absl::string_view delta) {
  if (blocked_) return GuardrailOutcome{};
  held_.append(delta.data(), delta.size());
  if (held_.size() <= kHoldBack) return GuardrailOutcome{};
  size_t cut = held_.size() - kHoldBack;
  // Never inside a UTF-8 character: the client gets whole characters.
  while (cut > 0 && (static_cast<unsigned char>(held_[cut]) & 0xC0) == 0x80) --cut;
  // Back to the start of any match that reaches across the cut: more text may still change it
  // (a longer address, the end of a card number). Spans are sorted by start, so one pass from
  // the back settles it.
  const std::vector<std::pair<size_t, size_t>> spans = rules_.MatchSpans(GuardrailDirection::kOutput, held_);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    if (it->first < cut && it->second > cut) cut = it->first;
  }
  if (cut == 0) return GuardrailOutcome{};
  return Release(cut);
}

GuardrailOutcome OutputGuard::Finish() {
  if (blocked_) return GuardrailOutcome{};
  return Release(held_.size());
}

}  // namespace switchyard
