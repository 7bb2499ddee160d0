// The proleptic Gregorian calendar as Go's time package counts it (isLeap,
// daysIn, and the conversions between dates and days that absDate and
// daysSinceEpoch make), on days since 1970-01-01, for time_format,
// time_parse and zone. Pure functions.
#pragma once

#include <cstdint>

namespace tocsin::gocompat {

bool is_leap(std::int64_t year);

// The days in `month` (1..12) of `year`.
int days_in(int month, std::int64_t year);

// Days since 1970-01-01 to a date, and back.
std::int64_t days_from_civil(std::int64_t year, int month, int day);
void civil_from_days(std::int64_t days, std::int64_t& year, int& month, int& day);

}  // namespace tocsin::gocompat
