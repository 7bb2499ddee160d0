// Alertmanager's API v2 as tocsin serves it, endpoint by endpoint, in this
// process: the shapes clients read, every validation error with the status
// and body Alertmanager 0.25 answers (taken from the real one), the
// filters, and what tocsin adds (503 before a configuration).
#include <chrono>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/date_time.h"
#include "api_test_server.h"
#include "config/alertmanager_config.h"
#include "support/http.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::ordered_json;

const char* const kConfig = R"(route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 1h
  group_interval: 1h
  routes:
    - receiver: pager
      matchers: [severity="critical"]
      continue: true
    - receiver: team
      matchers: [service=~"policy|workflow"]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: default
    webhook_configs: [{url: "http://127.0.0.1:9/hook"}]
  - name: team
    webhook_configs: [{url: "http://127.0.0.1:9/team"}]
  - name: pager
    webhook_configs: [{url: "http://127.0.0.1:9/pager"}]
)";

class AlertmanagerApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ApiTestServer::start(kConfig);
    ASSERT_TRUE(server) << server.error().to_string();
    server_ = std::move(*server);
  }

  HttpResponse post(const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json") {
    return http_post(server_->url() + path, body, content_type);
  }
  HttpResponse get(const std::string& path) { return http_get(server_->url() + path); }
  HttpResponse request(const std::string& method, const std::string& path) {
    return http_request(method, server_->url() + path);
  }

  // GET path, which must answer 200 with JSON.
  ordered_json get_json(const std::string& path) {
    HttpResponse r = get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    return ordered_json::parse(r.body, nullptr, false);
  }

  // The labels of the alerts GET /api/v2/alerts?query shows, in its order.
  std::vector<std::string> alert_names(const std::string& query = "") {
    std::vector<std::string> out;
    for (const auto& a : get_json("/api/v2/alerts" + query)) {
      out.push_back(a["labels"].value("alertname", "?"));
    }
    return out;
  }

  void post_ok(const ordered_json& alerts) {
    HttpResponse r = post("/api/v2/alerts", alerts.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::string add_silence(const std::string& matcher_name, const std::string& value,
                          Duration ends_in = 1h) {
    ordered_json s = {
        {"matchers", {{{"name", matcher_name}, {"value", value}, {"isRegex", false}}}},
        {"startsAt", api_time(now_ms())},
        {"endsAt", api_time(now_ms() + ends_in)},
        {"createdBy", "tester"},
        {"comment", "test"}};
    HttpResponse r = post("/api/v2/silences", s.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return ordered_json::parse(r.body, nullptr, false).value("silenceID", "");
  }

  std::unique_ptr<ApiTestServer> server_;
};

ordered_json alert(ordered_json labels) {
  return ordered_json{{"labels", std::move(labels)}};
}

TEST_F(AlertmanagerApiTest, PostedAlertIsStoredWithAlertmanagersDefaultsAndShapes) {
  Timestamp before = now_ms();
  HttpResponse r = post("/api/v2/alerts",
                        R"([{"labels":{"alertname":"Down","service":"policy","severity":"critical",
                             "empty":""},"annotations":{"summary":"a <b> & c"},
                             "generatorURL":"http://prom/graph?g0.expr=up&x=1"}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.header("Content-Type"), "");  // Alertmanager's empty 200 has none
  Timestamp after = now_ms();

  HttpResponse listed = get("/api/v2/alerts");
  ASSERT_EQ(listed.status, 200);
  // json.Marshal's HTML escaping inside gettable alerts, Go's member order.
  EXPECT_NE(listed.body.find(R"("summary":"a \u003cb\u003e \u0026 c")"), std::string::npos)
      << listed.body;
  EXPECT_EQ(listed.body.back(), '\n');
  auto alerts = ordered_json::parse(listed.body);
  ASSERT_EQ(alerts.size(), 1u);
  const ordered_json& a = alerts[0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"annotations", "endsAt", "fingerprint", "receivers",
                                            "startsAt", "status", "updatedAt", "generatorURL",
                                            "labels"}));
  EXPECT_EQ(a["labels"], (ordered_json{{"alertname", "Down"},
                                       {"service", "policy"},
                                       {"severity", "critical"}}));  // the empty label dropped
  EXPECT_EQ(a["fingerprint"], notify::fingerprint_string(Labels{
                                  {"alertname", "Down"},
                                  {"service", "policy"},
                                  {"severity", "critical"}}.fingerprint()));
  EXPECT_EQ(a["receivers"], ordered_json::parse(R"([{"name":"pager"},{"name":"team"}])"));
  EXPECT_EQ(a["status"],
            ordered_json::parse(R"({"inhibitedBy":[],"silencedBy":[],"state":"active"})"));
  EXPECT_EQ(a["generatorURL"], "http://prom/graph?g0.expr=up&x=1");
  // startsAt and updatedAt are "now"; endsAt is now + resolve_timeout (5m).
  auto starts = api::parse_api_time(a["startsAt"].get<std::string>());
  auto ends = api::parse_api_time(a["endsAt"].get<std::string>());
  ASSERT_TRUE(starts && ends);
  EXPECT_GE(*starts, before);
  EXPECT_LE(*starts, after);
  EXPECT_EQ(*ends - *starts, 5min);
  EXPECT_EQ(a["updatedAt"], a["startsAt"]);
}

TEST_F(AlertmanagerApiTest, PostedTimesKeepFractionsAndOffsets) {
  post_ok(ordered_json::parse(R"([{"labels":{"alertname":"A"},
      "startsAt":"2024-05-01T14:00:00.25+02:00","endsAt":"2099-01-01T00:00:00.123456Z"}])"));
  auto a = get_json("/api/v2/alerts")[0];
  // In UTC; Alertmanager would answer with the offset posted (+02:00).
  EXPECT_EQ(a["startsAt"], "2024-05-01T12:00:00.250Z");
  EXPECT_EQ(a["endsAt"], "2099-01-01T00:00:00.123Z");
  // Without startsAt, an alert starts when it ends (here: already resolved).
  post_ok(ordered_json::parse(R"([{"labels":{"alertname":"B"},"endsAt":"2001-01-01T00:00:00Z"}])"));
  EXPECT_EQ(alert_names(), std::vector<std::string>{"A"});
}

// Each invalid body, and what Alertmanager 0.25 answers to it (recorded
// from the real one; the differential test checks these against it live).
struct Refusal {
  std::string body;
  int status;
  std::string answer;
};

TEST_F(AlertmanagerApiTest, InvalidAlertBodiesGetAlertmanagersErrors) {
  const std::vector<Refusal> cases = {
      {"", 422, R"({"code":602,"message":"alerts in body is required"})"},
      {"  \n", 422, R"({"code":602,"message":"alerts in body is required"})"},
      {"{}", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal object into Go value of type models.PostableAlerts"})"},
      {"5", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal number into Go value of type models.PostableAlerts"})"},
      {"[5]", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal number into Go value of type struct { Annotations models.LabelSet \"json:\\\"annotations,omitempty\\\"\"; EndsAt strfmt.DateTime \"json:\\\"endsAt,omitempty\\\"\"; StartsAt strfmt.DateTime \"json:\\\"startsAt,omitempty\\\"\" }"})"},
      {R"([{"labels":{"a":"b"}})", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because unexpected EOF"})"},
      {"[{]", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because invalid character ']' looking for beginning of object key string"})"},
      {"[{}]", 422, R"({"code":602,"message":"0.labels in body is required"})"},
      {R"([{"labels":{"a":"b"}},{"labels":null}])", 422,
       R"({"code":602,"message":"1.labels in body is required"})"},
      {R"([{"labels":{"a":1}}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal number into Go struct field Alert.labels of type string"})"},
      {R"([{"labels":[]}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal array into Go struct field Alert.labels of type models.LabelSet"})"},
      {R"([{"labels":{"a":"b"},"annotations":{"x":true}}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal bool into Go struct field .annotations of type string"})"},
      {R"([{"labels":{"a":"b"},"startsAt":"garbage"}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because parsing time \"garbage\" as \"2006-01-02 15:04:05\": cannot parse \"garbage\" as \"2006\""})"},
      {R"([{"labels":{"a":"b"},"startsAt":5}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal number into Go struct field .startsAt of type string"})"},
      {R"([{"labels":{"a":"b"},"generatorURL":5}])", 400,
       R"({"code":400,"message":"parsing alerts body from \"\" failed, because json: cannot unmarshal number into Go struct field Alert.generatorURL of type string"})"},
      {R"([{"labels":{"a":"b"},"generatorURL":"not a url"}])", 422,
       R"({"code":601,"message":"0.generatorURL in body must be of type uri: \"not a url\""})"},
      {R"([{"labels":{}}])", 400, "\"at least one label pair required\"\n"},
      {R"([{"labels":{"a":""}}])", 400, "\"at least one label pair required\"\n"},
      {R"([{"labels":{"a-b":"x"}}])", 400, "\"invalid label set: invalid name \\\"a-b\\\"\"\n"},
      {R"([{"labels":{"a":"b"},"annotations":{"1x":"y"}}])", 400,
       "\"invalid annotations: invalid name \\\"1x\\\"\"\n"},
      {R"([{"labels":{"a":"b"},"startsAt":"2024-01-02T00:00:00Z","endsAt":"2024-01-01T00:00:00Z"}])",
       400, "\"start time must be before end time\"\n"},
      {R"([{"labels":{"a":"b"}},{"labels":{}},{"labels":{"c-d":"x"}}])", 400,
       "\"at least one label pair required; invalid label set: invalid name \\\"c-d\\\"\"\n"},
      {"[null]", 500, "\"runtime error: invalid memory address or nil pointer dereference\"\n"},
  };
  for (const Refusal& c : cases) {
    SCOPED_TRACE(c.body);
    HttpResponse r = post("/api/v2/alerts", c.body);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.body, c.answer);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
  }
  // Of all of these, only the valid alert {a="b"} of the mixed post was stored.
  auto alerts = get_json("/api/v2/alerts");
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0]["labels"], (ordered_json{{"a", "b"}}));
}

TEST_F(AlertmanagerApiTest, AcceptsWhatGoAccepts) {
  // Trailing data after the first value is never read; keys match ignoring
  // case; unknown fields are ignored; invalid UTF-8 becomes U+FFFD.
  post_ok(ordered_json::array());
  EXPECT_EQ(post("/api/v2/alerts", "null").status, 200);
  EXPECT_EQ(post("/api/v2/alerts", R"([{"Labels":{"alertname":"Cased"},"x":1}] trailing)").status,
            200);
  EXPECT_EQ(post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Bad\xff\\ud800\"}}]").status,
            200);
  auto alerts = get_json("/api/v2/alerts");
  ASSERT_EQ(alerts.size(), 2u);
  std::set<std::string> names;
  for (const auto& a : alerts) names.insert(a["labels"]["alertname"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"Cased", "Bad\xef\xbf\xbd\xef\xbf\xbd"}));
}

TEST_F(AlertmanagerApiTest, KeepsConnectionsOpenAsGoDoes) {
  // cpp-httplib would close a keep-alive connection after its 5th request;
  // Go's server (and so Alertmanager) keeps it, and Prometheus posts every
  // batch over one.
  httplib::Client client("127.0.0.1", server_->port());
  client.set_keep_alive(true);
  for (int i = 0; i < 20; ++i) {
    auto res = client.Post("/api/v2/alerts", R"([{"labels":{"alertname":"KeptAlive"}}])",
                           "application/json");
    ASSERT_TRUE(res) << "request " << i;
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->get_header_value("Connection"), "close") << "request " << i;
  }
}

TEST_F(AlertmanagerApiTest, ChecksTheContentTypeOfBodies) {
  HttpResponse r = post("/api/v2/alerts", "[]", "text/plain");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(
      r.body,
      R"({"code":415,"message":"unsupported media type \"text/plain\", only [application/json] are allowed"})");
  EXPECT_EQ(post("/api/v2/alerts", "[]", "Application/JSON; charset=utf-8").status, 200);
  HttpResponse none = http_raw(server_->port(),
                               "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                               "Connection: close\r\n\r\n[]");
  EXPECT_EQ(none.status, 415);
  EXPECT_EQ(
      none.body,
      R"({"code":415,"message":"unsupported media type \"application/octet-stream\", only [application/json] are allowed"})");
  // No body: no content type is needed, and the body is missing.
  HttpResponse empty = post("/api/v2/alerts", "", "text/plain");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(post("/api/v2/silences", "{}", "text/plain").status, 415);
}

TEST_F(AlertmanagerApiTest, CountsReceivedAndInvalidAlerts) {
  post("/api/v2/alerts", R"([{"labels":{"a":"b"}},{"labels":{}},
      {"labels":{"c":"d"},"startsAt":"2001-01-01T00:00:00Z","endsAt":"2001-01-01T00:01:00Z"}])");
  EXPECT_EQ(server_->metric("tocsin_alerts_received_total", {{"status", "firing"}}), 2);
  EXPECT_EQ(server_->metric("tocsin_alerts_received_total", {{"status", "resolved"}}), 1);
  EXPECT_EQ(server_->metric("tocsin_alerts_invalid_total"), 1);
}

TEST_F(AlertmanagerApiTest, FiltersAlertsAsAlertmanagerDoes) {
  Timestamp now = now_ms();
  ordered_json alerts = ordered_json::array();
  auto add = [&](ordered_json labels) {
    ordered_json a = alert(std::move(labels));
    a["startsAt"] = api_time(now - 1min);
    a["endsAt"] = api_time(now + 1h);
    alerts.push_back(a);
  };
  add({{"alertname", "Down"}, {"service", "policy"}, {"severity", "critical"}});
  add({{"alertname", "Errors"}, {"service", "policy"}, {"severity", "warning"}});  // inhibited
  add({{"alertname", "Latency"}, {"service", "workflow"}, {"severity", "warning"}});
  add({{"alertname", "Budget"}, {"service", "llm"}});  // silenced
  ordered_json resolved = alert({{"alertname", "Gone"}});
  resolved["startsAt"] = api_time(now - 2h);
  resolved["endsAt"] = api_time(now - 1h);
  alerts.push_back(resolved);
  post_ok(alerts);
  std::string silence = add_silence("alertname", "Budget");

  // Sorted by fingerprint; the resolved alert never shows.
  std::vector<std::string> all = alert_names();
  EXPECT_EQ(all.size(), 4u);
  std::vector<std::string> fingerprints;
  for (const auto& a : get_json("/api/v2/alerts")) fingerprints.push_back(a["fingerprint"]);
  EXPECT_TRUE(std::is_sorted(fingerprints.begin(), fingerprints.end()));

  auto by_name = [&](const std::string& query) {
    std::vector<std::string> names = alert_names(query);
    std::sort(names.begin(), names.end());
    return names;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(by_name("?silenced=false"), (V{"Down", "Errors", "Latency"}));
  EXPECT_EQ(by_name("?inhibited=false"), (V{"Budget", "Down", "Latency"}));
  EXPECT_EQ(by_name("?active=false"), (V{"Budget", "Errors"}));
  EXPECT_EQ(by_name("?active=garbage"), (V{"Budget", "Errors"}));     // swag.ConvertBool
  EXPECT_EQ(by_name("?active=1&active=0"), (V{"Budget", "Errors"}));  // the last one counts
  EXPECT_EQ(by_name("?unprocessed=false"), (V{"Budget", "Down", "Errors", "Latency"}));
  EXPECT_EQ(by_name("?receiver=pag.*"), (V{"Down"}));
  EXPECT_EQ(by_name("?receiver=team"), (V{"Down", "Errors", "Latency"}));
  EXPECT_EQ(by_name("?receiver=tea"), V{});  // anchored
  EXPECT_EQ(by_name("?filter=service%3Dpolicy&filter=severity%3D~crit.*"), (V{"Down"}));
  // An empty = value passes alerts without the label; an empty != value
  // passes alerts that have it.
  EXPECT_EQ(by_name("?filter=severity%3D%22%22"), (V{"Budget"}));
  EXPECT_EQ(by_name("?filter=severity!%3D%22%22"), (V{"Down", "Errors", "Latency"}));

  auto statuses = get_json("/api/v2/alerts?filter=alertname%3D~%22Errors%7CBudget%22");
  ASSERT_EQ(statuses.size(), 2u);
  for (const auto& a : statuses) {
    if (a["labels"]["alertname"] == "Budget") {
      EXPECT_EQ(a["status"], (ordered_json{{"inhibitedBy", ordered_json::array()},
                                           {"silencedBy", {silence}},
                                           {"state", "suppressed"}}));
    } else {
      std::string down = notify::fingerprint_string(Labels{
          {"alertname", "Down"},
          {"service", "policy"},
          {"severity", "critical"}}.fingerprint());
      EXPECT_EQ(a["status"], (ordered_json{{"inhibitedBy", {down}},
                                           {"silencedBy", ordered_json::array()},
                                           {"state", "suppressed"}}));
    }
  }

  HttpResponse bad = get("/api/v2/alerts?filter=bad");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, "\"bad matcher format: bad\"\n");
  EXPECT_EQ(get("/api/v2/alerts?filter=").body, "\"bad matcher format: \"\n");
  HttpResponse regex = get("/api/v2/alerts?receiver=(");
  EXPECT_EQ(regex.status, 400);
  EXPECT_EQ(regex.body,
            "\"failed to parse receiver param: error parsing regexp: missing closing ): "
            "`^(?:()$`\"\n");
  EXPECT_EQ(get("/api/v2/alerts/groups?receiver=(").body, regex.body);
  EXPECT_EQ(get("/api/v2/alerts/groups?filter=bad").body, bad.body);
}

TEST_F(AlertmanagerApiTest, GroupsAreOrderedAndFilteredAsAlertmanagersAre) {
  Timestamp now = now_ms();
  ordered_json alerts = ordered_json::array();
  for (ordered_json labels : {ordered_json{{"alertname", "Down"},
                                           {"service", "policy"},
                                           {"severity", "critical"},
                                           {"instance", "b"}},
                              ordered_json{{"alertname", "Down"},
                                           {"service", "policy"},
                                           {"severity", "critical"},
                                           {"instance", "a"}},
                              ordered_json{{"alertname", "Latency"}, {"service", "workflow"}},
                              ordered_json{{"other", "x"}}}) {
    ordered_json a = alert(labels);
    a["startsAt"] = api_time(now - 1min);
    a["endsAt"] = api_time(now + 1h);
    alerts.push_back(a);
  }
  post_ok(alerts);

  auto groups = get_json("/api/v2/alerts/groups");
  // {} < {alertname,service} pairs; equal labels by receiver name.
  std::vector<std::string> order;
  for (const auto& g : groups) {
    order.push_back(g["labels"].dump() + " " + g["receiver"]["name"].get<std::string>());
    std::vector<std::string> keys;
    for (const auto& [k, v] : g.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"alerts", "labels", "receiver"}));
  }
  EXPECT_EQ(order, (std::vector<std::string>{
                       R"({} default)",
                       R"({"alertname":"Down","service":"policy"} pager)",
                       R"({"alertname":"Down","service":"policy"} team)",
                       R"({"alertname":"Latency","service":"workflow"} team)",
                   }));
  // Alerts by instance; their receivers are the groups they are in, sorted.
  const auto& down = groups[1]["alerts"];
  ASSERT_EQ(down.size(), 2u);
  EXPECT_EQ(down[0]["labels"]["instance"], "a");
  EXPECT_EQ(down[1]["labels"]["instance"], "b");
  EXPECT_EQ(down[0]["receivers"], ordered_json::parse(R"([{"name":"pager"},{"name":"team"}])"));

  // A receiver filter keeps only those groups, and the receivers shown are
  // the ones that passed.
  auto team = get_json("/api/v2/alerts/groups?receiver=team");
  ASSERT_EQ(team.size(), 2u);
  EXPECT_EQ(team[0]["alerts"][0]["receivers"], ordered_json::parse(R"([{"name":"team"}])"));
  // Groups left empty by the filters are dropped.
  auto latency = get_json("/api/v2/alerts/groups?filter=alertname%3DLatency");
  ASSERT_EQ(latency.size(), 1u);
  EXPECT_EQ(latency[0]["receiver"]["name"], "team");
  EXPECT_EQ(get_json("/api/v2/alerts/groups?active=false"), ordered_json::array());
}

TEST_F(AlertmanagerApiTest, SilencesCanBeAddedListedReadAndExpired) {
  std::string id = add_silence("alertname", "Budget");
  ASSERT_FALSE(id.empty());
  std::string other = add_silence("service", "llm", 2h);

  auto listed = get_json("/api/v2/silences");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["id"], id);  // active ones, the next to end first
  std::vector<std::string> keys;
  for (const auto& [k, v] : listed[0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "status", "updatedAt", "comment", "createdBy",
                                            "endsAt", "matchers", "startsAt"}));
  EXPECT_EQ(listed[0]["matchers"],
            ordered_json::parse(
                R"([{"isEqual":true,"isRegex":false,"name":"alertname","value":"Budget"}])"));
  auto filtered = get_json("/api/v2/silences?filter=service%3Dllm");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0]["id"], other);
  EXPECT_EQ(get("/api/v2/silences?filter=bad").body, "\"bad matcher format: bad\"\n");

  auto one = get_json("/api/v2/silence/" + id);
  EXPECT_EQ(one["status"]["state"], "active");

  HttpResponse deleted = request("DELETE", "/api/v2/silence/" + id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(get_json("/api/v2/silence/" + id)["status"]["state"], "expired");
  EXPECT_EQ(get_json("/api/v2/silences")[1]["id"], id);  // expired ones last

  const std::string unknown = "0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f";
  HttpResponse missing = get("/api/v2/silence/" + unknown);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "");
  HttpResponse not_uuid = get("/api/v2/silence/abc");
  EXPECT_EQ(not_uuid.status, 422);
  EXPECT_EQ(not_uuid.body,
            R"({"code":601,"message":"silenceID in path must be of type uuid: \"abc\""})");
  EXPECT_EQ(request("DELETE", "/api/v2/silence/abc").body, not_uuid.body);
  HttpResponse expire_unknown = request("DELETE", "/api/v2/silence/" + unknown);
  EXPECT_EQ(expire_unknown.status, 500);
  EXPECT_EQ(expire_unknown.body, "\"silence not found\"\n");

  HttpResponse empty = post("/api/v2/silences", "");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.body, R"({"code":602,"message":"silence in body is required"})");
  HttpResponse past = post(
      "/api/v2/silences",
      R"({"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2001-01-01T00:00:00Z",
          "endsAt":"2001-01-02T00:00:00Z","createdBy":"x","comment":"y"})");
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(past.body, "\"Failed to create silence: end time can't be in the past\"\n");
}

TEST_F(AlertmanagerApiTest, StatusAndReceiversDescribeTheConfiguration) {
  auto status = get_json("/api/v2/status");
  std::vector<std::string> keys;
  for (const auto& [k, v] : status.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"cluster", "config", "uptime", "versionInfo"}));
  EXPECT_EQ(status["cluster"], ordered_json::parse(R"({"peers":[],"status":"disabled"})"));
  EXPECT_EQ(status["config"]["original"], config::to_redacted_yaml(*server_->service().config()));
  EXPECT_EQ(status["uptime"], api::format_api_time(server_->service().started()));
  for (const char* field :
       {"branch", "buildDate", "buildUser", "goVersion", "revision", "version"}) {
    EXPECT_TRUE(status["versionInfo"].contains(field)) << field;
  }
  // The Alertmanager release whose API this is, so amtool 0.25 does not warn.
  EXPECT_TRUE(status["versionInfo"]["version"].get<std::string>().starts_with("0.25.0+tocsin."))
      << status["versionInfo"];
  HttpResponse receivers = get("/api/v2/receivers");
  EXPECT_EQ(receivers.body, "[{\"name\":\"default\"},{\"name\":\"team\"},{\"name\":\"pager\"}]\n");
}

TEST_F(AlertmanagerApiTest, OtherPathsAndMethodsGetGoOpenapisAnswers) {
  HttpResponse put = request("PUT", "/api/v2/alerts");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.header("Allow"), "POST,GET");
  EXPECT_EQ(put.body, R"({"code":405,"message":"method PUT is not allowed, but [POST,GET] are"})");
  EXPECT_EQ(request("DELETE", "/api/v2/silences").header("Allow"), "POST,GET");
  EXPECT_EQ(request("POST", "/api/v2/silence/0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f").header("Allow"),
            "DELETE,GET");
  EXPECT_EQ(request("POST", "/api/v2/status").header("Allow"), "GET");
  HttpResponse missing = get("/api/v2/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"code":404,"message":"path /api/v2/nothing was not found"})");
  EXPECT_EQ(get("/api/v2/alerts/").status, 200);

  // rs/cors: any origin may read.
  HttpResponse cors = http_get(server_->url() + "/api/v2/alerts", {{"Origin", "http://ui"}});
  EXPECT_EQ(cors.header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(cors.header("Vary"), "Origin");
  HttpResponse preflight =
      http_request("OPTIONS", server_->url() + "/api/v2/alerts", "", "",
                   {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(preflight.header("Access-Control-Allow-Methods"), "POST");
}

TEST_F(AlertmanagerApiTest, ApiV1PostStillWorksAndPrometheusGetStaysPrometheus) {
  HttpResponse ok =
      post("/api/v1/alerts", R"([{"labels":{"alertname":"V1"},"annotations":{"s":"x"}}])");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"status":"success"})");
  EXPECT_EQ(alert_names(), std::vector<std::string>{"V1"});

  const std::vector<Refusal> cases = {
      {"", 400, R"({"status":"error","errorType":"bad_data","error":"EOF"})"},
      {"{}", 400,
       R"({"status":"error","errorType":"bad_data","error":"json: cannot unmarshal object into Go value of type []*types.Alert"})"},
      {"[5]", 400,
       R"({"status":"error","errorType":"bad_data","error":"json: cannot unmarshal number into Go value of type types.Alert"})"},
      {R"([{"labels":{"a":1}}])", 400,
       R"({"status":"error","errorType":"bad_data","error":"json: cannot unmarshal number into Go struct field Alert.labels of type model.LabelValue"})"},
      {R"([{"labels":{"a-b":"x"}},{"labels":{}}])", 400,
       R"({"status":"error","errorType":"bad_data","error":"\"a-b\" is not a valid label name"})"},
      {R"([{}])", 400,
       R"({"status":"error","errorType":"bad_data","error":"at least one label pair required"})"},
      {R"([{"labels":{"a":"b"},"startsAt":"garbage"}])", 400,
       R"({"status":"error","errorType":"bad_data","error":"parsing time \"\\\"garbage\\\"\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"garbage\\\"\" as \"2006\""})"},
      {R"([{"labels":{"a":"b"})", 400,
       R"({"status":"error","errorType":"bad_data","error":"unexpected EOF"})"},
  };
  for (const Refusal& c : cases) {
    SCOPED_TRACE(c.body);
    HttpResponse r = post("/api/v1/alerts", c.body);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.body, c.answer);
  }
  // GET /api/v1/alerts is Prometheus's rule alerts API (no rules here).
  HttpResponse prometheus = get("/api/v1/alerts");
  EXPECT_EQ(prometheus.status, 200);
  EXPECT_EQ(prometheus.body, R"({"status":"success","data":{"alerts":[]}})");
}

TEST(AlertmanagerApiUnconfiguredTest, AnswersServiceUnavailable) {
  auto server = ApiTestServer::start(kConfig, /*configured=*/false);
  ASSERT_TRUE(server) << server.error().to_string();
  for (const char* path : {"/api/v2/alerts", "/api/v2/alerts/groups", "/api/v2/silences",
                           "/api/v2/status", "/api/v2/receivers"}) {
    HttpResponse r = http_get((*server)->url() + path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(r.body, R"({"code":503,"message":"the notification service is not configured yet"})");
  }
  EXPECT_EQ(http_post((*server)->url() + "/api/v2/alerts", "[]").status, 503);
  // The other endpoints are unaffected.
  EXPECT_EQ(http_get((*server)->url() + "/-/healthy").status, 200);
}

}  // namespace
}  // namespace tocsin::test
