#include "router/agent/prefix_keys.h"

#include <cstdint>

#include "absl/strings/string_view.h"
#include "base/sha256.h"

namespace switchyard {
namespace {

// The version tag, its terminating NUL included: a v2 keeps no key of v1.
constexpr absl::string_view kTag("switchyard/prefix-keys/v1\0", 26);

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutBytes(std::string& out, absl::string_view s) {
  const uint64_t n = s.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(s.data(), s.size());
}

}  // namespace

std::string PrefixHeaderBytes(const v1::GenerateRequest& r) {
  std::string out;
  PutBytes(out, r.cache_salt());
  // The worker shows no tools under tool_choice NONE (workers/service/request_adapter.cc).
  const bool shown = r.tool_choice().mode() != v1::ToolChoice::NONE;
  PutU32(out, shown ? static_cast<uint32_t>(r.tools_size()) : 0);
  if (!shown) return out;
  for (const v1::Tool& t : r.tools()) {
    PutBytes(out, t.name());
    PutBytes(out, t.description());
    PutBytes(out, t.parameters_json_schema());
  }
  return out;
}

std::string PrefixMessageBytes(const v1::ChatMessage& m) {
  std::string out;
  PutU32(out, static_cast<uint32_t>(m.role()));
  PutBytes(out, m.content());
  PutBytes(out, m.reasoning_content());
  PutU32(out, static_cast<uint32_t>(m.tool_calls_size()));
  for (const v1::ToolCall& c : m.tool_calls()) {
    PutBytes(out, c.id());
    PutBytes(out, c.name());
    PutBytes(out, c.arguments_json());
  }
  PutBytes(out, m.tool_call_id());
  PutBytes(out, m.name());
  return out;
}

std::vector<std::string> PrefixKeys(const v1::GenerateRequest& r) {
  std::vector<std::string> keys;
  if (r.messages().empty()) return keys;
  keys.reserve(static_cast<size_t>(r.messages_size()));
  Sha256Hasher h;
  h.Update(kTag);
  h.Update(PrefixHeaderBytes(r));
  Sha256Digest key = h.Finish();
  for (const v1::ChatMessage& m : r.messages()) {
    h.Update(key.data(), key.size());
    h.Update(PrefixMessageBytes(m));
    key = h.Finish();
    keys.emplace_back(reinterpret_cast<const char*>(key.data()), key.size());
  }
  return keys;
}

void SetPrefixKeys(v1::GenerateRequest* r) {
  std::vector<std::string> keys = PrefixKeys(*r);
  r->clear_prefix_keys();
  for (std::string& k : keys) r->add_prefix_keys(std::move(k));
}

}  // namespace switchyard
