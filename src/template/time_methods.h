// Go's time.Time and time.Duration as template values: their types, the
// methods templates call (.Unix, .Format, .Year, .UTC, .Location, .Sub,
// .Seconds, ...) and their String methods, on gocompat's time formatting.
// Prometheus and Alertmanager hand templates UTC times; a time moved to
// another location (Alertmanager's tz) carries it (see locations.h).
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

// Time.Format(layout) of a time value, in its location.
std::string format_time(const Value& time, std::string_view layout);
// Time.String() of a time value: "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(const Value& time);

}  // namespace tocsin::tmpl
