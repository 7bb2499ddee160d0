// A route's time intervals as pipeline stages (Alertmanager 0.25's
// TimeActiveStage and TimeMuteStage): notifications of a route are held back
// while the time is inside one of its mute_time_intervals, or outside all of
// its active_time_intervals when it names any.
//
// Built once per route and configuration; immutable afterwards, so
// should_mute may be called from any thread.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/time_interval.h"

namespace tocsin::dispatch {

class TimeMute {
 public:
  // Looks the names up among the configuration's intervals. An unknown
  // name fails with Alertmanager's "time interval NAME doesn't exist in
  // config" (the loader refuses such configs, so this is a safeguard).
  static Result<TimeMute> create(std::span<const std::string> mute_time_intervals,
                                 std::span<const std::string> active_time_intervals,
                                 std::span<const config::NamedTimeInterval> intervals);

  // Inside a mute interval (TimeMuteStage).
  bool in_mute_time(Timestamp now) const;
  // Inside an active interval, or no active intervals named (TimeActiveStage).
  bool in_active_time(Timestamp now) const;
  // Drop the flush's alerts: muted, or not active.
  bool should_mute(Timestamp now) const { return !in_active_time(now) || in_mute_time(now); }

 private:
  using Intervals = std::vector<config::TimeInterval>;
  TimeMute(Intervals mute, Intervals active, bool has_active)
      : mute_(std::move(mute)), active_(std::move(active)), has_active_(has_active) {}

  static bool contains(const Intervals& intervals, Timestamp now);

  Intervals mute_;    // every interval of every named mute interval
  Intervals active_;  // likewise for the active ones
  bool has_active_;   // names were given (even if they hold no interval)
};

}  // namespace tocsin::dispatch
