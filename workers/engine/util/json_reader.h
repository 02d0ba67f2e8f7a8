// JsonDocument / JsonObject: typed, exception-free reads of JSON files we do not control
// (config.json, tokenizer.json, safetensors headers), with errors that name the file and the key.
//
// Parsing uses simdjson's DOM with error codes: strict UTF-8 validation, bounded depth, no
// exceptions, and fast enough for the 11 MB tokenizer.json.
// Thread safety: immutable after Parse(); JsonObject values borrow from their JsonDocument.
#ifndef SWITCHYARD_WORKERS_ENGINE_UTIL_JSON_READER_H_
#define SWITCHYARD_WORKERS_ENGINE_UTIL_JSON_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "simdjson.h"

namespace switchyard {

using JsonElement = simdjson::dom::element;

// Debian's Abseil 20220623 has its own absl::string_view (not std's); simdjson speaks std's.
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }

// "object", "array", "string", "integer", "number", "boolean", "null".
absl::string_view JsonTypeName(JsonElement e);

class JsonObject;

class JsonDocument {
 public:
  // InvalidArgument naming `source` if `text` is not one well-formed JSON value.
  static absl::StatusOr<std::unique_ptr<JsonDocument>> Parse(absl::string_view text,
                                                             std::string source);
  JsonElement root() const { return root_; }
  const std::string& source() const { return source_; }
  // InvalidArgument if the document is not a JSON object.
  absl::StatusOr<JsonObject> RootObject() const;

  // Only Parse() can name this type, so only Parse() constructs documents.
  class PassKey {
    friend class JsonDocument;
    PassKey() = default;
  };
  explicit JsonDocument(PassKey) {}

 private:
  std::string source_;
  simdjson::dom::parser parser_;
  JsonElement root_;
};

// A JSON object plus where it came from ("config.json", path "rope_scaling").
// Missing keys and null values are treated alike by the *Or accessors, as transformers does.
class JsonObject {
 public:
  JsonObject(simdjson::dom::object obj, absl::string_view source, std::string path)
      : obj_(obj), source_(source), path_(std::move(path)) {}

  // Present and not null.
  bool Has(absl::string_view key) const;
  std::optional<JsonElement> Find(absl::string_view key) const;  // present (null included)

  absl::StatusOr<int64_t> Int(absl::string_view key) const;
  absl::StatusOr<int64_t> IntOr(absl::string_view key, int64_t fallback) const;
  absl::StatusOr<double> Double(absl::string_view key) const;
  absl::StatusOr<double> DoubleOr(absl::string_view key, double fallback) const;
  absl::StatusOr<bool> Bool(absl::string_view key) const;
  absl::StatusOr<bool> BoolOr(absl::string_view key, bool fallback) const;
  absl::StatusOr<absl::string_view> String(absl::string_view key) const;
  absl::StatusOr<absl::string_view> StringOr(absl::string_view key, absl::string_view fallback) const;
  absl::StatusOr<JsonObject> Object(absl::string_view key) const;
  absl::StatusOr<simdjson::dom::array> Array(absl::string_view key) const;

  // "config.json: rope_scaling.factor"
  std::string Where(absl::string_view key) const;
  // InvalidArgument "<where>: expected <what>, got <type>".
  absl::Status TypeError(absl::string_view key, absl::string_view expected, JsonElement got) const;

  simdjson::dom::object raw() const { return obj_; }
  absl::string_view source() const { return source_; }
  const std::string& path() const { return path_; }

 private:
  absl::StatusOr<JsonElement> Required(absl::string_view key) const;
  simdjson::dom::object obj_;
  absl::string_view source_;
  std::string path_;
};

// Integer value of a JSON number that is integral (64 and 64.0 both read as 64).
std::optional<int64_t> JsonAsInt(JsonElement e);
std::optional<double> JsonAsDouble(JsonElement e);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_UTIL_JSON_READER_H_
