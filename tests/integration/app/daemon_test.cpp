// The daemon `tocsin run` starts, built in the test's process as the CLI
// builds it, on a free 127.0.0.1 port and a FakeClock: it becomes ready,
// reloads a changed configuration through reload() (what SIGHUP calls) and
// through /-/reload, keeps the running configuration when a reload fails,
// keeps silences in its storage across a restart, and stops. Its Prometheus
// is a port where nothing listens: rule evaluations fail, which is all these
// tests need of them.
#include "app/daemon.h"

#include <atomic>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fake_clock.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::app {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::FakeClock;
using test::http_get;
using test::http_post;

const char* const kConfig = R"(global:
  evaluation_interval: 1m
datasource:
  url: http://127.0.0.1:1
rule_files: [rules.yml]
alerting:
  route:
    receiver: team
  receivers:
    - name: team
)";

std::string rules(std::string_view group) {
  return fmt::format(R"(groups:
  - name: {}
    rules:
      - alert: ServiceDown
        expr: up == 0
)",
                     group);
}

// No `expr`: promtool rejects it, and so does tocsin.
const char* const kBrokenRules = R"(groups:
  - name: broken
    rules:
      - alert: ServiceDown
)";

// The value of an unlabelled sample in the Prometheus text format; -1 when
// absent.
double sample(const std::string& text, std::string_view name) {
  std::string prefix = std::string(name) + " ";
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    if (line.starts_with(prefix)) return std::stod(std::string(line.substr(prefix.size())));
    at = end + 1;
  }
  return -1;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("tocsin.yml", kConfig);
    dir_.write("rules.yml", rules("first"));
  }

  DaemonOptions options(int port) const {
    return DaemonOptions{.config_file = dir_.file("tocsin.yml"),
                         .listen_address = fmt::format("127.0.0.1:{}", port),
                         .storage_path = dir_.file("data"),
                         .clock = &clock_,
                         .enable_lifecycle = true};
  }

  static std::string url(const Daemon& daemon, std::string_view path) {
    return fmt::format("http://127.0.0.1:{}{}", daemon.port(), path);
  }

  static json get_json(const Daemon& daemon, std::string_view path) {
    test::HttpResponse res = http_get(url(daemon, path));
    EXPECT_EQ(res.status, 200) << path << ": " << res.error << res.body;
    return json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  }

  // The rule groups /api/v1/rules lists, by name.
  static std::vector<std::string> groups(const Daemon& daemon) {
    std::vector<std::string> names;
    json body = get_json(daemon, "/api/v1/rules");
    for (const json& g : body["data"]["groups"]) names.push_back(g["name"].get<std::string>());
    return names;
  }

  FakeClock clock_;
  test::TempDir dir_{"daemon"};
};

TEST_F(DaemonTest, ServesReloadsKeepsTheRunningConfigurationOnFailureAndStops) {
  int port = test::free_port();
  ASSERT_NE(port, 0);
  Daemon daemon(options(port));
  Status started = daemon.start();
  ASSERT_TRUE(started) << started.error().to_string();
  EXPECT_EQ(daemon.port(), port);
  EXPECT_TRUE(daemon.ready());
  test::HttpResponse ready = http_get(url(daemon, "/-/ready"));
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "tocsin is Ready.\n");
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"first"});

  // What SIGHUP calls.
  dir_.write("rules.yml", rules("second"));
  Status reloaded = daemon.reload();
  ASSERT_TRUE(reloaded) << reloaded.error().to_string();
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"second"});

  // /-/reload calls the same.
  dir_.write("rules.yml", rules("third"));
  EXPECT_EQ(http_post(url(daemon, "/-/reload"), "").status, 200);
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"third"});
  EXPECT_EQ(sample(daemon.metrics_text(), "tocsin_config_last_reload_successful"), 1);
  EXPECT_EQ(sample(daemon.metrics_text(), "tocsin_config_last_reload_success_timestamp_seconds"),
            to_unix_seconds(clock_.now()));

  // A broken rule file: both ways fail, and the running rules stay.
  dir_.write("rules.yml", kBrokenRules);
  Status failed = daemon.reload();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().to_string().find("rules.yml"), std::string::npos);
  test::HttpResponse refused = http_post(url(daemon, "/-/reload"), "");
  EXPECT_EQ(refused.status, 500);
  EXPECT_TRUE(refused.body.starts_with("failed to reload config: ")) << refused.body;
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"third"});
  EXPECT_TRUE(daemon.ready());
  EXPECT_EQ(sample(daemon.metrics_text(), "tocsin_config_last_reload_successful"), 0);
  EXPECT_EQ(sample(daemon.metrics_text(), "tocsin_config_reloads_failed_total"), 2);

  daemon.stop();
  EXPECT_EQ(http_get(url(daemon, "/-/healthy"), {}, 2s).status, 0);
}

TEST_F(DaemonTest, LifecycleEndpointsNeedEnablingAsInPrometheus) {
  DaemonOptions off = options(test::free_port());
  off.enable_lifecycle = false;
  Daemon daemon(off);
  Status started = daemon.start();
  ASSERT_TRUE(started) << started.error().to_string();
  dir_.write("rules.yml", rules("second"));
  test::HttpResponse refused = http_post(url(daemon, "/-/reload"), "");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body, "Lifecycle API is not enabled.");
  EXPECT_EQ(http_post(url(daemon, "/-/quit"), "").status, 403);
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"first"});
  // What SIGHUP calls still reloads.
  ASSERT_TRUE(daemon.reload());
  EXPECT_EQ(groups(daemon), std::vector<std::string>{"second"});
}

TEST_F(DaemonTest, QuitAsksTheOwnerToStopOnce) {
  std::atomic<int> asked{0};
  DaemonOptions quitting = options(test::free_port());
  quitting.on_quit = [&] { ++asked; };
  Daemon daemon(quitting);
  Status started = daemon.start();
  ASSERT_TRUE(started) << started.error().to_string();
  test::HttpResponse quit = http_post(url(daemon, "/-/quit"), "");
  EXPECT_EQ(quit.status, 200);
  EXPECT_EQ(quit.body, "Requesting termination... Goodbye!");
  EXPECT_EQ(asked.load(), 1);
  test::HttpResponse again = test::http_request("PUT", url(daemon, "/-/quit"));
  EXPECT_EQ(again.body, "Termination already in progress.");
  EXPECT_EQ(asked.load(), 1);
  daemon.stop();
  EXPECT_EQ(http_get(url(daemon, "/-/healthy"), {}, 2s).status, 0);
}

TEST_F(DaemonTest, EvaluatesRulesAndStampsPostedAlertsOnItsClock) {
  Daemon daemon(options(test::free_port()));
  Status started = daemon.start();
  ASSERT_TRUE(started) << started.error().to_string();

  // A posted alert without times starts now, as the daemon's clock has it.
  test::HttpResponse posted =
      http_post(url(daemon, "/api/v2/alerts"), R"([{"labels":{"alertname":"Posted"}}])");
  EXPECT_EQ(posted.status, 200) << posted.body;
  json alerts = get_json(daemon, "/api/v2/alerts");
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0]["startsAt"], "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(alerts[0]["updatedAt"], "2024-05-01T12:00:00.000Z");

  // Nothing is evaluated until the clock reaches the group's first slot,
  // within one evaluation interval.
  auto last_evaluation = [&] {
    return get_json(daemon, "/api/v1/rules")["data"]["groups"][0]["lastEvaluation"];
  };
  EXPECT_EQ(last_evaluation(), "0001-01-01T00:00:00Z");
  // The dispatcher's timer, the notification service's maintenance and the
  // group's runner have all read the time and wait on the clock.
  ASSERT_TRUE(clock_.await_sleepers(3));
  clock_.advance(1min);
  EXPECT_TRUE(test::wait_until([&] { return last_evaluation() != "0001-01-01T00:00:00Z"; }, 10s));
  EXPECT_EQ(last_evaluation(), "2024-05-01T12:01:00Z");
}

TEST_F(DaemonTest, KeepsSilencesInItsStorageAcrossARestart) {
  std::string id;
  {
    Daemon daemon(options(test::free_port()));
    Status started = daemon.start();
    ASSERT_TRUE(started) << started.error().to_string();
    test::HttpResponse created = http_post(url(daemon, "/api/v2/silences"), R"({
      "matchers": [{"name": "alertname", "value": "ServiceDown", "isRegex": false}],
      "startsAt": "2024-05-01T12:00:00Z", "endsAt": "2024-05-01T14:00:00Z",
      "createdBy": "test", "comment": "maintenance"})");
    ASSERT_EQ(created.status, 200) << created.body;
    id = json::parse(created.body)["silenceID"].get<std::string>();
    daemon.stop();
  }
  Daemon again(options(test::free_port()));
  Status started = again.start();
  ASSERT_TRUE(started) << started.error().to_string();
  json silence = get_json(again, "/api/v2/silence/" + id);
  EXPECT_EQ(silence["id"], id);
  EXPECT_EQ(silence["status"]["state"], "active");
}

TEST_F(DaemonTest, ServesNothingWhenTheFirstLoadFails) {
  dir_.write("rules.yml", kBrokenRules);
  int port = test::free_port();
  Daemon daemon(options(port));
  Status started = daemon.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().to_string().find("rules.yml"), std::string::npos);
  EXPECT_FALSE(daemon.ready());
  EXPECT_EQ(daemon.port(), 0);
  EXPECT_EQ(http_get(fmt::format("http://127.0.0.1:{}/-/healthy", port), {}, 2s).status, 0);
}

}  // namespace
}  // namespace tocsin::app
