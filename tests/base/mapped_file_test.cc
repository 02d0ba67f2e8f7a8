#include "base/mapped_file.h"

#include "base/read_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

TEST(MappedFileTest, MapsBytesAndMoves) {
  testing::ScratchDir dir;
  dir.Write("a.bin", std::string("hello\0world", 11));
  auto f = MappedFile::Open(dir.File("a.bin"));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->bytes(), absl::string_view("hello\0world", 11));
  MappedFile moved = std::move(*f);
  EXPECT_EQ(moved.size(), 11u);
  EXPECT_EQ(f->size(), 0u);  // NOLINT: moved-from is empty by contract
  moved.WillNeed(0, 100);
}

TEST(MappedFileTest, EmptyFileIsAnEmptyView) {
  testing::ScratchDir dir;
  dir.Write("empty", "");
  auto f = MappedFile::Open(dir.File("empty"));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size(), 0u);
}

TEST(MappedFileTest, ErrorsNameThePath) {
  testing::ScratchDir dir;
  auto missing = MappedFile::Open(dir.File("nope"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("nope: cannot open"));
  auto directory = MappedFile::Open(dir.path());
  EXPECT_EQ(directory.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadFile(dir.File("nope")).status().code(), absl::StatusCode::kNotFound);
  dir.Write("t.txt", "text");
  EXPECT_EQ(*ReadFile(dir.File("t.txt")), "text");
}

}  // namespace
}  // namespace switchyard
