// PyValue: a JSON value the way Python holds it after json.loads, and the three ways the chat
// templates print one: json.dumps (transformers' `tojson`: ensure_ascii=False, keys in their
// order), str() (Jinja's `{{ x }}` and `| string`: True / None / {'a': 1}) and repr().
//
// Python semantics kept: an object is a dict, so a key given twice keeps its first position
// and its last value; integers stay exact (their decimal text is kept); floats are doubles
// printed with Python's repr.
//
//   auto v = PyValue::Parse(R"({"b": 1, "a": [true, 0.1]})", "arguments");
//   v->Dumps(JsonStyle::kPython);  // {"b": 1, "a": [true, 0.1]}
//   v->Str();                      // {'b': 1, 'a': [True, 0.1]}
//
// Thread safety: a plain value. Failure modes: Parse() returns InvalidArgument naming `what`
// for text that is not JSON (simdjson's errors: bad UTF-8, depth over 1024, integers that do
// not fit 64 bits).
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_PY_VALUE_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_PY_VALUE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {

enum class JsonStyle {
  kPython,   // json.dumps defaults: ", " and ": "
  kCompact,  // separators=(",", ":")
};

class PyValue {
 public:
  enum class Type { kNone, kBool, kInt, kFloat, kStr, kList, kDict };

  static absl::StatusOr<PyValue> Parse(absl::string_view json, absl::string_view what);
  static PyValue FromJson(JsonElement e);
  static PyValue Str(std::string s);
  static PyValue Dict();

  Type type() const { return type_; }
  bool is_dict() const { return type_ == Type::kDict; }
  bool is_list() const { return type_ == Type::kList; }
  bool is_str() const { return type_ == Type::kStr; }
  const std::string& str() const { return text_; }  // kStr: the string; kInt: its digits
  bool boolean() const { return bool_; }
  double number() const { return float_; }

  // kList: the items. kDict: the values, in key order (keys() beside them).
  const std::vector<PyValue>& items() const { return items_; }
  const std::vector<std::string>& keys() const { return keys_; }
  // kDict: the value of `key`, or nullptr.
  const PyValue* Get(absl::string_view key) const;
  // kDict: sets `key` as a Python dict would (an existing key keeps its place).
  void Set(std::string key, PyValue value);

  // json.dumps(self, ensure_ascii=False) (or with compact separators).
  std::string Dumps(JsonStyle style = JsonStyle::kPython) const;
  void AppendDumps(JsonStyle style, std::string* out) const;
  // str(self) and repr(self).
  std::string ToStr() const;
  void AppendRepr(std::string* out) const;

 private:
  Type type_ = Type::kNone;
  bool bool_ = false;
  double float_ = 0;
  std::string text_;
  std::vector<std::string> keys_;
  std::vector<PyValue> items_;
};

// A JSON string literal as json.dumps(s, ensure_ascii=False) writes it: \" \\ \n \r \t \b \f,
// \u00XX for the other control characters, everything else as it is.
void AppendJsonString(absl::string_view s, std::string* out);

// Parses `json` and writes it back as json.dumps would; InvalidArgument naming `what`.
absl::StatusOr<std::string> Reserialize(absl::string_view json, JsonStyle style, absl::string_view what);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_PY_VALUE_H_
