// Go's time.Time and time.Duration as template values: Time.String(),
// Time.Format with Go's reference layouts, the accessor methods templates
// use (.Unix, .Format, .Year, ...), and Duration.String(). Times are UTC,
// which is how Prometheus and Alertmanager hand them to templates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "template/value.h"

namespace tocsin::tmpl {

extern const NamedType kTimeType;         // time.Time
extern const NamedType kTimePointerType;  // *time.Time, as Prometheus's toTime returns
extern const NamedType kDurationType;     // time.Duration (int64 nanoseconds)

inline Value duration_value(std::int64_t nanos) {
  return Value::integer(nanos, &kDurationType);
}

// Time.Format(layout) for a UTC time.
std::string format_time(std::int64_t unix_seconds, std::int32_t nanos, std::string_view layout);
// Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" in UTC.
std::string time_string(std::int64_t unix_seconds, std::int32_t nanos);
// Duration.String(): "1h2m3.5s", "1.5µs", "0s".
std::string duration_string(std::int64_t nanos);

}  // namespace tocsin::tmpl
