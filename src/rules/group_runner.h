// Runs one rule group on its own thread, as Prometheus's Group.run does:
// waits for the group's next aligned slot, evaluates at that slot's
// timestamp (never at "now", so results do not drift with scheduling
// delay), and when an evaluation overruns, skips to the latest slot that has
// come due, counting the skipped ones as missed. No slot is evaluated twice.
// Slots come due on the environment's clock, which the runner waits on.
#pragma once

#include <memory>
#include <stop_token>
#include <thread>

#include "rules/group.h"
#include "rules/rule_metrics.h"

namespace tocsin::rules {

class GroupRunner {
 public:
  // Starts evaluating at once. `env` and `metrics` must outlive the runner.
  GroupRunner(std::shared_ptr<RuleGroup> group, const GroupEnvironment& env,
              std::optional<GroupMetrics> metrics);
  // Stops and joins; an evaluation under way finishes first.
  ~GroupRunner();
  GroupRunner(const GroupRunner&) = delete;
  GroupRunner& operator=(const GroupRunner&) = delete;

  const std::shared_ptr<RuleGroup>& group() const { return group_; }
  void stop();

 private:
  void run(std::stop_token stop);

  std::shared_ptr<RuleGroup> group_;
  const GroupEnvironment& env_;
  std::optional<GroupMetrics> metrics_;
  std::jthread thread_;  // last: started after everything it uses
};

}  // namespace tocsin::rules
