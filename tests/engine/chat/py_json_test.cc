#include "workers/engine/chat/py_json.h"

#include "gtest/gtest.h"

namespace switchyard {
namespace {

TEST(PyJsonTest, FloatsAsPythonRepr) {
  // Expected values are Python 3's repr().
  EXPECT_EQ(PythonFloatRepr(1.0), "1.0");
  EXPECT_EQ(PythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(PythonFloatRepr(1e-06), "1e-06");
  EXPECT_EQ(PythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(123456.789), "123456.789");
  EXPECT_EQ(PythonFloatRepr(-2.5e-10), "-2.5e-10");
  EXPECT_EQ(PythonFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatRepr(5e-324), "5e-324");
  EXPECT_EQ(PythonFloatRepr(1e21), "1e+21");
}

TEST(PyJsonTest, DumpsLikePython) {
  // json.dumps(json.loads(s), ensure_ascii=False) for each s.
  EXPECT_EQ(*Reserialize(R"({"b": 1, "a": [true, null, 1.5, 1E2, -0, "x"]})", JsonStyle::kPython, "t"),
            R"({"b": 1, "a": [true, null, 1.5, 100.0, 0, "x"]})");
  EXPECT_EQ(*Reserialize(R"({"s":"é\u00e9\n\t\"\\\/\u0001\u007f\ud83d\ude80"})", JsonStyle::kPython, "t"),
            "{\"s\": \"éé\\n\\t\\\"\\\\/\\u0001\x7f🚀\"}");
  EXPECT_EQ(*Reserialize(R"({"a": {"b": []}, "c": {}})", JsonStyle::kCompact, "t"), R"({"a":{"b":[]},"c":{}})");
  EXPECT_EQ(*Reserialize("18446744073709551615", JsonStyle::kPython, "t"), "18446744073709551615");
  EXPECT_EQ(Reserialize("{", JsonStyle::kPython, "t").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace switchyard
