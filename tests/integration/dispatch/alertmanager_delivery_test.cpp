// The same alerts, the same configuration, tocsin and a real Alertmanager
// 0.25 side by side, each delivering to its own recording servers: what
// reaches webhook, Slack and PagerDuty must be the same, body for body,
// through firing, resolving, a silence and an inhibition.
#include <algorithm>
#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kExternalUrl = "http://alerts.example.test";

// Where one of the two sends its notifications.
struct Receivers {
  RecordingServer webhook;
  RecordingServer slack;
  RecordingServer pagerduty;
};

std::string routing(const Receivers& r) {
  return fmt::format(R"(global:
  resolve_timeout: 5m
route:
  receiver: team-slack
  group_by: [alertname, service]
  group_wait: 3s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - receiver: oncall
      matchers: [severity="critical"]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: team-slack
    slack_configs:
      - api_url: {slack}/slack
        channel: '#alerts'
        send_resolved: true
  - name: oncall
    webhook_configs:
      - url: {webhook}/hook
    pagerduty_configs:
      - routing_key: 0123456789abcdef0123456789abcdef
        url: {pagerduty}/v2/enqueue
        send_resolved: true
)",
                     fmt::arg("slack", r.slack.url()), fmt::arg("webhook", r.webhook.url()),
                     fmt::arg("pagerduty", r.pagerduty.url()));
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::floor<std::chrono::seconds>(t));
}

json alert(json labels, std::chrono::system_clock::time_point starts,
           std::optional<std::chrono::system_clock::time_point> ends = std::nullopt) {
  json a = {{"labels", std::move(labels)},
            {"annotations", {{"summary", "something is wrong"}}},
            {"startsAt", rfc3339(starts)},
            {"generatorURL", "http://prometheus.example.test/graph?g0.expr=up"}};
  if (ends) a["endsAt"] = rfc3339(*ends);
  return a;
}

// Every body a server received at `path`, parsed, in a stable order.
std::vector<json> received(const RecordingServer& server, const std::string& path) {
  std::vector<json> out;
  for (const RecordedRequest& r : server.requests()) {
    if (r.path == path) out.push_back(json::parse(r.body, nullptr, false));
  }
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return out;
}

class AlertmanagerDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alertmanager_ = std::make_unique<AlertmanagerServer>(routing(am_), kExternalUrl);
    Status am = alertmanager_->start();
    ASSERT_TRUE(am) << am.error().message();

    tocsin_.write("alertmanager.yml", routing(ours_));
    tocsin_.write("tocsin.yml", fmt::format(R"(global:
  external_url: {}
datasource:
  url: http://127.0.0.1:1
rule_files: []
alerting_config_file: alertmanager.yml
)",
                                            kExternalUrl));
    Status started = tocsin_.start();
    ASSERT_TRUE(started) << started.error().message() << tocsin_.log();
  }

  // Posts the same thing to both; both must accept it.
  void post_to_both(const std::string& path, const json& body) {
    for (const std::string& base : {alertmanager_->url(), tocsin_.url()}) {
      HttpResponse r = http_post(base + path, body.dump());
      ASSERT_EQ(r.status, 200) << base << path << ": " << r.body;
    }
  }

  bool both_received(std::size_t webhook, std::size_t slack, std::size_t pagerduty) {
    for (Receivers* r : {&am_, &ours_}) {
      if (r->webhook.request_count() < webhook || r->slack.request_count() < slack ||
          r->pagerduty.request_count() < pagerduty) {
        return false;
      }
    }
    return true;
  }

  void expect_same_deliveries() {
    EXPECT_EQ(received(ours_.webhook, "/hook"), received(am_.webhook, "/hook"));
    EXPECT_EQ(received(ours_.slack, "/slack"), received(am_.slack, "/slack"));
    EXPECT_EQ(received(ours_.pagerduty, "/v2/enqueue"), received(am_.pagerduty, "/v2/enqueue"));
  }

  Receivers am_;
  Receivers ours_;
  std::unique_ptr<AlertmanagerServer> alertmanager_;
  TocsinServer tocsin_;
};

TEST_F(AlertmanagerDeliveryTest, SameNotificationsAsAlertmanager) {
  auto now = std::chrono::system_clock::now();
  // Started now, not in the past: an alert older than group_wait makes both
  // flush its new group at once, racing the rest of the same post (as
  // Alertmanager's insert does), and which alerts make the first flush would
  // be down to the scheduler.
  auto started = now;
  // A silence on the database service, posted before its alert.
  post_to_both("/api/v2/silences",
               json{{"matchers", {{{"name", "service"}, {"value", "db"}, {"isRegex", false}}}},
                    {"startsAt", rfc3339(now - 1min)},
                    {"endsAt", rfc3339(now + 1h)},
                    {"createdBy", "test"},
                    {"comment", "maintenance"}});

  json firing = json::array({
      alert({{"alertname", "ServiceDown"},
             {"service", "api"},
             {"severity", "critical"},
             {"instance", "api-1:8080"}},
            started),
      alert({{"alertname", "ServiceDown"},
             {"service", "api"},
             {"severity", "critical"},
             {"instance", "api-2:8080"}},
            started),
      // Inhibited by ServiceDown on the same service.
      alert({{"alertname", "HighLatency"}, {"service", "api"}, {"severity", "warning"}}, started),
      alert({{"alertname", "HighLatency"}, {"service", "web"}, {"severity", "warning"}}, started),
      // Silenced.
      alert({{"alertname", "DiskFull"}, {"service", "db"}, {"severity", "warning"}}, started),
  });
  post_to_both("/api/v2/alerts", firing);

  ASSERT_TRUE(wait_until([&] { return both_received(1, 1, 1); }, kStepTimeout))
      << "tocsin log:\n"
      << tocsin_.log() << "\nalertmanager log:\n"
      << alertmanager_->log();
  // A couple more group intervals, so that anything one of them sends and the
  // other does not shows.
  EXPECT_FALSE(wait_until([&] { return both_received(2, 2, 2); }, 5s));
  expect_same_deliveries();
  ASSERT_EQ(received(ours_.slack, "/slack").size(), 1u);  // web only: api inhibited, db silenced

  // One ServiceDown instance resolves, then the web latency.
  post_to_both(
      "/api/v2/alerts",
      json::array(
          {alert({{"alertname", "ServiceDown"},
                  {"service", "api"},
                  {"severity", "critical"},
                  {"instance", "api-2:8080"}},
                 started, now),
           alert({{"alertname", "HighLatency"}, {"service", "web"}, {"severity", "warning"}},
                 started, now)}));
  ASSERT_TRUE(wait_until([&] { return both_received(2, 2, 2); }, kStepTimeout))
      << "tocsin log:\n"
      << tocsin_.log() << "\nalertmanager log:\n"
      << alertmanager_->log();
  EXPECT_FALSE(wait_until([&] { return both_received(3, 3, 3); }, 5s));
  expect_same_deliveries();
}

}  // namespace
}  // namespace tocsin::test
