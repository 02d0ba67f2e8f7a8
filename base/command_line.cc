#include "base/command_line.h"

#include <algorithm>
#include <cstdio>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace switchyard::cli {

CommandLine::CommandLine(std::vector<std::string> value_flags, std::vector<std::string> switch_flags)
    : value_flags_(std::move(value_flags)), switch_flags_(std::move(switch_flags)) {
  if (std::find(switch_flags_.begin(), switch_flags_.end(), "help") == switch_flags_.end()) {
    switch_flags_.push_back("help");
  }
}

absl::Status CommandLine::Parse(int argc, const char* const* argv) {
  // CLI11 reads the words; the checks and messages stay ours, so that every tool words its
  // mistakes the same way. CLI11 throws: nothing of it crosses this function.
  CLI::App app;
  app.set_help_flag();  // --help is an ordinary switch: each tool prints its own usage text
  app.allow_extras();   // unknown flags are collected and named below
  std::map<std::string, CLI::Option*> options;
  for (const std::string& name : value_flags_) {
    // Zero or one value, so that a flag missing its value is ours to name.
    options[name] = app.add_option("--" + name)->expected(0, 1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  for (const std::string& name : switch_flags_) {
    const std::string names = name == "help" ? "-h,--help" : "--" + name;
    options[name] = app.add_flag(names)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  std::vector<std::string> positional;
  app.add_option("positional", positional);
  std::vector<std::string> words;
  for (int i = argc - 1; i >= 1; --i) words.emplace_back(argv[i]);  // CLI11 takes them reversed
  try {
    std::vector<std::string> consumed = words;  // CLI11 empties the vector it parses
    app.parse(consumed);
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  for (const std::string& extra : app.remaining()) {
    if (extra.size() > 1 && extra[0] == '-' && extra != "--") {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", extra.substr(0, extra.find('='))));
    }
  }
  std::map<std::string, std::string, std::less<>> values;
  for (const auto& [name, option] : options) {
    if (option->count() == 0) continue;
    if (option->count() > 1) return absl::InvalidArgumentError(absl::StrCat("--", name, " given twice"));
    // CLI11 reports a missing value as one empty value; `--name=` is an empty value given.
    const std::vector<std::string>& given = option->results();
    const bool empty_given = std::find(words.begin(), words.end(), absl::StrCat("--", name, "=")) != words.end();
    if (given.empty() || (given.front().empty() && !empty_given)) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    values[name] = given.front();
  }
  values_ = std::move(values);
  positional_ = std::move(positional);
  return absl::OkStatus();
}

bool CommandLine::Has(absl::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> CommandLine::Get(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string CommandLine::GetOr(absl::string_view name, absl::string_view fallback) const {
  auto v = Get(name);
  return v ? *v : std::string(fallback);
}

absl::StatusOr<int64_t> CommandLine::IntOr(absl::string_view name, int64_t fallback, int64_t min, int64_t max) const {
  auto v = Get(name);
  if (!v) return fallback;
  int64_t n;
  if (!absl::SimpleAtoi(*v, &n)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": '", *v, "' is not an integer"));
  }
  if (n < min || n > max) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": ", n, " is outside [", min, ", ", max, "]"));
  }
  return n;
}

absl::StatusOr<double> CommandLine::DoubleOr(absl::string_view name, double fallback) const {
  auto v = Get(name);
  if (!v) return fallback;
  double d;
  if (!absl::SimpleAtod(*v, &d)) {
    return absl::InvalidArgumentError(absl::StrCat("--", name, ": '", *v, "' is not a number"));
  }
  return d;
}

absl::StatusOr<bool> CommandLine::Switch(absl::string_view name) const {
  auto v = Get(name);
  if (!v) return false;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return absl::InvalidArgumentError(absl::StrCat("--", name, ": expected true or false, got '", *v, "'"));
}

absl::StatusOr<std::string> CommandLine::Required(absl::string_view name) const {
  auto v = Get(name);
  if (!v) return absl::InvalidArgumentError(absl::StrCat("--", name, " is required"));
  return *v;
}

std::optional<int> CommandLine::ParseOrExit(int argc, const char* const* argv, absl::string_view tool,
                                            absl::string_view usage, std::FILE* out, std::FILE* err) {
  if (absl::Status s = Parse(argc, argv); !s.ok()) return UsageError(tool, s, usage, err);
  if (HelpRequested()) {
    std::fwrite(usage.data(), 1, usage.size(), out);
    return 0;
  }
  return std::nullopt;
}

int UsageError(absl::string_view tool, const absl::Status& status, absl::string_view usage, std::FILE* err) {
  std::fprintf(err, "%.*s: %.*s\n\n%.*s", static_cast<int>(tool.size()), tool.data(),
               static_cast<int>(status.message().size()), status.message().data(),
               static_cast<int>(usage.size()), usage.data());
  return 2;
}

}  // namespace switchyard::cli
