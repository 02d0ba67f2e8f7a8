// TokenConstraint: one sequence's progress through a CompiledGrammar. Before each sampling step
// ApplyMask() sets the logits of tokens the grammar refuses to -inf, so temperature, top-k and
// top-p run over what is left and greedy picks the best allowed token; Accept() then advances
// the automaton by the chosen token's bytes. End tokens (the request's stop tokens, e.g.
// <|im_end|>) are allowed only once the output is complete; other special tokens never are.
// A constraint may wait for a trigger token (Qwen3's </think>): until that token has been
// accepted every token is free, so the model reasons unconstrained and the grammar shapes
// only the answer after it.
// Thread safety: owned by one sequence; the CompiledGrammar is shared.
#ifndef SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_CONSTRAINT_H_
#define SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_CONSTRAINT_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "workers/engine/grammar/compiled_grammar.h"
#include "workers/engine/grammar/grammar_matcher.h"

namespace switchyard {

class TokenConstraint {
 public:
  // REQUIRES: grammar != nullptr. `starts_after`: the trigger token, or -1 to hold from the
  // first token.
  TokenConstraint(std::shared_ptr<const CompiledGrammar> grammar, std::vector<int32_t> end_tokens,
                  int32_t starts_after = -1);

  // REQUIRES: n == the grammar's vocab_size(). No change while waiting for the trigger.
  void ApplyMask(float* logits, int64_t n) const;
  // InvalidArgument (and no change) when the grammar refuses `token` (a forced token, a bug).
  // While waiting, every token is accepted and the trigger starts the grammar.
  absl::Status Accept(int32_t token);
  // The grammar holds (no trigger, or the trigger was accepted).
  bool active() const { return waiting_for_ < 0; }
  // The output is complete and nothing but an end token may follow.
  bool finished() const { return active() && (ended_ || matcher_.finished()); }
  bool accepted() const { return active() && matcher_.accepted(); }

 private:
  bool IsEnd(int32_t token) const;

  std::shared_ptr<const CompiledGrammar> grammar_;
  std::vector<int32_t> end_tokens_;
  GrammarMatcher matcher_;
  bool ended_ = false;  // an end token was accepted
  int32_t waiting_for_;  // the trigger not yet seen; -1 once the grammar holds
};

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_GRAMMAR_TOKEN_CONSTRAINT_H_
