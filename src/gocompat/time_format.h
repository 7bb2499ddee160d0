// Go's time formatting: Time.Format with Go's reference layouts,
// Time.String(), Duration.String(), Month.String(), Weekday.String(), the
// calendar fields of Time.Date, Time.Clock, Time.Weekday and Time.YearDay,
// and Time.Sub's saturation at time.Duration's limits. A time is Unix
// seconds and nanoseconds seen in a zone (see zone.h; UTC by default).
//
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gocompat/zone.h"

namespace tocsin::gocompat {

// time.RFC3339Nano, the layout of Time.MarshalJSON.
inline constexpr std::string_view kRfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00";

// The calendar reading of a wall clock.
struct TimeFields {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int hour, minute, second;
  int weekday;   // 0 = Sunday
  int year_day;  // 1..366
};

// The fields of the wall clock `local_seconds` after 1970-01-01 00:00 (the
// Unix time plus the zone's offset).
TimeFields time_fields(std::int64_t local_seconds);

// Time.Format(layout) of the instant in `zone`, the zone in force then.
std::string format_time(std::int64_t unix_seconds, std::int32_t nanos, std::string_view layout,
                        ZoneOffset zone = kUtc);
// Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(std::int64_t unix_seconds, std::int32_t nanos, ZoneOffset zone = kUtc);
// Time.Sub: (a - b) in nanoseconds, saturating at time.Duration's limits.
std::int64_t sub_nanos(std::int64_t a_seconds, std::int32_t a_nanos, std::int64_t b_seconds,
                       std::int32_t b_nanos);
// Duration.String(): "1h2m3.5s", "1.5µs", "0s".
std::string duration_string(std::int64_t nanos);
// Month.String() ("January"; "%!Month(13)" out of range) and Weekday.String()
// ("Sunday" for 0; "%!Weekday(7)").
std::string month_string(std::int64_t month);
std::string weekday_string(std::int64_t day);

}  // namespace tocsin::gocompat
