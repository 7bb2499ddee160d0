// The dispatcher runs on a FakeClock: a test advances the clock and then
// waits (in real time, with a deadline) for the flush it expects, or for the
// timer to be asleep on the clock until the time it should wake next, which
// shows that nothing more happens before then. No test sleeps.
#include "dispatch/dispatcher.h"

#include <future>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"
#include "support/alerts.h"
#include "support/fake_clock.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::FakeClock;

// Where every FakeClock starts.
Timestamp t0() {
  return at("2024-05-01T12:00:00Z");
}

config::AlertmanagerConfig routing(Duration group_wait, Duration group_interval) {
  auto c =
      config::parse_alertmanager_config(fmt::format(R"(route:
  receiver: default
  group_by: [alertname]
  group_wait: {}ms
  group_interval: {}ms
  routes:
    - matchers: [team=db]
      receiver: db
      group_by: [alertname, instance]
receivers: [{{name: default}}, {{name: db}}]
)",
                                                    group_wait.count(), group_interval.count()),
                                        "alertmanager.yml", notifiers::receiver_kinds());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error()[0].to_string());
  return *c;
}

notify::Alert alert(Labels labels, Timestamp starts = t0()) {
  return test::AlertBuilder(std::move(labels)).starts(starts).updated(t0());
}

// Records every flush; answers with `ok_`. A flush of the group named by
// hold() blocks until the flush is cancelled.
class Recorder {
 public:
  FlushFunc func() {
    return [this](const Flush& f, std::stop_token stop) {
      std::unique_lock lock(mu_);
      if (!held_.empty() && f.group_labels.value_of("alertname") == held_) {
        changed_.wait(lock, stop, [] { return false; });
      }
      flushes_.push_back(f);
      changed_.notify_all();
      return ok_.load();
    };
  }
  void hold(std::string alertname) {
    std::lock_guard lock(mu_);
    held_ = std::move(alertname);
  }
  std::vector<Flush> flushes() const {
    std::lock_guard lock(mu_);
    return flushes_;
  }
  // Waits in real time for the n-th flush to have been recorded.
  bool wait_for(std::size_t n, Duration timeout = 10s) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return flushes_.size() >= n; });
  }
  std::atomic<bool> ok_{true};

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable_any changed_;
  std::string held_;
  std::vector<Flush> flushes_;
};

struct Fixture {
  Fixture(Duration wait, Duration interval)
      : config(routing(wait, interval)),
        root(Route::build(config.route)),
        dispatcher(root, recorder.func(), clock) {
    // The timer has started and read the time: its first maintenance is
    // 30 seconds after t0(), whenever the test first advances the clock.
    EXPECT_TRUE(clock.await_sleeper(t0() + 30s));
  }
  FakeClock clock;
  config::AlertmanagerConfig config;
  std::shared_ptr<const Route> root;
  Recorder recorder;
  Dispatcher dispatcher;
};

TEST(Dispatcher, GroupWaitGathersAlertsIntoOneFirstNotification) {
  Fixture f(300ms, 1h);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "a"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "b"}}));
  // The timer sleeps until group_wait is over, and not a moment less.
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 300ms));
  f.clock.advance(299ms);
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 300ms));
  EXPECT_TRUE(f.recorder.flushes().empty());
  f.clock.advance(1ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  Flush flush = f.recorder.flushes()[0];
  EXPECT_EQ(flush.now, t0() + 300ms);
  EXPECT_EQ(flush.alerts.size(), 2u);
  EXPECT_EQ(flush.group_key, R"({}:{alertname="Down"})");
  EXPECT_EQ(flush.group_labels, (Labels{{"alertname", "Down"}}));
  EXPECT_EQ(flush.route, f.root.get());
  // Firing alerts are sent with no end time.
  EXPECT_EQ(flush.alerts[0].ends_at, Timestamp{});
  EXPECT_EQ(flush.deadline - flush.now, 1h);
}

TEST(Dispatcher, GroupsByRouteAndGroupByLabels) {
  Fixture f(50ms, 1h);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "a"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Slow"}, {"instance", "a"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "a"}, {"team", "db"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "b"}, {"team", "db"}}));
  f.clock.advance(50ms);
  ASSERT_TRUE(f.recorder.wait_for(4));
  std::set<std::string> keys;
  for (const Flush& fl : f.recorder.flushes()) keys.insert(fl.group_key);
  EXPECT_EQ(keys, (std::set<std::string>{R"({}:{alertname="Down"})", R"({}:{alertname="Slow"})",
                                         R"({}/{team="db"}:{alertname="Down", instance="a"})",
                                         R"({}/{team="db"}:{alertname="Down", instance="b"})"}));
  EXPECT_EQ(f.dispatcher.group_count(), 4u);
}

TEST(Dispatcher, LaterAlertsWaitForTheGroupInterval) {
  Fixture f(50ms, 400ms);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "a"}}));
  f.clock.advance(50ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  Timestamp first = f.recorder.flushes()[0].now;
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "b"}}));
  // Nothing before the group interval is over.
  ASSERT_TRUE(f.clock.await_sleeper(first + 400ms));
  f.clock.advance(399ms);
  ASSERT_TRUE(f.clock.await_sleeper(first + 400ms));
  EXPECT_EQ(f.recorder.flushes().size(), 1u);
  f.clock.advance(1ms);
  ASSERT_TRUE(f.recorder.wait_for(2));
  Flush second = f.recorder.flushes()[1];
  EXPECT_GE(second.now - first, 400ms);
  EXPECT_EQ(second.alerts.size(), 2u);
}

TEST(Dispatcher, RepeatsTheFlushEveryGroupInterval) {
  Fixture f(50ms, 400ms);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}}));
  f.clock.advance(50ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  // Nothing new: the group is flushed again anyway (whether that notifies
  // is the pipeline's dedup to decide).
  for (std::size_t n = 2; n <= 3; ++n) {
    ASSERT_TRUE(f.clock.await_sleeper(f.recorder.flushes().back().now + 400ms));
    f.clock.advance(400ms);
    ASSERT_TRUE(f.recorder.wait_for(n));
  }
  auto flushes = f.recorder.flushes();
  ASSERT_EQ(flushes.size(), 3u);
  EXPECT_EQ(flushes[0].now, t0() + 50ms);
  EXPECT_EQ(flushes[1].now, t0() + 450ms);
  EXPECT_EQ(flushes[2].now, t0() + 850ms);
  for (const Flush& fl : flushes) EXPECT_EQ(fl.alerts.size(), 1u);
}

TEST(Dispatcher, AnAlertOlderThanGroupWaitFlushesAtOnce) {
  Fixture f(1h, 1h);
  auto started = f.clock.now();
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}}, started - 2h));
  // The clock stands still: the flush comes without it.
  ASSERT_TRUE(f.recorder.wait_for(1, 5s));
  EXPECT_LT(f.recorder.flushes()[0].now - started, 1s);
}

TEST(Dispatcher, ResolvedAlertsLeaveTheGroupOnlyAfterASuccessfulFlush) {
  Fixture f(20ms, 150ms);
  f.recorder.ok_ = false;
  notify::Alert a = alert(Labels{{"alertname", "Down"}});
  a.ends_at = f.clock.now() - 1s;  // already resolved
  f.dispatcher.process(a);
  f.clock.advance(20ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 170ms));
  f.clock.advance(150ms);
  ASSERT_TRUE(f.recorder.wait_for(2));  // failed twice: still there
  EXPECT_EQ(f.recorder.flushes()[1].alerts.size(), 1u);
  EXPECT_EQ(f.recorder.flushes()[1].alerts[0].ends_at, a.ends_at);  // sent as resolved
  f.recorder.ok_ = true;
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 320ms));
  f.clock.advance(150ms);
  ASSERT_TRUE(f.recorder.wait_for(3));
  // Sent successfully: the group lets it go (and so has nothing more to
  // send). The timer sleeps until the next flush only once that flush is
  // over (while it runs, it waits for maintenance).
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 470ms));
  EXPECT_TRUE(f.dispatcher.groups().at(0).alerts.empty());
}

TEST(Dispatcher, DropsEmptyGroupsAtTheNextMaintenance) {
  Fixture f(20ms, 10s);
  notify::Alert a = alert(Labels{{"alertname", "Down"}});
  a.ends_at = f.clock.now() - 1s;
  f.dispatcher.process(a);
  f.clock.advance(20ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  // The flush is over (the timer waits for the next one): the group is
  // empty, but stays until maintenance, 30 seconds after the start.
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 10s + 20ms));
  EXPECT_TRUE(f.dispatcher.groups().at(0).alerts.empty());
  EXPECT_EQ(f.dispatcher.group_count(), 1u);
  // (After an advance, a sleeper means the timer's pass at that time is done.)
  f.clock.set(t0() + 29s);
  ASSERT_TRUE(f.clock.await_any_sleeper());
  EXPECT_EQ(f.dispatcher.group_count(), 1u);
  f.clock.set(t0() + 30s);
  ASSERT_TRUE(f.clock.await_any_sleeper());
  EXPECT_EQ(f.dispatcher.group_count(), 0u);
  EXPECT_EQ(f.recorder.flushes().size(), 1u);
}

TEST(Dispatcher, ASlowFlushDelaysNoOtherGroup) {
  Fixture f(20ms, 1h);
  f.recorder.hold("Slow");  // until the dispatcher stops
  f.dispatcher.process(alert(Labels{{"alertname", "Slow"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Fast"}}));
  f.clock.advance(20ms);
  ASSERT_TRUE(f.recorder.wait_for(1));
  EXPECT_EQ(f.recorder.flushes()[0].group_labels.value_of("alertname"), "Fast");
}

TEST(Dispatcher, StopCancelsAndJoinsFlushes) {
  FakeClock clock;
  config::AlertmanagerConfig config = routing(10ms, 1h);
  std::shared_ptr<const Route> root = Route::build(config.route);
  std::atomic<bool> cancelled{false};
  std::promise<void> started;
  Dispatcher d(
      root,
      [&](const Flush&, std::stop_token stop) {
        started.set_value();
        std::mutex mu;
        std::condition_variable_any cv;
        std::unique_lock lock(mu);
        cv.wait(lock, stop, [] { return false; });
        cancelled = true;
        return false;
      },
      clock);
  d.process(alert(Labels{{"alertname", "Down"}}));
  clock.advance(10ms);
  ASSERT_EQ(started.get_future().wait_for(10s), std::future_status::ready);
  d.stop();
  EXPECT_TRUE(cancelled);
}

TEST(Dispatcher, NoFlushStartsAfterStop) {
  Fixture f(1h, 1h);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}}));
  ASSERT_TRUE(f.clock.await_sleeper(t0() + 30s));  // (maintenance comes before the flush)
  f.dispatcher.stop();                             // returns though the timer is asleep
  f.clock.advance(2h);
  f.dispatcher.process(alert(Labels{{"alertname", "Later"}}));
  EXPECT_TRUE(f.recorder.flushes().empty());
  EXPECT_FALSE(f.clock.await_any_sleeper(0ms).has_value());
}

}  // namespace
}  // namespace tocsin::dispatch
