// A POSIX TZ rule string ("CET-1CEST,M3.5.0,M10.5.0/3"), as found in the
// footer of a TZif file, where it gives the offsets for every instant after
// the file's last listed transition. Immutable once parsed; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::config {

class PosixTz {
 public:
  // Accepts the TZif v3 extensions (hours up to 167 and negative in rule times).
  static Result<PosixTz> parse(std::string_view text);

  // Seconds east of UTC in effect at `t`.
  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;

 private:
  enum class DateKind { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay };
  struct RuleDate {
    DateKind kind = DateKind::kMonthWeekDay;
    int day = 0;  // Jn: 1..365; n: 0..365; M: weekday 0..6 (Sunday = 0)
    int month = 0;
    int week = 0;                     // 1..5, 5 = the last such weekday of the month
    std::chrono::seconds time{7200};  // local time of day of the change, default 02:00
  };
  struct DstRule {
    std::chrono::seconds offset{0};  // east of UTC while daylight saving time is in effect
    RuleDate start;
    RuleDate end;
  };

  // The UTC instant `date` falls on in `year`, with its time read in `offset`.
  static std::chrono::sys_seconds instant(const RuleDate& date, int year,
                                          std::chrono::seconds offset);

  std::chrono::seconds std_offset_{0};
  std::optional<DstRule> dst_;
};

}  // namespace tocsin::config
