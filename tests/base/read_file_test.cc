#include "base/read_file.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(ReadFileTest, ReadsEveryByte) {
  testing::ScratchDir dir;
  std::string bytes(200000, 'x');
  bytes[7] = '\0';
  bytes.back() = '\xff';
  dir.Write("big.bin", bytes);
  auto got = ReadFile(dir.File("big.bin"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, bytes);
  dir.Write("empty", "");
  EXPECT_EQ(*ReadFile(dir.File("empty")), "");
}

TEST(ReadFileTest, ErrorsHaveTheirCodeAndNameThePath) {
  testing::ScratchDir dir;
  const absl::Status missing = ReadFile(dir.File("nope")).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), dir.File("nope") + ": cannot open: No such file or directory");
  const absl::Status directory = ReadFile(dir.path()).status();
  EXPECT_EQ(directory.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(directory.message(), dir.path() + ": not a regular file");
  dir.Write("five", "12345");
  EXPECT_EQ(*ReadFile(dir.File("five"), 5), "12345");
  const absl::Status big = ReadFile(dir.File("five"), 4).status();
  EXPECT_EQ(big.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(big.message(), dir.File("five") + ": larger than 4 bytes");
}

TEST(ReadFileTest, ProcFilesReadToTheirEnd) {
  // /proc files report size 0: the read goes to the end, not to st_size.
  auto status = ReadFile("/proc/self/status");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(*status, HasSubstr("Pid:"));
}

}  // namespace
}  // namespace switchyard
