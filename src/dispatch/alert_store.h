// The alerts tocsin holds for notification: every alert its rules fire and
// every alert posted to /api/v2/alerts, one per fingerprint, merged as
// Alertmanager merges a re-posted alert (provider/mem, types.Alert.Merge).
//
// Each stored alert is handed to the listener (the dispatcher) right after
// it is stored. Thread-safe; the listener runs on the putting thread,
// outside the store's lock, in put order for any one fingerprint.
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

// Alertmanager's types.Alert.Merge: `newer` (by updated_at) wins, keeping the
// earliest starts_at and the latest explicit ends_at where that applies.
notify::Alert merge_alerts(const notify::Alert& older, const notify::Alert& newer);

class AlertStore {
 public:
  using Listener = std::function<void(const notify::Alert&)>;

  // Stores each alert (merged with the one held when their activity
  // overlaps) and then tells the listener.
  void put(std::span<const notify::Alert> alerts);

  std::vector<notify::Alert> list() const;
  std::optional<notify::Alert> get(std::uint64_t fingerprint) const;
  std::size_t size() const;

  // Drops every alert resolved at `now`; returns how many.
  std::size_t collect_garbage(Timestamp now);

  // Replaces the listener; null for none.
  void set_listener(Listener listener);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, notify::Alert> alerts_;  // guarded by mu_
  std::shared_ptr<const Listener> listener_;                 // guarded by mu_
  std::mutex listener_mu_;  // serialises listener calls, keeping put order
};

}  // namespace tocsin::dispatch
