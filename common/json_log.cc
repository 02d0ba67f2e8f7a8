#include "common/json_log.h"

#include <chrono>
#include <cstdio>

namespace switchyard::metrics {

void LogLine(const char* service, const char* level, const char* event, nlohmann::json fields) {
  if (!fields.is_object()) fields = nlohmann::json::object();
  fields["ts"] = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  fields["level"] = level;
  fields["event"] = event;
  fields["service"] = service;
  std::fprintf(stderr, "%s\n", fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

}  // namespace switchyard::metrics
