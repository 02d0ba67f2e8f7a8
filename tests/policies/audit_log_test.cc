// AuditLog: the line format, reopening, fsync'd appends from many threads, and the verifier
// catching each kind of tampering.
#include "policies/audit_log.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "policies/audit_events.h"
#include "base/sha256.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using nlohmann::json;

std::vector<std::string> Lines(const std::string& contents) {
  std::vector<std::string> lines = absl::StrSplit(contents, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string Joined(const std::vector<std::string>& lines) { return absl::StrCat(absl::StrJoin(lines, "\n"), "\n"); }

// A log of `n` events written through AuditLog, returned as its contents.
std::string MakeLog(const testing::ScratchDir& dir, int n) {
  ManualClock clock;
  auto log = AuditLog::Open(dir.File("audit.jsonl"), &clock);
  EXPECT_TRUE(log.ok()) << log.status();
  for (int i = 0; i < n; ++i) EXPECT_TRUE((*log)->Append({{"event", "test"}, {"i", i}}).ok());
  return testing::Slurp(dir.File("audit.jsonl"));
}

TEST(AuditLog, LineFormat) {
  testing::ScratchDir dir;
  ManualClock clock(absl::FromUnixMicros(1'700'000'000'123'456));
  auto log = AuditLog::Open(dir.File("audit.jsonl"), &clock);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ(*(*log)->Append(json{{"event", "route"}, {"route", "coder"}}), 1);
  EXPECT_EQ(*(*log)->Append(json{{"event", "x"}}), 2);
  const std::vector<std::string> lines = Lines(testing::Slurp(dir.File("audit.jsonl")));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], absl::StrCat(R"({"seq":1,"time":"2023-11-14T22:13:20.123456Z","prev":")", kAuditGenesisHash,
                                   R"(","event":"route","route":"coder"})"));
  EXPECT_EQ(lines[1], absl::StrCat(R"({"seq":2,"time":"2023-11-14T22:13:20.123456Z","prev":")", Sha256Hex(lines[0]),
                                   R"(","event":"x"})"));
}

TEST(AuditLog, RejectsBadEvents) {
  testing::ScratchDir dir;
  auto log = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->Append(json::array()).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*log)->Append(json{{"seq", 5}}).status().message(), "audit event key 'seq' is reserved");
  EXPECT_EQ((*log)->next_seq(), 1);
}

TEST(AuditLog, InvalidUtf8IsReplacedNotThrown) {
  testing::ScratchDir dir;
  auto log = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE((*log)->Append(json{{"text", std::string("bad \xff byte")}}).ok());
  EXPECT_TRUE(VerifyAuditLog(dir.File("audit.jsonl"))->ok());
}

TEST(AuditLog, ReopenContinuesTheChain) {
  testing::ScratchDir dir;
  MakeLog(dir, 3);
  {
    auto log = AuditLog::Open(dir.File("audit.jsonl"));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ((*log)->next_seq(), 4);
    EXPECT_EQ(*(*log)->Append(PolicyDenialEvent("acme", "t1", absl::PermissionDeniedError("no"))), 4);
  }
  auto r = VerifyAuditLog(dir.File("audit.jsonl"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok()) << r->bad_line << ": " << r->reason;
  EXPECT_EQ(r->good_lines, 4);
  EXPECT_EQ(r->last_hash, Sha256Hex(Lines(testing::Slurp(dir.File("audit.jsonl")))[3]));
}

TEST(AuditLog, OneWriterAtATime) {
  testing::ScratchDir dir;
  auto first = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(AuditLog::Open(dir.File("audit.jsonl")).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A crash inside an Append leaves a torn last line; the next Open cuts it off (keeping the bytes
// in audit.jsonl.torn) and continues the one chain from the last whole line.
TEST(AuditLog, TornTailIsSetAsideAndTheChainContinues) {
  testing::ScratchDir dir;
  const std::string good = MakeLog(dir, 3);
  const std::string torn = R"({"seq":4,"time":"2023-11-14T22:1)";
  dir.Write("audit.jsonl", absl::StrCat(good, torn));
  {
    auto log = AuditLog::Open(dir.File("audit.jsonl"));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ((*log)->next_seq(), 4);
    EXPECT_EQ((*log)->repair(), absl::StrCat("removed a torn last line of ", torn.size(), " bytes (kept in ",
                                             dir.File("audit.jsonl.torn"), ")"));
    EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl")), good);  // no complete line lost
    EXPECT_EQ(*(*log)->Append({{"event", "after"}}), 4);
  }
  EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl.torn")), torn + "\n");
  auto r = VerifyAuditLog(dir.File("audit.jsonl"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok()) << r->bad_line << ": " << r->reason;
  EXPECT_EQ(r->good_lines, 4);
  const std::vector<std::string> lines = Lines(testing::Slurp(dir.File("audit.jsonl")));
  EXPECT_NE(lines[3].find(absl::StrCat(R"("prev":")", Sha256Hex(lines[2]), R"(")")), std::string::npos);

  // A second crash appends to the same side file; a whole file that is one torn line starts over.
  dir.Write("audit.jsonl", R"({"seq":1,"ti)");
  {
    auto log = AuditLog::Open(dir.File("audit.jsonl"));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ((*log)->next_seq(), 1);
    EXPECT_EQ(*(*log)->Append({{"event", "first"}}), 1);
  }
  EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl.torn")), absl::StrCat(torn, "\n", R"({"seq":1,"ti)", "\n"));
  EXPECT_TRUE(VerifyAuditLog(dir.File("audit.jsonl"))->ok());
}

// A last record that lacks only its newline (the write stopped one byte short) is whole and
// chained: it is ended, not thrown away.
TEST(AuditLog, TailMissingOnlyItsNewlineIsKept) {
  testing::ScratchDir dir;
  const std::string good = MakeLog(dir, 3);
  dir.Write("audit.jsonl", good.substr(0, good.size() - 1));
  {
    auto log = AuditLog::Open(dir.File("audit.jsonl"));
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_EQ((*log)->next_seq(), 4);
    EXPECT_EQ((*log)->repair(), "ended line 3, which lacked its newline");
    EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl")), good);
    EXPECT_EQ(*(*log)->Append({{"event", "after"}}), 4);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("audit.jsonl.torn")));
  auto r = VerifyAuditLog(dir.File("audit.jsonl"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok()) << r->bad_line << ": " << r->reason;
  EXPECT_EQ(r->good_lines, 4);

  // A whole record with the right seq whose prev does not chain on is not ended but set aside.
  std::vector<std::string> lines = Lines(good);
  std::string forged = lines[1];
  forged.replace(forged.find(R"("prev":")") + 8, 64, std::string(64, 'a'));
  dir.Write("audit.jsonl", absl::StrCat(lines[0], "\n", forged));
  auto log = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ((*log)->next_seq(), 2);
  EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl.torn")), forged + "\n");
}

TEST(AuditLog, WholeFileNeedsNoRepair) {
  testing::ScratchDir dir;
  MakeLog(dir, 2);
  auto log = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->repair(), "");
}

// A whole last line that is not a record, or a tail that does not start the next record, is an
// edit (or not an audit log at all), not a torn append: refused, the file untouched.
TEST(AuditLog, RefusesWhatACrashCannotLeave) {
  testing::ScratchDir dir;
  const std::string good = MakeLog(dir, 2);
  const std::vector<std::string> lines = Lines(good);
  const std::pair<std::string, std::string> cases[] = {
      {absl::StrCat(good, "garbage\n"), "the last line is not an audit record (not a JSON object)"},
      {absl::StrCat(good, "garbage\n", R"({"seq":3)"), "the last line is not an audit record (not a JSON object)"},
      {absl::StrCat(good, "no newline"), "the last line has no newline and is not the start of record 3"},
      {absl::StrCat(good, R"({"seq":4,"time")"), "the last line has no newline and is not the start of record 3"},
      {absl::StrCat(lines[0], "\n", lines[1]), ""},  // a whole chained record: ended, not refused
      {"#!/bin/sh\nexit 0", "the last line is not an audit record (not a JSON object)"},
      {"some other file", "the last line has no newline and is not the start of record 1"},
  };
  for (const auto& [bad, why] : cases) {
    dir.Write("audit.jsonl", bad);
    auto log = AuditLog::Open(dir.File("audit.jsonl"));
    if (why.empty()) {
      EXPECT_TRUE(log.ok()) << log.status();
      continue;
    }
    EXPECT_EQ(log.status().code(), absl::StatusCode::kDataLoss) << bad;
    EXPECT_NE(log.status().message().find(why), std::string::npos) << log.status();
    EXPECT_EQ(testing::Slurp(dir.File("audit.jsonl")), bad);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("audit.jsonl.torn")));
}

TEST(AuditLog, ConcurrentAppendsFormOneValidChain) {
  testing::ScratchDir dir;
  auto log = AuditLog::Open(dir.File("audit.jsonl"));
  ASSERT_TRUE(log.ok());
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_TRUE((*log)->Append(ToolCallEvent("acme", absl::StrCat("trace-", t), "run_code", i,
                                                 absl::OkStatus()))
                        .ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto r = VerifyAuditLog(dir.File("audit.jsonl"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok()) << r->bad_line << ": " << r->reason;
  EXPECT_EQ(r->good_lines, kThreads * kEach);
}

TEST(VerifyAuditLog, IntactAndEmpty) {
  testing::ScratchDir dir;
  const std::string log = MakeLog(dir, 5);
  AuditVerifyResult r = VerifyAuditLogContents(log);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.good_lines, 5);
  AuditVerifyResult empty = VerifyAuditLogContents("");
  EXPECT_TRUE(empty.ok());
  EXPECT_EQ(empty.good_lines, 0);
  EXPECT_EQ(empty.last_hash, kAuditGenesisHash);
  EXPECT_EQ(VerifyAuditLog(dir.File("missing.jsonl")).status().code(), absl::StatusCode::kNotFound);
}

TEST(VerifyAuditLog, EditedLine) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 5));
  const size_t at = lines[2].find(R"("i":2)");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 5, R"("i":9)");  // still valid JSON, seq and prev untouched
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 4);
  EXPECT_EQ(r.good_lines, 3);
  EXPECT_EQ(r.reason, "prev does not match the hash of line 3: line 3 (or this line's prev) was edited");
}

TEST(VerifyAuditLog, EditedLineThatNoLongerParses) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 3));
  lines[1].pop_back();
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 2);
  EXPECT_EQ(r.reason, "not a JSON object");
}

TEST(VerifyAuditLog, DeletedLine) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 5));
  lines.erase(lines.begin() + 2);
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 3);
  EXPECT_EQ(r.good_lines, 2);
  EXPECT_EQ(r.reason, "seq 4 where 3 was expected: a line before it was deleted");
}

TEST(VerifyAuditLog, DeletedFirstLine) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 3));
  lines.erase(lines.begin());
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 1);
  EXPECT_EQ(r.reason, "seq 2 where 1 was expected: a line before it was deleted");
}

TEST(VerifyAuditLog, ReorderedLines) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 5));
  std::swap(lines[1], lines[3]);
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 2);
  EXPECT_EQ(r.good_lines, 1);
  EXPECT_EQ(r.reason, "seq 4 where 2 was expected: lines were reordered");
}

TEST(VerifyAuditLog, DuplicatedLine) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 3));
  lines.insert(lines.begin() + 2, lines[1]);
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 3);
  EXPECT_EQ(r.reason, "seq 2 where 3 was expected: lines were reordered or duplicated");
}

TEST(VerifyAuditLog, TruncatedLastLine) {
  testing::ScratchDir dir;
  const std::string log = MakeLog(dir, 3);
  dir.Write("audit.jsonl", log.substr(0, log.size() - 10));
  auto r = VerifyAuditLog(dir.File("audit.jsonl"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bad_line, 3);
  EXPECT_EQ(r->good_lines, 2);
  EXPECT_EQ(r->reason, "truncated last line (no newline at the end)");
  // Even when the cut falls exactly on the end of the JSON, the missing newline is caught.
  EXPECT_EQ(VerifyAuditLogContents(log.substr(0, log.size() - 1)).reason, "truncated last line (no newline at the end)");
}

TEST(VerifyAuditLog, ForgedChainStartsWithZeros) {
  testing::ScratchDir dir;
  std::vector<std::string> lines = Lines(MakeLog(dir, 2));
  const std::string forged = absl::StrCat(R"({"seq":1,"time":"t","prev":")", std::string(63, '0'), R"(1"})");
  lines[0] = forged;
  AuditVerifyResult r = VerifyAuditLogContents(Joined(lines));
  EXPECT_EQ(r.bad_line, 1);
  EXPECT_EQ(r.reason, "prev of the first line is not 64 zeros: lines before it were removed");
}

// The fuzz seeds were chained by Python's hashlib and json, independently of this code.
TEST(VerifyAuditLog, AcceptsAChainWrittenByAnotherImplementation) {
  const std::string dir = testing::SourceDir() + "/tests/fuzz/corpus/audit_log_fuzz/";
  auto intact = VerifyAuditLog(dir + "intact.jsonl");
  ASSERT_TRUE(intact.ok()) << intact.status();
  EXPECT_TRUE(intact->ok()) << intact->reason;
  EXPECT_EQ(intact->good_lines, 3);
  auto reordered = VerifyAuditLog(dir + "reordered.jsonl");
  ASSERT_TRUE(reordered.ok());
  EXPECT_EQ(reordered->bad_line, 2);
  EXPECT_EQ(reordered->reason, "seq 3 where 2 was expected: lines were reordered");
  auto truncated = VerifyAuditLog(dir + "truncated.jsonl");
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ(truncated->bad_line, 3);
}

TEST(AuditEvents, Shapes) {
  EXPECT_EQ(RouteDecisionEvent("acme", "t1", "coder", 0.5, false).dump(),
            R"({"confidence":0.5,"event":"route","pinned":false,"route":"coder","tenant":"acme","trace_id":"t1"})");
  EXPECT_EQ(GuardrailEvent("acme", "t1", {"email", GuardrailDirection::kInput, GuardrailAction::kRedact, 2}).dump(),
            R"({"action":"redact","direction":"input","event":"guardrail","rule":"email","spans":2,"tenant":"acme","trace_id":"t1"})");
  EXPECT_EQ(ToolCallEvent("acme", "t1", "run_code", 3, absl::DeadlineExceededError("slow")).dump(),
            R"({"code":"DEADLINE_EXCEEDED","error":"slow","event":"tool_call","step":3,"tenant":"acme","tool":"run_code","trace_id":"t1"})");
}

}  // namespace
}  // namespace switchyard
