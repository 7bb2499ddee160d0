// Alertmanager's time intervals (`time_intervals` and the deprecated
// `mute_time_intervals`), which routes name in `mute_time_intervals` and
// `active_time_intervals`, and the test the notification pipeline asks of
// them: does this interval contain instant t?
//
// Semantics are Alertmanager 0.25's (timeinterval.ContainsTime): every field
// that is present must match, and a field matches when any of its ranges
// does; an absent field matches anything, but a field present with an empty
// list matches nothing. Times are read on the wall clock of `location` (UTC
// when absent). Immutable after loading; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "gocompat/zone.h"

namespace tocsin::config {

// Minutes of the day, start inclusive, end exclusive: 17:00-24:00 is [1020, 1440).
struct TimeRange {
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const TimeRange& other) const = default;
};

// Both ends inclusive.
struct InclusiveRange {
  int begin = 0;
  int end = 0;
  bool operator==(const InclusiveRange& other) const = default;
};

struct TimeInterval {
  std::optional<std::vector<TimeRange>> times;
  std::optional<std::vector<InclusiveRange>> weekdays;       // 0 = Sunday .. 6 = Saturday
  std::optional<std::vector<InclusiveRange>> days_of_month;  // 1..31, or -1 = the last day
  std::optional<std::vector<InclusiveRange>> months;         // 1 = January
  std::optional<std::vector<InclusiveRange>> years;
  std::optional<gocompat::TimeZone> location;  // absent: UTC

  bool contains(Timestamp t) const;
};

// A named list of intervals; it contains t when any of them does.
struct NamedTimeInterval {
  std::string name;
  std::vector<TimeInterval> time_intervals;
  bool deprecated_mute = false;  // came from `mute_time_intervals`
  SourcePosition position;

  bool contains(Timestamp t) const;
};

// A list of intervals in Alertmanager's syntax (what one named interval's
// `time_intervals` holds), from YAML or JSON text: a silence's schedule.
// The error names the place in `what` ("timeIntervals:1:2: ...").
Result<std::vector<TimeInterval>> parse_time_intervals(const std::string& text,
                                                       const std::string& what);

// The parsers of the range syntax, with Alertmanager's messages. Names are
// case-insensitive; a range is "begin:end" or a single value.
Result<int> parse_clock_minutes(std::string_view hh_mm);  // "00:00" .. "23:59", or "24:00"
Result<TimeRange> parse_time_range(std::string_view start, std::string_view end);
Result<InclusiveRange> parse_weekday_range(std::string_view text);       // "monday:friday"
Result<InclusiveRange> parse_day_of_month_range(std::string_view text);  // "1:5", "-3:-1"
Result<InclusiveRange> parse_month_range(std::string_view text);         // "may:august", "1:3"
Result<InclusiveRange> parse_year_range(std::string_view text);          // "2024:2026"

// The forms Alertmanager writes back: "09:00", "monday:friday", "saturday", "1:5", "-1".
std::string format_clock_minutes(int minutes);
std::string format_weekday_range(const InclusiveRange& range);
std::string format_month_range(const InclusiveRange& range);
std::string format_number_range(const InclusiveRange& range);

}  // namespace tocsin::config
