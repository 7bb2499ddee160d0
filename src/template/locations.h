// The locations time values carry (Go's *time.Location of a time.Time):
// a template Value names its location by a small ZoneId, so that a time
// stays two words and a tag. Locations are loaded once (gocompat/zone.h
// reads them) and kept for the life of the process; every function here is
// thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include <tocsin/error.h>

#include "gocompat/zone.h"

namespace tocsin::tmpl {

using ZoneId = std::uint32_t;
inline constexpr ZoneId kUtcZone = 0;

// time.LoadLocation(name): "" and "UTC" are UTC, "Local" is time.Local. The
// same name gives the same id.
Result<ZoneId> load_location(std::string_view name);

// time.Local, as Go initialises it from $TZ and /etc/localtime.
ZoneId local_location();

// Location.String(): "UTC", "Local", "Europe/Berlin".
std::string_view location_name(ZoneId zone);

// The zone in force at `unix_seconds` (Go's Location.lookup).
gocompat::ZoneOffset zone_at(ZoneId zone, std::int64_t unix_seconds);

}  // namespace tocsin::tmpl
