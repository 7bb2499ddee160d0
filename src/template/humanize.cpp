#include "template/humanize.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "gocompat/fmt.h"
#include "gocompat/strconv.h"
#include "gocompat/time_format.h"

namespace tocsin::tmpl {
namespace {

// fmt.Sprintf("%.4g", v): strconv's 'g' with 4 digits, "+Inf" kept.
std::string g4(double v) {
  return gocompat::format_float(v, 'g', 4);
}

// Go's int64(v) on amd64: out-of-range values become math.MinInt64.
std::int64_t go_int64(double v) {
  if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return static_cast<std::int64_t>(v);
}

constexpr std::array<std::string_view, 8> kSmallPrefixes = {"m", "u", "n", "p", "f", "a", "z", "y"};

}  // namespace

std::string humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return g4(v);
  if (std::fabs(v) >= 1) {
    static constexpr std::array<std::string_view, 8> kPrefixes = {"k", "M", "G", "T",
                                                                  "P", "E", "Z", "Y"};
    std::string_view prefix;
    for (std::string_view p : kPrefixes) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + std::string(prefix);
  }
  std::string_view prefix;
  for (std::string_view p : kSmallPrefixes) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + std::string(prefix);
}

std::string humanize_1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return g4(v);
  static constexpr std::array<std::string_view, 8> kPrefixes = {"ki", "Mi", "Gi", "Ti",
                                                                "Pi", "Ei", "Zi", "Yi"};
  std::string_view prefix;
  for (std::string_view p : kPrefixes) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + std::string(prefix);
}

std::string humanize_duration(double v) {
  if (std::isnan(v) || std::isinf(v)) return g4(v);
  if (v == 0) return g4(v) + "s";
  if (std::fabs(v) >= 1) {
    std::string_view sign;
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    std::int64_t duration = go_int64(v);
    std::int64_t seconds = duration % 60;
    std::int64_t minutes = (duration / 60) % 60;
    std::int64_t hours = (duration / 60 / 60) % 24;
    std::int64_t days = duration / 60 / 60 / 24;
    if (days != 0) return fmt::format("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds);
    if (hours != 0) return fmt::format("{}{}h {}m {}s", sign, hours, minutes, seconds);
    if (minutes != 0) return fmt::format("{}{}m {}s", sign, minutes, seconds);
    return fmt::format("{}{}s", sign, g4(v));
  }
  std::string_view prefix;
  for (std::string_view p : kSmallPrefixes) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return fmt::format("{}{}s", g4(v), prefix);
}

std::string humanize_percentage(double v) {
  return g4(v * 100) + "%";
}

FloatTimeError float_to_time(double v, FloatTime& out) {
  if (std::isnan(v) || std::isinf(v)) return FloatTimeError::kNaNOrInf;
  double timestamp = v * 1e9;
  if (timestamp > 9223372036854775807.0 || timestamp < -9223372036854775808.0) {
    return FloatTimeError::kOverflow;
  }
  std::int64_t nanos = go_int64(timestamp);
  std::int64_t millis = nanos / 1'000'000;  // model.TimeFromUnixNano truncates to ms
  std::int64_t sec = millis / 1000;
  std::int64_t nsec = (millis % 1000) * 1'000'000;
  if (nsec < 0) {  // time.Unix normalizes into [0, 1e9)
    nsec += 1'000'000'000;
    --sec;
  }
  out = FloatTime{sec, static_cast<std::int32_t>(nsec)};
  return FloatTimeError::kNone;
}

std::string float_overflow_message(double v) {
  return fmt::format("{} cannot be represented as a nanoseconds timestamp since it overflows int64",
                     gocompat::sprint_float(v));
}

Result<std::string> humanize_timestamp(double v) {
  FloatTime t{};
  switch (float_to_time(v, t)) {
    case FloatTimeError::kNaNOrInf:
      return g4(v);
    case FloatTimeError::kOverflow:
      return fail(float_overflow_message(v));
    case FloatTimeError::kNone:
      break;
  }
  return gocompat::time_string(t.seconds, t.nanos);
}

}  // namespace tocsin::tmpl
