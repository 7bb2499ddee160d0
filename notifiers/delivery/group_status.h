// A notification's status as Alertmanager's types.Alerts(...).Status()
// gives it: "firing" while any of its alerts fires at the flush time,
// "resolved" once all have resolved. Webhook, PagerDuty, Discord and Teams
// decide their status field, event type or color by it.
#pragma once

#include <algorithm>
#include <span>

#include <tocsin/notify.h>
#include <tocsin/time.h>

namespace tocsin::notifiers {

inline bool any_firing(std::span<const notify::Alert> alerts, Timestamp now) {
  return std::ranges::any_of(alerts,
                             [&](const notify::Alert& alert) { return !alert.resolved_at(now); });
}

}  // namespace tocsin::notifiers
