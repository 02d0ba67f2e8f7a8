// The reference renderer for chat-template tests: Jinja2 run the way transformers runs it
// (jinja_render.py, Debian's python3-jinja2 under /usr/bin/python3), on cases given as JSON, and
// our native rendering of the same cases for comparison.
#ifndef SWITCHYARD_TESTS_ENGINE_CHAT_JINJA_REFERENCE_H_
#define SWITCHYARD_TESTS_ENGINE_CHAT_JINJA_REFERENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/support/test_paths.h"
#include "workers/engine/chat/chat_template.h"

namespace switchyard::testing {

using ojson = nlohmann::ordered_json;

struct JinjaRendering {
  bool available = false;  // false: why says what is missing
  std::string why;
  std::vector<std::optional<std::string>> text;  // per case; nullopt when Jinja2 raised
  std::vector<std::string> error;                // per case; Jinja2's exception when it raised
};

// Cases: {"messages", "tools" (null or a list), "add_generation_prompt", "enable_thinking"
// (optional), "normalize" (optional)}; see jinja_render.py.
JinjaRendering RenderWithJinja(const std::string& template_text, const std::vector<ojson>& cases);

// The same case through ParseChatMessages / ParseChatTools and ChatTemplate::Render.
absl::StatusOr<RenderedPrompt> RenderNative(const ChatTemplate& t, const ojson& c);

}  // namespace switchyard::testing

#endif  // SWITCHYARD_TESTS_ENGINE_CHAT_JINJA_REFERENCE_H_
