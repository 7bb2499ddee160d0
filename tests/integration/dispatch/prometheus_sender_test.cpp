// A Prometheus that sends its alerts to tocsin instead of an Alertmanager:
// its rule manager posts to /api/v2/alerts, and tocsin routes, groups and
// delivers them like an Alertmanager would.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/prometheus_server.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(PrometheusSenderTest, PrometheusAlertsReachTheReceiverThroughTocsin) {
  RecordingServer hook;
  TocsinServer tocsin;
  tocsin.write("tocsin.yml", fmt::format(R"(datasource: {{url: "http://127.0.0.1:1"}}
rule_files: []
alerting:
  route:
    receiver: team
    group_by: [alertname]
    group_wait: 1s
    group_interval: 2s
  receivers:
    - name: team
      webhook_configs: [{{url: "{}/hook"}}]
)",
                                         hook.url()));
  Status started = tocsin.start();
  ASSERT_TRUE(started) << started.error().message() << tocsin.log();

  TempDir rules("prometheus-rules");
  std::string rule_file = rules.write("rules.yml", R"(groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        labels: {severity: warning}
        annotations: {summary: "fires from the start"}
)");
  PrometheusOptions options;
  options.rule_files = {rule_file};
  options.alertmanagers = {fmt::format("127.0.0.1:{}", tocsin.port())};
  // Prometheus drops what it sends before it has discovered its
  // Alertmanagers and resends a firing alert only after this delay (1m by
  // default).
  options.extra_args = {"--rules.alert.resend-delay=1s"};
  PrometheusServer prometheus(options);
  ASSERT_TRUE(prometheus.start()) << prometheus.log();

  ASSERT_TRUE(hook.wait_for_requests(1, 60s)) << tocsin.log() << prometheus.log();
  json body = json::parse(hook.requests().at(0).body);
  EXPECT_EQ(body["receiver"], "team");
  EXPECT_EQ(body["status"], "firing");
  ASSERT_EQ(body["alerts"].size(), 1u);
  const json& alert = body["alerts"][0];
  EXPECT_EQ(alert["labels"]["alertname"], "AlwaysFiring");
  EXPECT_EQ(alert["labels"]["severity"], "warning");
  EXPECT_EQ(alert["annotations"]["summary"], "fires from the start");
  // Prometheus links the expression in its own graph page.
  EXPECT_NE(alert["generatorURL"].get<std::string>().find("/graph?g0.expr="), std::string::npos);
}

}  // namespace
}  // namespace tocsin::test
