// The alerts tocsin holds for notification: every alert its rules fire and
// every alert posted to /api/v2/alerts, one per fingerprint, merged as
// Alertmanager merges a re-posted alert (provider/mem, types.Alert.Merge).
//
// Each stored alert is an immutable shared copy: a put stores a new version
// (never changing one already handed out), and the aggregation groups hold
// the same copy rather than one of their own.
//
// Each put's alerts are handed to the listener (the dispatcher) right after
// they are stored, as one batch in put order. Thread-safe; the listener runs
// on the putting thread, outside the store's lock, in put order for any one
// fingerprint.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <tocsin/notify.h>

namespace tocsin::dispatch {

// One stored version of an alert, shared by the store and the groups.
using AlertPtr = std::shared_ptr<const notify::Alert>;

// Alertmanager's types.Alert.Merge: `newer` (by updated_at) wins, keeping the
// earliest starts_at and the latest explicit ends_at where that applies.
notify::Alert merge_alerts(const notify::Alert& older, const notify::Alert& newer);

class AlertStore {
 public:
  // Told about every stored alert, one at a time.
  using Listener = std::function<void(const notify::Alert&)>;
  // Told about the alerts of one put, as stored, in put order.
  using BatchListener = std::function<void(std::span<const AlertPtr>)>;

  // Stores each alert (merged with the one held when their activity
  // overlaps) and then tells the listener. The alerts are moved into the
  // store; the span form copies them.
  void put(std::vector<notify::Alert>&& alerts);
  void put(std::span<const notify::Alert> alerts);

  std::vector<notify::Alert> list() const;
  // The stored versions themselves (no copy of any alert).
  std::vector<AlertPtr> snapshot() const;
  std::optional<notify::Alert> get(std::uint64_t fingerprint) const;
  std::size_t size() const;

  // Drops every alert resolved at `now`; returns how many.
  std::size_t collect_garbage(Timestamp now);

  // Replaces the listener; null for none.
  void set_listener(Listener listener);
  void set_listener(BatchListener listener);
  void set_listener(std::nullptr_t) { set_listener(BatchListener{}); }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, AlertPtr> alerts_;  // guarded by mu_
  std::shared_ptr<const BatchListener> listener_;       // guarded by mu_
  std::mutex listener_mu_;  // serialises listener calls, keeping put order
};

}  // namespace tocsin::dispatch
