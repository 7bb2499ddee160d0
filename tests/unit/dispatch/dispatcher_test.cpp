#include "dispatch/dispatcher.h"

#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/alertmanager_config.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;

Timestamp now() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
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
                                        "alertmanager.yml");
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error()[0].to_string());
  return *c;
}

notify::Alert alert(Labels labels, Timestamp starts = now()) {
  notify::Alert a;
  a.labels = std::move(labels);
  a.starts_at = starts;
  a.updated_at = now();
  return a;
}

// Records every flush; answers with `ok_`.
class Recorder {
 public:
  FlushFunc func() {
    return [this](const Flush& f, std::stop_token) {
      if (delay_ > 0ms && f.group_labels.value_of("alertname") == "Slow")
        std::this_thread::sleep_for(delay_);
      std::lock_guard lock(mu_);
      flushes_.push_back(f);
      return ok_.load();
    };
  }
  std::vector<Flush> flushes() const {
    std::lock_guard lock(mu_);
    return flushes_;
  }
  bool wait_for(std::size_t n, Duration timeout = 10s) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (flushes().size() >= n) return true;
      std::this_thread::sleep_for(2ms);
    }
    return false;
  }
  std::atomic<bool> ok_{true};
  Duration delay_{0};

 private:
  mutable std::mutex mu_;
  std::vector<Flush> flushes_;
};

struct Fixture {
  Fixture(Duration wait, Duration interval)
      : config(routing(wait, interval)),
        root(Route::build(config.route)),
        dispatcher(root, recorder.func()) {}
  config::AlertmanagerConfig config;
  std::shared_ptr<const Route> root;
  Recorder recorder;
  Dispatcher dispatcher;
};

TEST(Dispatcher, GroupWaitGathersAlertsIntoOneFirstNotification) {
  Fixture f(300ms, 1h);
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "a"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "b"}}));
  ASSERT_TRUE(f.recorder.wait_for(1));
  Flush flush = f.recorder.flushes()[0];
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
  ASSERT_TRUE(f.recorder.wait_for(1));
  Timestamp first = f.recorder.flushes()[0].now;
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}, {"instance", "b"}}));
  ASSERT_TRUE(f.recorder.wait_for(2));
  Flush second = f.recorder.flushes()[1];
  EXPECT_GE(second.now - first, 400ms);
  EXPECT_EQ(second.alerts.size(), 2u);
}

TEST(Dispatcher, AnAlertOlderThanGroupWaitFlushesAtOnce) {
  Fixture f(1h, 1h);
  auto started = now();
  f.dispatcher.process(alert(Labels{{"alertname", "Down"}}, started - 2h));
  ASSERT_TRUE(f.recorder.wait_for(1, 5s));
  EXPECT_LT(f.recorder.flushes()[0].now - started, 1s);
}

TEST(Dispatcher, ResolvedAlertsLeaveTheGroupOnlyAfterASuccessfulFlush) {
  Fixture f(20ms, 150ms);
  f.recorder.ok_ = false;
  notify::Alert a = alert(Labels{{"alertname", "Down"}});
  a.ends_at = now() - 1s;  // already resolved
  f.dispatcher.process(a);
  ASSERT_TRUE(f.recorder.wait_for(2));  // failed twice: still there
  EXPECT_EQ(f.recorder.flushes()[1].alerts.size(), 1u);
  EXPECT_EQ(f.recorder.flushes()[1].alerts[0].ends_at, a.ends_at);  // sent as resolved
  f.recorder.ok_ = true;
  ASSERT_TRUE(f.recorder.wait_for(3));
  // Sent successfully: the group lets it go (and so has nothing more to send).
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!f.dispatcher.groups().at(0).alerts.empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_TRUE(f.dispatcher.groups().at(0).alerts.empty());
}

TEST(Dispatcher, ASlowFlushDelaysNoOtherGroup) {
  Fixture f(20ms, 1h);
  f.recorder.delay_ = 1500ms;
  f.dispatcher.process(alert(Labels{{"alertname", "Slow"}}));
  f.dispatcher.process(alert(Labels{{"alertname", "Fast"}}));
  ASSERT_TRUE(f.recorder.wait_for(1, 1s));
  EXPECT_EQ(f.recorder.flushes()[0].group_labels.value_of("alertname"), "Fast");
}

TEST(Dispatcher, StopCancelsAndJoinsFlushes) {
  config::AlertmanagerConfig config = routing(10ms, 1h);
  std::shared_ptr<const Route> root = Route::build(config.route);
  std::atomic<bool> cancelled{false};
  std::atomic<bool> started{false};
  Dispatcher d(root, [&](const Flush&, std::stop_token stop) {
    started = true;
    while (!stop.stop_requested()) std::this_thread::sleep_for(5ms);
    cancelled = true;
    return false;
  });
  d.process(alert(Labels{{"alertname", "Down"}}));
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!started && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(started);
  d.stop();
  EXPECT_TRUE(cancelled);
}

}  // namespace
}  // namespace tocsin::dispatch
