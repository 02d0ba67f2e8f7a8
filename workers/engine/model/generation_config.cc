#include "workers/engine/model/generation_config.h"

#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

absl::Status InRange(const JsonObject& o, absl::string_view key, double v, double lo, double hi, bool lo_open) {
  if (v < lo || v > hi || (lo_open && v == lo)) {
    return absl::InvalidArgumentError(absl::StrCat(o.Where(key), ": ", v, " is outside ", lo_open ? "(" : "[", lo, ", ", hi, "]"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GenerationConfig> ParseGenerationConfig(absl::string_view json, absl::string_view file) {
  auto doc = JsonDocument::Parse(json, std::string(file));
  if (!doc.ok()) return doc.status();
  auto root_or = (*doc)->RootObject();
  if (!root_or.ok()) return root_or.status();
  const JsonObject& o = *root_or;
  GenerationConfig g;
  auto do_sample = o.BoolOr("do_sample", false);
  if (!do_sample.ok()) return do_sample.status();
  g.do_sample = *do_sample;
  struct D {
    const char* key;
    double* field;
    double lo, hi;
    bool lo_open;
  };
  for (const D& d : {D{"temperature", &g.temperature, 0, 100, false}, D{"top_p", &g.top_p, 0, 1, true},
                     D{"min_p", &g.min_p, 0, 1, false}, D{"repetition_penalty", &g.repetition_penalty, 0, 100, true},
                     D{"presence_penalty", &g.presence_penalty, -100, 100, false},
                     D{"frequency_penalty", &g.frequency_penalty, -100, 100, false}}) {
    auto v = o.DoubleOr(d.key, *d.field);
    if (!v.ok()) return v.status();
    if (auto s = InRange(o, d.key, *v, d.lo, d.hi, d.lo_open); !s.ok()) return s;
    *d.field = *v;
  }
  auto top_k = o.IntOr("top_k", g.top_k);
  if (!top_k.ok()) return top_k.status();
  if (*top_k < 0) return absl::InvalidArgumentError(absl::StrCat(o.Where("top_k"), ": must be >= 0"));
  g.top_k = *top_k;
  if (o.Has("max_new_tokens")) {
    auto m = o.Int("max_new_tokens");
    if (!m.ok()) return m.status();
    if (*m < 1) return absl::InvalidArgumentError(absl::StrCat(o.Where("max_new_tokens"), ": must be >= 1"));
    g.max_new_tokens = *m;
  }
  if (auto e = o.Find("eos_token_id"); e && !e->is_null()) {
    if (auto v = JsonAsInt(*e)) {
      g.eos_token_ids.push_back(*v);
    } else {
      simdjson::dom::array a;
      if (e->get_array().get(a) != simdjson::SUCCESS) return o.TypeError("eos_token_id", "an integer or a list of integers", *e);
      for (JsonElement x : a) {
        auto v2 = JsonAsInt(x);
        if (!v2) return o.TypeError("eos_token_id", "a list of integers", x);
        g.eos_token_ids.push_back(*v2);
      }
    }
  }
  for (auto [key, field] : {std::pair<const char*, std::optional<int64_t>*>{"bos_token_id", &g.bos_token_id},
                            {"pad_token_id", &g.pad_token_id}}) {
    if (o.Has(key)) {
      auto v = o.Int(key);
      if (!v.ok()) return v.status();
      *field = *v;
    }
  }
  return g;
}

absl::StatusOr<GenerationConfig> LoadGenerationConfig(const std::string& dir) {
  const std::string path = dir + "/generation_config.json";
  auto text = ReadFile(path);
  if (absl::IsNotFound(text.status())) return GenerationConfig{};
  if (!text.ok()) return text.status();
  return ParseGenerationConfig(*text, path);
}

}  // namespace switchyard
