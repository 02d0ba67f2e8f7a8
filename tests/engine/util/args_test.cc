#include "workers/engine/cli/args.h"

#include "gtest/gtest.h"

namespace switchyard::cli {
namespace {

absl::Status ParseInto(Args& a, std::vector<const char*> argv) {
  argv.insert(argv.begin(), "tool");
  return a.Parse(static_cast<int>(argv.size()), argv.data());
}

TEST(ArgsTest, ValuesSwitchesAndPositionals) {
  Args a({"model", "max-tokens"}, {"json"});
  ASSERT_TRUE(ParseInto(a, {"--model", "dir", "--max-tokens=16", "--json", "extra"}).ok());
  EXPECT_EQ(*a.Required("model"), "dir");
  EXPECT_EQ(*a.IntOr("max-tokens", 1, 0, 100), 16);
  EXPECT_TRUE(*a.Switch("json"));
  EXPECT_EQ(a.positional(), std::vector<std::string>{"extra"});
  EXPECT_EQ(a.GetOr("absent", "d"), "d");
}

TEST(ArgsTest, MistakesAreNamed) {
  Args a({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(a, {"--bogus"}).message(), "unknown flag --bogus");
  Args b({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(b, {"--model"}).message(), "--model needs a value");
  Args c({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(c, {"--n", "1", "--n", "2"}).message(), "--n given twice");
  Args d({"model", "n"}, {"json"});
  ASSERT_TRUE(ParseInto(d, {"--n", "x1", "--json=maybe"}).ok());
  EXPECT_EQ(d.IntOr("n", 0, 0, 9).status().message(), "--n: 'x1' is not an integer");
  EXPECT_EQ(d.Switch("json").status().message(), "--json: expected true or false, got 'maybe'");
  EXPECT_EQ(d.Required("model").status().message(), "--model is required");
  Args e({"n"}, {});
  ASSERT_TRUE(ParseInto(e, {"--n", "500"}).ok());
  EXPECT_EQ(e.IntOr("n", 0, 0, 100).status().message(), "--n: 500 is outside [0, 100]");
}

}  // namespace
}  // namespace switchyard::cli
