#include "rules/group_runner.h"

#include <mutex>

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "rules/alerting_rule.h"
#include "support/fake_clock.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;

std::shared_ptr<RuleGroup> group_every(Duration interval) {
  RuleGroupSpec spec;
  spec.file = "rules.yml";
  spec.name = "runner";
  spec.interval = interval;
  RuleSpec rule;
  rule.name = "A";
  rule.expr = "up == 0";
  spec.rules.push_back(rule);
  return std::shared_ptr<RuleGroup>(std::move(*RuleGroup::build(spec, 1min)));
}

// Records the timestamps the group was evaluated at.
class Recorder {
 public:
  // `slow_first`: the first evaluation takes that long on `clock`.
  query::QueryFunc func(FakeClock* clock = nullptr, Duration slow_first = 0ms) {
    return [this, clock, slow_first](std::string_view, Timestamp at) -> query::QueryResult {
      bool first;
      {
        std::lock_guard lock(mu_);
        first = at_.empty();
        at_.push_back(at);
      }
      // A slow evaluation, so that the runner falls behind its slots.
      if (first && clock != nullptr) clock->advance(slow_first);
      return query::Vector{};
    };
  }
  std::vector<Timestamp> at() const {
    std::lock_guard lock(mu_);
    return at_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Timestamp> at_;
};

// Slots may be skipped when the machine is slow, so spacing is checked as a
// whole number of intervals rather than exactly one.
TEST(GroupRunner, EvaluatesAtAlignedSlotsAWholeNumberOfIntervalsApart) {
  FakeClock clock;
  auto group = group_every(100ms);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func();
  env.clock = &clock;
  GroupRunner runner(group, env, std::nullopt);
  // Each time the runner is asleep until its next slot, move the clock there.
  for (int i = 0; i < 4; ++i) {
    std::optional<Timestamp> slot = clock.await_any_sleeper();
    ASSERT_TRUE(slot.has_value());
    clock.set(*slot);
  }
  ASSERT_TRUE(clock.await_any_sleeper().has_value());
  runner.stop();
  auto at = recorder.at();
  ASSERT_EQ(at.size(), 4u);
  for (std::size_t i = 0; i < at.size(); ++i) {
    EXPECT_EQ(group->slot_at_or_before(at[i]), at[i]) << "slot " << i << " is not aligned";
    if (i > 0) {
      EXPECT_GT(at[i], at[i - 1]);
      EXPECT_EQ((at[i] - at[i - 1]) % 100ms, 0ms);
    }
  }
}

TEST(GroupRunner, OverrunSkipsToTheLatestSlotAndCountsTheMissedOnes) {
  FakeClock clock;
  auto group = group_every(100ms);
  prometheus::Registry registry;
  RuleMetrics metrics(registry);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func(&clock, /*slow_first=*/350ms);
  env.clock = &clock;
  GroupRunner runner(group, env, metrics.group(group->key()));
  std::optional<Timestamp> first = clock.await_any_sleeper();
  ASSERT_TRUE(first.has_value());
  clock.set(*first);
  // Evaluated at the first slot (taking 350ms), then at once at the latest
  // slot already due: the next sleep is until the slot after that.
  ASSERT_TRUE(clock.await_sleeper(*first + 400ms));
  clock.set(*first + 400ms);
  ASSERT_TRUE(clock.await_sleeper(*first + 500ms));
  runner.stop();

  auto at = recorder.at();
  ASSERT_EQ(at.size(), 3u);
  EXPECT_EQ(at, (std::vector<Timestamp>{*first, *first + 300ms, *first + 400ms}));
  // The first evaluation took over 3 intervals: the next runs at the latest
  // slot already due, the ones in between are counted missed, and no slot
  // runs twice.
  auto skipped = at[1] - at[0];
  EXPECT_GE(skipped, 300ms);
  EXPECT_EQ(skipped % 100ms, 0ms);
  std::int64_t missed = 0;
  for (std::size_t i = 1; i < at.size(); ++i) {
    EXPECT_GT(at[i], at[i - 1]);
    missed += (at[i] - at[i - 1]) / 100ms - 1;
  }
  GroupMetrics m = metrics.group(group->key());
  EXPECT_GE(missed, 2);
  EXPECT_GE(m.missed.Value(), static_cast<double>(missed));
  EXPECT_EQ(m.iterations.Value() - m.missed.Value(), static_cast<double>(at.size()));
}

TEST(GroupRunner, StopsAtOnceWhileWaitingForALongInterval) {
  FakeClock clock;
  auto group = group_every(1h);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func();
  env.clock = &clock;
  auto start = std::chrono::steady_clock::now();
  {
    GroupRunner runner(group, env, std::nullopt);
    ASSERT_TRUE(clock.await_any_sleeper().has_value());
    runner.stop();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(recorder.at().empty());
}

// Leases as a test sets them: which term the replica holds the group
// under (none: another replica evaluates it), and the state stored for it.
class TestLeases final : public GroupLeases {
 public:
  void hold(std::optional<std::int64_t> term, store::RuleGroupState state = {}) {
    std::lock_guard lock(mu_);
    term_ = term;
    state_ = std::move(state);
  }
  std::optional<std::int64_t> held(const std::string&) const override {
    std::lock_guard lock(mu_);
    return term_;
  }
  Result<store::RuleGroupState> stored(const std::string&) override {
    std::lock_guard lock(mu_);
    ++reads_;
    return state_;
  }
  int reads() const {
    std::lock_guard lock(mu_);
    return reads_;
  }

 private:
  mutable std::mutex mu_;
  std::optional<std::int64_t> term_;
  store::RuleGroupState state_;
  int reads_ = 0;
};

// One alerting rule, `Down` (for: 10m), over `up == 0`, which one series
// (job="api") always answers.
std::shared_ptr<RuleGroup> leased_group() {
  RuleGroupSpec spec;
  spec.file = "rules.yml";
  spec.name = "leased";
  spec.interval = 1min;
  RuleSpec rule;
  rule.name = "Down";
  rule.expr = "up == 0";
  rule.for_duration = 10min;
  spec.rules.push_back(rule);
  return std::shared_ptr<RuleGroup>(std::move(*RuleGroup::build(spec, 1min)));
}

query::QueryResult api_down(std::string_view, Timestamp at) {
  return query::Vector{query::Sample{Labels{{"job", "api"}}, 1, at}};
}

store::RuleAlertRow down_row(AlertState state, Timestamp active_at, Timestamp fired_at = {}) {
  store::RuleAlertRow row;
  row.group_key = "rules.yml;leased";
  row.rule_key = "Down{}#0";
  row.rule = "Down";
  row.labels = Labels{{"alertname", "Down"}, {"job", "api"}};
  row.fingerprint = row.labels.fingerprint();
  row.state = state;
  row.active_at = active_at;
  row.fired_at = fired_at;
  row.value = 1;
  return row;
}

// A replica evaluates a group only while it holds its lease; at the first
// slot of a new term it takes the stored state over (a pending alert keeps
// its activeAt, a firing one stays firing), and reads it only then.
TEST(GroupRunner, GroupRunner_EvaluatesOnlyUnderItsLeaseAndTakesTheStoredStateOver) {
  FakeClock clock;
  auto group = leased_group();
  auto& rule = dynamic_cast<const AlertingRule&>(*group->rules()[0]);
  TestLeases leases;
  GroupEnvironment env;
  env.query = api_down;
  env.clock = &clock;
  env.leases = &leases;
  GroupRunner runner(group, env, std::nullopt);

  // Another replica's: the slot passes unevaluated.
  std::optional<Timestamp> slot = clock.await_any_sleeper();
  ASSERT_TRUE(slot);
  clock.set(*slot);
  ASSERT_TRUE(clock.await_sleeper(*slot + 1min));
  EXPECT_EQ(group->status().last_slot, Timestamp{});
  EXPECT_EQ(leases.reads(), 0);

  // Taken over: pending for 4 minutes already, as the last holder stored it.
  const Timestamp s2 = *slot + 1min;
  leases.hold(1, {{down_row(AlertState::kPending, s2 - 4min)}, s2 - 1min});
  clock.set(s2);
  ASSERT_TRUE(clock.await_sleeper(s2 + 1min));
  EXPECT_EQ(group->status().last_slot, s2);
  ASSERT_EQ(rule.active_alerts().size(), 1u);
  EXPECT_EQ(rule.active_alerts()[0].state, AlertState::kPending);
  EXPECT_EQ(rule.active_alerts()[0].active_at, s2 - 4min);

  // The same term: evaluated on, from memory.
  clock.set(s2 + 1min);
  ASSERT_TRUE(clock.await_sleeper(s2 + 2min));
  EXPECT_EQ(leases.reads(), 1);
  EXPECT_EQ(group->status().last_slot, s2 + 1min);

  // Lost, then taken again in a new term after another replica fired it:
  // firing, from when that one fired it.
  leases.hold(std::nullopt);
  clock.set(s2 + 2min);
  ASSERT_TRUE(clock.await_sleeper(s2 + 3min));
  EXPECT_EQ(group->status().last_slot, s2 + 1min);
  const Timestamp fired = s2 + 2min;
  leases.hold(2, {{down_row(AlertState::kFiring, s2 - 10min, fired)}, std::nullopt});
  clock.set(s2 + 3min);
  ASSERT_TRUE(clock.await_sleeper(s2 + 4min));
  runner.stop();
  EXPECT_EQ(leases.reads(), 2);
  ASSERT_EQ(rule.active_alerts().size(), 1u);
  EXPECT_EQ(rule.active_alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(rule.active_alerts()[0].active_at, s2 - 10min);
  EXPECT_EQ(rule.active_alerts()[0].fired_at, fired);
}

// Fencing: an evaluation during which the lease changed hands sends
// nothing; one under an unchanged lease sends its alerts.
TEST(GroupRunner, GroupRunner_AnEvaluationThatLostItsLeaseSendsNothing) {
  FakeClock clock;
  RuleGroupSpec spec;
  spec.file = "rules.yml";
  spec.name = "fenced";
  RuleSpec rule;
  rule.name = "Down";
  rule.expr = "up == 0";  // no `for`: fires at once
  spec.rules.push_back(rule);
  auto group = std::shared_ptr<RuleGroup>(std::move(*RuleGroup::build(spec, 1min)));
  TestLeases leases;
  leases.hold(1);
  int sent = 0;
  bool lose_lease = true;
  GroupEnvironment env;
  env.query = [&](std::string_view expr, Timestamp at) {
    if (lose_lease) leases.hold(2);  // another replica took it meanwhile
    return api_down(expr, at);
  };
  env.clock = &clock;
  env.leases = &leases;
  env.notify = [&](const RuleGroup&, const AlertingRule&, std::vector<Alert> alerts) {
    sent += static_cast<int>(alerts.size());
  };
  group->eval(clock.now(), env);
  EXPECT_EQ(sent, 0);
  // Under the new term (as after a take-over; past the resend delay that
  // the dropped evaluation counted as sent), its alert goes out.
  lose_lease = false;
  group->eval(clock.now() + 2min, env);
  EXPECT_EQ(sent, 1);
}

}  // namespace
}  // namespace tocsin::rules
