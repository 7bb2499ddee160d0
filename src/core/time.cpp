#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include <tocsin/time.h>

namespace tocsin {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t millis;
};
// Largest first; "ms" precedes "m" and "s" so that the suffix match is exact.
constexpr std::array<Unit, 7> kUnits = {{{"y", 365LL * 24 * 3600 * 1000},
                                         {"w", 7LL * 24 * 3600 * 1000},
                                         {"d", 24LL * 3600 * 1000},
                                         {"h", 3600LL * 1000},
                                         {"m", 60LL * 1000},
                                         {"s", 1000},
                                         {"ms", 1}}};

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  auto invalid = [&] { return fail(fmt::format("not a valid duration string: \"{}\"", text)); };
  if (text == "0") return Duration(0);
  if (text.empty()) return invalid();

  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must appear in decreasing order, once each
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0) return invalid();
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + digits, n);
    if (ec != std::errc()) return fail("duration out of range");
    rest.remove_prefix(digits);

    // Longest suffix that is a unit: "ms" before "m".
    std::optional<std::size_t> unit;
    for (std::size_t u = next_unit; u < kUnits.size(); ++u) {
      if (rest.starts_with(kUnits[u].suffix) &&
          (!unit || kUnits[u].suffix.size() > kUnits[*unit].suffix.size())) {
        unit = u;
      }
    }
    if (!unit) return invalid();  // no unit, an unknown one, or one out of order
    rest.remove_prefix(kUnits[*unit].suffix.size());
    if (n > std::numeric_limits<std::int64_t>::max() / kUnits[*unit].millis ||
        total > std::numeric_limits<std::int64_t>::max() - n * kUnits[*unit].millis) {
      return fail("duration out of range");
    }
    total += n * kUnits[*unit].millis;
    next_unit = *unit + 1;
  }
  // Go's time.Duration is int64 nanoseconds; Prometheus rejects what overflows it.
  if (total > std::numeric_limits<std::int64_t>::max() / 1'000'000) {
    return fail("duration out of range");
  }
  return Duration(total);
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {  // not produced by the parser; kept readable
    out += '-';
    ms = -ms;
  }
  for (const Unit& unit : kUnits) {
    // Years and weeks only when they divide exactly: "90d" reads better than "12w6d".
    bool exact_only = unit.suffix == "y" || unit.suffix == "w";
    if (exact_only && ms % unit.millis != 0) continue;
    if (std::int64_t v = ms / unit.millis; v > 0) {
      out += fmt::format("{}{}", v, unit.suffix);
      ms -= v * unit.millis;
    }
  }
  return out;
}

std::string format_rfc3339(Timestamp t) {
  auto ms = t.time_since_epoch().count();
  auto secs =
      std::chrono::sys_seconds(std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()));
  int frac = static_cast<int>(ms - secs.time_since_epoch().count() * 1000);
  auto days = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{secs - days};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  hms.hours().count(), hms.minutes().count(), hms.seconds().count());
  if (frac != 0) {
    std::string f = fmt::format("{:03}", frac);
    while (f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  out += 'Z';
  return out;
}

std::string format_unix_seconds(Timestamp t) {
  auto ms = t.time_since_epoch().count();
  auto secs = ms / 1000;
  auto frac = ms % 1000;
  if (frac < 0) {
    secs -= 1;
    frac += 1000;
  }
  if (frac == 0) return fmt::format("{}", secs);
  return fmt::format("{}.{:03}", secs, frac);
}

namespace {

bool read_int(std::string_view& s, std::size_t n, int& out) {
  if (s.size() < n) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(n);
  return true;
}

bool expect(std::string_view& s, char c) {
  if (s.empty() || (s.front() != c && !(c == 'T' && (s.front() == 't' || s.front() == ' ')))) {
    return false;
  }
  s.remove_prefix(1);
  return true;
}

std::optional<Timestamp> parse_rfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!read_int(s, 4, year) || !expect(s, '-') || !read_int(s, 2, month) || !expect(s, '-') ||
      !read_int(s, 2, day) || !expect(s, 'T') || !read_int(s, 2, hour) || !expect(s, ':') ||
      !read_int(s, 2, minute) || !expect(s, ':') || !read_int(s, 2, second)) {
    return std::nullopt;
  }
  std::int64_t millis = 0;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int scale = 100;
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      millis += (s[n] - '0') * scale;
      scale /= 10;
      ++n;
    }
    if (n == 0) return std::nullopt;
    s.remove_prefix(n);
  }
  int offset_minutes = 0;
  if (s == "Z" || s == "z") {
    s = {};
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!read_int(s, 2, oh) || !expect(s, ':') || !read_int(s, 2, om)) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (!s.empty()) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  auto tp = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
            std::chrono::seconds(second) - std::chrono::minutes(offset_minutes);
  return std::chrono::time_point_cast<Duration>(tp) + Duration(millis);
}

}  // namespace

Result<Timestamp> parse_time(std::string_view text) {
  if (auto t = parse_rfc3339(text)) return *t;
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(seconds)) {
    return Timestamp(Duration(static_cast<std::int64_t>(std::llround(seconds * 1000.0))));
  }
  return fail(fmt::format("cannot parse \"{}\" as a time: want RFC 3339 or Unix seconds", text));
}

bool Clock::sleep_until(Timestamp deadline, std::stop_token stop) const {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  wait_until(lock, cv, deadline, stop, [] { return false; });
  return !stop.stop_requested();
}

const Clock& Clock::system() {
  static const SystemClock clock;
  return clock;
}

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

bool SystemClock::wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                             Timestamp deadline, std::stop_token stop,
                             const std::function<bool()>& ready) const {
  return cv.wait_until(lock, std::move(stop), deadline, [&ready] { return ready(); });
}

}  // namespace tocsin
