// Go's time.Time and time.Duration as template values: Time.String(),
// Time.Format with Go's reference layouts, the accessor methods templates
// use (.Unix, .Format, .Year, .UTC, .Location, ...), and Duration.String().
// Prometheus and Alertmanager hand templates UTC times; a time moved to
// another location (Alertmanager's tz) carries it (see go_zone.h).
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

// Time.Format(layout) of a time in location `zone` (UTC by default).
std::string format_time(std::int64_t unix_seconds, std::int32_t nanos, std::string_view layout,
                        std::uint32_t zone = 0);
// Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(std::int64_t unix_seconds, std::int32_t nanos, std::uint32_t zone = 0);
// Time.Sub: (a - b) in nanoseconds, saturating at time.Duration's limits.
std::int64_t sub_nanos(std::int64_t a_seconds, std::int32_t a_nanos, std::int64_t b_seconds,
                       std::int32_t b_nanos);
// Duration.String(): "1h2m3.5s", "1.5µs", "0s".
std::string duration_string(std::int64_t nanos);

}  // namespace tocsin::tmpl
