// GET /api/v1/history's parameters (each refusal names its parameter) and
// the JSON it answers with.
#include "api/history_endpoint.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fake_clock.h"

namespace tocsin::api {
namespace {

using test::at;

web::Request history_request(std::multimap<std::string, std::string> params) {
  web::Request req;
  req.method = "GET";
  req.path = "/api/v1/history";
  req.params = std::move(params);
  return req;
}

TEST(HistoryEndpoint, ReadsEveryFilter) {
  auto query = history_query(history_request({{"kind", "alert"},
                                              {"state", "firing"},
                                              {"receiver", "pager"},
                                              {"alertname", "Down"},
                                              {"fingerprint", "00000000000000ff"},
                                              {"from", "2024-05-01T12:00:00Z"},
                                              {"to", "1714568400"},
                                              {"limit", "7"},
                                              {"cursor", "42"},
                                              {"filter", "severity=~\"crit.*\""},
                                              {"filter", "team!=db"}}));
  ASSERT_TRUE(query) << query.error().message();
  EXPECT_EQ(query->kind, "alert");
  EXPECT_EQ(query->state, "firing");
  EXPECT_EQ(query->receiver, "pager");
  EXPECT_EQ(query->alertname, "Down");
  EXPECT_EQ(query->fingerprint, 0xffu);
  EXPECT_EQ(query->from, at("2024-05-01T12:00:00Z"));
  EXPECT_EQ(query->to, at("2024-05-01T13:00:00Z"));
  EXPECT_EQ(query->limit, 7u);
  EXPECT_EQ(query->before_id, 42);
  ASSERT_TRUE(query->matches);
  EXPECT_TRUE(query->matches(Labels{{"severity", "critical"}, {"team", "web"}}));
  EXPECT_FALSE(query->matches(Labels{{"severity", "critical"}, {"team", "db"}}));
  EXPECT_FALSE(query->matches(Labels{{"severity", "warning"}}));

  auto plain = history_query(history_request({}));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->limit, 100u);
  EXPECT_FALSE(plain->matches);
}

TEST(HistoryEndpoint, NamesTheParameterItRefuses) {
  struct Case {
    std::multimap<std::string, std::string> params;
    std::string error;
  };
  const Case cases[] = {
      {{{"limit", "0"}}, "invalid parameter \"limit\": \"0\" is not a positive integer"},
      {{{"limit", "1001"}}, "invalid parameter \"limit\": at most 1000"},
      {{{"cursor", "x"}}, "invalid parameter \"cursor\": \"x\" is not a positive integer"},
      {{{"from", "yesterday"}}, "invalid parameter \"from\": "},
      {{{"from", "2024-05-02T00:00:00Z"}, {"to", "2024-05-01T00:00:00Z"}},
       "invalid parameter \"to\": end timestamp must not be before start time"},
      {{{"fingerprint", "xyz"}}, "invalid parameter \"fingerprint\": \"xyz\" is not an alert"},
      {{{"filter", "a=~\"(\""}}, "invalid parameter \"filter\": bad matcher format: "},
  };
  for (const Case& c : cases) {
    auto query = history_query(history_request(c.params));
    ASSERT_FALSE(query) << c.error;
    EXPECT_TRUE(query.error().message().starts_with(c.error)) << query.error().message();
  }
  std::multimap<std::string, std::string> many;
  for (int i = 0; i < 65; ++i) many.emplace("filter", "a=b");
  auto query = history_query(history_request(many));
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error().message(), "invalid parameter \"filter\": at most 64 matchers");
}

TEST(HistoryEndpoint, AnswersInPrometheussEnvelopeLeavingEmptyFieldsOut) {
  store::HistoryRow sent;
  sent.id = 12;
  sent.at = at("2024-05-01T12:00:30.5Z");
  sent.kind = "notification";
  sent.state = "sent";
  sent.labels = Labels{{"alertname", "Down"}};
  sent.receiver = "pager";
  sent.integration = "pagerduty";
  sent.group_key = "{}:{alertname=\"Down\"}";
  sent.details = R"({"attempt":1})";
  store::HistoryRow firing;
  firing.id = 11;
  firing.at = at("2024-05-01T12:00:00Z");
  firing.kind = "alert";
  firing.state = "firing";
  firing.fingerprint = 0xab;
  auto body = nlohmann::json::parse(history_response({{sent, firing}, 11}));
  EXPECT_EQ(body, nlohmann::json::parse(R"({"status": "success", "data": {
    "events": [
      {"id": 12, "time": "2024-05-01T12:00:30.5Z", "kind": "notification", "state": "sent",
       "labels": {"alertname": "Down"}, "receiver": "pager", "integration": "pagerduty",
       "groupKey": "{}:{alertname=\"Down\"}", "details": {"attempt": 1}},
      {"id": 11, "time": "2024-05-01T12:00:00Z", "kind": "alert", "state": "firing",
       "fingerprint": "00000000000000ab", "labels": {}, "details": {}}],
    "next": "11"}})"));
  auto last = nlohmann::json::parse(history_response({{firing}, 0}));
  EXPECT_FALSE(last["data"].contains("next"));
}

}  // namespace
}  // namespace tocsin::api
