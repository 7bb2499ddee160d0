// A crash loop: a scripted incident (alerts of five groups firing and
// resolving on a schedule, posted again every half second as Prometheus
// re-sends them) while tocsin is killed with SIGKILL at 20 random moments
// (0.9 to 1.4 s apart) and started again each time. Afterwards every expected notification (each
// group's firing one and its resolve) was delivered at least once; a
// notification delivered twice is allowed only when a kill came right after
// its first delivery, in the window between the receiver's answer and the
// notification log's commit (at least once: tocsin cannot know the
// receiver took it); and the history holds each alert's firing and resolve
// exactly once. The test prints its seed (TOCSIN_CRASH_SEED replays one)
// and its counts.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

constexpr int kGroups = 5;
constexpr int kKills = 20;
// Within this of a delivery, a kill may have come before its log entry was
// stored, and the delivery may rightly come again after the restart.
constexpr auto kCommitWindow = 500ms;

// When each group's alert fires and resolves, from the start of the script.
struct Step {
  std::string alertname;
  Steady::duration fires;
  Steady::duration resolves;
};

class CrashLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receiver_.listening());
    receiver_.respond_with([this](const RecordedRequest& r) {
      std::lock_guard lock(mu_);
      deliveries_.push_back({Steady::now(), r.body});
      return CannedResponse{};
    });
    tocsin_.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 200ms
    group_interval: 1s
    repeat_interval: 1h
  receivers:
    - name: hook
      webhook_configs: [{{url: '{}/hook', send_resolved: true}}]
)",
                                            receiver_.url()));
  }

  void start() {
    Status started = tocsin_.start("tocsin.yml");
    ASSERT_TRUE(started) << started.error().message();
  }

  // The alerts of the script as they stand `elapsed` into it, as Prometheus
  // posts them: firing ones without an end, resolved ones with theirs.
  std::string alerts_at(Steady::duration elapsed) const {
    json alerts = json::array();
    for (const Step& s : script_) {
      if (elapsed < s.fires) continue;
      json a = {{"labels", {{"alertname", s.alertname}, {"service", "api"}}},
                {"startsAt",
                 format_rfc3339(started_wall_ + std::chrono::duration_cast<Duration>(s.fires))}};
      if (elapsed >= s.resolves) {
        a["endsAt"] =
            format_rfc3339(started_wall_ + std::chrono::duration_cast<Duration>(s.resolves));
      }
      alerts.push_back(std::move(a));
    }
    return alerts.dump();
  }

  struct Delivery {
    Steady::time_point at;
    std::string body;
  };

  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }

  std::vector<Step> script_;
  Timestamp started_wall_{};
  mutable std::mutex mu_;
  std::vector<Delivery> deliveries_;
  // Before tocsin_, so that it outlives it (keep-alive connections).
  RecordingServer receiver_;
  TocsinServer tocsin_;
};

TEST_F(CrashLoopTest, TwentyKillsDuringAnIncidentLoseNoNotificationAndNoEvent) {
  std::uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("TOCSIN_CRASH_SEED"))
    seed = std::strtoull(fixed, nullptr, 10);
  std::cout << "crash loop seed " << seed << " (TOCSIN_CRASH_SEED replays it)\n";
  std::mt19937_64 rng(seed);

  // Five groups, fired 1.5 s apart, each firing for 6 to 9 seconds: long
  // enough to span several of the up-times between kills below, so that
  // each is notified firing (an alert whose whole life fell while tocsin
  // was down would rightly never be notified).
  std::uniform_int_distribution<int> lasting(6000, 9000);
  for (int i = 0; i < kGroups; ++i) {
    auto fires = std::chrono::milliseconds(1500 * i);
    script_.push_back(
        {fmt::format("Crash{}", i), fires, fires + std::chrono::milliseconds(lasting(rng))});
  }
  start();
  started_wall_ = Clock::system().now();
  const Steady::time_point t0 = Steady::now();
  std::atomic<bool> done{false};
  std::thread sender([&] {
    while (!done) {
      // Refused while tocsin is down; the next round posts it again.
      http_post(tocsin_.url() + "/api/v2/alerts", alerts_at(Steady::now() - t0), "application/json",
                {}, 2s);
      std::this_thread::sleep_for(500ms);
    }
  });

  // The kills: at random moments 0.9 to 1.4 s apart, so that tocsin is up
  // for a while between two (its start takes a few hundred milliseconds).
  std::uniform_int_distribution<int> gap_ms(900, 1400);
  std::vector<Steady::duration> moments;
  Steady::duration next{};
  for (int i = 0; i < kKills; ++i) {
    next += std::chrono::milliseconds(gap_ms(rng));
    moments.push_back(next);
  }
  std::vector<Steady::time_point> kills;
  for (Steady::duration moment : moments) {
    std::this_thread::sleep_until(std::max(t0 + moment, Steady::now()));
    tocsin_.kill();
    kills.push_back(Steady::now());
    start();
  }

  // Every group's firing and resolved notification, eventually.
  auto delivered = [&](const std::string& status) {
    std::map<std::string, int> by_group;
    for (const Delivery& d : deliveries()) {
      json body = json::parse(d.body, nullptr, false);
      if (body.is_object() && body.value("status", "") == status) {
        ++by_group[body["groupLabels"].value("alertname", "")];
      }
    }
    return by_group;
  };
  bool complete = wait_until(
      [&] {
        return delivered("firing").size() == kGroups && delivered("resolved").size() == kGroups;
      },
      120s);
  done = true;
  sender.join();
  ASSERT_TRUE(complete) << "firing: " << json(delivered("firing")).dump()
                        << " resolved: " << json(delivered("resolved")).dump();

  // A notification twice only when a kill came right after the first.
  std::map<std::string, Steady::time_point> first;
  std::size_t again = 0;
  for (const Delivery& d : deliveries()) {
    json body = json::parse(d.body, nullptr, false);
    json key = {body["groupKey"], body["status"], json::array()};
    for (const json& a : body["alerts"]) key[2].push_back({a["fingerprint"], a["status"]});
    auto [it, fresh] = first.emplace(key.dump(), d.at);
    if (fresh) continue;
    ++again;
    bool explained = std::ranges::any_of(kills, [&](Steady::time_point k) {
      return k >= it->second && k - it->second < kCommitWindow;
    });
    EXPECT_TRUE(explained) << "delivered again with no kill just after the first delivery: "
                           << d.body;
  }

  // Every state change in the history, once.
  auto history = tocsin_.get_json("/api/v1/history?kind=alert&limit=1000");
  ASSERT_TRUE(history);
  std::map<std::string, int> events;
  for (const json& e : (*history)["data"]["events"]) {
    ++events[e["labels"].value("alertname", "") + " " + e.value("state", "")];
  }
  for (const Step& s : script_) {
    EXPECT_EQ(events[s.alertname + " firing"], 1) << json(events).dump();
    EXPECT_EQ(events[s.alertname + " resolved"], 1) << json(events).dump();
  }

  std::cout << fmt::format(
      "crash loop: {} kills, {} notifications expected, {} delivered ({} again after a kill in "
      "the commit window), {} history events\n",
      kills.size(), 2 * kGroups, deliveries().size(), again, (*history)["data"]["events"].size());
}

}  // namespace
}  // namespace tocsin::test
