#include "rules/group_runner.h"

#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <prometheus/registry.h>

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

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
  query::QueryFunc func(Duration slow_first = 0ms) {
    return [this, slow_first](std::string_view, Timestamp at) -> query::QueryResult {
      bool first;
      {
        std::lock_guard lock(mu_);
        first = at_.empty();
        at_.push_back(at);
      }
      // A slow evaluation, so that the runner falls behind its slots.
      if (first && slow_first > 0ms) std::this_thread::sleep_for(slow_first);
      return query::Vector{};
    };
  }
  std::vector<Timestamp> at() const {
    std::lock_guard lock(mu_);
    return at_;
  }
  bool wait_for(std::size_t n, Duration timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (at().size() >= n) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Timestamp> at_;
};

// Slots may be skipped when the machine is slow, so spacing is checked as a
// whole number of intervals rather than exactly one.
TEST(GroupRunner, EvaluatesAtAlignedSlotsAWholeNumberOfIntervalsApart) {
  auto group = group_every(100ms);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func();
  GroupRunner runner(group, env, std::nullopt);
  ASSERT_TRUE(recorder.wait_for(4, 10s));
  runner.stop();
  auto at = recorder.at();
  for (std::size_t i = 0; i < at.size(); ++i) {
    EXPECT_EQ(group->slot_at_or_before(at[i]), at[i]) << "slot " << i << " is not aligned";
    if (i > 0) {
      EXPECT_GT(at[i], at[i - 1]);
      EXPECT_EQ((at[i] - at[i - 1]) % 100ms, 0ms);
    }
  }
}

TEST(GroupRunner, OverrunSkipsToTheLatestSlotAndCountsTheMissedOnes) {
  auto group = group_every(100ms);
  prometheus::Registry registry;
  RuleMetrics metrics(registry);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func(/*slow_first=*/350ms);
  GroupRunner runner(group, env, metrics.group(group->key()));
  ASSERT_TRUE(recorder.wait_for(3, 10s));
  runner.stop();

  auto at = recorder.at();
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
  // (A slot skipped after the last recorded evaluation may be counted too.)
  GroupMetrics m = metrics.group(group->key());
  EXPECT_GE(missed, 2);
  EXPECT_GE(m.missed.Value(), static_cast<double>(missed));
  EXPECT_EQ(m.iterations.Value() - m.missed.Value(), static_cast<double>(at.size()));
}

TEST(GroupRunner, StopsAtOnceWhileWaitingForALongInterval) {
  auto group = group_every(1h);
  Recorder recorder;
  GroupEnvironment env;
  env.query = recorder.func();
  auto start = std::chrono::steady_clock::now();
  {
    GroupRunner runner(group, env, std::nullopt);
    runner.stop();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(recorder.at().empty());
}

}  // namespace
}  // namespace tocsin::rules
