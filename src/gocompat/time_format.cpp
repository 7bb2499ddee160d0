#include "gocompat/time_format.h"

#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

#include "gocompat/calendar.h"

namespace tocsin::gocompat {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

TimeFields fields_of(std::int64_t seconds) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  std::int64_t rem = seconds - days * 86400;
  TimeFields c{};
  civil_from_days(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  static constexpr int kCumulative[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  c.year_day = kCumulative[c.month - 1] + c.day + (c.month > 2 && is_leap(c.year) ? 1 : 0);
  return c;
}

void append_int(std::string& out, std::int64_t v, int width) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

// Go's layout elements; kFrac0/kFrac9 carry their digit count.
enum class Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFrac0,
  kFrac9
};

struct Chunk {
  std::string_view prefix;
  Std std = Std::kNone;
  int digits = 0;      // for fractions
  char separator = 0;  // '.' or ',' for fractions
  std::string_view suffix;
};

bool lower_start(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z';
}

// Go's nextStdChunk.
Chunk next_chunk(std::string_view l) {
  auto at = [&](std::size_t i, std::string_view w) { return l.substr(i).starts_with(w); };
  for (std::size_t i = 0; i < l.size(); ++i) {
    auto chunk = [&](Std s, std::size_t len) {
      return Chunk{l.substr(0, i), s, 0, 0, l.substr(i + len)};
    };
    switch (l[i]) {
      case 'J':
        if (at(i, "Jan")) {
          if (at(i, "January")) return chunk(Std::kLongMonth, 7);
          if (!lower_start(l.substr(i + 3))) return chunk(Std::kMonth, 3);
        }
        break;
      case 'M':
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return chunk(Std::kLongWeekDay, 6);
          if (!lower_start(l.substr(i + 3))) return chunk(Std::kWeekDay, 3);
        }
        if (at(i, "MST")) return chunk(Std::kTZ, 3);
        break;
      case '0':
        if (i + 1 < l.size() && l[i + 1] >= '1' && l[i + 1] <= '6') {
          static constexpr Std k0x[] = {Std::kZeroMonth,  Std::kZeroDay,    Std::kZeroHour12,
                                        Std::kZeroMinute, Std::kZeroSecond, Std::kYear};
          return chunk(k0x[l[i + 1] - '1'], 2);
        }
        if (at(i, "002")) return chunk(Std::kZeroYearDay, 3);
        break;
      case '1':
        if (at(i, "15")) return chunk(Std::kHour, 2);
        return chunk(Std::kNumMonth, 1);
      case '2':
        if (at(i, "2006")) return chunk(Std::kLongYear, 4);
        return chunk(Std::kDay, 1);
      case '_':
        if (i + 1 < l.size() && l[i + 1] == '2') {
          if (at(i + 1, "2006"))
            return Chunk{l.substr(0, i + 1), Std::kLongYear, 0, 0, l.substr(i + 5)};
          return chunk(Std::kUnderDay, 2);
        }
        if (at(i, "__2")) return chunk(Std::kUnderYearDay, 3);
        break;
      case '3':
        return chunk(Std::kHour12, 1);
      case '4':
        return chunk(Std::kMinute, 1);
      case '5':
        return chunk(Std::kSecond, 1);
      case 'P':
        if (at(i, "PM")) return chunk(Std::kPM, 2);
        break;
      case 'p':
        if (at(i, "pm")) return chunk(Std::kpm, 2);
        break;
      case '-':
        if (at(i, "-070000")) return chunk(Std::kNumSecondsTz, 7);
        if (at(i, "-07:00:00")) return chunk(Std::kNumColonSecondsTZ, 9);
        if (at(i, "-0700")) return chunk(Std::kNumTZ, 5);
        if (at(i, "-07:00")) return chunk(Std::kNumColonTZ, 6);
        if (at(i, "-07")) return chunk(Std::kNumShortTZ, 3);
        break;
      case 'Z':
        if (at(i, "Z070000")) return chunk(Std::kISO8601SecondsTZ, 7);
        if (at(i, "Z07:00:00")) return chunk(Std::kISO8601ColonSecondsTZ, 9);
        if (at(i, "Z0700")) return chunk(Std::kISO8601TZ, 5);
        if (at(i, "Z07:00")) return chunk(Std::kISO8601ColonTZ, 6);
        if (at(i, "Z07")) return chunk(Std::kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
          char ch = l[i + 1];
          std::size_t j = i + 1;
          while (j < l.size() && l[j] == ch) ++j;
          if (!(j < l.size() && l[j] >= '0' && l[j] <= '9')) {
            return Chunk{l.substr(0, i), ch == '0' ? Std::kFrac0 : Std::kFrac9,
                         static_cast<int>(j - (i + 1)), l[i], l.substr(j)};
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{l, Std::kNone, 0, 0, {}};
}

void append_fraction(std::string& out, std::int32_t nanos, int digits, char sep, bool trim) {
  std::string f = fmt::format("{:09}", nanos);
  f.resize(static_cast<std::size_t>(std::min(digits, 9)));
  if (trim) {
    while (!f.empty() && f.back() == '0') f.pop_back();
    if (f.empty()) return;
  }
  out += sep;
  out += f;
}

// Go's -0700 / -07:00 / Z07:00 ... zone offsets.
void append_offset(std::string& out, Std std, int offset) {
  bool iso = std == Std::kISO8601TZ || std == Std::kISO8601ColonTZ ||
             std == Std::kISO8601SecondsTZ || std == Std::kISO8601ShortTZ ||
             std == Std::kISO8601ColonSecondsTZ;
  if (offset == 0 && iso) {
    out += 'Z';
    return;
  }
  int zone = offset / 60;
  int abs_offset = offset;
  if (zone < 0) {
    out += '-';
    zone = -zone;
    abs_offset = -abs_offset;
  } else {
    out += '+';
  }
  append_int(out, zone / 60, 2);
  bool colon = std == Std::kISO8601ColonTZ || std == Std::kNumColonTZ ||
               std == Std::kISO8601ColonSecondsTZ || std == Std::kNumColonSecondsTZ;
  if (colon) out += ':';
  if (std != Std::kNumShortTZ && std != Std::kISO8601ShortTZ) append_int(out, zone % 60, 2);
  if (std == Std::kISO8601SecondsTZ || std == Std::kNumSecondsTz ||
      std == Std::kNumColonSecondsTZ || std == Std::kISO8601ColonSecondsTZ) {
    if (std == Std::kNumColonSecondsTZ || std == Std::kISO8601ColonSecondsTZ) out += ':';
    append_int(out, abs_offset % 60, 2);
  }
}

}  // namespace

TimeFields time_fields(std::int64_t local_seconds) {
  return fields_of(local_seconds);
}

std::string format_time(std::int64_t seconds, std::int32_t nanos, std::string_view layout,
                        ZoneOffset z) {
  TimeFields c = fields_of(seconds + z.offset);
  std::string out;
  while (!layout.empty()) {
    Chunk ch = next_chunk(layout);
    out += ch.prefix;
    if (ch.std == Std::kNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case Std::kYear:
        append_int(out, (c.year % 100 + 100) % 100, 2);
        break;
      case Std::kLongYear:
        append_int(out, c.year, 4);
        break;
      case Std::kMonth:
        out += kMonths[c.month - 1].substr(0, 3);
        break;
      case Std::kLongMonth:
        out += kMonths[c.month - 1];
        break;
      case Std::kNumMonth:
        append_int(out, c.month, 0);
        break;
      case Std::kZeroMonth:
        append_int(out, c.month, 2);
        break;
      case Std::kWeekDay:
        out += kDays[c.weekday].substr(0, 3);
        break;
      case Std::kLongWeekDay:
        out += kDays[c.weekday];
        break;
      case Std::kDay:
        append_int(out, c.day, 0);
        break;
      case Std::kUnderDay:
        if (c.day < 10) out += ' ';
        append_int(out, c.day, 0);
        break;
      case Std::kZeroDay:
        append_int(out, c.day, 2);
        break;
      case Std::kUnderYearDay:
        if (c.year_day < 100) out += c.year_day < 10 ? "  " : " ";
        append_int(out, c.year_day, 0);
        break;
      case Std::kZeroYearDay:
        append_int(out, c.year_day, 3);
        break;
      case Std::kHour:
        append_int(out, c.hour, 2);
        break;
      case Std::kHour12:
        append_int(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 0);
        break;
      case Std::kZeroHour12:
        append_int(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 2);
        break;
      case Std::kMinute:
        append_int(out, c.minute, 0);
        break;
      case Std::kZeroMinute:
        append_int(out, c.minute, 2);
        break;
      case Std::kSecond:
        append_int(out, c.second, 0);
        break;
      case Std::kZeroSecond:
        append_int(out, c.second, 2);
        break;
      case Std::kPM:
        out += c.hour >= 12 ? "PM" : "AM";
        break;
      case Std::kpm:
        out += c.hour >= 12 ? "pm" : "am";
        break;
      case Std::kISO8601TZ:
      case Std::kISO8601ColonTZ:
      case Std::kISO8601SecondsTZ:
      case Std::kISO8601ShortTZ:
      case Std::kISO8601ColonSecondsTZ:
      case Std::kNumTZ:
      case Std::kNumSecondsTz:
      case Std::kNumShortTZ:
      case Std::kNumColonTZ:
      case Std::kNumColonSecondsTZ:
        append_offset(out, ch.std, z.offset);
        break;
      case Std::kTZ:
        if (!z.name.empty()) {
          out += z.name;
        } else {
          append_offset(out, Std::kNumTZ, z.offset);
        }
        break;
      case Std::kFrac0:
        append_fraction(out, nanos, ch.digits, ch.separator, false);
        break;
      case Std::kFrac9:
        append_fraction(out, nanos, ch.digits, ch.separator, true);
        break;
      case Std::kNone:
        break;
    }
  }
  return out;
}

std::string time_string(std::int64_t seconds, std::int32_t nanos, ZoneOffset zone) {
  return format_time(seconds, nanos, "2006-01-02 15:04:05.999999999 -0700 MST", zone);
}

std::int64_t sub_nanos(std::int64_t a_seconds, std::int32_t a_nanos, std::int64_t b_seconds,
                       std::int32_t b_nanos) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  std::int64_t seconds = 0;
  std::int64_t nanos = 0;
  std::int64_t d = 0;
  if (__builtin_sub_overflow(a_seconds, b_seconds, &seconds) ||
      __builtin_mul_overflow(seconds, std::int64_t{1'000'000'000}, &nanos) ||
      __builtin_add_overflow(nanos, std::int64_t{a_nanos} - b_nanos, &d)) {
    return a_seconds > b_seconds || (a_seconds == b_seconds && a_nanos > b_nanos) ? kMax : kMin;
  }
  return d;
}

std::string duration_string(std::int64_t d) {
  if (d == 0) return "0s";
  bool neg = d < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
  std::string out;  // built backwards
  auto frac = [&](int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      auto digit = static_cast<char>(u % 10);
      print = print || digit != 0;
      if (print) out += static_cast<char>('0' + digit);
      u /= 10;
    }
    if (print) out += '.';
  };
  auto integer = [&](std::uint64_t v) {
    do {
      out += static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0);
  };
  if (u < 1'000'000'000) {
    out += 's';
    int prec;
    if (u < 1000) {
      prec = 0;
      out += 'n';
    } else if (u < 1'000'000) {
      prec = 3;
      out += "\xb5\xc2";  // "µ", reversed
    } else {
      prec = 6;
      out += 'm';
    }
    frac(prec);
    integer(u);
  } else {
    out += 's';
    frac(9);
    integer(u % 60);
    u /= 60;
    if (u > 0) {
      out += 'm';
      integer(u % 60);
      u /= 60;
      if (u > 0) {
        out += 'h';
        integer(u);
      }
    }
  }
  if (neg) out += '-';
  return std::string(out.rbegin(), out.rend());
}

std::string month_string(std::int64_t month) {
  if (month >= 1 && month <= 12) return std::string(kMonths[static_cast<std::size_t>(month - 1)]);
  return fmt::format("%!Month({})", month);
}

std::string weekday_string(std::int64_t day) {
  if (day >= 0 && day <= 6) return std::string(kDays[static_cast<std::size_t>(day)]);
  return fmt::format("%!Weekday({})", day);
}

}  // namespace tocsin::gocompat
