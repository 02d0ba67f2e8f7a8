#include "workers/engine/grammar/token_constraint.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace switchyard {

TokenConstraint::TokenConstraint(std::shared_ptr<const CompiledGrammar> grammar, std::vector<int32_t> end_tokens,
                                 int32_t starts_after)
    : grammar_(std::move(grammar)),
      end_tokens_(std::move(end_tokens)),
      matcher_(&grammar_->grammar()),
      waiting_for_(starts_after < 0 ? -1 : starts_after) {}

bool TokenConstraint::IsEnd(int32_t token) const {
  return std::find(end_tokens_.begin(), end_tokens_.end(), token) != end_tokens_.end();
}

void TokenConstraint::ApplyMask(float* logits, int64_t n) const {
  if (!active()) return;
  constexpr float kRefused = -std::numeric_limits<float>::infinity();
  // Saved before masking: end tokens are never in the grammar's mask.
  std::vector<std::pair<int32_t, float>> ends;
  if (matcher_.accepted() && !ended_) {
    for (int32_t t : end_tokens_) {
      if (t >= 0 && t < n) ends.emplace_back(t, logits[t]);
    }
  }
  if (ended_ || matcher_.finished()) {
    std::fill(logits, logits + n, kRefused);
  } else {
    grammar_->Mask(matcher_.state())->Apply(logits, n);
  }
  for (const auto& [t, v] : ends) logits[t] = v;
}

absl::Status TokenConstraint::Accept(int32_t token) {
  if (!active()) {
    if (token == waiting_for_) waiting_for_ = -1;
    return absl::OkStatus();
  }
  if (!ended_ && matcher_.accepted() && IsEnd(token)) {
    ended_ = true;
    return absl::OkStatus();
  }
  const absl::string_view piece = grammar_->vocab().piece(token);  // empty for special tokens
  if (ended_ || piece.empty() || !matcher_.Advance(piece)) {
    return absl::InvalidArgumentError(absl::StrCat("token ", token, " does not fit the output's grammar"));
  }
  return absl::OkStatus();
}

}  // namespace switchyard
