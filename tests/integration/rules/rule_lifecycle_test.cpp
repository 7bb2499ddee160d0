// The user's story: tocsin runs beside a real Prometheus that scrapes a
// service; the service misbehaves, recovers, Prometheus goes away and comes
// back, and an operator breaks and fixes the rule file. Every step is
// watched through tocsin's own API, as a user (or Grafana) would watch it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/fixture_exporter.h"
#include "support/http.h"
#include "support/prometheus_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const char* kLifecycleRules = R"(groups:
  - name: service
    interval: 1s
    rules:
      - alert: HighErrors
        expr: demo_errors > 5
        for: 3s
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.service }} has {{ $value }} errors"
)";

class RuleLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exporter_.set(R"(demo_errors{service="api"})", 0);
    PrometheusOptions options;
    options.scrape_configs = fmt::format(
        "  - job_name: demo\n    static_configs:\n      - targets: ['{}']\n", exporter_.target());
    prometheus_ = std::make_unique<PrometheusServer>(options);
    ASSERT_TRUE(prometheus_->start()) << prometheus_->log();

    tocsin_.write("rules.yml", kLifecycleRules);
    tocsin_.write("tocsin.yml", fmt::format(R"(global:
  evaluation_interval: 1s
  external_labels: {{cluster: test}}
datasource:
  url: {}
  timeout: 5s
rule_files: [rules.yml]
)",
                                            prometheus_->url()));
    // Its reloads by POST /-/reload need the lifecycle API, as in Prometheus.
    Status started = tocsin_.start("tocsin.yml", {"--web.enable-lifecycle"});
    ASSERT_TRUE(started) << started.error().message();
  }

  // The rule named `name` in /api/v1/rules, once it is there.
  json rule(const std::string& name) {
    auto doc = tocsin_.get_json("/api/v1/rules");
    if (!doc) return json();
    for (const auto& g : (*doc)["data"]["groups"]) {
      for (const auto& r : g["rules"]) {
        if (r["name"] == name) return r;
      }
    }
    return json();
  }

  json alerts() {
    auto doc = tocsin_.get_json("/api/v1/alerts");
    return doc ? (*doc)["data"]["alerts"] : json::array();
  }

  bool alert_in_state(const std::string& state) {
    json a = alerts();
    return a.size() == 1 && a[0]["state"] == state;
  }

  std::string metrics() { return http_get(tocsin_.url() + "/metrics").body; }

  // Waits for the exporter's series to reach the alert: firing, with the
  // time it became active.
  std::string make_it_fire() {
    exporter_.set(R"(demo_errors{service="api"})", 10);
    EXPECT_TRUE(wait_until([&] { return alert_in_state("firing"); }, kStepTimeout))
        << tocsin_.log();
    return alerts()[0].value("activeAt", "");
  }

  FixtureExporter exporter_;
  std::unique_ptr<PrometheusServer> prometheus_;
  TocsinServer tocsin_;
};

TEST_F(RuleLifecycleTest, AlertGoesPendingFiringResolvedAndTheApiShowsEachStep) {
  ASSERT_TRUE(
      wait_until([&] { return rule("HighErrors").value("health", "") == "ok"; }, kStepTimeout))
      << tocsin_.log();
  EXPECT_EQ(rule("HighErrors")["state"], "inactive");
  EXPECT_TRUE(alerts().empty());

  exporter_.set(R"(demo_errors{service="api"})", 10);
  ASSERT_TRUE(wait_until([&] { return alert_in_state("pending"); }, kStepTimeout)) << tocsin_.log();
  json pending = alerts()[0];
  EXPECT_EQ(pending["labels"], (json{{"alertname", "HighErrors"},
                                     {"service", "api"},
                                     {"severity", "critical"},
                                     {"instance", exporter_.target()},
                                     {"job", "demo"}}));
  EXPECT_EQ(pending["annotations"]["summary"], "api has 10 errors");
  EXPECT_EQ(pending["value"], "1e+01");
  EXPECT_EQ(rule("HighErrors")["state"], "pending");

  ASSERT_TRUE(wait_until([&] { return alert_in_state("firing"); }, kStepTimeout)) << tocsin_.log();
  EXPECT_EQ(alerts()[0]["activeAt"], pending["activeAt"]);  // kept while the alert stays active
  EXPECT_EQ(rule("HighErrors")["state"], "firing");
  EXPECT_NE(metrics().find("tocsin_rule_alerts{state=\"firing\"} 1"), std::string::npos);

  exporter_.set(R"(demo_errors{service="api"})", 1);
  ASSERT_TRUE(wait_until([&] { return alerts().empty(); }, kStepTimeout)) << tocsin_.log();
  EXPECT_EQ(rule("HighErrors")["state"], "inactive");
  EXPECT_NE(metrics().find("tocsin_rule_alerts{state=\"firing\"} 0"), std::string::npos);
}

TEST_F(RuleLifecycleTest, PrometheusDownMakesRulesUnhealthyButFiringAlertsStayFiring) {
  std::string active_at = make_it_fire();

  prometheus_->stop();
  ASSERT_TRUE(
      wait_until([&] { return rule("HighErrors").value("health", "") == "err"; }, kStepTimeout))
      << tocsin_.log();
  json r = rule("HighErrors");
  EXPECT_NE(r.value("lastError", "").find("connection"), std::string::npos) << r.dump();
  ASSERT_TRUE(alert_in_state("firing")) << alerts().dump();
  EXPECT_EQ(alerts()[0]["activeAt"], active_at);
  EXPECT_NE(metrics().find("tocsin_rule_evaluation_failures_total"), std::string::npos);

  ASSERT_TRUE(prometheus_->start()) << prometheus_->log();
  ASSERT_TRUE(
      wait_until([&] { return rule("HighErrors").value("health", "") == "ok"; }, kStepTimeout))
      << tocsin_.log();
  EXPECT_FALSE(rule("HighErrors").contains("lastError"));
  ASSERT_TRUE(alert_in_state("firing"));
  EXPECT_EQ(alerts()[0]["activeAt"], active_at);
}

TEST_F(RuleLifecycleTest, ReloadWithABrokenFileKeepsTheRunningRules) {
  std::string active_at = make_it_fire();

  tocsin_.write("rules.yml", "groups:\n  - name: service\n    rules:\n      - alert: Broken\n");
  HttpResponse reload = http_post(tocsin_.url() + "/-/reload", "", "text/plain");
  EXPECT_EQ(reload.status, 500);
  EXPECT_NE(reload.body.find("rules.yml:4:16: group \"service\", rule 1, \"Broken\": field 'expr' "
                             "must be set in rule"),
            std::string::npos)
      << reload.body;
  EXPECT_NE(metrics().find("tocsin_config_last_reload_successful 0"), std::string::npos);
  EXPECT_FALSE(rule("HighErrors").is_null());
  EXPECT_TRUE(rule("Broken").is_null());
  ASSERT_TRUE(alert_in_state("firing"));

  // The operator fixes the file and adds a rule; SIGHUP reloads it.
  tocsin_.write("rules.yml", std::string(kLifecycleRules) + R"(      - alert: AnyErrors
        expr: demo_errors > 0
)");
  tocsin_.signal_reload();
  ASSERT_TRUE(wait_until([&] { return !rule("AnyErrors").is_null(); }, kStepTimeout))
      << tocsin_.log();
  EXPECT_NE(metrics().find("tocsin_config_last_reload_successful 1"), std::string::npos);
  // HighErrors survived the reload with its alert's state.
  json a = alerts();
  auto high = std::find_if(a.begin(), a.end(),
                           [](const json& x) { return x["labels"]["alertname"] == "HighErrors"; });
  ASSERT_NE(high, a.end()) << a.dump();
  EXPECT_EQ((*high)["state"], "firing");
  EXPECT_EQ((*high)["activeAt"], active_at);
}

TEST_F(RuleLifecycleTest, ReloadWithATemplateNestedTooDeepKeepsTheRunningRules) {
  std::string active_at = make_it_fire();

  // 100,000 nested parentheses: promtool accepts the file; parsing it
  // recursively would overflow the stack of the thread that reloads.
  std::string deep = "{{" + std::string(100000, '(') + "1" + std::string(100000, ')') + "}}";
  tocsin_.write("rules.yml", std::string(kLifecycleRules) + "          deep: \"" + deep + "\"\n");
  HttpResponse reload = http_post(tocsin_.url() + "/-/reload", "", "text/plain");
  EXPECT_EQ(reload.status, 500);
  EXPECT_NE(reload.body.find("rules.yml:12:17: group \"service\", rule 1, \"HighErrors\": "
                             "annotation \"deep\": template: __alert_HighErrors:1: max expression "
                             "depth exceeded"),
            std::string::npos)
      << reload.body.substr(0, 500);
  EXPECT_EQ(http_get(tocsin_.url() + "/-/healthy").status, 200);
  ASSERT_TRUE(alert_in_state("firing"));
  EXPECT_EQ(alerts()[0]["activeAt"], active_at);
  EXPECT_EQ(rule("HighErrors")["annotations"].count("deep"), 0u);
}

TEST_F(RuleLifecycleTest, ServesHealthReadinessMetricsAndRejectsBadParameters) {
  EXPECT_EQ(http_get(tocsin_.url() + "/-/healthy").status, 200);
  EXPECT_EQ(http_get(tocsin_.url() + "/-/ready").status, 200);
  HttpResponse bad = http_get(tocsin_.url() + "/api/v1/rules?type=bogus");
  EXPECT_EQ(bad.status, 400);
  auto body = json::parse(bad.body);
  EXPECT_EQ(body["status"], "error");
  EXPECT_EQ(body["errorType"], "bad_data");
  ASSERT_TRUE(
      wait_until([&] { return rule("HighErrors").value("health", "") == "ok"; }, kStepTimeout));
  std::string m = metrics();
  for (const char* name :
       {"tocsin_rule_group_duration_seconds_bucket", "tocsin_rule_evaluations_total",
        "tocsin_rule_group_iterations_missed_total",
        "tocsin_rule_group_last_evaluation_timestamp_seconds",
        "tocsin_query_duration_seconds_count", "tocsin_rules{",
        "tocsin_config_last_reload_success_timestamp_seconds",
        "tocsin_template_text_expansions_total", "tocsin_template_text_expansion_failures_total"}) {
    EXPECT_NE(m.find(name), std::string::npos) << name;
  }
  auto record_only = tocsin_.get_json("/api/v1/rules?type=record");
  ASSERT_TRUE(record_only.has_value());
  EXPECT_TRUE((*record_only)["data"]["groups"][0]["rules"].empty());
}

}  // namespace
}  // namespace tocsin::test
