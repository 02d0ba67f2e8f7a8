#include "workers/engine/cli/args.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace switchyard::cli {

Args::Args(std::vector<std::string> value_flags, std::vector<std::string> switch_flags)
    : value_flags_(std::move(value_flags)), switch_flags_(std::move(switch_flags)) {}

absl::Status Args::Parse(int argc, const char* const* argv) {
  auto is = [](const std::vector<std::string>& v, absl::string_view n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  for (int i = 1; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (a.size() < 3 || a.substr(0, 2) != "--") {
      positional_.emplace_back(a);
      continue;
    }
    a.remove_prefix(2);
    std::string name(a.substr(0, a.find('=')));
    std::optional<std::string> inline_value;
    if (a.find('=') != absl::string_view::npos) inline_value = std::string(a.substr(a.find('=') + 1));
    if (values_.count(name) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " given twice"));
    }
    if (is(switch_flags_, name)) {
      values_[name] = inline_value.value_or("true");
    } else if (is(value_flags_, name)) {
      if (inline_value) {
        values_[name] = *inline_value;
      } else if (i + 1 < argc) {
        values_[name] = argv[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
  }
  return absl::OkStatus();
}

bool Args::Has(absl::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> Args::Get(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(absl::string_view name, absl::string_view fallback) const {
  auto v = Get(name);
  return v ? *v : std::string(fallback);
}

absl::StatusOr<int64_t> Args::IntOr(absl::string_view name, int64_t fallback, int64_t min,
                                    int64_t max) const {
  auto v = Get(name);
  if (!v) return fallback;
  int64_t n;
  if (!absl::SimpleAtoi(*v, &n)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": '", *v, "' is not an integer"));
  }
  if (n < min || n > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": ", n, " is outside [", min, ", ", max, "]"));
  }
  return n;
}

absl::StatusOr<double> Args::DoubleOr(absl::string_view name, double fallback) const {
  auto v = Get(name);
  if (!v) return fallback;
  double d;
  if (!absl::SimpleAtod(*v, &d)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": '", *v, "' is not a number"));
  }
  return d;
}

absl::StatusOr<bool> Args::Switch(absl::string_view name) const {
  auto v = Get(name);
  if (!v) return false;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return absl::InvalidArgumentError(absl::StrCat("--", name, ": expected true or false, got '", *v, "'"));
}

absl::StatusOr<std::string> Args::Required(absl::string_view name) const {
  auto v = Get(name);
  if (!v) return absl::InvalidArgumentError(absl::StrCat("--", name, " is required"));
  return *v;
}

int UsageError(absl::string_view tool, const absl::Status& status, absl::string_view usage) {
  std::fprintf(stderr, "%.*s: %.*s\n\n%.*s", static_cast<int>(tool.size()), tool.data(),
               static_cast<int>(status.message().size()), status.message().data(),
               static_cast<int>(usage.size()), usage.data());
  return 2;
}

}  // namespace switchyard::cli
