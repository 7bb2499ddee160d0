// Time and durations at the precision Prometheus uses for rule evaluation
// (milliseconds), with Prometheus's duration syntax ("1h30m", "5m", "0").
//
// Nothing below src/ reads the wall clock directly: evaluation, scheduling
// and dispatch take a `Timestamp` or a `Clock`, so tests drive them with a
// fake clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin {

using Duration = std::chrono::milliseconds;
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Prometheus's model.ParseDuration: units y w d h m s ms, largest first,
// each at most once, integers only; "0" is zero.
Result<Duration> parse_duration(std::string_view text);

// Prometheus's model.Duration.String(): "1h30m", "90d", "0s".
std::string format_duration(Duration d);

// RFC 3339 with the fractional seconds Go's time.RFC3339Nano keeps
// (trailing zeros dropped), always in UTC: "2024-05-01T12:00:00.25Z".
std::string format_rfc3339(Timestamp t);

// Accepts RFC 3339 ("2024-05-01T12:00:00Z", with optional fraction and
// offset) or Unix seconds with an optional fraction ("1714564800.5").
Result<Timestamp> parse_time(std::string_view text);

// Unix seconds with millisecond precision, as the Prometheus API takes them.
std::string format_unix_seconds(Timestamp t);

inline double to_unix_seconds(Timestamp t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

// The wall clock now, at Timestamp's precision.
Timestamp wall_now();

// The source of "now". Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace tocsin
