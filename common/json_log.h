// LogLine: one structured log line on stderr, the format the router and the workers share so
// that one request's lines can be joined on `trace_id` across processes:
//
//   {"event":"request_done","level":"info","service":"worker","trace_id":"…","ts":1718000000.123,…}
//
// Keys are sorted; ts (Unix seconds), level, event and service are added to `fields` (and
// override fields of those names). Invalid UTF-8 in a field is replaced, never thrown on.
// Thread safety: one fprintf per line; lines from different threads do not interleave.
#ifndef SWITCHYARD_COMMON_JSON_LOG_H_
#define SWITCHYARD_COMMON_JSON_LOG_H_

#include "nlohmann/json.hpp"

namespace switchyard::metrics {

void LogLine(const char* service, const char* level, const char* event,
             nlohmann::json fields = nlohmann::json::object());

}  // namespace switchyard::metrics

#endif  // SWITCHYARD_COMMON_JSON_LOG_H_
