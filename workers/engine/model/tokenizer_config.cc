#include "workers/engine/model/tokenizer_config.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

// "eos_token": "<|im_end|>" or {"content": "<|im_end|>", ...} (an AddedToken) or null.
absl::Status ReadToken(const JsonObject& o, absl::string_view key, std::optional<std::string>* out) {
  auto e = o.Find(key);
  if (!e || e->is_null()) return absl::OkStatus();
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) {
    *out = std::string(s);
    return absl::OkStatus();
  }
  simdjson::dom::object obj;
  if (e->get_object().get(obj) == simdjson::SUCCESS && obj["content"].get_string().get(s) == simdjson::SUCCESS) {
    *out = std::string(s);
    return absl::OkStatus();
  }
  return o.TypeError(key, "a string or an object with \"content\"", *e);
}

}  // namespace

absl::StatusOr<TokenizerConfig> ParseTokenizerConfig(absl::string_view json, absl::string_view file) {
  auto doc = JsonDocument::Parse(json, std::string(file));
  if (!doc.ok()) return doc.status();
  auto root_or = (*doc)->RootObject();
  if (!root_or.ok()) return root_or.status();
  const JsonObject& o = *root_or;
  TokenizerConfig c;
  if (auto e = o.Find("chat_template"); e && !e->is_null()) {
    std::string_view s;
    simdjson::dom::array list;
    if (e->get_string().get(s) == simdjson::SUCCESS) {
      c.chat_template = std::string(s);
    } else if (e->get_array().get(list) == simdjson::SUCCESS) {
      for (JsonElement t : list) {
        std::string_view name, tmpl;
        if (t["name"].get_string().get(name) != simdjson::SUCCESS || t["template"].get_string().get(tmpl) != simdjson::SUCCESS) {
          return absl::InvalidArgumentError(absl::StrCat(o.Where("chat_template"), ": list entries need \"name\" and \"template\""));
        }
        if (name == "default") c.chat_template = std::string(tmpl);
        c.named_chat_templates[std::string(name)] = std::string(tmpl);
      }
    } else {
      return o.TypeError("chat_template", "a string or a list of {name, template}", *e);
    }
  }
  for (auto s : {ReadToken(o, "bos_token", &c.bos_token), ReadToken(o, "eos_token", &c.eos_token),
                 ReadToken(o, "pad_token", &c.pad_token), ReadToken(o, "unk_token", &c.unk_token)}) {
    if (!s.ok()) return s;
  }
  auto add_bos = o.BoolOr("add_bos_token", false);
  if (!add_bos.ok()) return add_bos.status();
  c.add_bos_token = *add_bos;
  if (auto e = o.Find("model_max_length"); e && !e->is_null()) {
    // transformers writes a huge float (1e30) for "no limit".
    if (auto v = JsonAsInt(*e)) {
      c.model_max_length = *v;
    } else if (!JsonAsDouble(*e)) {
      return o.TypeError("model_max_length", "a number", *e);
    }
  }
  if (o.Has("added_tokens_decoder")) {
    auto dec = o.Object("added_tokens_decoder");
    if (!dec.ok()) return dec.status();
    for (auto field : dec->raw()) {
      int64_t id;
      if (!absl::SimpleAtoi(ToAbsl(field.key), &id) || id < 0) {
        return absl::InvalidArgumentError(absl::StrCat(o.Where("added_tokens_decoder"), ": key '", ToAbsl(field.key),
                                                       "' is not a token id"));
      }
      simdjson::dom::object t;
      std::string_view content;
      if (field.value.get_object().get(t) != simdjson::SUCCESS || t["content"].get_string().get(content) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(absl::StrCat(o.Where("added_tokens_decoder"), "['", id, "']: needs \"content\""));
      }
      bool special = false;
      if (t["special"].get_bool().get(special) != simdjson::SUCCESS) special = false;
      c.added_tokens_decoder[id] = TokenizerConfig::Added{std::string(content), special};
    }
  }
  return c;
}

absl::StatusOr<TokenizerConfig> LoadTokenizerConfig(const std::string& dir) {
  const std::string path = dir + "/tokenizer_config.json";
  auto text = ReadFile(path);
  TokenizerConfig c;
  if (!absl::IsNotFound(text.status())) {
    if (!text.ok()) return text.status();
    auto parsed = ParseTokenizerConfig(*text, path);
    if (!parsed.ok()) return parsed.status();
    c = std::move(*parsed);
  }
  if (c.chat_template.empty() && c.named_chat_templates.empty()) {
    auto jinja = ReadFile(dir + "/chat_template.jinja");
    if (jinja.ok()) {
      c.chat_template = std::move(*jinja);
    } else if (!absl::IsNotFound(jinja.status())) {
      return jinja.status();
    }
  }
  return c;
}

}  // namespace switchyard
