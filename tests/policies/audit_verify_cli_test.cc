// `switchyard audit verify FILE` as an operator runs it: the summary of an intact log, the first
// bad line of an edited, dropped, reordered, torn or non-JSON one, and the exit codes (0 intact,
// 1 broken, 2 usage or unreadable file).
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/audit_log.h"
#include "base/sha256.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Ran {
  int code = -1;
  std::string out;
  std::string err;
};

class AuditVerifyCli : public ::testing::Test {
 protected:
  // `switchyard <args>` with stdout and stderr captured.
  Ran Run(const std::string& args) {
    const int rc = std::system(
        absl::StrCat(testing::BinDir(), "/switchyard ", args, " > ", dir_.File("out"), " 2> ", dir_.File("err")).c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, testing::Slurp(dir_.File("out")), testing::Slurp(dir_.File("err"))};
  }
  Ran Verify(const std::string& contents) {
    dir_.Write("check.jsonl", contents);
    return Run("audit verify " + dir_.File("check.jsonl"));
  }
  // The lines of a log of `n` records written through AuditLog.
  std::vector<std::string> MakeLines(int n) {
    {
      auto log = AuditLog::Open(dir_.File("made.jsonl"));
      EXPECT_TRUE(log.ok()) << log.status();
      for (int i = 0; i < n; ++i) EXPECT_TRUE((*log)->Append({{"event", "test"}, {"i", i}}).ok());
    }
    std::vector<std::string> lines = absl::StrSplit(testing::Slurp(dir_.File("made.jsonl")), '\n');
    lines.pop_back();  // after the final "\n"
    return lines;
  }
  static std::string Joined(const std::vector<std::string>& lines) {
    return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
  }
  std::string Where(int line) const { return absl::StrCat(dir_.File("check.jsonl"), ":", line, ": "); }

  testing::ScratchDir dir_;
};

TEST_F(AuditVerifyCli, IntactLogPrintsTheSummary) {
  const std::vector<std::string> lines = MakeLines(5);
  const Ran r = Verify(Joined(lines));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat(dir_.File("check.jsonl"), ": 5 records, chain intact, last hash ", Sha256Hex(lines[4]),
                                "\n"));
  EXPECT_EQ(r.err, "");
}

TEST_F(AuditVerifyCli, EmptyLogIsAnIntactChainOfNothing) {
  const Ran r = Verify("");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat(dir_.File("check.jsonl"), ": 0 records, chain intact, last hash ", kAuditGenesisHash,
                                "\n"));
}

TEST_F(AuditVerifyCli, EditedLineBreaksTheChainOnTheNextLine) {
  std::vector<std::string> lines = MakeLines(5);
  const size_t at = lines[2].find(R"("i":2)");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 5, R"("i":7)");
  const Ran r = Verify(Joined(lines));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, Where(4) + "prev does not match the hash of line 3: line 3 (or this line's prev) was edited\n");
}

TEST_F(AuditVerifyCli, DroppedLine) {
  std::vector<std::string> lines = MakeLines(5);
  lines.erase(lines.begin() + 2);
  const Ran r = Verify(Joined(lines));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, Where(3) + "seq 4 where 3 was expected: a line before it was deleted\n");
}

TEST_F(AuditVerifyCli, ReorderedLines) {
  std::vector<std::string> lines = MakeLines(5);
  std::swap(lines[1], lines[2]);
  const Ran r = Verify(Joined(lines));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, Where(2) + "seq 3 where 2 was expected: lines were reordered\n");
}

TEST_F(AuditVerifyCli, TornLastLine) {
  const std::string whole = Joined(MakeLines(4));
  const Ran r = Verify(whole.substr(0, whole.size() - 20));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, StartsWith(Where(4) + "truncated last line (no newline at the end); a crash during an append"));
  EXPECT_THAT(r.out, HasSubstr(dir_.File("check.jsonl") + ".torn"));
}

TEST_F(AuditVerifyCli, LineThatIsNotJson) {
  std::vector<std::string> lines = MakeLines(3);
  lines[1] = "this is not json";
  const Ran r = Verify(Joined(lines));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, Where(2) + "not a JSON object\n");
}

TEST_F(AuditVerifyCli, MissingFileIsExitTwo) {
  const Ran r = Run("audit verify " + dir_.File("nope.jsonl"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, absl::StrCat("switchyard audit: ", dir_.File("nope.jsonl"), ": cannot open audit log\n"));
}

TEST_F(AuditVerifyCli, UsageErrorsAreExitTwo) {
  for (const char* args : {"audit", "audit verify", "audit frobnicate x", "audit verify a b", "audit verify --json x"}) {
    const Ran r = Run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_THAT(r.err, HasSubstr("usage: switchyard audit verify FILE")) << args;
  }
  EXPECT_THAT(Run("audit").err, HasSubstr("missing subcommand"));
  EXPECT_THAT(Run("audit frobnicate x").err, HasSubstr("unknown subcommand 'frobnicate'"));
  const Ran help = Run("audit --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage: switchyard audit verify FILE"));
  EXPECT_THAT(Run("--help").out, HasSubstr("audit"));
}

}  // namespace
}  // namespace switchyard
