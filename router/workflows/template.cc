#include "router/workflows/template.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "router/workflows/value_text.h"

namespace switchyard::workflows {
namespace {

constexpr size_t kMaxTemplateBytes = 1 << 20;  // prompts may hold a document; not more

// Shifts an Expression error's "at column N" by the hole's offset in the whole template.
absl::Status ShiftColumn(const absl::Status& s, size_t offset) {
  absl::string_view msg = s.message();
  size_t col = 0;
  if (absl::ConsumePrefix(&msg, "at column ")) {
    const size_t colon = msg.find(':');
    if (colon != absl::string_view::npos && absl::SimpleAtoi(msg.substr(0, colon), &col)) {
      return absl::InvalidArgumentError(absl::StrCat("at column ", col + offset, msg.substr(colon)));
    }
  }
  return s;
}

}  // namespace

absl::StatusOr<Template> Template::Parse(absl::string_view text) {
  if (text.size() > kMaxTemplateBytes) {
    return absl::InvalidArgumentError(absl::StrCat("longer than ", kMaxTemplateBytes, " bytes"));
  }
  Template t;
  t.text_ = std::string(text);
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") != 0) {
      literal.push_back(text[i++]);
      continue;
    }
    // Find the "}}" that closes this hole, stepping over quoted strings so that "{{ '}}' }}"
    // holds the two characters "}}".
    const size_t open = i;
    size_t j = i + 2;
    char quote = 0;
    for (; j < text.size(); ++j) {
      const char c = text[j];
      if (quote != 0) {
        if (c == '\\') {
          ++j;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '}' && j + 1 < text.size() && text[j + 1] == '}') {
        break;
      }
    }
    if (j >= text.size()) return absl::InvalidArgumentError(absl::StrCat("at column ", open + 1, ": \"{{\" is never closed by \"}}\""));
    const absl::string_view inside = text.substr(open + 2, j - open - 2);
    if (absl::StripAsciiWhitespace(inside).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("at column ", open + 1, ": empty \"{{ }}\""));
    }
    auto e = Expression::Parse(inside);
    if (!e.ok()) return ShiftColumn(e.status(), open + 2);
    if (!literal.empty()) t.parts_.emplace_back(std::exchange(literal, std::string()));
    t.holes_.push_back(t.parts_.size());
    t.parts_.emplace_back(*std::move(e));
    i = j + 2;
  }
  if (!literal.empty()) t.parts_.emplace_back(std::move(literal));
  return t;
}

absl::StatusOr<std::string> Template::Render(const ValueResolver& resolver) const {
  std::string out;
  for (const auto& part : parts_) {
    if (const auto* s = std::get_if<std::string>(&part)) {
      out += *s;
      continue;
    }
    const Expression& e = std::get<Expression>(part);
    auto v = e.Evaluate(resolver);
    if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat("{{ ", absl::StripAsciiWhitespace(e.text()), " }}: ", v.status().message()));
    out += RenderValue(*v);
    if (out.size() > kMaxTemplateBytes * 16) {
      return absl::InvalidArgumentError(absl::StrCat("renders to more than ", kMaxTemplateBytes * 16, " bytes"));
    }
  }
  return out;
}

absl::StatusOr<nlohmann::json> Template::Evaluate(const ValueResolver& resolver) const {
  if (parts_.size() == 1 && holes_.size() == 1) {
    const Expression& e = std::get<Expression>(parts_[0]);
    auto v = e.Evaluate(resolver);
    if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat("{{ ", absl::StripAsciiWhitespace(e.text()), " }}: ", v.status().message()));
    return *std::move(v);
  }
  auto s = Render(resolver);
  if (!s.ok()) return s.status();
  return nlohmann::json(*std::move(s));
}

std::vector<const Expression*> Template::holes() const {
  std::vector<const Expression*> out;
  for (size_t i : holes_) out.push_back(&std::get<Expression>(parts_[i]));
  return out;
}

}  // namespace switchyard::workflows
