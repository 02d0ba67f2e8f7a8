#include "workers/engine/tokenizer/tokenizer.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/mapped_file.h"
#include "workers/engine/tokenizer/byte_level.h"
#include "workers/engine/tokenizer/utf8.h"
#include "workers/engine/util/json_reader.h"

namespace switchyard {
namespace {

constexpr uint8_t kSpecial = 1;
constexpr uint8_t kAdded = 2;

absl::Status Unsupported(absl::string_view source, absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat(
      source, ": ", what, " (Switchyard reads byte-level BPE tokenizers such as Qwen's)"));
}

absl::StatusOr<Normalization> ReadNormalizer(const JsonObject& root) {
  if (!root.Has("normalizer")) return Normalization::kNone;
  auto n = root.Object("normalizer");
  if (!n.ok()) return n.status();
  auto type = n->String("type");
  if (!type.ok()) return type.status();
  if (*type == "NFC") return Normalization::kNfc;
  if (*type == "Sequence") {
    auto list = n->Array("normalizers");
    if (!list.ok()) return list.status();
    Normalization form = Normalization::kNone;
    for (JsonElement e : *list) {
      simdjson::dom::object o;
      std::string_view t;
      if (e.get_object().get(o) != simdjson::SUCCESS || o["type"].get_string().get(t) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError(absl::StrCat(root.Where("normalizer.normalizers"), ": each entry needs a \"type\""));
      }
      if (t != "NFC") return Unsupported(root.source(), absl::StrCat("normalizer '", ToAbsl(t), "' is not supported"));
      form = Normalization::kNfc;
    }
    return form;
  }
  return Unsupported(root.source(), absl::StrCat("normalizer '", *type, "' is not supported"));
}

// GPT-2's pattern, which a ByteLevel pre-tokenizer with use_regex=true applies.
constexpr absl::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

absl::StatusOr<std::unique_ptr<PreTokenizer>> PreTokenizerFor(absl::string_view pattern) {
  if (pattern == kQwen2Pattern) return MakeQwen2PreTokenizer();
  return MakeRegexPreTokenizer(pattern);
}

absl::Status CheckByteLevel(const JsonObject& bl, bool want_regex) {
  auto prefix = bl.BoolOr("add_prefix_space", false);
  if (!prefix.ok()) return prefix.status();
  if (*prefix) return Unsupported(bl.source(), "ByteLevel add_prefix_space=true is not supported");
  auto use_regex = bl.BoolOr("use_regex", true);
  if (!use_regex.ok()) return use_regex.status();
  if (*use_regex != want_regex) {
    return Unsupported(bl.source(), want_regex ? "a ByteLevel pre-tokenizer without a pattern"
                                                : "a ByteLevel pre-tokenizer with its own regex after a Split");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> ReadPreTokenizer(const JsonObject& root) {
  auto pt = root.Object("pre_tokenizer");
  if (!pt.ok()) return pt.status();
  auto type = pt->String("type");
  if (!type.ok()) return type.status();
  if (*type == "ByteLevel") {
    if (auto s = CheckByteLevel(*pt, true); !s.ok()) return s;
    return PreTokenizerFor(kGpt2Pattern);
  }
  if (*type != "Sequence") {
    return Unsupported(root.source(), absl::StrCat("pre-tokenizer '", *type, "' is not supported"));
  }
  auto list = pt->Array("pretokenizers");
  if (!list.ok()) return list.status();
  std::vector<JsonObject> steps;
  for (JsonElement e : *list) {
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("pre_tokenizer.pretokenizers"), ": entries must be objects"));
    }
    steps.emplace_back(o, root.source(), "pre_tokenizer.pretokenizers[]");
  }
  if (steps.size() != 2) {
    return Unsupported(root.source(), "a pre-tokenizer sequence other than [Split, ByteLevel]");
  }
  auto t0 = steps[0].String("type");
  auto t1 = steps[1].String("type");
  if (!t0.ok()) return t0.status();
  if (!t1.ok()) return t1.status();
  if (*t0 != "Split" || *t1 != "ByteLevel") {
    return Unsupported(root.source(), absl::StrCat("pre-tokenizer sequence [", *t0, ", ", *t1, "]"));
  }
  if (auto s = CheckByteLevel(steps[1], false); !s.ok()) return s;
  const JsonObject& split = steps[0];
  auto behavior = split.String("behavior");
  if (!behavior.ok()) return behavior.status();
  if (*behavior != "Isolated") {
    return Unsupported(root.source(), absl::StrCat("Split behavior '", *behavior, "'"));
  }
  auto invert = split.BoolOr("invert", false);
  if (!invert.ok()) return invert.status();
  if (*invert) return Unsupported(root.source(), "Split with invert=true");
  auto pattern = split.Object("pattern");
  if (!pattern.ok()) return pattern.status();
  if (pattern->Has("Regex")) {
    auto re = pattern->String("Regex");
    if (!re.ok()) return re.status();
    auto made = PreTokenizerFor(*re);
    if (!made.ok()) return absl::InvalidArgumentError(absl::StrCat(root.source(), ": ", made.status().message()));
    return made;
  }
  auto literal = pattern->String("String");
  if (!literal.ok()) return literal.status();
  return MakeRegexPreTokenizer(absl::StrCat("\\Q", *literal, "\\E"));
}

absl::Status CheckDecoder(const JsonObject& root) {
  if (!root.Has("decoder")) return absl::OkStatus();
  auto d = root.Object("decoder");
  if (!d.ok()) return d.status();
  auto type = d->String("type");
  if (!type.ok()) return type.status();
  if (*type != "ByteLevel") return Unsupported(root.source(), absl::StrCat("decoder '", *type, "'"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AddedToken>> ReadAddedTokens(const JsonObject& root) {
  std::vector<AddedToken> out;
  if (!root.Has("added_tokens")) return out;
  auto list = root.Array("added_tokens");
  if (!list.ok()) return list.status();
  size_t index = 0;
  for (JsonElement e : *list) {
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("added_tokens"), ": entries must be objects"));
    }
    JsonObject t(o, root.source(), absl::StrCat("added_tokens[", index++, "]"));
    AddedToken a;
    auto id = t.Int("id");
    auto content = t.String("content");
    if (!id.ok()) return id.status();
    if (!content.ok()) return content.status();
    if (*id < 0 || *id > (1 << 24)) {
      return absl::InvalidArgumentError(absl::StrCat(t.Where("id"), ": ", *id, " is out of range"));
    }
    if (content->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(t.Where("content"), ": empty"));
    }
    a.id = static_cast<int32_t>(*id);
    a.content = std::string(*content);
    for (auto [key, field] : {std::pair<const char*, bool*>{"special", &a.special},
                              {"single_word", &a.single_word}, {"lstrip", &a.lstrip},
                              {"rstrip", &a.rstrip}, {"normalized", &a.normalized}}) {
      auto v = t.BoolOr(key, false);
      if (!v.ok()) return v.status();
      *field = *v;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// Reads model.vocab and model.merges into a BpeModel.
absl::StatusOr<BpeModel> ReadBpe(const JsonObject& root) {
  auto model = root.Object("model");
  if (!model.ok()) return model.status();
  auto type = model->StringOr("type", "BPE");
  if (!type.ok()) return type.status();
  if (*type != "BPE") return Unsupported(root.source(), absl::StrCat("model type '", *type, "'"));
  auto fallback = model->BoolOr("byte_fallback", false);
  if (!fallback.ok()) return fallback.status();
  if (*fallback) return Unsupported(root.source(), "BPE byte_fallback=true");
  if (model->Has("dropout")) {
    auto dropout = model->Double("dropout");
    if (!dropout.ok()) return dropout.status();
    if (*dropout != 0.0) return Unsupported(root.source(), "BPE dropout");
  }
  for (const char* affix : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    auto v = model->StringOr(affix, "");
    if (!v.ok()) return v.status();
    if (!v->empty()) return Unsupported(root.source(), absl::StrCat("BPE ", affix));
  }
  auto ignore_merges = model->BoolOr("ignore_merges", false);
  if (!ignore_merges.ok()) return ignore_merges.status();

  auto vocab_obj = model->Object("vocab");
  if (!vocab_obj.ok()) return vocab_obj.status();
  // Byte-level spelling -> id, borrowing the document's strings, to resolve merges.
  absl::flat_hash_map<absl::string_view, int32_t> by_spelling;
  std::vector<BpeModel::Token> tokens;
  by_spelling.reserve(vocab_obj->raw().size());
  tokens.reserve(vocab_obj->raw().size());
  for (auto field : vocab_obj->raw()) {
    auto id = JsonAsInt(field.value);
    if (!id || *id < 0 || *id > (1 << 24)) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("model.vocab"), ": token '",
                                                     ToAbsl(field.key), "' has no valid id"));
    }
    const absl::string_view spelling = ToAbsl(field.key);
    if (!by_spelling.emplace(spelling, static_cast<int32_t>(*id)).second) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("model.vocab"), ": token '", spelling, "' appears twice"));
    }
    std::optional<std::string> bytes = byte_level::ToBytes(spelling);
    tokens.push_back(BpeModel::Token{bytes ? std::move(*bytes) : std::string(spelling), static_cast<int32_t>(*id)});
  }
  auto merges = model->Array("merges");
  if (!merges.ok()) return merges.status();
  std::vector<BpeModel::Merge> rules;
  rules.reserve(merges->size());
  size_t rank = 0;
  for (JsonElement e : *merges) {
    std::string_view a, b;
    simdjson::dom::array pair;
    std::string_view line;
    if (e.get_array().get(pair) == simdjson::SUCCESS && pair.size() == 2 &&
        pair.at(0).get_string().get(a) == simdjson::SUCCESS && pair.at(1).get_string().get(b) == simdjson::SUCCESS) {
      // ["a", "b"]: the current format
    } else if (e.get_string().get(line) == simdjson::SUCCESS && line.find(' ') != std::string_view::npos &&
               line.find(' ') == line.rfind(' ')) {
      a = line.substr(0, line.find(' '));  // "a b": the older format
      b = line.substr(line.find(' ') + 1);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("model.merges"), "[", rank,
                                                     "]: expected [\"left\", \"right\"] or \"left right\""));
    }
    auto ia = by_spelling.find(ToAbsl(a));
    auto ib = by_spelling.find(ToAbsl(b));
    if (ia == by_spelling.end() || ib == by_spelling.end()) {
      return absl::InvalidArgumentError(absl::StrCat(root.Where("model.merges"), "[", rank, "]: '",
                                                     ToAbsl(ia == by_spelling.end() ? a : b),
                                                     "' is not in the vocabulary"));
    }
    rules.push_back(BpeModel::Merge{ia->second, ib->second});
    ++rank;
  }
  return BpeModel::Build(std::move(tokens), rules, *ignore_merges, root.source());
}

}  // namespace

Tokenizer::Tokenizer(PassKey, BpeModel model) : model_(std::move(model)) {}

absl::StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::Load(const std::string& path) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  return FromJson(file->bytes(), path);
}

absl::StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromJson(absl::string_view json,
                                                               absl::string_view source) {
  auto doc = JsonDocument::Parse(json, std::string(source));
  if (!doc.ok()) return doc.status();
  auto root = (*doc)->RootObject();
  if (!root.ok()) return root.status();

  auto normalization = ReadNormalizer(*root);
  if (!normalization.ok()) return normalization.status();
  auto pre = ReadPreTokenizer(*root);
  if (!pre.ok()) return pre.status();
  if (auto s = CheckDecoder(*root); !s.ok()) return s;
  auto added = ReadAddedTokens(*root);
  if (!added.ok()) return added.status();
  auto bpe = ReadBpe(*root);
  if (!bpe.ok()) return bpe.status();

  auto tok = std::make_unique<Tokenizer>(PassKey(), std::move(*bpe));
  tok->normalization_ = *normalization;
  tok->pre_ = std::move(*pre);
  tok->added_ = std::move(*added);
  tok->matcher_ = AddedTokenMatcher(tok->added_);

  // Decoded bytes by id. Vocabulary tokens come from the model, added tokens from their
  // content, run through the ByteLevel decoder's rule (all chars in the byte map -> those
  // bytes, otherwise the content's own UTF-8).
  int32_t limit = 0;
  auto model = root->Object("model");
  auto vocab = model->Object("vocab");
  for (auto field : vocab->raw()) limit = std::max(limit, static_cast<int32_t>(*JsonAsInt(field.value)) + 1);
  for (const AddedToken& a : tok->added_) limit = std::max(limit, a.id + 1);
  tok->pieces_.assign(static_cast<size_t>(limit), std::string());
  tok->flags_.assign(static_cast<size_t>(limit), 0);
  for (auto field : vocab->raw()) {
    const absl::string_view spelling = ToAbsl(field.key);
    std::optional<std::string> bytes = byte_level::ToBytes(spelling);
    tok->pieces_[static_cast<size_t>(*JsonAsInt(field.value))] = bytes ? *bytes : std::string(spelling);
  }
  for (const AddedToken& a : tok->added_) {
    std::optional<std::string> bytes = byte_level::ToBytes(a.content);
    tok->pieces_[static_cast<size_t>(a.id)] = bytes ? *bytes : a.content;
    tok->flags_[static_cast<size_t>(a.id)] = kAdded | (a.special ? kSpecial : 0);
    tok->added_by_content_[a.content] = a.id;
  }
  return tok;
}

absl::StatusOr<std::vector<int32_t>> Tokenizer::Encode(absl::string_view text,
                                                       EncodeOptions options) const {
  const size_t valid = utf8::ValidPrefixLength(text);
  if (valid != text.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8 at byte ", valid, " of ", text.size()));
  }
  if (text.size() >= (size_t{1} << 32)) {
    return absl::InvalidArgumentError(absl::StrCat("text of ", text.size(), " bytes is too long to encode (limit 4 GiB)"));
  }
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 8);
  if (!options.parse_special) {
    EncodePlain(text, &ids);
    return ids;
  }
  std::vector<AddedTokenMatcher::Piece> pieces;
  if (options.special_spans != nullptr) {
    std::vector<std::pair<uint32_t, uint32_t>> allowed;
    allowed.reserve(options.special_spans->size());
    for (const TextSpan& s : *options.special_spans) allowed.emplace_back(s.begin, s.end);
    matcher_.Split(text, &pieces, &allowed);
  } else {
    matcher_.Split(text, &pieces);
  }
  for (const auto& p : pieces) {
    if (p.id >= 0) {
      ids.push_back(p.id);
    } else {
      EncodePlain(p.text, &ids);
    }
  }
  return ids;
}

void Tokenizer::EncodePlain(absl::string_view text, std::vector<int32_t>* out) const {
  std::string normalized_storage;
  const absl::string_view normalized = Normalize(normalization_, text, &normalized_storage);
  std::vector<TextSpan> spans;
  spans.reserve(normalized.size() / 4 + 4);
  pre_->Split(normalized, &spans);
  for (const TextSpan& s : spans) {
    model_.EncodeWord(normalized.substr(s.begin, s.end - s.begin), out);
  }
}

std::string Tokenizer::Decode(absl::Span<const int32_t> ids, bool skip_special) const {
  std::string bytes;
  for (int32_t id : ids) {
    if (id < 0 || id >= id_limit()) continue;
    if (skip_special && (flags_[static_cast<size_t>(id)] & kSpecial)) continue;
    bytes += pieces_[static_cast<size_t>(id)];
  }
  std::string out;
  out.reserve(bytes.size());
  utf8::AppendLossy(bytes, /*final=*/true, &out);
  return out;
}

absl::string_view Tokenizer::TokenBytes(int32_t id) const {
  if (id < 0 || id >= id_limit()) return {};
  return pieces_[static_cast<size_t>(id)];
}

std::optional<int32_t> Tokenizer::TokenId(absl::string_view literal) const {
  if (auto it = added_by_content_.find(literal); it != added_by_content_.end()) return it->second;
  if (const int32_t* id = model_.Find(literal)) return *id;
  return std::nullopt;
}

bool Tokenizer::IsSpecial(int32_t id) const {
  return id >= 0 && id < id_limit() && (flags_[static_cast<size_t>(id)] & kSpecial) != 0;
}

bool Tokenizer::IsAdded(int32_t id) const {
  return id >= 0 && id < id_limit() && (flags_[static_cast<size_t>(id)] & kAdded) != 0;
}

}  // namespace switchyard
