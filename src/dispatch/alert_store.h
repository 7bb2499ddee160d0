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
//
// Durability: with a journal, each put queues what it changed (one batch,
// before the listener sees the alerts), so a restart finds every alert and
// the dispatcher regroups them, the inhibitor sees its sources before the
// first flush, and a resolve that was due is still sent. Only what matters
// is written: a re-posted alert whose labels, annotations and start are the
// same is written again only when its stored end time has used up half of
// its remaining life (Prometheus re-sends every minute with an end four
// minutes ahead: one write in three), so a restored firing alert never
// times out early. A crash loses the puts queued and not committed: their
// senders send them again (Prometheus every resend_delay; tocsin's rules
// re-send what they restored).
//
// History: alerts posted to the API (and those of heartbeats) record
// "firing" when they start firing and "resolved" when a resolve arrives or
// their end time passes (noticed at the next put or garbage collection);
// alerts of tocsin's own rules are recorded by the rules, with their
// pending state.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <tocsin/notify.h>

#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

// One stored version of an alert, shared by the store and the groups.
using AlertPtr = std::shared_ptr<const notify::Alert>;

// Alertmanager's types.Alert.Merge: `newer` (by updated_at) wins, keeping the
// earliest starts_at and the latest explicit ends_at where that applies.
notify::Alert merge_alerts(const notify::Alert& older, const notify::Alert& newer);

// Who put an alert: a client of the API, one of tocsin's rules, or a
// heartbeat gone missing (heartbeats.h).
enum class AlertOrigin { kApi, kRule, kHeartbeat };

class AlertStore {
 public:
  // No journal: memory only.
  explicit AlertStore(std::shared_ptr<store::Writer> journal = nullptr);

  // Puts back what the store held, before any listener is set; queues
  // nothing.
  void restore(const std::vector<store::AlertRow>& rows);

  // Told about every stored alert, one at a time.
  using Listener = std::function<void(const notify::Alert&)>;
  // Told about the alerts of one put, as stored, in put order.
  using BatchListener = std::function<void(std::span<const AlertPtr>)>;

  // Stores each alert (merged with the one held when their activity
  // overlaps) and then tells the listener. The alerts are moved into the
  // store; the span form copies them.
  void put(std::vector<notify::Alert>&& alerts, AlertOrigin origin = AlertOrigin::kApi);
  void put(std::span<const notify::Alert> alerts, AlertOrigin origin = AlertOrigin::kApi);

  // Stores what another replica wrote (cluster.h), merged as a put merges,
  // and tells the listener; queues nothing (it is in the store already)
  // and records no history (the replica that received it did).
  void merge_from_peers(const std::vector<store::AlertRow>& rows);

  std::vector<notify::Alert> list() const;
  // The stored versions themselves (no copy of any alert).
  std::vector<AlertPtr> snapshot() const;

  // Whether any of `alerts` is held as this replica's own rules last sent
  // it (not as another replica's, merged from the database): news only
  // this replica may have while the database is away.
  bool any_from_own_rules(std::span<const notify::Alert> alerts) const;
  std::optional<notify::Alert> get(std::uint64_t fingerprint) const;
  std::size_t size() const;

  // Drops every alert resolved at `now`; returns how many.
  std::size_t collect_garbage(Timestamp now);

  // Replaces the listener; null for none.
  void set_listener(Listener listener);
  void set_listener(BatchListener listener);
  void set_listener(std::nullptr_t) { set_listener(BatchListener{}); }

 private:
  struct Entry {
    AlertPtr alert;
    AlertOrigin origin = AlertOrigin::kApi;
    Timestamp stored_ends_at{};    // the end time the journal last wrote
    bool recorded_firing = false;  // the history's last word on it was "firing"
    bool from_peer = false;        // last stored by merge_from_peers
  };

  // Stores `alerts`, journaled or not, and tells the listener.
  void store(std::vector<notify::Alert>&& alerts, AlertOrigin origin, bool journal,
             std::span<const Timestamp> stored_ends = {}, bool from_peer = false);
  // What the journal needs to hear about `next` replacing `entry` (whose
  // alert is null for a new one), appended to `changes`.
  void journal_put(Entry& entry, const AlertPtr& next, store::Batch& changes) const;

  const std::shared_ptr<store::Writer> journal_;
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, Entry> alerts_;  // guarded by mu_
  std::shared_ptr<const BatchListener> listener_;    // guarded by mu_
  std::mutex listener_mu_;                           // serialises listener calls, keeping put order
};

}  // namespace tocsin::dispatch
