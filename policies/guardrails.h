// Guardrails: rules that block or redact text going into a model (input) or coming out of one
// (output), each firing recorded for the audit log.
//
// A rule matches an RE2 pattern, or a built-in detector:
//   email        e-mail addresses
//   card_number  payment card numbers: 13-19 digits, optionally grouped by spaces or dashes, that
//                pass the Luhn check, so order numbers and other digit runs are left alone
// and either blocks the whole text or replaces each match with its replacement
// (default "[redacted:<rule name>]"). Rules run in file order; a redaction is seen by the rules
// after it; the first blocking rule that fires stops the evaluation. A card number directly
// followed by another digit group is judged with it as one number (and so may fail Luhn).
//
// Thread safety: immutable after Create(); Apply() may run on many threads at once.
#ifndef SWITCHYARD_POLICIES_GUARDRAILS_H_
#define SWITCHYARD_POLICIES_GUARDRAILS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace re2 {
class RE2;
}

namespace switchyard {

enum class GuardrailDirection { kInput, kOutput };
enum class GuardrailAction { kBlock, kRedact };

absl::string_view DirectionName(GuardrailDirection d);  // "input" | "output"
absl::string_view ActionName(GuardrailAction a);        // "block" | "redact"

// One rule as the policy file declares it.
struct GuardrailRuleSpec {
  std::string name;
  GuardrailDirection direction = GuardrailDirection::kInput;
  std::string pattern;  // RE2 syntax; empty when `builtin` is set
  std::string builtin;  // "email" | "card_number" | empty
  GuardrailAction action = GuardrailAction::kRedact;
  std::string replacement;  // empty: "[redacted:<name>]"
};

// A rule that fired on one text.
struct GuardrailDecision {
  std::string rule;
  GuardrailDirection direction;
  GuardrailAction action;
  int64_t spans = 0;  // matches found (for block: counted up to the decision)
};

struct GuardrailOutcome {
  bool blocked = false;
  std::string blocked_by;                   // rule name when blocked
  std::string text;                         // the text after redactions; empty when blocked
  std::vector<GuardrailDecision> decisions;  // in evaluation order; only rules that fired

  // OK, or PERMISSION_DENIED "<direction> blocked by guardrail rule '<name>'".
  absl::Status ToStatus(GuardrailDirection direction) const;
};

// The Luhn (mod 10) check over the decimal digits of `s`, ignoring spaces and dashes; false when
// any other character is present or there are no digits.
bool LuhnValid(absl::string_view s);

class Guardrails {
 public:
  // Compiles every rule. InvalidArgument naming the rule for a bad pattern, an unknown builtin,
  // neither or both of pattern and builtin, or a duplicate name. Empty matches (`x*` between
  // characters) are ignored when applying, never redacted or counted.
  static absl::StatusOr<Guardrails> Create(std::vector<GuardrailRuleSpec> rules);

  Guardrails();  // no rules
  Guardrails(Guardrails&&) noexcept;
  Guardrails& operator=(Guardrails&&) noexcept;
  ~Guardrails();

  GuardrailOutcome Apply(GuardrailDirection direction, absl::string_view text) const;

  // Where the rules of `direction` match `text` as it stands: raw regex matches [begin, end),
  // before redaction and without the Luhn filter, sorted by begin. For cutting a stream of text
  // where no match can span the cut (OutputGuard).
  std::vector<std::pair<size_t, size_t>> MatchSpans(GuardrailDirection direction, absl::string_view text) const;
  bool HasRules(GuardrailDirection direction) const;

  size_t size() const { return rules_.size(); }

 private:
  struct Rule;
  std::vector<std::unique_ptr<Rule>> rules_;
};

}  // namespace switchyard

#endif  // SWITCHYARD_POLICIES_GUARDRAILS_H_
