// Go's formatting of numbers and strings, byte for byte, for the outputs
// users compare with Prometheus and Alertmanager (template results, API
// values, label-set strings).
#pragma once

#include <string>
#include <string_view>

namespace tocsin::go {

// strconv.FormatFloat(v, format, precision, 64) for format 'e', 'E', 'f',
// 'g' or 'G'; precision -1 means the shortest form that reads back exactly.
std::string format_float(double v, char format, int precision);

// fmt.Sprint(v) for a float64: %v, i.e. 'g' with the shortest precision.
inline std::string sprint_float(double v) {
  return format_float(v, 'g', -1);
}

// strconv.Quote: a double-quoted Go string literal.
std::string quote(std::string_view s);

// strconv.CanBackquote: `s` can be written as a raw (backquoted) Go string
// without change: valid UTF-8 with no BOM and no control character but tab.
bool can_backquote(std::string_view s);

// `s` backquoted when it can be, else strconv.Quote'd: how Go's regexp
// package shows a pattern in its errors.
std::string backquote_or_quote(std::string_view s);

}  // namespace tocsin::go
