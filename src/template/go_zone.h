// Go's time.Location: time zones from the IANA database (TZif files under
// $ZONEINFO or /usr/share/zoneinfo, as Go's LoadLocation reads them on
// Linux), the offset and abbreviation in force at an instant (transitions,
// then the file's POSIX TZ rule past the last one), UTC and Local.
//
// A time value names its location by a ZoneId. Locations are loaded once
// and kept for the life of the process; every function here is thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::tmpl {

using ZoneId = std::uint32_t;
inline constexpr ZoneId kUtcZone = 0;

// What a location says about one instant: the zone's abbreviation ("CEST",
// "+03") and its offset east of UTC in seconds.
struct ZoneOffset {
  std::string_view name;
  int offset = 0;
};

// time.LoadLocation(name): "" and "UTC" are UTC, "Local" the local zone
// ($TZ, else /etc/localtime). The error reads as Go's ("unknown time zone X",
// "time: invalid location name").
Result<ZoneId> load_location(std::string_view name);

// time.Local, as Go initialises it from $TZ and /etc/localtime.
ZoneId local_location();

// Location.String(): "UTC", "Local", "Europe/Berlin".
std::string_view location_name(ZoneId zone);

// The zone in force at `unix_seconds` (Go's Location.lookup).
ZoneOffset zone_at(ZoneId zone, std::int64_t unix_seconds);

}  // namespace tocsin::tmpl
