// Go 1.19's time.Parse, which Alertmanager 0.25's API reads date-times
// with (through strfmt), quirks included: a missing seconds field followed
// by a fraction passes, a space matches any run of spaces, zone offsets are
// not range-checked. Errors are time.ParseError's text, which the API hands
// to clients.
//
// Pure functions.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <tocsin/time.h>

namespace tocsin::gocompat {

// time.Parse(layout, value) in UTC, for layouts made of 2006 01 02 15 04
// 05, fractional seconds (.000, .999, ,000), Z07:00 and Z0700, and literal
// text: every layout strfmt's date-time uses. Precision is cut to
// milliseconds.
std::expected<Timestamp, std::string> time_parse(std::string_view layout, std::string_view value);

// The time package's own quoting in its errors (not strconv.Quote): "\x"
// escapes for every byte of a non-ASCII or control character.
std::string time_quote(std::string_view s);

}  // namespace tocsin::gocompat
