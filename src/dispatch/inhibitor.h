// Inhibition (Alertmanager 0.25's inhibit.Inhibitor): an alert is muted
// while another alert that matches a rule's source matchers is firing with
// the same values of the rule's `equal` labels, and the muted alert matches
// the rule's target matchers.
//
// An alert never inhibits itself, nor does any alert that matches both sides
// of a rule inhibit another such alert: when the asked labels match the
// source side too, source alerts that also match the target side are left
// out (Alertmanager's hasEqual with excludeTwoSidedMatch).
//
// Feeding: `observe` every alert the alert store stores (its listener), as
// Alertmanager's inhibitor follows the store's subscription; each rule keeps
// the alerts matching its source side, indexed by their `equal` values.
// Asking: `inhibited_by(labels, now)` at flush time, for the pipeline's
// inhibit stage and the API's inhibitedBy.
//
// Threads: observe, inhibited_by and collect_garbage may be called from any
// thread; a reader-writer lock guards the caches. The rules are fixed at
// construction (a reload builds a new Inhibitor and replays the alert store
// into it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/matcher.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "config/alertmanager_config.h"
#include "dispatch/alert_store.h"

namespace tocsin::dispatch {

class Inhibitor {
 public:
  explicit Inhibitor(std::span<const config::InhibitRule> rules);

  Inhibitor(const Inhibitor&) = delete;
  Inhibitor& operator=(const Inhibitor&) = delete;

  // Records the alert's latest state in every rule whose source side it
  // matches (replacing what was held for its fingerprint).
  void observe(const notify::Alert& alert);
  void observe(std::span<const notify::Alert> alerts);
  void observe(std::span<const AlertPtr> alerts);

  // The fingerprint of an alert inhibiting `labels` at `now`: the first rule
  // (in configuration order) whose target side matches and that has a
  // firing source alert with equal values; of that rule's candidates, the
  // lowest fingerprint. Alertmanager records one inhibiting alert, chosen
  // by map order; tocsin chooses the same way every time. nullopt: not
  // inhibited.
  std::optional<std::uint64_t> inhibited_by(const Labels& labels, Timestamp now) const;

  // inhibited_by as the list the API shows (empty, or one fingerprint).
  std::vector<std::uint64_t> mutes(const Labels& labels, Timestamp now) const;

  // Forgets the source alerts resolved at `now` (Alertmanager's per-rule
  // cache does this every 15 minutes); returns how many entries went.
  std::size_t collect_garbage(Timestamp now);

  std::size_t rule_count() const { return rules_.size(); }

 private:
  struct Source {
    Timestamp ends_at{};          // unset: firing
    bool matches_target = false;  // also matches the rule's target side
  };
  struct Rule {
    Matchers source;
    Matchers target;
    std::vector<std::string> equal;  // distinct names
    // Source alerts by their `equal` values, then by fingerprint.
    std::unordered_map<std::string, std::map<std::uint64_t, Source>> sources;
  };

  void observe_locked(const notify::Alert& alert);  // mu_ held exclusively
  static std::string equal_key(const Rule& rule, const Labels& labels);
  static std::optional<std::uint64_t> find_source(const Rule& rule, const Labels& labels,
                                                  bool exclude_two_sided, Timestamp now);

  mutable std::shared_mutex mu_;
  std::vector<Rule> rules_;  // the rule definitions are immutable; `sources` guarded by mu_
};

}  // namespace tocsin::dispatch
