#include "api/date_time.h"

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "gocompat/time_parse.h"

namespace tocsin::api {
namespace {

// strfmt.DateTimeFormats, in the order ParseDateTime tries them.
constexpr std::string_view kDateTimeLayouts[] = {
    "2006-01-02T15:04:05.000000Z07:00",     // RFC3339Micro
    "2006-01-02T15:04:05.000000Z0700",      // RFC3339MicroNoColon
    "2006-01-02T15:04:05.000Z07:00",        // RFC3339Millis
    "2006-01-02T15:04:05.000Z0700",         // RFC3339MillisNoColon
    "2006-01-02T15:04:05Z07:00",            // time.RFC3339
    "2006-01-02T15:04:05.999999999Z07:00",  // time.RFC3339Nano
    "2006-01-02T15:04:05",                  // ISO8601LocalTime
    "2006-01-02T15:04Z",                    // ISO8601TimeWithReducedPrecision
    "2006-01-02T15:04",                     // ISO8601TimeWithReducedPrecisionLocaltime
    "2006-01-02 15:04:05",                  // ISO8601TimeUniversalSortableDateTimePattern
};

// The common case of parse_api_time without trying layout after layout:
// strictly "YYYY-MM-DDTHH:MM:SS[.fraction]" then "Z" or "+HH:MM"/"-HH:MM",
// every field in range, which one of the layouts reads to the same instant.
// nullopt: anything else, left to the layouts.
std::optional<Timestamp> parse_plain_rfc3339(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t n) -> int {
    if (at + n > t.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  int hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  std::size_t i = 19;
  std::int64_t nanos = 0;
  if (t[i] == '.') {
    std::size_t n = 0;
    while (i + 1 + n < t.size() && t[i + 1 + n] >= '0' && t[i + 1 + n] <= '9') {
      // More than nine digits is not this fast path's (and would overflow).
      if (n < 9) nanos = nanos * 10 + (t[i + 1 + n] - '0');
      ++n;
    }
    if (n < 1 || n > 9) return std::nullopt;
    for (std::size_t k = n; k < 9; ++k) nanos *= 10;
    i += 1 + n;
  }
  int offset = 0;  // seconds east of UTC
  if (i + 1 == t.size() && t[i] == 'Z') {
    offset = 0;
  } else if (i + 6 == t.size() && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':') {
    int hh = digits(i + 1, 2), mm = digits(i + 4, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    offset = (hh * 60 + mm) * 60 * (t[i] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return time_point_cast<milliseconds>(sys_days(date)) + hours(hour) + minutes(minute) +
         seconds(second) - seconds(offset) + duration_cast<milliseconds>(nanoseconds(nanos));
}

}  // namespace

std::string format_api_time(Timestamp t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  hh_mm_ss hms{t - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

Result<Timestamp> parse_api_time(std::string_view text) {
  if (text.empty()) return Timestamp{};  // strfmt.NewDateTime(): the Unix epoch
  if (auto t = parse_plain_rfc3339(text)) return *t;
  std::string last_error;
  for (std::string_view layout : kDateTimeLayouts) {
    auto t = gocompat::time_parse(layout, text);
    if (t) return *t;
    last_error = std::move(t.error());
  }
  return fail(std::move(last_error));
}

}  // namespace tocsin::api
