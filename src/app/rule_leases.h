// Which rule groups this replica evaluates, when several replicas share
// one database (store/cluster.h): the rules::GroupLeases the rule groups
// of a replica run under.
//
// Assignment: each group is wanted by the one replica that rendezvous
// hashing of its key picks among the replicas alive
// (dispatch::Replicas::preferred), so groups spread evenly and move only
// when a replica joins or leaves. `renew` (after every announcement) takes
// or renews the leases of the wanted groups; a group no longer wanted is
// given up at once (no longer evaluated here, its lease released), and the
// replica that wants it takes it at its next renewal.
//
// Holding: a lease counts as held until `ttl - margin` after the renewal
// that took it began, on this replica's steady clock: short of its expiry
// in the database, whatever the two clocks say. A replica paused past that
// evaluates, stores and sends nothing until a renewal succeeds again
// (fencing: RuleGroup::eval checks the lease before anything leaves it).
//
// The database away: the leases held when a renewal first failed are kept,
// without expiry, until one succeeds again: every replica goes on
// evaluating the groups it had (the others cannot take them meanwhile
// either). A lease that had already run out when the failure was seen (the
// replica was paused) is not kept.
//
// The term `held` returns changes only when the group may have changed
// hands: a lease this replica takes back after it lapsed, with nobody
// holding it in between, keeps the term, so the group goes on from its
// state in memory.
//
// Threads: `renew` and `release` from one thread at a time (the
// follower's, then the daemon's); `held` and `stored` from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "dispatch/replicas.h"
#include "rules/group.h"

namespace tocsin::app {

class RuleLeases final : public rules::GroupLeases {
 public:
  struct Options {
    std::shared_ptr<dispatch::Replicas> replicas;  // never null
    // The keys of the rule groups loaded now ("FILE;NAME").
    std::function<std::vector<std::string>()> groups;
    Duration ttl = std::chrono::seconds(15);
    Duration margin = std::chrono::seconds(3);
    prometheus::Registry* registry = nullptr;  // where its metrics go; none if null
  };

  explicit RuleLeases(Options options);

  // Takes or renews the leases of the groups this replica wants now.
  Status renew();
  // Gives every lease up (a clean stop, once the last evaluations are
  // stored), so that the other replicas take the groups at once. Only the
  // first call does; no renewal may follow.
  Status release();

  std::optional<std::int64_t> held(const std::string& key) const override;
  Result<store::RuleGroupState> stored(const std::string& key) override;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Lease {
    std::int64_t term = 0;  // what `held` returns
    std::int64_t epoch = 0;
    SteadyTime until{};  // max(): kept while the database is away
  };
  void publish(const std::vector<std::string>& loaded);

  const Options options_;
  mutable std::mutex mu_;
  std::map<std::string, Lease, std::less<>> leases_;  // guarded by mu_
  bool away_ = false;                                 // the last renewal failed; guarded by mu_
  bool released_ = false;                             // guarded by mu_

  // tocsin_cluster_rule_group_held{rule_group}: 1 while this replica holds
  // the group's lease; tocsin_cluster_rule_group_takeovers_total: terms
  // begun; tocsin_cluster_lease_failures_total: renewals that failed.
  prometheus::Family<prometheus::Gauge>* held_family_ = nullptr;
  std::map<std::string, prometheus::Gauge*> held_gauges_;  // the renewing thread's
  prometheus::Counter* takeovers_ = nullptr;
  prometheus::Counter* failures_ = nullptr;
};

}  // namespace tocsin::app
