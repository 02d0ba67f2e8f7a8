// The pieces of Prometheus text exposition format 0.0.4 that need care: escaping label values
// and HELP text, and writing sample values (integers exactly, other values as the shortest
// decimal that reads back to the same double, +Inf / -Inf / NaN by name).
// Thread safety: pure functions.
#ifndef SWITCHYARD_COMMON_METRICS_EXPOSITION_H_
#define SWITCHYARD_COMMON_METRICS_EXPOSITION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard::metrics {

// A label value between its quotes: backslash, double quote and newline escaped.
std::string EscapeLabelValue(absl::string_view value);
// HELP text: backslash and newline escaped (quotes stay as they are).
std::string EscapeHelp(absl::string_view help);
// A sample value: 12, 0.25, 1e+21, +Inf, -Inf, NaN.
std::string FormatValue(double value);

}  // namespace switchyard::metrics

#endif  // SWITCHYARD_COMMON_METRICS_EXPOSITION_H_
