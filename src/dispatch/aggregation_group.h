// The alerts one route gathers for one combination of group_by label values,
// flushed together as one notification per receiver integration
// (Alertmanager's dispatch.aggrGroup).
//
// Timing: the first flush waits group_wait after the group was created (or
// happens at once for an alert that started longer than group_wait ago);
// later flushes come every group_interval. The dispatcher owns the timer;
// the group keeps the state. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <tocsin/notify.h>

#include "dispatch/alert_store.h"
#include "dispatch/route.h"

namespace tocsin::dispatch {

class AggregationGroup {
 public:
  AggregationGroup(const Route& route, Labels labels, Timestamp created);

  const Route& route() const { return route_; }
  const Labels& labels() const { return labels_; }
  const std::string& key() const { return key_; }
  std::uint64_t fingerprint() const { return labels_.fingerprint(); }

  // Adds the alert or replaces the one with its fingerprint (holding the
  // store's copy, not one of its own). True when that moved the next flush
  // earlier.
  bool insert(AlertPtr alert, Timestamp now);
  bool insert(const notify::Alert& alert, Timestamp now) {
    return insert(std::make_shared<const notify::Alert>(alert), now);
  }

  // What a flush at `now` notifies about: every alert held, firing ones with
  // ends_at cleared (so they cannot resolve while in flight), in
  // Alertmanager's order. Empty when there is nothing to flush.
  std::vector<notify::Alert> alerts_to_flush(Timestamp now) const;

  // After a successful flush: drops the resolved alerts that were sent,
  // unless they were updated since.
  void forget_sent_resolved(const std::vector<notify::Alert>& sent, Timestamp now);

  std::vector<notify::Alert> alerts() const;
  bool empty() const;

  // The flush schedule, kept by the dispatcher.
  Timestamp next_flush() const;
  void set_next_flush(Timestamp at);
  bool has_flushed() const;
  void mark_flushed();

 private:
  const Route& route_;
  const Labels labels_;
  const std::string key_;

  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, AlertPtr> alerts_;  // guarded by mu_
  Timestamp next_flush_;                                // guarded by mu_
  bool has_flushed_ = false;                            // guarded by mu_
};

}  // namespace tocsin::dispatch
