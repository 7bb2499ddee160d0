#include "app/rule_leases.h"

#include <set>

#include "core/log.h"

namespace tocsin::app {

RuleLeases::RuleLeases(Options options) : options_(std::move(options)) {
  if (options_.registry == nullptr) return;
  prometheus::Registry& registry = *options_.registry;
  held_family_ = &prometheus::BuildGauge()
                      .Name("tocsin_cluster_rule_group_held")
                      .Help(
                          "1 while this replica holds the rule group's lease and evaluates it, "
                          "0 while another replica does.")
                      .Register(registry);
  takeovers_ = &prometheus::BuildCounter()
                    .Name("tocsin_cluster_rule_group_takeovers_total")
                    .Help("Rule groups this replica took over, from another replica or afresh.")
                    .Register(registry)
                    .Add({});
  failures_ = &prometheus::BuildCounter()
                   .Name("tocsin_cluster_lease_failures_total")
                   .Help("Renewals of the rule group leases that failed (the database away).")
                   .Register(registry)
                   .Add({});
}

Status RuleLeases::renew() {
  const std::vector<std::string> loaded = options_.groups();
  std::vector<std::string> wanted;
  for (const std::string& key : loaded) {
    if (options_.replicas->preferred(key)) wanted.push_back(key);
  }
  // Groups held but no longer wanted (a replica joined, or this one was
  // the only one up): given up at once, so the replica that wants them
  // takes them at its next renewal rather than once the leases run out.
  // Not evaluated from now on; an evaluation under way drops its results
  // (RuleGroup::eval), and a write of it committed after the new holder
  // took over is dropped by the database (the fencing trigger).
  std::vector<std::string> unwanted;
  {
    const std::set<std::string> keep(wanted.begin(), wanted.end());
    std::lock_guard lock(mu_);
    if (!away_) {
      for (auto it = leases_.begin(); it != leases_.end();) {
        if (keep.contains(it->first)) {
          ++it;
        } else {
          unwanted.push_back(it->first);
          it = leases_.erase(it);
        }
      }
    }
  }
  if (!unwanted.empty()) {
    if (Status released = options_.replicas->cluster().release_leases(unwanted); !released) {
      // They run out on their own.
      log::warn("Could not give up the leases of rule groups another replica wants",
                {{"groups", unwanted.size()}, {"err", released.error().message()}});
    }
  }
  const SteadyTime began = std::chrono::steady_clock::now();
  auto leases = options_.replicas->cluster().hold_leases(wanted, options_.ttl);
  if (!leases) {
    if (failures_) failures_->Increment();
    std::lock_guard lock(mu_);
    if (!away_) {
      away_ = true;
      // Kept while the database is away: the others cannot take them either.
      const SteadyTime now = std::chrono::steady_clock::now();
      for (auto it = leases_.begin(); it != leases_.end();) {
        if (it->second.until > now) {
          it->second.until = SteadyTime::max();
          ++it;
        } else {
          it = leases_.erase(it);
        }
      }
    }
    return std::unexpected(leases.error());
  }
  {
    std::lock_guard lock(mu_);
    if (away_) {
      // Back: what was kept holds only as long as its renewal says.
      away_ = false;
      for (auto& [key, lease] : leases_) lease.until = began;
    }
    for (const store::GroupLease& taken : *leases) {
      auto it = leases_.find(taken.group_key);
      // Nobody held it since this replica did: its memory is the state.
      const bool continued = it != leases_.end() && !taken.changed_hands;
      Lease next{.term = continued ? it->second.term : taken.epoch,
                 .epoch = taken.epoch,
                 .until = began + options_.ttl - options_.margin};
      if (!continued) {
        if (takeovers_) takeovers_->Increment();
        log::info("Holding the lease of a rule group",
                  {{"group", taken.group_key}, {"epoch", taken.epoch}});
      }
      leases_.insert_or_assign(taken.group_key, next);
    }
    // Leases run out on their own; what has run out is forgotten.
    for (auto it = leases_.begin(); it != leases_.end();) {
      if (it->second.until <= began) {
        it = leases_.erase(it);
      } else {
        ++it;
      }
    }
  }
  publish(loaded);
  return {};
}

void RuleLeases::publish(const std::vector<std::string>& loaded) {
  if (held_family_ == nullptr) return;
  std::set<std::string> keys(loaded.begin(), loaded.end());
  for (auto it = held_gauges_.begin(); it != held_gauges_.end();) {
    if (keys.contains(it->first)) {
      ++it;
    } else {
      held_family_->Remove(it->second);
      it = held_gauges_.erase(it);
    }
  }
  for (const std::string& key : keys) {
    auto [it, added] = held_gauges_.try_emplace(key, nullptr);
    if (added) it->second = &held_family_->Add({{"rule_group", key}});
    it->second->Set(held(key) ? 1 : 0);
  }
}

Status RuleLeases::release() {
  {
    std::lock_guard lock(mu_);
    if (released_) return {};
    released_ = true;
    leases_.clear();
  }
  return options_.replicas->cluster().release_all_leases();
}

std::optional<std::int64_t> RuleLeases::held(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = leases_.find(key);
  if (it == leases_.end() || it->second.until <= std::chrono::steady_clock::now()) {
    return std::nullopt;
  }
  return it->second.term;
}

Result<store::RuleGroupState> RuleLeases::stored(const std::string& key) {
  return options_.replicas->cluster().rule_group_state(key);
}

}  // namespace tocsin::app
