#include "tests/workers/engine/chat/jinja_reference.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"


namespace switchyard::testing {

JinjaRendering RenderWithJinja(const std::string& template_text, const std::vector<ojson>& cases) {
  JinjaRendering r;
  if (std::system("/usr/bin/python3 -c 'import jinja2' > /dev/null 2>&1") != 0) {
    r.why = "/usr/bin/python3 with jinja2 is missing (scripts/setup.sh installs Debian's python3-jinja2)";
    return r;
  }
  ScratchDir dir;
  ojson spec = {{"template", template_text}, {"cases", cases}};
  dir.Write("in.json", spec.dump());
  const std::string cmd = absl::StrCat("/usr/bin/python3 ", SourceDir(), "/tests/workers/engine/chat/jinja_render.py ",
                                       dir.File("in.json"), " ", dir.File("out.json"));
  if (std::system(cmd.c_str()) != 0) {
    r.why = "jinja_render.py failed: " + cmd;
    return r;
  }
  for (const auto& x : nlohmann::json::parse(Slurp(dir.File("out.json")))) {
    if (x.is_string()) {
      r.text.emplace_back(x.get<std::string>());
      r.error.emplace_back();
    } else {
      r.text.emplace_back(std::nullopt);
      r.error.push_back(x.value("error", std::string("?")));
    }
  }
  r.available = true;
  return r;
}

absl::StatusOr<RenderedPrompt> RenderNative(const ChatTemplate& t, const ojson& c) {
  auto messages = ParseChatMessages(c["messages"].dump(), "messages");
  if (!messages.ok()) return messages.status();
  std::vector<ChatTool> tools;
  if (c.contains("tools") && !c["tools"].is_null()) {
    auto parsed = ParseChatTools(c["tools"].dump(), "tools");
    if (!parsed.ok()) return parsed.status();
    tools = *parsed;
  }
  RenderOptions o;
  o.add_generation_prompt = c.value("add_generation_prompt", true);
  if (c.contains("enable_thinking")) o.enable_thinking = c["enable_thinking"].get<bool>();
  return t.Render(*messages, tools, o);
}

}  // namespace switchyard::testing
