// Time zones from the system's tz database, for time intervals with a
// `location`.
//
// libstdc++ 12 has no std::chrono::locate_zone, and POSIX's TZ/localtime_r
// switch zones through process-wide state, so tocsin reads the TZif files
// under /usr/share/zoneinfo itself (Debian's tzdata), as Go's
// time.LoadLocation does: the listed transitions, then the POSIX rule in the
// file's footer for later instants. A TimeZone is immutable and cheap to copy;
// it is safe to use from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::config {

// The wall-clock reading in a zone at one instant.
struct CivilTime {
  std::chrono::year_month_day date;
  std::chrono::weekday weekday;
  int minute_of_day = 0;        // 0..1439
  std::chrono::seconds offset;  // east of UTC
};

class TimeZone {
 public:
  // UTC.
  TimeZone();

  // As Go's time.LoadLocation: "" and "UTC" are UTC; "Local" is the
  // machine's zone (TZ, else /etc/localtime); any other name is a file under
  // $ZONEINFO or /usr/share/zoneinfo ("unknown time zone X" when none).
  static Result<TimeZone> locate(std::string_view name);

  // Reads TZif data (RFC 8536, versions 1 to 4).
  static Result<TimeZone> from_tzif(std::string name, std::string_view data);

  // The name it was located by ("UTC", "Local", "Europe/Berlin").
  const std::string& name() const;

  std::chrono::seconds offset_at(std::chrono::sys_seconds t) const;
  CivilTime civil(Timestamp t) const;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace tocsin::config
