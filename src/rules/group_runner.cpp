#include "rules/group_runner.h"

namespace tocsin::rules {

GroupRunner::GroupRunner(std::shared_ptr<RuleGroup> group, const GroupEnvironment& env,
                         std::optional<GroupMetrics> metrics)
    : group_(std::move(group)),
      env_(env),
      metrics_(std::move(metrics)),
      thread_([this](std::stop_token stop) { run(stop); }) {}

GroupRunner::~GroupRunner() {
  stop();
}

void GroupRunner::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void GroupRunner::run(std::stop_token stop) {
  const Clock& clock = *env_.clock;
  const Duration interval = group_->interval();
  GroupMetrics* metrics = metrics_ ? &*metrics_ : nullptr;
  if (metrics) {
    metrics->interval.Set(std::chrono::duration<double>(interval).count());
    metrics->rules.Set(static_cast<double>(group_->rules().size()));
  }

  Timestamp slot = group_->slot_at_or_before(clock.now()) + interval;
  while (clock.sleep_until(slot, stop)) {
    if (metrics) metrics->iterations.Increment();
    group_->eval(slot, env_, metrics);

    // Slots that came due while evaluating: run the latest, count the rest.
    auto behind = (clock.now() - slot) / interval;
    if (behind > 1 && metrics) {
      metrics->missed.Increment(static_cast<double>(behind - 1));
      metrics->iterations.Increment(static_cast<double>(behind - 1));
    }
    slot += interval * std::max<std::int64_t>(behind, 1);
  }
}

}  // namespace tocsin::rules
