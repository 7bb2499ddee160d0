#include "api/prometheus_api.h"

#include <gtest/gtest.h>

namespace tocsin::api {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp(1'714'564'800'000ms);  // 2024-05-01T12:00:00Z

std::shared_ptr<rules::RuleGroup> firing_group() {
  rules::RuleGroupSpec spec;
  spec.file = "/etc/tocsin/rules.yml";
  spec.name = "slo";
  spec.interval = 30s;
  spec.limit = 5;
  rules::RuleSpec alert;
  alert.name = "HighErrors";
  alert.expr = "errors > 5";
  alert.for_duration = 2min;
  alert.labels = {{"severity", "critical", {}, {}}};
  alert.annotations = {{"summary", "{{ $labels.job }} errors", {}, {}}};
  rules::RuleSpec record;
  record.kind = rules::RuleSpec::Kind::kRecording;
  record.name = "job:errors:rate5m";
  record.expr = "rate(errors[5m])";
  spec.rules = {alert, record};
  std::shared_ptr<rules::RuleGroup> group(std::move(*rules::RuleGroup::build(spec, 1min)));
  rules::GroupEnvironment env;
  env.query = [](std::string_view, Timestamp at) -> query::QueryResult {
    return query::Vector{query::Sample{Labels{{"__name__", "errors"}, {"job", "api"}}, 7, at}};
  };
  group->eval(kT0, env);
  return group;
}

TEST(PrometheusApi, RulesResponseHasPrometheusShape) {
  auto body = rules_response({firing_group()}, "");
  ASSERT_TRUE(body.has_value());
  const Json& g = (*body)["data"]["groups"][0];
  EXPECT_EQ((*body)["status"], "success");
  EXPECT_EQ(g["name"], "slo");
  EXPECT_EQ(g["file"], "/etc/tocsin/rules.yml");
  EXPECT_EQ(g["interval"], 30.0);
  EXPECT_EQ(g["limit"], 5);
  ASSERT_EQ(g["rules"].size(), 2u);

  const Json& a = g["rules"][0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"state", "name", "query", "duration", "keepFiringFor",
                                            "labels", "annotations", "alerts", "health",
                                            "evaluationTime", "lastEvaluation", "type"}));
  EXPECT_EQ(a["state"], "pending");
  EXPECT_EQ(a["query"], "errors > 5");
  EXPECT_EQ(a["duration"], 120.0);
  EXPECT_EQ(a["labels"], Json({{"severity", "critical"}}));
  EXPECT_EQ(a["annotations"], Json({{"summary", "{{ $labels.job }} errors"}}));
  EXPECT_EQ(a["health"], "ok");
  EXPECT_EQ(a["type"], "alerting");
  const Json& alert = a["alerts"][0];
  EXPECT_EQ(alert["labels"],
            Json({{"alertname", "HighErrors"}, {"job", "api"}, {"severity", "critical"}}));
  EXPECT_EQ(alert["annotations"], Json({{"summary", "api errors"}}));
  EXPECT_EQ(alert["state"], "pending");
  EXPECT_EQ(alert["activeAt"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(alert["value"], "7e+00");
  EXPECT_FALSE(alert.contains("keepFiringSince"));

  const Json& r = g["rules"][1];
  EXPECT_EQ(r["type"], "recording");
  EXPECT_EQ(r["health"], "unknown");
  EXPECT_EQ(r["lastEvaluation"], "0001-01-01T00:00:00Z");
  EXPECT_FALSE(r.contains("labels"));  // omitted when empty, as Prometheus does
  EXPECT_FALSE(r.contains("lastError"));
}

TEST(PrometheusApi, RulesResponseFiltersByType) {
  auto alerts_only = rules_response({firing_group()}, "alert");
  ASSERT_TRUE(alerts_only.has_value());
  EXPECT_EQ((*alerts_only)["data"]["groups"][0]["rules"].size(), 1u);
  auto records_only = rules_response({firing_group()}, "record");
  EXPECT_EQ((*records_only)["data"]["groups"][0]["rules"][0]["type"], "recording");
  auto bad = rules_response({firing_group()}, "alerts");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "invalid parameter \"type\": not supported value \"alerts\"");
}

TEST(PrometheusApi, AlertsResponseListsActiveAlerts) {
  Json body = alerts_response({firing_group()});
  EXPECT_EQ(body["status"], "success");
  ASSERT_EQ(body["data"]["alerts"].size(), 1u);
  EXPECT_EQ(body["data"]["alerts"][0]["labels"]["alertname"], "HighErrors");
  EXPECT_EQ(alerts_response({})["data"]["alerts"], Json::array());
}

TEST(PrometheusApi, ErrorResponse) {
  EXPECT_EQ(error_response("bad_data", "nope").dump(),
            R"({"status":"error","errorType":"bad_data","error":"nope"})");
}

}  // namespace
}  // namespace tocsin::api
