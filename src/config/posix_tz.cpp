#include "config/posix_tz.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace tocsin::config {
namespace {

using std::chrono::seconds;

// Reads the input left to right; every step reports failure by returning false.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // A zone abbreviation: three or more letters, or anything but '>' in <...>.
  bool name() {
    if (accept('<')) {
      auto close = text_.find('>', pos_);
      if (close == std::string_view::npos || close - pos_ < 3) return false;
      pos_ = close + 1;
      return true;
    }
    std::size_t start = pos_;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) ++pos_;
    return pos_ - start >= 3;
  }

  bool number(int max, int& out) {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
    out = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      out = out * 10 + (text_[pos_++] - '0');
      if (out > max) return false;
    }
    return true;
  }

  // [+-]hh[:mm[:ss]]; hours up to `max_hours`.
  bool hms(int max_hours, seconds& out) {
    int sign = 1;
    if (accept('-')) {
      sign = -1;
    } else {
      accept('+');
    }
    int h = 0, m = 0, s = 0;
    if (!number(max_hours, h)) return false;
    if (accept(':')) {
      if (!number(59, m)) return false;
      if (accept(':') && !number(59, s)) return false;
    }
    out = seconds(sign * (h * 3600 + m * 60 + s));
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

}  // namespace

Result<PosixTz> PosixTz::parse(std::string_view text) {
  auto bad = [&] { return fail(fmt::format("invalid POSIX TZ rule \"{}\"", text)); };
  Cursor in(text);
  PosixTz tz;
  seconds west{0};
  if (!in.name() || !in.hms(24, west)) return bad();
  tz.std_offset_ = -west;
  if (in.done()) return tz;

  DstRule dst;
  if (!in.name()) return bad();
  dst.offset = tz.std_offset_ + seconds(3600);
  if (in.peek() != ',' && !in.done()) {
    if (!in.hms(24, west)) return bad();
    dst.offset = -west;
  }
  // Without a rule POSIX leaves the dates to the implementation; use the
  // current US rule, as glibc does.
  dst.start = RuleDate{DateKind::kMonthWeekDay, 0, 3, 2, seconds(7200)};
  dst.end = RuleDate{DateKind::kMonthWeekDay, 0, 11, 1, seconds(7200)};
  if (!in.done()) {
    auto rule_date = [&](RuleDate& date) {
      if (!in.accept(',')) return false;
      if (in.accept('J')) {
        date.kind = DateKind::kJulianNoLeap;
        if (!in.number(365, date.day) || date.day < 1) return false;
      } else if (in.accept('M')) {
        date.kind = DateKind::kMonthWeekDay;
        if (!in.number(12, date.month) || date.month < 1 || !in.accept('.') ||
            !in.number(5, date.week) || date.week < 1 || !in.accept('.') ||
            !in.number(6, date.day)) {
          return false;
        }
      } else {
        date.kind = DateKind::kZeroBasedDay;
        if (!in.number(365, date.day)) return false;
      }
      date.time = seconds(7200);
      if (in.accept('/') && !in.hms(167, date.time)) return false;
      return true;
    };
    if (!rule_date(dst.start) || !rule_date(dst.end) || !in.done()) return bad();
  }
  tz.dst_ = dst;
  return tz;
}

std::chrono::sys_seconds PosixTz::instant(const RuleDate& date, int year, seconds offset) {
  using namespace std::chrono;
  sys_days day;
  switch (date.kind) {
    case DateKind::kJulianNoLeap: {
      int index = date.day - 1 + (is_leap(year) && date.day >= 60 ? 1 : 0);
      day = sys_days(std::chrono::year(year) / January / 1) + days(index);
      break;
    }
    case DateKind::kZeroBasedDay:
      day = sys_days(std::chrono::year(year) / January / 1) + days(date.day);
      break;
    case DateKind::kMonthWeekDay: {
      year_month ym = std::chrono::year(year) / month(static_cast<unsigned>(date.month));
      auto first = sys_days(ym / 1);
      auto wanted = weekday(static_cast<unsigned>(date.day));
      day = first + (wanted - weekday(first)) + days(7 * (date.week - 1));
      auto next_month = sys_days((ym + months(1)) / 1);
      while (day >= next_month) day -= days(7);
      break;
    }
  }
  return sys_seconds(day) + date.time - offset;
}

seconds PosixTz::offset_at(std::chrono::sys_seconds t) const {
  using namespace std::chrono;
  if (!dst_) return std_offset_;
  int year = static_cast<int>(year_month_day(floor<days>(t + std_offset_)).year());
  // Every change in the years around `t`, in time order; the last one at or
  // before `t` says which offset applies. A change back to standard time
  // sorts before a change to daylight time at the same instant.
  std::array<std::pair<sys_seconds, bool>, 6> changes;
  std::size_t n = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    changes[n++] = {instant(dst_->start, y, std_offset_), true};
    changes[n++] = {instant(dst_->end, y, dst_->offset), false};
  }
  std::sort(changes.begin(), changes.end());
  bool in_dst = false;
  for (const auto& [when, to_dst] : changes) {
    if (when > t) break;
    in_dst = to_dst;
  }
  return in_dst ? dst_->offset : std_offset_;
}

}  // namespace tocsin::config
