// strfmt.DateTime, the type every time in Alertmanager's API v2 has: how
// it is written in answers and read from posted alerts and silences.
//
// Pure functions.
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::api {

// strfmt.DateTime's text: "2024-05-01T12:00:00.000Z" (always UTC, always
// milliseconds).
std::string format_api_time(Timestamp t);

// strfmt.ParseDateTime: RFC 3339 with or without a fraction, with "Z",
// "+hh:mm" or (3 or 6 fraction digits) "+hhmm", or without a zone (UTC);
// "2006-01-02T15:04Z", "2006-01-02T15:04", "2006-01-02 15:04:05"; "" is the
// Unix epoch. Errors read as Go's time.Parse against the last layout tried.
Result<Timestamp> parse_api_time(std::string_view text);

}  // namespace tocsin::api
