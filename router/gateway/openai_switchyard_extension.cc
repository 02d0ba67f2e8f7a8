#include "router/gateway/openai_switchyard_extension.h"

#include <cstdint>
#include <limits>
#include <string>

#include "router/gateway/openai_json_fields.h"

namespace switchyard::gateway {
namespace {

using Json = nlohmann::json;

// router_tools: the names of the router's own tools the model may call.
absl::Status ParseRouterTools(const Json& tools, v1::ChatRequest* chat) {
  if (!tools.is_array()) return FieldError("switchyard.router_tools", "expected an array of tool names");
  for (size_t i = 0; i < tools.size(); ++i) {
    auto name = ReadString(tools[i], IndexPath("switchyard.router_tools", i));
    if (!name.ok()) return name.status();
    chat->add_router_tools(*name);
  }
  return absl::OkStatus();
}

// documents: [{name, text}] for search_documents.
absl::Status ParseDocuments(const Json& docs, v1::ChatRequest* chat) {
  if (!docs.is_array()) return FieldError("switchyard.documents", "expected an array of {name, text}");
  for (size_t i = 0; i < docs.size(); ++i) {
    const std::string p = IndexPath("switchyard.documents", i);
    if (!docs[i].is_object()) return FieldError(p, "expected an object");
    v1::Document* d = chat->add_documents();
    for (const char* key : {"name", "text"}) {
      if (!docs[i].contains(key)) return FieldError(KeyPath(p, key), "required");
      auto s = ReadString(docs[i][key], KeyPath(p, key));
      if (!s.ok()) return s.status();
      std::string(key) == "name" ? d->set_name(*s) : d->set_text(*s);
    }
  }
  return absl::OkStatus();
}

// limits: the agent loop's bounds, each a positive integer.
absl::Status ParseLimits(const Json& l, v1::RunLimits* limits) {
  if (!l.is_object()) return FieldError("switchyard.limits", "expected an object");
  for (const auto& [key, value] : l.items()) {
    const std::string p = KeyPath("switchyard.limits", key);
    if (key == "max_tokens") {
      auto n = ReadInteger(value, p, 1, std::numeric_limits<int64_t>::max());
      if (!n.ok()) return n.status();
      limits->set_max_tokens(*n);
      continue;
    }
    void (v1::RunLimits::*set)(int32_t) = nullptr;
    if (key == "max_steps") set = &v1::RunLimits::set_max_steps;
    if (key == "max_seconds") set = &v1::RunLimits::set_max_seconds;
    if (key == "max_identical_calls") set = &v1::RunLimits::set_max_identical_calls;
    if (set == nullptr) {
      return FieldError(p, "unknown key (expected one of: max_identical_calls, max_seconds, max_steps, max_tokens)");
    }
    auto n = ReadInteger(value, p, 1, std::numeric_limits<int32_t>::max());
    if (!n.ok()) return n.status();
    (limits->*set)(static_cast<int32_t>(*n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseSwitchyardExtension(const Json& v, v1::ChatRequest* chat) {
  if (!v.is_object()) return FieldError("switchyard", "expected an object");
  for (const auto& [key, value] : v.items()) {
    if (key != "router_tools" && key != "documents" && key != "limits" && key != "enable_thinking") {
      return FieldError(KeyPath("switchyard", key), "unknown key (expected one of: documents, enable_thinking, limits, router_tools)");
    }
  }
  if (v.contains("router_tools")) {
    if (absl::Status s = ParseRouterTools(v["router_tools"], chat); !s.ok()) return s;
  }
  if (v.contains("documents")) {
    if (absl::Status s = ParseDocuments(v["documents"], chat); !s.ok()) return s;
  }
  if (v.contains("limits")) {
    if (absl::Status s = ParseLimits(v["limits"], chat->mutable_limits()); !s.ok()) return s;
  }
  if (v.contains("enable_thinking")) {
    auto b = ReadBool(v["enable_thinking"], "switchyard.enable_thinking");
    if (!b.ok()) return b.status();
    chat->set_enable_thinking(*b);
  }
  return absl::OkStatus();
}

}  // namespace switchyard::gateway
