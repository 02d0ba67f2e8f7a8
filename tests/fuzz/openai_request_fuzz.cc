// Fuzz target: the HTTP gateway's OpenAI request parser (bytes straight from the network).
// Any bytes give a ChatRequest or an InvalidArgument / NotFound status, never an exception or a
// crash; an accepted request has a route and at least one message, and serializes.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "router/gateway/openai_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const switchyard::gateway::ModelCatalog catalog(std::map<std::string, std::string>{{"gpt-4o", "reasoning"}});
  absl::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = switchyard::gateway::ParseChatCompletionRequest(body, catalog);
  if (r.ok()) {
    if (r->chat.route().empty() || r->chat.messages_size() == 0) std::abort();
    std::string bytes;
    if (!r->chat.SerializeToString(&bytes)) std::abort();
  } else if (r.status().code() != absl::StatusCode::kInvalidArgument && r.status().code() != absl::StatusCode::kNotFound) {
    std::abort();
  }
  return 0;
}
