// Issue 12's fault run: three tocsin replicas on one real PostgreSQL 15 and
// an Alertmanager 0.25 cluster of three (gossip on loopback, --cluster.peer),
// fed the same alerts (posted to every member, every second, as Prometheus
// posts to every Alertmanager of a cluster) and put through the same faults,
// each cluster notifying its own webhook receiver:
//
//   1. a member killed (SIGKILL) mid-incident, the incident resolved while it
//      is down, the member started again;
//   2. a member paused (SIGSTOP) through an incident's resolve, then resumed;
//   3. every member stopped and started again mid-incident.
//
// Each incident must reach its receiver as one firing and one resolved
// notification. The test asserts tocsin's counts (no notification missing,
// none twice) and prints both clusters' (the figures in bench/README.md,
// "Replicas next to an Alertmanager cluster").
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/postgres_server.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kMembers = 3;
constexpr auto kTimeout = 90s;

// The route and receiver, every line indented by `indent` (tocsin.yml holds
// them under `alerting:`, alertmanager.yml at the top).
std::string routes(const std::string& hook, std::string_view indent) {
  std::string out;
  for (std::string_view line :
       {"route:", "  receiver: hook", "  group_by: [alertname, incident]", "  group_wait: 1s",
        "  group_interval: 2s", "  repeat_interval: 1h", "receivers:", "  - name: hook"}) {
    out += fmt::format("{}{}\n", indent, line);
  }
  return out + fmt::format("{}    webhook_configs: [{{url: '{}/hook', send_resolved: true}}]\n",
                           indent, hook);
}

// What the receiver got, by "incident/status".
std::map<std::string, int> received(const RecordingServer& hook) {
  std::map<std::string, int> out;
  for (const RecordedRequest& r : hook.requests()) {
    json body = json::parse(r.body, nullptr, false);
    if (body.is_discarded()) continue;
    out[fmt::format("{}/{}", body["groupLabels"].value("incident", "?"),
                    body.value("status", "?"))]++;
  }
  return out;
}

// Posts the incidents' alerts, as they stand, to every member of both
// clusters every second, each member on its own (a paused one holds up no
// other). Firing: no end; resolved: ended when it was resolved.
class Feed {
 public:
  explicit Feed(std::vector<std::string> members) : members_(std::move(members)) {
    thread_ = std::jthread([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        post();
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, stop, 1s, [] { return false; });
      }
    });
  }

  void fire(const std::string& incident) {
    std::lock_guard lock(mu_);
    alerts_[incident] = {{"labels", {{"alertname", "Incident"}, {"incident", incident}}},
                         {"startsAt", now()}};
  }
  void resolve(const std::string& incident) {
    std::lock_guard lock(mu_);
    alerts_[incident]["endsAt"] = now();
  }

 private:
  static std::string now() {
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z",
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  void post() {
    std::string body;
    {
      std::lock_guard lock(mu_);
      if (alerts_.empty()) return;
      json list = json::array();
      for (const auto& [incident, alert] : alerts_) list.push_back(alert);
      body = list.dump();
    }
    std::vector<std::future<void>> posts;
    for (const std::string& member : members_) {
      posts.push_back(std::async(std::launch::async, [member, body] {
        http_post(member + "/api/v2/alerts", body, "application/json", {}, 2s);
      }));
    }
  }

  const std::vector<std::string> members_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::map<std::string, json> alerts_;  // guarded by mu_
  std::jthread thread_;                 // last
};

class ClusterFaultRun : public ::testing::Test {
 protected:
  void SetUp() override {
    Status pg = postgres_.start();
    ASSERT_TRUE(pg) << pg.error().message();
    auto url = postgres_.create_database("tocsin");
    ASSERT_TRUE(url) << url.error().message();
    url_ = *url;
    for (int i = 0; i < kMembers; ++i) {
      tocsins_.push_back(std::make_unique<TocsinServer>());
      tocsins_[i]->write("tocsin.yml", "datasource: {url: 'http://127.0.0.1:1'}\nalerting:\n" +
                                           routes(tocsin_hook_.url(), "  "));
      ASSERT_NO_FATAL_FAILURE(start_tocsin(i));
      ams_.push_back(std::make_unique<AlertmanagerServer>(routes(am_hook_.url(), ""),
                                                          "http://127.0.0.1/", "info"));
    }
    for (int i = 0; i < kMembers; ++i) {
      std::vector<std::string> peers;
      for (int j = 0; j < kMembers; ++j) {
        if (j != i) peers.push_back(ams_[j]->cluster_address());
      }
      ams_[i]->join_cluster(std::move(peers));
    }
    // From the test's own thread (support/process.h); each settles within 5 s.
    for (auto& am : ams_) {
      Status ok = am->start();
      ASSERT_TRUE(ok) << ok.error().message();
    }
    for (int i = 0; i < kMembers; ++i) {
      ASSERT_TRUE(wait_until([&] { return am_peers(i) == kMembers; }, kTimeout)) << ams_[i]->log();
      ASSERT_TRUE(wait_until([&] { return tocsin_peers(i) == kMembers; }, kTimeout));
    }
    std::vector<std::string> members;
    for (int i = 0; i < kMembers; ++i) {
      members.push_back(tocsins_[i]->url());
      members.push_back(ams_[i]->url());
    }
    feed_ = std::make_unique<Feed>(std::move(members));
  }

  void TearDown() override { feed_.reset(); }

  void start_tocsin(int i) {
    Status started = tocsins_[i]->start(
        "tocsin.yml", {"--storage.url", url_, "--cluster.replica", fmt::format("t{}", i)});
    ASSERT_TRUE(started) << started.error().message();
  }

  std::size_t am_peers(int i) const {
    HttpResponse r = http_get(ams_[i]->url() + "/api/v2/status", {}, 2s);
    json status = json::parse(r.body, nullptr, false);
    if (r.status != 200 || status.is_discarded()) return 0;
    return status["cluster"]["peers"].size();
  }
  std::size_t tocsin_peers(int i) const {
    auto status = tocsins_[i]->get_json("/api/v2/status");
    return status ? (*status)["cluster"]["peers"].size() : 0;
  }

  // Waits until both receivers got `key` ("g1/firing"): tocsin's must, the
  // Alertmanager cluster's is given as long (it is counted, not asserted).
  void await(const std::string& key) {
    EXPECT_TRUE(wait_until([&] { return received(tocsin_hook_)[key] >= 1; }, kTimeout))
        << "tocsin never sent " << key;
    wait_until([&] { return received(am_hook_)[key] >= 1; }, kTimeout);
  }

  // An observation window, not a wait for a condition: a duplicate is an
  // event that may come, and its absence cannot be polled for. Longer than
  // either side's take-over windows (tocsin's claims: the flush deadline
  // and 10 s; an Alertmanager peer waits 15 s per position before it
  // sends), so a late duplicate arrives before the counts are read.
  static void settle() { std::this_thread::sleep_for(20s); }

  PostgresServer postgres_;
  std::string url_;
  RecordingServer tocsin_hook_;
  RecordingServer am_hook_;
  std::vector<std::unique_ptr<TocsinServer>> tocsins_;
  std::vector<std::unique_ptr<AlertmanagerServer>> ams_;
  std::unique_ptr<Feed> feed_;
};

TEST_F(ClusterFaultRun, OneFiringAndOneResolvedPerIncidentThroughKillPauseAndRestart) {
  // 1. A member killed mid-incident; resolved while it is down; back.
  feed_->fire("g1");
  await("g1/firing");
  settle();
  tocsins_[0]->kill();
  ams_[0]->kill();
  feed_->resolve("g1");
  await("g1/resolved");
  ASSERT_NO_FATAL_FAILURE(start_tocsin(0));
  ASSERT_TRUE(ams_[0]->start());
  settle();

  // 2. A member paused through an incident's resolve, then resumed.
  feed_->fire("g2");
  await("g2/firing");
  settle();
  ASSERT_EQ(::kill(tocsins_[1]->pid(), SIGSTOP), 0);
  ASSERT_EQ(::kill(ams_[1]->pid(), SIGSTOP), 0);
  feed_->resolve("g2");
  await("g2/resolved");
  settle();
  ASSERT_EQ(::kill(tocsins_[1]->pid(), SIGCONT), 0);
  ASSERT_EQ(::kill(ams_[1]->pid(), SIGCONT), 0);
  settle();

  // 3. Every member stopped and started again mid-incident.
  feed_->fire("g3");
  await("g3/firing");
  settle();
  for (int i = 0; i < kMembers; ++i) {
    tocsins_[i]->stop();
    ams_[i]->stop();
  }
  for (int i = 0; i < kMembers; ++i) {
    ASSERT_TRUE(ams_[i]->start());
    ASSERT_NO_FATAL_FAILURE(start_tocsin(i));
  }
  settle();
  feed_->resolve("g3");
  await("g3/resolved");
  settle();

  const std::map<std::string, int> expected = {{"g1/firing", 1}, {"g1/resolved", 1},
                                               {"g2/firing", 1}, {"g2/resolved", 1},
                                               {"g3/firing", 1}, {"g3/resolved", 1}};
  auto tally = [&](const std::map<std::string, int>& got) {
    int missing = 0, duplicates = 0;
    for (const auto& [key, want] : expected) {
      auto it = got.find(key);
      int n = it == got.end() ? 0 : it->second;
      if (n == 0) ++missing;
      if (n > want) duplicates += n - want;
    }
    return std::pair{missing, duplicates};
  };
  auto tocsin = received(tocsin_hook_);
  auto am = received(am_hook_);
  auto [tocsin_missing, tocsin_duplicates] = tally(tocsin);
  auto [am_missing, am_duplicates] = tally(am);
  std::string table = "notification       tocsin  alertmanager\n";
  for (const auto& [key, want] : expected) {
    table += fmt::format("{:<18} {:>6}  {:>12}\n", key, tocsin[key], am[key]);
  }
  table += fmt::format("{:<18} {:>6}  {:>12}\n{:<18} {:>6}  {:>12}\n", "missing", tocsin_missing,
                       am_missing, "duplicates", tocsin_duplicates, am_duplicates);
  std::printf("%s", table.c_str());
  RecordProperty("alertmanager_missing", am_missing);
  RecordProperty("alertmanager_duplicates", am_duplicates);
  EXPECT_EQ(tocsin, expected) << table;
}

}  // namespace
}  // namespace tocsin::test
