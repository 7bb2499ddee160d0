#include "rules/group_runner.h"

#include <mutex>

#include <gtest/gtest.h>
#include <prometheus/registry.h>

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

}  // namespace
}  // namespace tocsin::rules
