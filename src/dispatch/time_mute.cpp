#include "dispatch/time_mute.h"

#include <algorithm>

#include <fmt/format.h>

namespace tocsin::dispatch {

Result<TimeMute> TimeMute::create(std::span<const std::string> mute_time_intervals,
                                  std::span<const std::string> active_time_intervals,
                                  std::span<const config::NamedTimeInterval> intervals) {
  auto gather = [&](std::span<const std::string> names) -> Result<Intervals> {
    Intervals out;
    for (const std::string& name : names) {
      auto it = std::ranges::find(intervals, name, &config::NamedTimeInterval::name);
      if (it == intervals.end()) {
        return fail(fmt::format("time interval {} doesn't exist in config", name));
      }
      out.insert(out.end(), it->time_intervals.begin(), it->time_intervals.end());
    }
    return out;
  };
  auto mute = gather(mute_time_intervals);
  if (!mute) return std::unexpected(mute.error());
  auto active = gather(active_time_intervals);
  if (!active) return std::unexpected(active.error());
  return TimeMute(std::move(*mute), std::move(*active), !active_time_intervals.empty());
}

bool TimeMute::contains(const Intervals& intervals, Timestamp now) {
  return std::ranges::any_of(intervals,
                             [&](const config::TimeInterval& i) { return i.contains(now); });
}

bool TimeMute::in_mute_time(Timestamp now) const {
  return contains(mute_, now);
}

bool TimeMute::in_active_time(Timestamp now) const {
  return !has_active_ || contains(active_, now);
}

}  // namespace tocsin::dispatch
