// The whole path a page takes: the shipped rules in tocsin, a real
// Prometheus scraping the "services", an incident, and the shipped routing
// (examples/alertmanager.yml) delivering to Slack and PagerDuty, here
// recording servers on loopback. Only the clocks are shortened: rule
// intervals, `for`, rate windows and group timings, as the demo does.
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixture_exporter.h"
#include "support/paths.h"
#include "support/prometheus_server.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kTimeout = 90s;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shipped rule file on a test's clock: groups every second, `for` of a
// few seconds, rate windows of five seconds.
std::string on_test_clock(std::string rules) {
  rules = std::regex_replace(rules, std::regex(R"(interval: \d+[smh])"), "interval: 1s");
  rules = std::regex_replace(rules, std::regex(R"(for: \d+[smh])"), "for: 3s");
  rules = std::regex_replace(rules, std::regex(R"(\[5m\])"), "[5s]");
  return rules;
}

// The shipped routing with group timings in seconds and the secrets
// pointing at the recording servers.
std::string shipped_routing(const std::string& pagerduty_url) {
  std::string yaml = read_file(source_dir() + "/examples/alertmanager.yml");
  yaml = std::regex_replace(yaml, std::regex(R"(group_wait: \d+[smh])"), "group_wait: 1s");
  yaml = std::regex_replace(yaml, std::regex(R"(group_interval: 5m)"), "group_interval: 2s");
  yaml =
      std::regex_replace(yaml, std::regex(R"(global:\n)"),
                         fmt::format("global:\n  pagerduty_url: {}/v2/enqueue\n", pagerduty_url));
  return yaml;
}

std::vector<json> bodies(const RecordingServer& server, const std::string& path) {
  std::vector<json> out;
  for (const RecordedRequest& r : server.requests()) {
    if (r.path == path) out.push_back(json::parse(r.body, nullptr, false));
  }
  return out;
}

// Slack messages to `channel` whose first attachment's title contains `text`.
std::vector<json> slack_messages(const RecordingServer& slack, const std::string& channel,
                                 const std::string& text) {
  std::vector<json> out;
  for (const json& b : bodies(slack, "/slack")) {
    if (b.value("channel", "") != channel || !b.contains("attachments")) continue;
    if (b["attachments"][0].value("title", "").find(text) != std::string::npos) out.push_back(b);
  }
  return out;
}

std::vector<json> pagerduty_events(const RecordingServer& pagerduty, const std::string& action) {
  std::vector<json> out;
  for (const json& b : bodies(pagerduty, "/v2/enqueue")) {
    if (b.value("event_action", "") == action) out.push_back(b);
  }
  return out;
}

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_core_.set("agent_core_up_marker", 1);
    workflows_.set("temporal_workflow_completed_total", 0);
    workflows_.set("temporal_workflow_failed_total", 0);
    PrometheusOptions options;
    options.scrape_configs = fmt::format(R"(  - job_name: agent-core
    static_configs: [{{targets: ['{}']}}]
  - job_name: temporal
    static_configs: [{{targets: ['{}']}}]
)",
                                         agent_core_.target(), workflows_.target());
    prometheus_ = std::make_unique<PrometheusServer>(options);
    ASSERT_TRUE(prometheus_->start()) << prometheus_->log();

    for (std::string file :
         {"policy-engine.yml", "service-health.yml", "token-budget.yml", "workflows.yml"}) {
      tocsin_.write("rules/" + file, on_test_clock(read_file(source_dir() + "/rules/" + file)));
    }
    tocsin_.write("secrets/slack-webhook-url", slack_.url() + "/slack");
    tocsin_.write("secrets/pagerduty-routing-key", "0123456789abcdef0123456789abcdef");
    tocsin_.write("alertmanager.yml", shipped_routing(pagerduty_.url()));
    tocsin_.write("tocsin.yml", fmt::format(R"(global:
  evaluation_interval: 1s
datasource:
  url: {}
rule_files: [rules/*.yml]
alerting_config_file: alertmanager.yml
)",
                                            prometheus_->url()));
    Status started = tocsin_.start();
    ASSERT_TRUE(started) << started.error().message() << tocsin_.log();

    // The workflows complete steadily; the test decides how many fail.
    counters_ = std::jthread([this](std::stop_token stop) {
      double completed = 0, failed = 0;
      while (!stop.stop_requested()) {
        completed += 10;
        if (failing_) failed += 5;
        workflows_.set("temporal_workflow_completed_total", completed);
        workflows_.set("temporal_workflow_failed_total", failed);
        std::this_thread::sleep_for(100ms);  // the workload's pace, not a wait for a result
      }
    });
  }

  void TearDown() override {
    counters_ = {};
    tocsin_.stop();
  }

  FixtureExporter agent_core_;
  FixtureExporter workflows_;
  RecordingServer slack_;
  RecordingServer pagerduty_;
  std::unique_ptr<PrometheusServer> prometheus_;
  TocsinServer tocsin_;
  std::atomic<bool> failing_{false};
  std::jthread counters_;
};

TEST_F(EndToEndTest, AnIncidentPagesOnceWarnsOnceAndResolves) {
  pagerduty_.respond("/v2/enqueue", CannedResponse{202, R"({"status":"success"})"});
  failing_ = true;
  agent_core_.fail_scrapes(true);

  // Firing: one page for the critical group, one Slack message per channel.
  ASSERT_TRUE(wait_until(
      [&] {
        return !pagerduty_events(pagerduty_, "trigger").empty() &&
               !slack_messages(slack_, "#alerts", "WorkflowErrorRateHigh").empty() &&
               !slack_messages(slack_, "#alerts-critical", "AgentCoreDown").empty();
      },
      kTimeout))
      << tocsin_.log();
  json trigger = pagerduty_events(pagerduty_, "trigger").at(0);
  EXPECT_EQ(trigger["routing_key"], "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(trigger["payload"]["severity"], "critical");
  EXPECT_EQ(trigger["payload"]["class"], "AgentCoreDown");
  EXPECT_EQ(trigger["payload"]["component"], "agent-core");
  EXPECT_EQ(trigger["payload"]["group"], "shannon");
  EXPECT_EQ(trigger["dedup_key"].get<std::string>().size(), 64u);  // SHA-256 of the group key
  json warning = slack_messages(slack_, "#alerts", "WorkflowErrorRateHigh").at(0);
  EXPECT_EQ(warning["attachments"][0]["color"], "danger");
  EXPECT_NE(warning["attachments"][0]["title"].get<std::string>().find("[FIRING:1]"),
            std::string::npos);

  // Recovery: both resolve, each told once.
  failing_ = false;
  agent_core_.fail_scrapes(false);
  ASSERT_TRUE(wait_until(
      [&] {
        return !pagerduty_events(pagerduty_, "resolve").empty() &&
               !slack_messages(slack_, "#alerts", "RESOLVED").empty() &&
               !slack_messages(slack_, "#alerts-critical", "RESOLVED").empty();
      },
      kTimeout))
      << tocsin_.log();
  json resolve = pagerduty_events(pagerduty_, "resolve").at(0);
  EXPECT_EQ(resolve["dedup_key"], trigger["dedup_key"]);

  // A few more group intervals: nothing is repeated (repeat_interval is hours).
  std::size_t seen = slack_.request_count() + pagerduty_.request_count();
  EXPECT_FALSE(
      wait_until([&] { return slack_.request_count() + pagerduty_.request_count() > seen; }, 6s));
  EXPECT_EQ(pagerduty_events(pagerduty_, "trigger").size(), 1u);
  EXPECT_EQ(pagerduty_events(pagerduty_, "resolve").size(), 1u);
  EXPECT_EQ(slack_messages(slack_, "#alerts", "WorkflowErrorRateHigh").size(),
            2u);  // firing, resolved
  EXPECT_EQ(slack_messages(slack_, "#alerts-critical", "AgentCoreDown").size(), 2u);
}

}  // namespace
}  // namespace tocsin::test
