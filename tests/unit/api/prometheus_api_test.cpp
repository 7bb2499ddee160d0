#include "api/prometheus_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tocsin::api {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

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

Json parsed(const Result<std::string>& body) {
  return body ? Json::parse(*body) : Json();
}

TEST(PrometheusApi, RulesResponseHasPrometheusShape) {
  auto text = rules_response({firing_group()}, "");
  ASSERT_TRUE(text.has_value());
  auto body = std::optional<Json>(Json::parse(*text));
  // Numbers as Go writes float64s and ints.
  EXPECT_NE(text->find(R"("duration":120,"keepFiringFor":0,)"), std::string::npos) << *text;
  EXPECT_NE(text->find(R"("interval":30,"limit":5,)"), std::string::npos) << *text;
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
  EXPECT_EQ(parsed(alerts_only)["data"]["groups"][0]["rules"].size(), 1u);
  auto records_only = rules_response({firing_group()}, "record");
  EXPECT_EQ(parsed(records_only)["data"]["groups"][0]["rules"][0]["type"], "recording");
  auto bad = rules_response({firing_group()}, "alerts");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "invalid parameter \"type\": not supported value \"alerts\"");
}

TEST(PrometheusApi, AlertsResponseListsActiveAlerts) {
  Json body = Json::parse(alerts_response({firing_group()}));
  EXPECT_EQ(body["status"], "success");
  ASSERT_EQ(body["data"]["alerts"].size(), 1u);
  EXPECT_EQ(body["data"]["alerts"][0]["labels"]["alertname"], "HighErrors");
  EXPECT_EQ(alerts_response({}), R"({"status":"success","data":{"alerts":[]}})");
}

// Written as Go writes it: <, > and & escaped, a byte of invalid UTF-8 as
// \ufffd (nlohmann's writer threw on it, and the whole API answered 500).
TEST(PrometheusApi, StringsAreWrittenAsGoWritesThem) {
  rules::RuleGroupSpec spec;
  spec.file = "rules.yml";
  spec.name = "g";
  spec.interval = 30s;
  rules::RuleSpec alert;
  alert.name = "Odd";
  alert.expr = "x > 0";
  alert.annotations = {{"summary", "a <b> & \xff", {}, {}}};
  spec.rules = {alert};
  std::shared_ptr<rules::RuleGroup> group(std::move(*rules::RuleGroup::build(spec, 1min)));
  rules::GroupEnvironment env;
  env.query = [](std::string_view, Timestamp at) -> query::QueryResult {
    return query::Vector{query::Sample{Labels{{"__name__", "x"}}, 1, at}};
  };
  group->eval(kT0, env);
  std::string alerts = alerts_response({group});
  EXPECT_NE(alerts.find(R"("summary":"a \u003cb\u003e \u0026 \ufffd")"), std::string::npos)
      << alerts;
  auto rules = rules_response({group}, "");
  ASSERT_TRUE(rules.has_value());
  EXPECT_NE(rules->find(R"("summary":"a \u003cb\u003e \u0026 \ufffd")"), std::string::npos)
      << *rules;
}

TEST(PrometheusApi, ErrorResponse) {
  EXPECT_EQ(prometheus_error("bad_data", "nope"),
            R"({"status":"error","errorType":"bad_data","error":"nope"})");
}

}  // namespace
}  // namespace tocsin::api
