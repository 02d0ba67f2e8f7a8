// Safetensors parsing: every way a header or file can be wrong gets an error that names the
// file and the problem; a good file gives exact views.
#include "workers/engine/model/safetensors.h"

#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_paths.h"

namespace switchyard {
namespace {

using ::testing::HasSubstr;

// 8-byte little-endian length + header + data bytes.
std::string File(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(n >> (8 * i));
  return out + header + data;
}

absl::Status Parse(const std::string& header, uint64_t data_bytes) {
  return ParseSafetensorsHeader(header, data_bytes, "m.safetensors").status();
}

void ExpectError(const absl::Status& s, absl::StatusCode code, const std::string& text) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(text));
  EXPECT_THAT(std::string(s.message()), HasSubstr("m.safetensors"));
}

TEST(SafetensorsTest, ParsesValidHeader) {
  auto h = ParseSafetensorsHeader(
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[2,3],"data_offsets":[16,28]},
          "a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"e":{"dtype":"F16","shape":[0],"data_offsets":[28,28]}})",
      28, "m.safetensors");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->tensors.size(), 3u);
  EXPECT_EQ(h->tensors[0].name, "a");  // sorted by offset
  EXPECT_EQ(h->tensors[1].name, "b");
  EXPECT_EQ(h->tensors[1].dtype, DType::kBF16);
  EXPECT_EQ(h->tensors[1].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(h->tensors[1].begin, 16u);
  EXPECT_EQ(h->metadata.at("format"), "pt");
}

TEST(SafetensorsTest, HeaderErrors) {
  ExpectError(Parse("not json", 0), absl::StatusCode::kInvalidArgument, "not valid JSON");
  ExpectError(Parse("[1,2]", 0), absl::StatusCode::kInvalidArgument, "expected a JSON object");
  ExpectError(Parse(R"({"a":{"dtype":"Q4_K","shape":[1],"data_offsets":[0,1]}})", 1),
              absl::StatusCode::kInvalidArgument, "tensor 'a' has unknown dtype 'Q4_K'");
  ExpectError(Parse(R"({"a":{"shape":[1],"data_offsets":[0,4]}})", 4), absl::StatusCode::kInvalidArgument,
              "tensor 'a'.dtype: required key is missing");
  ExpectError(Parse(R"({"a":{"dtype":"F32","data_offsets":[0,4]}})", 4), absl::StatusCode::kInvalidArgument,
              "tensor 'a'.shape: required key is missing");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[1]}})", 4), absl::StatusCode::kInvalidArgument,
              "tensor 'a'.data_offsets: required key is missing");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
              absl::StatusCode::kInvalidArgument, "shape entry that is not a non-negative integer");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4),
              absl::StatusCode::kInvalidArgument, "begin <= end");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}})", 8),
              absl::StatusCode::kInvalidArgument, "data_offsets must be [begin, end]");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", 8),
              absl::StatusCode::kInvalidArgument, "two non-negative integers");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8),
              absl::StatusCode::kInvalidArgument, "tensor 'a' occupies 8 bytes but F32 [3] needs 12");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8),
              absl::StatusCode::kInvalidArgument, "is too large");
  // Offsets past the data section: the file is truncated.
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 12),
              absl::StatusCode::kDataLoss, "ends at byte 16 of the data section, which has only 12 bytes");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12),
              absl::StatusCode::kInvalidArgument, "tensors 'a' [0, 8) and 'b' [4, 12) overlap");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8),
              absl::StatusCode::kInvalidArgument, "tensor 'a' is described twice");
  // numel * element size wraps uint64 to 0, which would match [0, 0) if not caught.
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}})", 8),
              absl::StatusCode::kInvalidArgument, "tensor 'a' shape [4611686018427387904] is too large");
  ExpectError(Parse(R"({"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}})", 8),
              absl::StatusCode::kInvalidArgument, "is too large");
  ExpectError(Parse(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,4]}})", 4),
              absl::StatusCode::kInvalidArgument, "shape entry that is not a non-negative integer");
  ExpectError(Parse("{\"a\xc3\x28\":{}}", 0), absl::StatusCode::kInvalidArgument, "not valid JSON (The input is not valid UTF-8)");
  ExpectError(Parse(R"({"a":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}})", 1), absl::StatusCode::kInvalidArgument,
              "tensor 'a' has unsupported packed dtype F4");
  ExpectError(Parse(R"({"a":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", 4), absl::StatusCode::kInvalidArgument,
              "tensor 'a'.dtype: expected a string, got integer");
  ExpectError(Parse(R"({"__metadata__":{"format":1}})", 0), absl::StatusCode::kInvalidArgument, "__metadata__.format must be a string");
  ExpectError(Parse(R"({"a":[1]})", 0), absl::StatusCode::kInvalidArgument, "tensor 'a' must be described by an object");
}

TEST(SafetensorsTest, FileErrors) {
  testing::ScratchDir dir;
  auto open = [&](const std::string& bytes) {
    dir.Write("m.safetensors", bytes);
    return SafetensorsFile::Open(dir.File("m.safetensors")).status();
  };
  ExpectError(open("abc"), absl::StatusCode::kDataLoss, "3 bytes is too short");
  ExpectError(open(std::string("\x10\0\0\0\0\0\0\0{}", 10)), absl::StatusCode::kDataLoss,
              "header length 16 runs past the end of the 10-byte file");
  ExpectError(open(std::string("\xff\xff\xff\xff\0\0\0\0{}", 10)), absl::StatusCode::kInvalidArgument,
              "exceeds the 100000000-byte limit");
  // Data section cut short: the header promises 16 bytes, 6 are there.
  ExpectError(open(File(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", "123456")),
              absl::StatusCode::kDataLoss, "truncated");
  EXPECT_EQ(SafetensorsFile::Open(dir.File("absent.safetensors")).status().code(), absl::StatusCode::kNotFound);
}

TEST(SafetensorsTest, ViewsPointAtTheBytes) {
  testing::ScratchDir dir;
  const float vals[2] = {1.5f, -2.0f};
  std::string data(reinterpret_cast<const char*>(vals), 8);
  data += std::string("\x80\x3f", 2);  // bf16 1.0
  data += std::string(8, '\0');        // I64 0
  dir.Write("m.safetensors", File(R"({"f":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
      "h":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]},"i":{"dtype":"I64","shape":[1],"data_offsets":[10,18]}})", data));
  auto f = SafetensorsFile::Open(dir.File("m.safetensors"));
  ASSERT_TRUE(f.ok()) << f.status();
  const auto& t = f->header().tensors;
  auto v = f->View(t[0]);
  ASSERT_TRUE(v.ok());
  // This header is not padded, so the views may be unaligned: read them with memcpy.
  float second;
  std::memcpy(&second, static_cast<const char*>(v->data) + 4, 4);
  EXPECT_EQ(second, -2.0f);
  EXPECT_EQ(v->bytes(), 8u);
  auto h = f->View(t[1]);
  ASSERT_TRUE(h.ok());
  uint16_t one;
  std::memcpy(&one, h->data, 2);
  EXPECT_EQ(Bf16ToF32(one), 1.0f);
  auto i = f->View(t[2]);
  EXPECT_EQ(i.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(i.status().message()), HasSubstr("m.safetensors: tensor 'i' has unsupported dtype 'I64' (weights must be BF16, F16 or F32)"));
}

// Known-but-unsupported dtypes parse (so tools can list them) and are refused only as weights.
TEST(SafetensorsTest, KnownDtypesParseWithTheirSizes) {
  auto h = ParseSafetensorsHeader(
      R"({"a":{"dtype":"F8_E4M3","shape":[3],"data_offsets":[0,3]},"b":{"dtype":"I64","shape":[1],"data_offsets":[3,11]},
          "c":{"dtype":"BOOL","shape":[2],"data_offsets":[11,13]},"d":{"dtype":"F16","shape":[1,2],"data_offsets":[13,17]}})",
      17, "m.safetensors");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->tensors[0].dtype_name, "F8_E4M3");
  EXPECT_FALSE(h->tensors[0].dtype.has_value());
  EXPECT_EQ(h->tensors[3].dtype, DType::kF16);
  EXPECT_EQ(h->tensors[3].numel(), 2);
}

TEST(SafetensorsTest, FileWithHeaderPaddingAndEmptyData) {
  testing::ScratchDir dir;
  dir.Write("m.safetensors", File(R"({"__metadata__":{"format":"pt"}}       )", ""));
  auto f = SafetensorsFile::Open(dir.File("m.safetensors"));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->header().tensors.empty());
  dir.Write("m.safetensors", File("[]", ""));
  ExpectError(SafetensorsFile::Open(dir.File("m.safetensors")).status(), absl::StatusCode::kInvalidArgument,
              "expected a JSON object at the top level");
}

}  // namespace
}  // namespace switchyard
