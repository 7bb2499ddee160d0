#include "config/time_interval.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace tocsin::config {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Go's strconv.Atoi: an optional sign, then decimal digits.
Result<int> atoi(std::string_view s) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
    return fail(fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", s));
  }
  return negative ? -value : value;
}

template <std::size_t N>
int index_of(const std::array<std::string_view, N>& names, std::string_view name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

Result<int> weekday_member(std::string_view s) {
  int i = index_of(kWeekdays, s);
  if (i < 0) return fail(fmt::format("{} is not a valid weekday", s));
  return i;
}

Result<int> month_member(std::string_view s) {
  int i = index_of(kMonths, s);
  if (i >= 0) return i + 1;
  auto n = atoi(s);
  if (!n) return fail(fmt::format("{} is not a valid month", s));
  return *n;
}

// "begin:end" or "value", lower-cased first, each member read by `member`.
template <typename Member>
Result<InclusiveRange> parse_range(std::string_view text, Member member) {
  std::string in = lower(text);
  auto colon = in.find(':');
  if (colon == std::string::npos) {
    auto v = member(in);
    if (!v) return std::unexpected(v.error());
    return InclusiveRange{*v, *v};
  }
  if (in.find(':', colon + 1) != std::string::npos) {
    return fail(fmt::format("couldn't parse range {}, invalid format", in));
  }
  auto begin = member(std::string_view(in).substr(0, colon));
  if (!begin) return std::unexpected(begin.error());
  auto end = member(std::string_view(in).substr(colon + 1));
  if (!end) return std::unexpected(end.error());
  return InclusiveRange{*begin, *end};
}

template <typename Range, typename Pred>
bool any_of(const std::optional<std::vector<Range>>& ranges, Pred pred) {
  return !ranges || std::any_of(ranges->begin(), ranges->end(), pred);
}

bool in_range(int v, const InclusiveRange& r) {
  return v >= r.begin && v <= r.end;
}

}  // namespace

Result<int> parse_clock_minutes(std::string_view s) {
  auto invalid = [&] {
    return fail(fmt::format("couldn't parse timestamp {}, invalid format", s));
  };
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() != 5 || s[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return invalid();
  }
  int hours = (s[0] - '0') * 10 + (s[1] - '0');
  int minutes = (s[3] - '0') * 10 + (s[4] - '0');
  if (s == "24:00") return 24 * 60;
  if (hours > 23 || minutes > 59) return invalid();
  return hours * 60 + minutes;
}

Result<TimeRange> parse_time_range(std::string_view start, std::string_view end) {
  if (start.empty() || end.empty()) return fail("both start and end times must be provided");
  auto s = parse_clock_minutes(start);
  if (!s) return std::unexpected(s.error());
  auto e = parse_clock_minutes(end);
  if (!e) return std::unexpected(e.error());
  if (*s >= *e) return fail("start time cannot be equal or greater than end time");
  return TimeRange{*s, *e};
}

Result<InclusiveRange> parse_weekday_range(std::string_view text) {
  auto r = parse_range(text, weekday_member);
  if (!r) return r;
  if (r->begin > r->end) return fail("start day cannot be before end day");
  return r;
}

Result<InclusiveRange> parse_day_of_month_range(std::string_view text) {
  auto r = parse_range(text, atoi);
  if (!r) return r;
  for (int day : {r->begin, r->end}) {
    if (day == 0 || day < -31 || day > 31) {
      return fail(fmt::format("{} is not a valid day of the month: out of range", day));
    }
  }
  if (r->begin < 0 && r->end > 0) return fail("end day must be negative if start day is negative");
  // Negative days count from a month's end; compare as in the shortest month
  // to catch ranges that are empty in every month.
  int begin = r->begin < 0 ? 28 + r->begin : r->begin;
  int end = r->end < 0 ? 28 + r->end : r->end;
  if (begin > end) {
    return fail(fmt::format("end day {} is always before start day {}", r->end, r->begin));
  }
  return r;
}

Result<InclusiveRange> parse_month_range(std::string_view text) {
  auto r = parse_range(text, month_member);
  if (!r) return r;
  // Alertmanager 0.25 checks only the order; months outside 1..12 load and never match.
  if (r->begin > r->end) {
    auto name = [](int m) { return m >= 1 && m <= 12 ? kMonths[m - 1] : std::string_view(); };
    return fail(fmt::format("end month {} is before start month {}", name(r->end), name(r->begin)));
  }
  return r;
}

Result<InclusiveRange> parse_year_range(std::string_view text) {
  auto r = parse_range(text, atoi);
  if (!r) return r;
  if (r->begin > r->end) {
    return fail(fmt::format("end year {} is before start year {}", r->end, r->begin));
  }
  return r;
}

std::string format_clock_minutes(int minutes) {
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

std::string format_weekday_range(const InclusiveRange& r) {
  auto name = [](int d) { return d >= 0 && d <= 6 ? kWeekdays[d] : std::string_view("?"); };
  if (r.begin == r.end) return std::string(name(r.begin));
  return fmt::format("{}:{}", name(r.begin), name(r.end));
}

std::string format_month_range(const InclusiveRange& r) {
  auto name = [](int m) {
    return m >= 1 && m <= 12 ? std::string(kMonths[m - 1]) : std::to_string(m);
  };
  if (r.begin == r.end) return name(r.begin);
  return fmt::format("{}:{}", name(r.begin), name(r.end));
}

std::string format_number_range(const InclusiveRange& r) {
  if (r.begin == r.end) return std::to_string(r.begin);
  return fmt::format("{}:{}", r.begin, r.end);
}

bool TimeInterval::contains(Timestamp t) const {
  using namespace std::chrono;
  gocompat::CivilTime civil = location ? location->civil(t) : gocompat::TimeZone().civil(t);
  const int day = static_cast<int>(static_cast<unsigned>(civil.date.day()));
  const int month = static_cast<int>(static_cast<unsigned>(civil.date.month()));
  const int year = static_cast<int>(civil.date.year());
  // The calendar length of the month (Alertmanager 0.25 measured it in
  // hours, one day short across a daylight saving change; fixed upstream).
  const int month_days = static_cast<int>(static_cast<unsigned>(
      year_month_day_last(civil.date.year(), month_day_last(civil.date.month())).day()));

  if (!any_of(times, [&](const TimeRange& r) {
        return civil.minute_of_day >= r.start_minute && civil.minute_of_day < r.end_minute;
      })) {
    return false;
  }
  if (!any_of(days_of_month, [&](const InclusiveRange& r) {
        int begin = r.begin < 0 ? month_days + r.begin + 1 : r.begin;
        int end = r.end < 0 ? month_days + r.end + 1 : r.end;
        if (begin > month_days) return false;  // starts after this month ends
        begin = std::clamp(begin, -month_days, month_days);
        end = std::clamp(end, -month_days, month_days);
        return day >= begin && day <= end;
      })) {
    return false;
  }
  if (!any_of(months, [&](const InclusiveRange& r) { return in_range(month, r); })) return false;
  const int weekday = static_cast<int>(civil.weekday.c_encoding());
  if (!any_of(weekdays, [&](const InclusiveRange& r) { return in_range(weekday, r); }))
    return false;
  return any_of(years, [&](const InclusiveRange& r) { return in_range(year, r); });
}

bool NamedTimeInterval::contains(Timestamp t) const {
  return std::any_of(time_intervals.begin(), time_intervals.end(),
                     [&](const TimeInterval& ti) { return ti.contains(t); });
}

}  // namespace tocsin::config
