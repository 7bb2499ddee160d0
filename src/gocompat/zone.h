// Go's time.Location, read as time.LoadLocation reads it on Linux: TZif
// files (RFC 8536, versions 1 to 4) under $ZONEINFO and Go's Unix zone
// directories, the zone in force at an instant (Location.lookup: the listed
// transitions, then the POSIX TZ rule of the file's footer, as Go's tzset
// reads it), UTC, and Local from $TZ and /etc/localtime (Go's initLocal).
//
// libstdc++ 12 has no std::chrono::locate_zone, and POSIX's TZ/localtime_r
// switch zones through process-wide state, so the files are read here. A
// TimeZone and a PosixTz are immutable and cheap to copy; both are safe to
// use from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::gocompat {

// What a location says about one instant: the zone's abbreviation ("CEST",
// "+03") and its offset east of UTC in seconds. The name points into the
// TimeZone (or PosixTz) that gave it.
struct ZoneOffset {
  std::string_view name;
  int offset = 0;
};
inline constexpr ZoneOffset kUtc{"UTC", 0};

// The wall-clock reading in a zone at one instant.
struct CivilTime {
  std::chrono::year_month_day date;
  std::chrono::weekday weekday;
  int minute_of_day = 0;        // 0..1439
  std::chrono::seconds offset;  // east of UTC
};

// A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"), as the footer of a TZif
// file gives it for every instant after the file's last transition.
class PosixTz {
 public:
  // Go's tzset syntax, with the TZif v3 extensions (hours up to 167 and
  // negative in rule times); a DST zone without dates takes the US rule.
  static Result<PosixTz> parse(std::string_view text);

  // The zone in force at `unix_seconds`, chosen as Go's tzset chooses it.
  ZoneOffset lookup(std::int64_t unix_seconds) const;
  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;

 private:
  struct Date {
    enum Kind { kJulian, kDayOfYear, kMonthWeekDay } kind = kJulian;
    int day = 0;
    int week = 0;
    int month = 0;
    int time = 2 * 3600;  // seconds after local midnight
  };
  struct Zone {
    std::string name;
    int offset = 0;
  };

  Zone standard_;
  std::optional<Zone> daylight_;
  Date start_;
  Date end_;
};

// A time.Location.
class TimeZone {
 public:
  // UTC.
  TimeZone();

  // time.LoadLocation(name): "" and "UTC" are UTC; any other name but
  // "Local" is a file under $ZONEINFO or Go's zone directories; errors read
  // as Go's ("unknown time zone X", "time: invalid location name",
  // "malformed time zone information"). "Local" is local(), read again at
  // each call and named "Local" unless it fell back to UTC: Go names it
  // after $TZ when that names a zone, but the configuration prints back the
  // name it was given.
  static Result<TimeZone> locate(std::string_view name);

  // time.Local, as Go's initLocal sets it up from $TZ and /etc/localtime
  // (read at each call; Go does it once) and names it.
  static TimeZone local();

  // time.LoadLocationFromTZData(name, data).
  static Result<TimeZone> from_tzif(std::string name, std::string_view data);

  // Location.String(): "UTC", "Local", "Europe/Berlin".
  const std::string& name() const;

  // The zone in force at `unix_seconds` (Go's Location.lookup).
  ZoneOffset lookup(std::int64_t unix_seconds) const;
  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;
  CivilTime civil(Timestamp t) const;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace tocsin::gocompat
