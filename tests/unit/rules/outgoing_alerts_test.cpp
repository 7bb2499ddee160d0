#include "rules/outgoing_alerts.h"

#include <gtest/gtest.h>

#include "rule_times.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

using test::kT0;

Alert firing_alert() {
  Alert a;
  a.labels = Labels{{"alertname", "HighErrorRate"}, {"service", "policy"}, {"cluster", "eu-1"}};
  a.annotations = Labels{{"summary", "error rate 7%"}};
  a.state = AlertState::kFiring;
  a.active_at = kT0;
  a.fired_at = kT0 + 5min;
  a.valid_until = kT0 + 9min;
  return a;
}

TEST(OutgoingAlertsTest, FiringAlertEndsWhenItsLastEvaluationStopsVouchingForIt) {
  std::vector<Alert> alerts{firing_alert()};
  auto out = outgoing_alerts(alerts, "rate(x[5m]) > 0.05", {}, "http://prom:9090", kT0 + 6min);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].starts_at, kT0 + 5min);
  EXPECT_EQ(out[0].ends_at, kT0 + 9min);
  EXPECT_EQ(out[0].updated_at, kT0 + 6min);
  EXPECT_EQ(out[0].labels, alerts[0].labels);
  EXPECT_EQ(out[0].annotations, alerts[0].annotations);
  EXPECT_FALSE(out[0].timeout);
}

TEST(OutgoingAlertsTest, ResolvedAlertEndsAtItsResolveTime) {
  Alert a = firing_alert();
  a.state = AlertState::kInactive;
  a.resolved_at = kT0 + 7min;
  std::vector<Alert> alerts{a};
  auto out = outgoing_alerts(alerts, "up == 0", {}, "http://prom:9090", kT0 + 8min);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ends_at, kT0 + 7min);
  EXPECT_TRUE(out[0].resolved_at(kT0 + 8min));
}

TEST(OutgoingAlertsTest, ExternalLabelsFillOnlyWhatTheAlertLacks) {
  std::vector<Alert> alerts{firing_alert()};
  auto out = outgoing_alerts(alerts, "up == 0", {{"cluster", "global"}, {"replica", "a"}},
                             "http://prom:9090", kT0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels.get("cluster"), "eu-1");
  EXPECT_EQ(out[0].labels.get("replica"), "a");
  EXPECT_EQ(out[0].labels.size(), 4u);
}

// Values checked against Prometheus's TableLinkForExpression (url.QueryEscape).
TEST(OutgoingAlertsTest, GeneratorUrlLinksTheExpressionInTheGraphPage) {
  EXPECT_EQ(graph_link("http://prom:9090/", "up == 0"),
            "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
  EXPECT_EQ(
      graph_link("http://prom:9090", "rate(x{a=\"b\"}[5m]) > 0.05"),
      "http://prom:9090/graph?g0.expr=rate%28x%7Ba%3D%22b%22%7D%5B5m%5D%29+%3E+0.05&g0.tab=1");
  std::vector<Alert> alerts{firing_alert()};
  auto out = outgoing_alerts(alerts, "up == 0", {}, "http://prom:9090", kT0);
  EXPECT_EQ(out[0].generator_url, "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
}

}  // namespace
}  // namespace tocsin::rules
