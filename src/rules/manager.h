// Owns the running rule groups and swaps them on reload.
//
// A reload builds the complete new rule set aside; only if every file and
// every rule in it loads does it replace the running one (a failed reload
// keeps the old rules running). Groups whose definition and environment did
// not change keep running untouched; the others are rebuilt and adopt the
// alert state of the rules that survive (same group, name and labels), as
// Prometheus's Manager.Update does.
//
// Threads: `update` and `stop` from one control thread at a time; `groups`
// from any thread.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rules/group.h"
#include "rules/group_runner.h"
#include "rules/rule_metrics.h"

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

  // Replaces the running rules with `rules`, evaluated in `env`.
  void update(RuleSet rules, GroupEnvironment env);

  // The running groups, by file and then file order.
  std::vector<std::shared_ptr<const RuleGroup>> groups() const;

  void stop();

 private:
  RuleMetrics* metrics_;  // may be null
  // The environment of the running groups; replaced only with all runners.
  std::unique_ptr<GroupEnvironment> env_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<GroupRunner>> runners_;  // guarded by mu_
};

}  // namespace tocsin::rules
