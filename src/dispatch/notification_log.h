// The notification log (Alertmanager 0.25's nflog): for each receiver
// integration and aggregation group, what the last successful notification
// told the receiver — which alerts were firing, which resolved, and when.
// The dedup stage reads it to decide whether to notify again; the stage
// after a successful send writes it.
//
// Threads: every method is safe to call from any thread (each aggregation
// group's flush reads and writes its own entries; a maintenance timer
// collects garbage); a reader-writer lock guards the entries. Time is always
// an argument.
//
// Durability: with a journal, every entry is queued to the store under the
// lock as it is logged; the pipeline waits for it (`wait_written`) before
// it counts the flush done. A crash between the receiver's answer and that
// commit loses the entry, so that one notification is sent again after the
// restart: at least once, never lost.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

// One integration of a receiver: "team-x", "slack", 0 is the first
// slack_configs entry of receiver team-x (nflogpb.Receiver).
struct NotificationTarget {
  std::string receiver;     // the receiver's name (group_name)
  std::string integration;  // "webhook", "slack", "pagerduty", "email"
  std::uint32_t index = 0;  // position among the receiver's configs of that integration

  bool operator==(const NotificationTarget&) const = default;
};

// The hashes of alerts (alert_hash in dedup.h) a notification was about.
using AlertHashSet = std::unordered_set<std::uint64_t>;

struct NotificationLogEntry {
  std::string group_key;
  NotificationTarget target;
  Timestamp timestamp{};  // when the notification succeeded
  std::vector<std::uint64_t> firing_alerts;
  std::vector<std::uint64_t> resolved_alerts;
  Timestamp expires_at{};  // when garbage collection may drop it

  // nflogpb.Entry.IsFiringSubset / IsResolvedSubset: is every hash of
  // `subset` among the firing (resolved) alerts notified about?
  bool is_firing_subset(const AlertHashSet& subset) const;
  bool is_resolved_subset(const AlertHashSet& subset) const;

  bool operator==(const NotificationLogEntry&) const = default;
};

class NotificationLog {
 public:
  // `retention`: how long an entry is kept after it was written
  // (Alertmanager's --data.retention, 120h by default). `journal`: where
  // entries are written; null keeps them in memory only.
  explicit NotificationLog(Duration retention = std::chrono::hours(120),
                           std::shared_ptr<store::Writer> journal = nullptr);

  // Records a successful notification at `now` (nflog.Log) and queues it
  // for the store; returns what to pass to wait_written (0: nothing
  // queued). The entry expires after the retention, or after `expiry` when
  // that is positive and shorter (the pipeline passes twice the repeat
  // interval). A log older than the entry held (clock skew) changes nothing.
  store::Writer::Sequence log(const NotificationTarget& target, std::string_view group_key,
                              std::vector<std::uint64_t> firing_alerts,
                              std::vector<std::uint64_t> resolved_alerts, Duration expiry,
                              Timestamp now);

  // The entry `log` would record (with its expiry), without recording it.
  NotificationLogEntry entry(const NotificationTarget& target, std::string_view group_key,
                             std::vector<std::uint64_t> firing_alerts,
                             std::vector<std::uint64_t> resolved_alerts, Duration expiry,
                             Timestamp now) const;

  // Takes entries written elsewhere (another replica, or this one straight
  // to a shared database: cluster.h), each unless the one held is newer;
  // queues nothing.
  void merge(const std::vector<store::NotificationRow>& rows);

  // Waits up to `timeout` until the entry `log` returned `sequence` for is
  // committed; the reason when it is not.
  Status wait_written(store::Writer::Sequence sequence, Duration timeout) const;

  // The last entry for the integration and group (nflog.Query); nullopt
  // when none is held.
  std::optional<NotificationLogEntry> query(const NotificationTarget& target,
                                            std::string_view group_key) const;

  // Drops the entries expired at `now`, in memory and (queued, not waited
  // for) in the store; returns how many.
  std::size_t collect_garbage(Timestamp now);

  std::size_t size() const;

  // Replaces every entry with the stored ones (at start, before the first
  // flush).
  void restore(const std::vector<store::NotificationRow>& rows);

 private:
  // nflog's stateKey: "{group key}:{receiver}/{integration}/{index}".
  static std::string key(const NotificationTarget& target, std::string_view group_key);

  const Duration retention_;
  const std::shared_ptr<store::Writer> journal_;  // may be null
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, NotificationLogEntry> entries_;  // guarded by mu_
};

// The entry as the store keeps it, and back.
store::NotificationRow notification_row(const NotificationLogEntry& entry);
NotificationLogEntry notification_from_row(store::NotificationRow row);

}  // namespace tocsin::dispatch
