// Time and durations at the precision Prometheus uses for rule evaluation
// (milliseconds), with Prometheus's duration syntax ("1h30m", "5m", "0").
//
// "Now" comes in from outside: rule evaluation takes a `Timestamp`; the rule
// group runner, the dispatcher, the pipeline, the notification service, the
// Alertmanager API handlers and the daemon read the time from a `Clock` they
// are handed, and wait on it, so tests drive them with a fake clock
// (tests/support/fake_clock.h) instead of sleeping. Three kinds of reads stay
// off the Clock on purpose: log lines are stamped with the wall clock; how
// long something took, for metrics, is measured on std::chrono::steady_clock;
// and the CLI's one-shot commands (`check`) query Prometheus at the wall
// clock's now.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
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

// The source of "now", and the one way tocsin's threads wait for a time to
// come, so that a fake clock can wake them when it is advanced.
// Implementations are thread-safe. A component reads now() once per batch or
// per event it handles, not once per alert.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;

  // Blocks until `ready()` is true, `stop` is requested, or now() reaches
  // `deadline`; returns ready(). As with std::condition_variable_any,
  // `lock` holds the mutex that guards what `ready` reads (held on entry and
  // on return, released while blocked), and other threads change that state
  // under the mutex and then notify `cv`. `ready` runs with `lock` held and
  // must not wait on this clock.
  virtual bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                          Timestamp deadline, std::stop_token stop,
                          const std::function<bool()>& ready) const = 0;

  // Blocks until now() reaches `deadline` or `stop` is requested; false
  // when stopped.
  bool sleep_until(Timestamp deadline, std::stop_token stop) const;

  // The wall clock (a SystemClock), shared; lives as long as the program.
  static const Clock& system();
};

// The wall clock: std::chrono::system_clock, waited on with the condition
// variable's own timed wait.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
  bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                  Timestamp deadline, std::stop_token stop,
                  const std::function<bool()>& ready) const override;
};

}  // namespace tocsin
