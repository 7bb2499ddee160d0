#include "dispatch/dedup.h"

namespace tocsin::dispatch {

AlertHashes hash_alerts(std::span<const notify::Alert> alerts, Timestamp now) {
  AlertHashes out;
  for (const notify::Alert& alert : alerts) {
    std::uint64_t hash = alert_hash(alert.labels);
    if (alert.resolved_at(now)) {
      out.resolved.push_back(hash);
      out.resolved_set.insert(hash);
    } else {
      out.firing.push_back(hash);
      out.firing_set.insert(hash);
    }
  }
  return out;
}

bool needs_update(const NotificationLogEntry* last, const AlertHashSet& firing,
                  const AlertHashSet& resolved, bool send_resolved, Duration repeat_interval,
                  Timestamp now, bool repeat) {
  if (last == nullptr) return !firing.empty();
  if (!last->is_firing_subset(firing)) return true;
  // All resolved: tell the receiver only if it was told of firing alerts;
  // alerts that fired and resolved between two flushes were never its news.
  if (firing.empty()) return !last->firing_alerts.empty();
  if (send_resolved && !last->is_resolved_subset(resolved)) return true;
  return repeat && last->timestamp < now - repeat_interval;
}

}  // namespace tocsin::dispatch
