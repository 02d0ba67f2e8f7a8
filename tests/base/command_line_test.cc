#include "base/command_line.h"

#include "gtest/gtest.h"

namespace switchyard::cli {
namespace {

absl::Status ParseInto(CommandLine& a, std::vector<const char*> argv) {
  argv.insert(argv.begin(), "tool");
  return a.Parse(static_cast<int>(argv.size()), argv.data());
}

TEST(CommandLineTest, ValuesSwitchesAndPositionals) {
  CommandLine a({"model", "max-tokens"}, {"json"});
  ASSERT_TRUE(ParseInto(a, {"--model", "dir", "--max-tokens=16", "--json", "extra"}).ok());
  EXPECT_EQ(*a.Required("model"), "dir");
  EXPECT_EQ(*a.IntOr("max-tokens", 1, 0, 100), 16);
  EXPECT_TRUE(*a.Switch("json"));
  EXPECT_EQ(a.positional(), std::vector<std::string>{"extra"});
  EXPECT_EQ(a.GetOr("absent", "d"), "d");
}

TEST(CommandLineTest, MistakesAreNamed) {
  CommandLine a({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(a, {"--bogus"}).message(), "unknown flag --bogus");
  CommandLine b({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(b, {"--model"}).message(), "--model needs a value");
  CommandLine c({"model", "n"}, {"json"});
  EXPECT_EQ(ParseInto(c, {"--n", "1", "--n", "2"}).message(), "--n given twice");
  CommandLine d({"model", "n"}, {"json"});
  ASSERT_TRUE(ParseInto(d, {"--n", "x1", "--json=maybe"}).ok());
  EXPECT_EQ(d.IntOr("n", 0, 0, 9).status().message(), "--n: 'x1' is not an integer");
  EXPECT_EQ(d.Switch("json").status().message(), "--json: expected true or false, got 'maybe'");
  EXPECT_EQ(d.Required("model").status().message(), "--model is required");
  CommandLine e({"n"}, {});
  ASSERT_TRUE(ParseInto(e, {"--n", "500"}).ok());
  EXPECT_EQ(e.IntOr("n", 0, 0, 100).status().message(), "--n: 500 is outside [0, 100]");
}

TEST(CommandLineTest, HelpIsASwitchOfEveryTool) {
  CommandLine a({"model"}, {});
  ASSERT_TRUE(ParseInto(a, {"--help"}).ok());
  EXPECT_TRUE(a.HelpRequested());
  CommandLine b({"model"}, {"help"});
  ASSERT_TRUE(ParseInto(b, {"-h"}).ok());
  EXPECT_TRUE(b.HelpRequested());
  CommandLine c({"model"}, {});
  ASSERT_TRUE(ParseInto(c, {"--model", "m"}).ok());
  EXPECT_FALSE(c.HelpRequested());
}

TEST(CommandLineTest, NumbersDashesAndTheEndOfFlags) {
  CommandLine a({"temperature", "seed"}, {"json"});
  ASSERT_TRUE(ParseInto(a, {"--temperature", "-1", "--seed=-7", "-", "--", "--json", "--x"}).ok());
  EXPECT_EQ(*a.DoubleOr("temperature", 0), -1.0);
  EXPECT_EQ(*a.IntOr("seed", 0, -10, 10), -7);
  EXPECT_FALSE(a.Has("json"));  // after --, words are positional
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"-", "--json", "--x"}));
  CommandLine b({"model"}, {"json"});
  EXPECT_EQ(ParseInto(b, {"--model", "--json"}).message(), "--model needs a value");
  CommandLine c({"model"}, {"json"});
  EXPECT_EQ(ParseInto(c, {"--json", "--json=false"}).message(), "--json given twice");
  CommandLine d({"model"}, {"json"});
  EXPECT_EQ(ParseInto(d, {"--bogus=3"}).message(), "unknown flag --bogus");
  CommandLine e({"model"}, {"json"});
  ASSERT_TRUE(ParseInto(e, {"--json=false", "--model="}).ok());
  EXPECT_FALSE(*e.Switch("json"));
  EXPECT_EQ(e.Get("model"), "");  // an empty value, given
}

TEST(CommandLineTest, ParseOrExitAnswersMistakesAndHelpAlike) {
  std::vector<const char*> bad = {"tool", "--bogus"};
  std::vector<const char*> help = {"tool", "--help"};
  std::vector<const char*> fine = {"tool", "--n", "3"};
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  auto read = [](std::FILE* f) {
    std::string text(static_cast<size_t>(std::ftell(f)), '\0');
    std::rewind(f);
    text.resize(std::fread(text.data(), 1, text.size(), f));
    return text;
  };
  CommandLine a({"n"}, {});
  EXPECT_EQ(a.ParseOrExit(static_cast<int>(bad.size()), bad.data(), "tool", "usage: tool [--n N]\n", out, err), 2);
  EXPECT_EQ(read(err), "tool: unknown flag --bogus\n\nusage: tool [--n N]\n");
  CommandLine b({"n"}, {});
  EXPECT_EQ(b.ParseOrExit(static_cast<int>(help.size()), help.data(), "tool", "usage: tool [--n N]\n", out, err), 0);
  EXPECT_EQ(read(out), "usage: tool [--n N]\n");
  CommandLine c({"n"}, {});
  EXPECT_EQ(c.ParseOrExit(static_cast<int>(fine.size()), fine.data(), "tool", "usage\n", out, err), std::nullopt);
  EXPECT_EQ(*c.IntOr("n", 0, 0, 9), 3);
  std::fclose(out);
  std::fclose(err);
}

TEST(CommandLineTest, UsageErrorExitsTwo) {
  ::testing::internal::CaptureStderr();
  const int code = UsageError("tool", absl::InvalidArgumentError("unknown flag --x"), "usage: tool\n");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "tool: unknown flag --x\n\nusage: tool\n");
  EXPECT_EQ(code, 2);
}

}  // namespace
}  // namespace switchyard::cli
