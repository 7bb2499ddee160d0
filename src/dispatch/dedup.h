// The dedup decision (Alertmanager 0.25's DedupStage): given what the
// notification log says the receiver was last told and the alerts of the
// group now, should this flush notify the integration?
//
// Pure functions of their arguments; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "dispatch/notification_log.h"

namespace tocsin::dispatch {

// notify.hashAlert: xxHash64 over the sorted label names and values, each
// followed by 0xff (what Labels::hash computes). Not the fingerprint.
inline std::uint64_t alert_hash(const Labels& labels) {
  return labels.hash();
}

// The group's alerts split as DedupStage.Exec splits them at `now`; the
// lists keep the alerts' order and are what the log records after a send.
struct AlertHashes {
  std::vector<std::uint64_t> firing;
  std::vector<std::uint64_t> resolved;
  AlertHashSet firing_set;
  AlertHashSet resolved_set;
};
AlertHashes hash_alerts(std::span<const notify::Alert> alerts, Timestamp now);

// DedupStage.needsUpdate. Notify when:
//   - nothing was logged yet, and some alert is firing;
//   - an alert is firing that the last notification did not report firing;
//   - no alert is firing, and the last notification reported some firing
//     (whatever send_resolved says, so the log forgets them);
//   - send_resolved, and an alert is resolved that the last notification did
//     not report resolved;
//   - otherwise, when the last notification is older than repeat_interval
//     (strictly: at exactly repeat_interval, not yet), unless `repeat` is
//     false (tocsin: every firing alert is acknowledged).
bool needs_update(const NotificationLogEntry* last, const AlertHashSet& firing,
                  const AlertHashSet& resolved, bool send_resolved, Duration repeat_interval,
                  Timestamp now, bool repeat = true);

}  // namespace tocsin::dispatch
