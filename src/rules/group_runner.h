// Runs one rule group on its own thread, as Prometheus's Group.run does:
// waits for the group's next aligned slot, evaluates at that slot's
// timestamp (never at "now", so results do not drift with scheduling
// delay), and when an evaluation overruns, skips to the latest slot that has
// come due, counting the skipped ones as missed. No slot is evaluated twice.
// Slots come due on the environment's clock, which the runner waits on.
//
// With leases in the environment, a slot is evaluated only while this
// replica holds the group's lease; at the first slot under a new lease (the
// group changed hands), the group first takes over the state the last
// holder stored (RuleGroup::take_over). Slots passed without the lease are
// not counted as missed: another replica evaluates them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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
  // Whether the slot is this replica's to evaluate (leases only), taking the
  // group over first when its lease term is not the one it was last
  // evaluated under.
  bool lease_for(Timestamp slot);

  std::shared_ptr<RuleGroup> group_;
  const GroupEnvironment& env_;
  std::optional<GroupMetrics> metrics_;
  std::jthread thread_;  // last: started after everything it uses
};

}  // namespace tocsin::rules
