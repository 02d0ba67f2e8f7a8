#include "policies/guardrails.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace switchyard {
namespace {

// Local part and domain as mail actually looks, not RFC 5322's full grammar: the aim is to catch
// addresses in prose, not to validate them.
constexpr const char* kEmailPattern =
    R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})";
// 13-19 digits, optionally separated by single spaces or dashes, not inside a longer digit or
// word run; the Luhn check then throws out the candidates that are not card numbers.
constexpr const char* kCardPattern = R"(\b\d(?:[ \-]?\d){12,18}\b)";

}  // namespace

struct Guardrails::Rule {
  GuardrailRuleSpec spec;
  std::unique_ptr<re2::RE2> re;
  bool luhn = false;  // card_number: a match counts only when it passes Luhn
};

absl::string_view DirectionName(GuardrailDirection d) {
  return d == GuardrailDirection::kInput ? "input" : "output";
}
absl::string_view ActionName(GuardrailAction a) { return a == GuardrailAction::kBlock ? "block" : "redact"; }

absl::Status GuardrailOutcome::ToStatus(GuardrailDirection direction) const {
  if (!blocked) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(DirectionName(direction), " blocked by guardrail rule '", blocked_by, "'"));
}

bool LuhnValid(absl::string_view s) {
  int sum = 0;
  int digits = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    const char c = *it;
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (digits % 2 == 1) {  // every second digit from the right is doubled
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++digits;
  }
  return digits > 0 && sum % 10 == 0;
}

Guardrails::Guardrails() = default;
Guardrails::Guardrails(Guardrails&&) noexcept = default;
Guardrails& Guardrails::operator=(Guardrails&&) noexcept = default;
Guardrails::~Guardrails() = default;

absl::StatusOr<Guardrails> Guardrails::Create(std::vector<GuardrailRuleSpec> rules) {
  Guardrails g;
  std::set<std::string> names;
  for (GuardrailRuleSpec& spec : rules) {
    const std::string where = absl::StrCat("guardrail rule '", spec.name, "'");
    if (spec.name.empty()) return absl::InvalidArgumentError("guardrail rule without a name");
    if (!names.insert(spec.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate rule name"));
    }
    if (spec.pattern.empty() == spec.builtin.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": give exactly one of pattern and builtin"));
    }
    auto rule = std::make_unique<Rule>();
    std::string pattern = spec.pattern;
    if (spec.builtin == "email") {
      pattern = kEmailPattern;
    } else if (spec.builtin == "card_number") {
      pattern = kCardPattern;
      rule->luhn = true;
    } else if (!spec.builtin.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown builtin '", spec.builtin, "' (expected email or card_number)"));
    }
    re2::RE2::Options opts;
    opts.set_log_errors(false);  // the error comes back in the Status instead of on stderr
    rule->re = std::make_unique<re2::RE2>(pattern, opts);
    if (!rule->re->ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": invalid pattern: ", rule->re->error()));
    }
    if (spec.replacement.empty()) spec.replacement = absl::StrCat("[redacted:", spec.name, "]");
    rule->spec = std::move(spec);
    g.rules_.push_back(std::move(rule));
  }
  return g;
}

GuardrailOutcome Guardrails::Apply(GuardrailDirection direction, absl::string_view text) const {
  GuardrailOutcome out;
  out.text = std::string(text);
  for (const auto& rule : rules_) {
    if (rule->spec.direction != direction) continue;
    const std::string& current = out.text;
    std::string redacted;
    int64_t spans = 0;
    size_t pos = 0;
    size_t copied = 0;  // bytes of `current` already moved to `redacted`
    re2::StringPiece m;
    while (pos <= current.size() &&
           rule->re->Match(current, pos, current.size(), re2::RE2::UNANCHORED, &m, 1)) {
      const size_t begin = static_cast<size_t>(m.data() - current.data());
      const size_t end = begin + m.size();
      if (m.empty() || (rule->luhn && !LuhnValid(absl::string_view(m.data(), m.size())))) {
        pos = begin + 1;  // not a hit: look again one byte further
        continue;
      }
      ++spans;
      if (rule->spec.action == GuardrailAction::kRedact) {
        redacted.append(current, copied, begin - copied);
        redacted.append(rule->spec.replacement);
        copied = end;
      }
      pos = end;
    }
    if (spans == 0) continue;
    out.decisions.push_back({rule->spec.name, direction, rule->spec.action, spans});
    if (rule->spec.action == GuardrailAction::kBlock) {
      out.blocked = true;
      out.blocked_by = rule->spec.name;
      out.text.clear();
      return out;
    }
    redacted.append(current, copied, std::string::npos);
    out.text = std::move(redacted);
  }
  return out;
}

std::vector<std::pair<size_t, size_t>> Guardrails::MatchSpans(GuardrailDirection direction,
                                                             absl::string_view text) const {
  std::vector<std::pair<size_t, size_t>> spans;
  const re2::StringPiece all(text.data(), text.size());
  for (const auto& rule : rules_) {
    if (rule->spec.direction != direction) continue;
    size_t pos = 0;
    re2::StringPiece m;
    while (pos <= text.size() && rule->re->Match(all, pos, text.size(), re2::RE2::UNANCHORED, &m, 1)) {
      const size_t begin = static_cast<size_t>(m.data() - text.data());
      const size_t end = begin + m.size();
      if (!m.empty()) spans.emplace_back(begin, end);
      pos = m.empty() ? begin + 1 : end;
    }
  }
  std::sort(spans.begin(), spans.end());
  return spans;
}

bool Guardrails::HasRules(GuardrailDirection direction) const {
  for (const auto& rule : rules_) {
    if (rule->spec.direction == direction) return true;
  }
  return false;
}

}  // namespace switchyard
