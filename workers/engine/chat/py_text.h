// Python's string semantics on UTF-8 text, as the chat templates use them through Jinja2:
// str.strip / lstrip / rstrip with a character, str.strip() with no argument (Unicode
// whitespace, as Jinja's `trim` filter does), repr() of a str, and repr() of a float.
//
// These are the pieces where a native renderer most easily differs from Python by one byte,
// so they live apart and are tested against Python's own outputs.
// Thread safety: stateless functions. Failure modes: none; invalid UTF-8 is treated byte by
// byte (callers only pass text that simdjson or the message parser already validated).
#ifndef SWITCHYARD_WORKERS_ENGINE_CHAT_PY_TEXT_H_
#define SWITCHYARD_WORKERS_ENGINE_CHAT_PY_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace switchyard {

// s.lstrip(c), s.rstrip(c), s.strip(c) for a one-character set.
absl::string_view PyLStrip(absl::string_view s, char c);
absl::string_view PyRStrip(absl::string_view s, char c);
absl::string_view PyStrip(absl::string_view s, char c);

// s.strip(): removes leading and trailing characters for which str.isspace() is true
// (\t \n \v \f \r, \x1c-\x1f, space, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000).
absl::string_view PyStripWhitespace(absl::string_view s);

// s.split(sep)[-1] and s.split(sep)[0].
absl::string_view PyAfterLast(absl::string_view s, absl::string_view sep);
absl::string_view PyBeforeFirst(absl::string_view s, absl::string_view sep);

// Appends repr(s): single quotes unless s holds ' and no ", backslash escapes for \\ \t \n \r
// and the quote, \xNN / \uNNNN / \UNNNNNNNN for characters Python does not print (C0 and C1
// controls, DEL, format characters, separators other than the space, private use,
// noncharacters). Unassigned code points are printed as they are (Python escapes them; that
// needs its Unicode database).
void AppendPyStrRepr(absl::string_view s, std::string* out);

// repr(float) of Python 3: the shortest digits that round-trip, fixed notation for decimal
// exponents in [-4, 16), scientific otherwise ("1e-05", "1e+16"), always ".0" on integral
// values; "inf", "-inf", "nan" for the rest (json.dumps writes those as Infinity / NaN, see
// PyValue::Dumps).
std::string PythonFloatRepr(double v);

}  // namespace switchyard

#endif  // SWITCHYARD_WORKERS_ENGINE_CHAT_PY_TEXT_H_
