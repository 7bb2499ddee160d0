#include "gocompat/time_parse.h"

#include <chrono>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "gocompat/calendar.h"

namespace tocsin::gocompat {
namespace {

enum class Std {
  kNone,
  kLongYear,        // 2006
  kZeroMonth,       // 01
  kZeroDay,         // 02
  kHour,            // 15
  kZeroMinute,      // 04
  kZeroSecond,      // 05
  kFracSecond0,     // .000: exactly that many digits
  kFracSecond9,     // .999: any digits, or none
  kISO8601TZ,       // Z0700
  kISO8601ColonTZ,  // Z07:00
};

struct Chunk {
  std::string_view prefix;  // literal text before the element
  Std std = Std::kNone;
  int digits = 0;           // of a fractional second
  std::string_view suffix;  // the layout after the element
};

bool digit_at(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// Go's nextStdChunk, for the elements above.
Chunk next_chunk(std::string_view layout) {
  auto found = [&](std::size_t i, std::size_t n, Std std, int digits = 0) {
    return Chunk{layout.substr(0, i), std, digits, layout.substr(i + n)};
  };
  for (std::size_t i = 0; i < layout.size(); ++i) {
    std::string_view rest = layout.substr(i);
    switch (layout[i]) {
      case '2':
        if (rest.starts_with("2006")) return found(i, 4, Std::kLongYear);
        break;
      case '0':
        if (rest.starts_with("01")) return found(i, 2, Std::kZeroMonth);
        if (rest.starts_with("02")) return found(i, 2, Std::kZeroDay);
        if (rest.starts_with("04")) return found(i, 2, Std::kZeroMinute);
        if (rest.starts_with("05")) return found(i, 2, Std::kZeroSecond);
        break;
      case '1':
        if (rest.starts_with("15")) return found(i, 2, Std::kHour);
        break;
      case 'Z':
        if (rest.starts_with("Z0700")) return found(i, 5, Std::kISO8601TZ);
        if (rest.starts_with("Z07:00")) return found(i, 6, Std::kISO8601ColonTZ);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          std::size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          if (!digit_at(layout, j)) {
            return found(i, j - i, ch == '0' ? Std::kFracSecond0 : Std::kFracSecond9,
                         static_cast<int>(j - i - 1));
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{layout, Std::kNone, 0, {}};
}

std::string_view cut_space(std::string_view s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  return s;
}

// Go's skip: removes the literal `prefix`, a space matching any run of them.
bool skip(std::string_view& value, std::string_view prefix) {
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      prefix = cut_space(prefix);
      value = cut_space(value);
      continue;
    }
    if (value.empty() || value[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value.remove_prefix(1);
  }
  return true;
}

// Go's getnum: one or two digits, two when `fixed`; value untouched on failure.
std::optional<int> getnum(std::string_view& value, bool fixed) {
  if (!digit_at(value, 0)) return std::nullopt;
  if (!digit_at(value, 1)) {
    if (fixed) return std::nullopt;
    int n = value[0] - '0';
    value.remove_prefix(1);
    return n;
  }
  int n = (value[0] - '0') * 10 + (value[1] - '0');
  value.remove_prefix(2);
  return n;
}

// Go's atoi: an optional sign, then digits only.
std::optional<std::int64_t> atoi(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::uint64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (x > (1ULL << 63) / 10) return std::nullopt;
    x = x * 10 + static_cast<std::uint64_t>(c - '0');
    if (x > (1ULL << 63)) return std::nullopt;
  }
  auto v = static_cast<std::int64_t>(x);
  return negative ? -v : v;
}

bool comma_or_period(char c) {
  return c == '.' || c == ',';
}

struct Nanos {
  std::int64_t value = 0;
  bool bad = false;
  bool out_of_range = false;
};

// Go's parseNanoseconds over value[0:nbytes] (the separator, then digits).
Nanos parse_nanoseconds(std::string_view value, std::size_t nbytes) {
  Nanos out;
  if (!comma_or_period(value[0])) {
    out.bad = true;
    return out;
  }
  if (nbytes > 10) nbytes = 10;
  auto ns = atoi(value.substr(1, nbytes - 1));
  if (!ns) {
    out.bad = true;
    return out;
  }
  if (*ns < 0) {
    out.out_of_range = true;
    return out;
  }
  out.value = *ns;
  for (std::size_t i = nbytes; i < 10; ++i) out.value *= 10;
  return out;
}

}  // namespace

std::string time_quote(std::string_view s) {
  // Go escapes each byte of a non-ASCII or control character; ASCII bytes
  // are never part of such a character, so byte by byte is the same.
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c < ' ') {
      out += fmt::format("\\x{:02x}", c);
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += ch;
  }
  out += '"';
  return out;
}

std::expected<Timestamp, std::string> time_parse(std::string_view layout, std::string_view value) {
  const std::string_view full_layout = layout, full_value = value;
  auto cannot = [&](std::string_view layout_elem, std::string_view value_elem) {
    return std::unexpected(fmt::format("parsing time {} as {}: cannot parse {} as {}",
                                       time_quote(full_value), time_quote(full_layout),
                                       time_quote(value_elem), time_quote(layout_elem)));
  };
  auto message = [&](std::string_view text) {
    return std::unexpected(fmt::format("parsing time {}{}", time_quote(full_value), text));
  };

  std::int64_t year = 0;
  int month = -1, day = -1, hour = 0, minute = 0, second = 0;
  std::int64_t nanos = 0;
  std::int64_t zone_offset = 0;  // seconds east of UTC

  for (;;) {
    Chunk chunk = next_chunk(layout);
    std::string_view std_text = layout.substr(
        chunk.prefix.size(), layout.size() - chunk.prefix.size() - chunk.suffix.size());
    if (!skip(value, chunk.prefix)) return cannot(chunk.prefix, value);
    if (chunk.std == Std::kNone) {
      if (!value.empty()) return message(fmt::format(": extra text: {}", time_quote(value)));
      break;
    }
    layout = chunk.suffix;
    bool bad = false;
    std::string_view range_error;
    switch (chunk.std) {
      case Std::kLongYear: {
        if (value.size() < 4 || !digit_at(value, 0)) {
          bad = true;
          break;
        }
        auto y = atoi(value.substr(0, 4));
        value.remove_prefix(4);  // Go 1.19 reports what follows the four bytes
        if (y) {
          year = *y;
        } else {
          bad = true;
        }
        break;
      }
      case Std::kZeroMonth: {
        auto m = getnum(value, true);
        if (!m) {
          bad = true;
        } else if (*m < 1 || *m > 12) {
          range_error = "month";
        } else {
          month = *m;
        }
        break;
      }
      case Std::kZeroDay: {
        auto d = getnum(value, true);
        bad = !d;
        day = d.value_or(0);  // checked against the month after parsing
        break;
      }
      case Std::kHour: {
        auto h = getnum(value, false);
        bad = !h;
        hour = h.value_or(0);
        if (hour >= 24) range_error = "hour";
        break;
      }
      case Std::kZeroMinute: {
        auto m = getnum(value, true);
        bad = !m;
        minute = m.value_or(0);
        if (minute >= 60) range_error = "minute";
        break;
      }
      case Std::kZeroSecond: {
        auto s = getnum(value, true);
        bad = !s;
        second = s.value_or(0);
        if (second >= 60) {
          range_error = "second";
          break;
        }
        // A fraction the layout does not ask for is taken here, even when
        // the seconds themselves were missing (Go 1.19 then forgets that).
        if (value.size() >= 2 && comma_or_period(value[0]) && digit_at(value, 1)) {
          Std after = next_chunk(layout).std;
          if (after == Std::kFracSecond0 || after == Std::kFracSecond9) break;
          std::size_t n = 2;
          while (digit_at(value, n)) ++n;
          Nanos ns = parse_nanoseconds(value, n);
          nanos = ns.value;
          bad = ns.bad;
          if (ns.out_of_range) range_error = "fractional second";
          value.remove_prefix(n);
        }
        break;
      }
      case Std::kFracSecond0: {
        std::size_t n = 1 + static_cast<std::size_t>(chunk.digits);
        if (value.size() < n) {
          bad = true;
          break;
        }
        Nanos ns = parse_nanoseconds(value, n);
        nanos = ns.value;
        bad = ns.bad;
        if (ns.out_of_range) range_error = "fractional second";
        value.remove_prefix(n);
        break;
      }
      case Std::kFracSecond9: {
        if (value.size() < 2 || !comma_or_period(value[0]) || !digit_at(value, 1)) break;
        std::size_t i = 0;
        while (i < 9 && digit_at(value, i + 1)) ++i;
        Nanos ns = parse_nanoseconds(value, 1 + i);
        nanos = ns.value;
        bad = ns.bad;
        if (ns.out_of_range) range_error = "fractional second";
        value.remove_prefix(1 + i);
        break;
      }
      case Std::kISO8601TZ:
      case Std::kISO8601ColonTZ: {
        if (!value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          zone_offset = 0;
          break;
        }
        std::string_view sign, hh, mm;
        if (chunk.std == Std::kISO8601ColonTZ) {
          if (value.size() < 6 || value[3] != ':') {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2);
          value.remove_prefix(6);
        } else {
          if (value.size() < 5) {
            bad = true;
            break;
          }
          sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2);
          value.remove_prefix(5);
        }
        auto h = atoi(hh), m = atoi(mm);
        if (!h || !m || (sign != "+" && sign != "-")) {
          bad = true;
          break;
        }
        zone_offset = (*h * 60 + *m) * 60 * (sign == "-" ? -1 : 1);
        break;
      }
      case Std::kNone:
        break;
    }
    if (!range_error.empty()) return message(fmt::format(": {} out of range", range_error));
    if (bad) return cannot(std_text, value);
  }

  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > days_in(month, year)) {
    return message(": day out of range");
  }
  using namespace std::chrono;
  sys_days date{std::chrono::year(static_cast<int>(year)) / month / day};
  return time_point_cast<milliseconds>(date) + hours(hour) + minutes(minute) + seconds(second) -
         seconds(zone_offset) + duration_cast<milliseconds>(nanoseconds(nanos));
}

}  // namespace tocsin::gocompat
