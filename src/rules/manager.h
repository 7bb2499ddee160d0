// Owns the running rule groups and swaps them on reload.
//
// A reload builds the complete new rule set aside; only if every file and
// every rule in it loads does it replace the running one (a failed reload
// keeps the old rules running). Groups whose definition and environment did
// not change keep running untouched; the others are rebuilt and adopt the
// alert state of the rules that survive (same group, name and labels), as
// Prometheus's Manager.Update does.
//
// At the first update after `restore_at_first_update`, every group adopts
// its stored alerts (restore.h) before its runner starts, so before its
// first evaluation. With a journal, every update writes the rows of the
// groups it rebuilt anew and drops those of groups that are gone (at the
// first update: of every stored group no longer loaded), in one batch
// queued before any runner starts. With an appender in the environment,
// the series written by groups an update removes are marked stale at once.
// With leases in the environment, only the groups this replica holds are
// written (group.h's GroupLeases).
//
// Threads: `update`, `restore_at_first_update` and `stop` from one control
// thread at a time; `groups` from any thread.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rules/group.h"
#include "rules/group_runner.h"
#include "rules/restore.h"
#include "rules/rule_metrics.h"
#include "store/store.h"

namespace tocsin::rules {

struct RuleSet {
  std::vector<std::unique_ptr<RuleGroup>> groups;  // by file, then file order
  std::size_t rule_count = 0;
  std::size_t recording_rule_count = 0;
};

// Reads every file, checks every rule, builds every group. Errors from all
// files are returned together, each with FILE:LINE:COL.
std::expected<RuleSet, std::vector<Error>> load_rule_files(const std::vector<std::string>& files,
                                                           Duration default_interval);

class RuleManager {
 public:
  explicit RuleManager(RuleMetrics* metrics) : metrics_(metrics) {}
  ~RuleManager() { stop(); }
  RuleManager(const RuleManager&) = delete;
  RuleManager& operator=(const RuleManager&) = delete;

  // What the next update restores: the alerts and groups the store held at
  // start.
  void restore_at_first_update(std::vector<store::RuleAlertRow> alerts,
                               std::vector<store::RuleGroupRow> groups, RestorePolicy policy);

  // Replaces the running rules with `rules`, evaluated in `env`.
  void update(RuleSet rules, GroupEnvironment env);

  // The running groups, by file and then file order.
  std::vector<std::shared_ptr<const RuleGroup>> groups() const;

  void stop();

 private:
  struct Restore {
    std::vector<store::RuleAlertRow> alerts;
    std::vector<store::RuleGroupRow> groups;
    RestorePolicy policy;
  };
  // Restores each group of `groups` from restore_ (which it then empties);
  // appends to `batch` (if not null) the deletes of stored groups no
  // longer loaded.
  void restore_groups(const std::vector<std::shared_ptr<RuleGroup>>& groups, Timestamp now,
                      store::Batch* batch);

  RuleMetrics* metrics_;            // may be null
  std::optional<Restore> restore_;  // until the first update after it is set
  // The environment of the running groups; replaced only with all runners.
  std::unique_ptr<GroupEnvironment> env_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<GroupRunner>> runners_;  // guarded by mu_
};

}  // namespace tocsin::rules
