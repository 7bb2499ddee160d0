#include "rules/group_runner.h"

#include "core/log.h"

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
    if (env_.leases == nullptr || lease_for(slot)) {
      if (metrics) metrics->iterations.Increment();
      group_->eval(slot, env_, metrics);
    }

    // Slots that came due while evaluating: run the latest, count the rest.
    auto behind = (clock.now() - slot) / interval;
    if (behind > 1 && metrics) {
      metrics->missed.Increment(static_cast<double>(behind - 1));
      metrics->iterations.Increment(static_cast<double>(behind - 1));
    }
    slot += interval * std::max<std::int64_t>(behind, 1);
  }
}

bool GroupRunner::lease_for(Timestamp slot) {
  const std::string key = group_->key();
  std::optional<std::int64_t> held = env_.leases->held(key);
  if (!held) {
    group_->set_lease_term(std::nullopt);
    return false;
  }
  // The term the group was last evaluated under: a different one means it
  // may have changed hands since.
  if (held == group_->lease_term()) return true;
  // Taken over (or taken back): the state the last holder stored, not what
  // this replica saw when it last held the group.
  auto state = env_.leases->stored(key);
  if (!state) {
    log::warn(
        "Could not read the state of a rule group taken over; it is evaluated once it can be",
        {{"group", group_->name()}, {"file", group_->file()}, {"err", state.error().message()}});
    return false;
  }
  group_->take_over(*state, slot);
  log::info("Took the rule group over", {{"group", group_->name()},
                                         {"file", group_->file()},
                                         {"epoch", *held},
                                         {"alerts", state->alerts.size()}});
  group_->set_lease_term(held);
  return true;
}

}  // namespace tocsin::rules
