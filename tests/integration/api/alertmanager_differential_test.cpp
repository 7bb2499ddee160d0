// tocsin's Alertmanager API next to a real Alertmanager 0.25 with the same
// configuration: the same alerts (valid and invalid), the same silences,
// the same queries, sent to both; status codes, error bodies and the JSON
// of every listing must agree. Only what cannot agree is masked: times set
// on arrival (updatedAt, defaulted startsAt/endsAt, a silence's start and
// expiry) and silence ids (random UUIDs, compared by the order they were
// made in). Fingerprints, receivers and status objects are compared as they
// are.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/date_time.h"
#include "api_test_server.h"
#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/wait.h"
#include "yaml_json.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::ordered_json;

constexpr auto kSettle = 15s;  // how long Alertmanager may take to group and inhibit

// Receivers send to a loopback port nothing listens on; group_wait keeps
// them from trying during a test anyway.
std::string differential_config() {
  return fmt::format(R"(global:
  resolve_timeout: 5m
route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 1h
  group_interval: 1h
  routes:
    - receiver: pager
      matchers: [severity="critical"]
      continue: true
    - receiver: team
      matchers: ['service=~"policy|workflow"']
      group_by: [service]
      routes:
        - receiver: team
          matchers: [alertname="Latency"]
    - receiver: llm
      matchers: [service="llm"]
      group_by: ['...']
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: default
    webhook_configs: [{{url: "{0}/default"}}]
  - name: pager
    webhook_configs: [{{url: "{0}/pager"}}]
  - name: team
    webhook_configs: [{{url: "{0}/team"}}]
  - name: llm
    webhook_configs: [{{url: "{0}/llm"}}]
    telegram_configs:
      - {{api_url: "{0}/tg", bot_token: "123:SECRET-bot", chat_id: -100, disable_notifications: true}}
)",
                     fmt::format("http://127.0.0.1:{}", free_port()));
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

class AlertmanagerDifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string config = differential_config();
    alertmanager_ = std::make_unique<AlertmanagerServer>(config, "http://alertmanager.test");
    Status started = alertmanager_->start();
    ASSERT_TRUE(started) << started.error().message();
    auto ours = ApiTestServer::start(config);
    ASSERT_TRUE(ours) << ours.error().to_string();
    tocsin_ = std::move(*ours);
  }

  struct Answers {
    HttpResponse theirs;
    HttpResponse ours;
  };

  Answers both(const std::string& method, const std::string& path, const std::string& body = "",
               const std::string& content_type = "") {
    return {http_request(method, alertmanager_->url() + path, body, content_type),
            http_request(method, tocsin_->url() + path, body, content_type)};
  }

  // Status, body, content type and Allow must be the same, byte for byte,
  // except the order of the methods a 405 lists: go-openapi takes them from
  // a Go map, so Alertmanager's order changes from run to run.
  Answers expect_same(const std::string& method, const std::string& path,
                      const std::string& body = "",
                      const std::string& content_type = "application/json") {
    SCOPED_TRACE(fmt::format("{} {} {}", method, path, body));
    Answers a = both(method, path, body, content_type);
    EXPECT_NE(a.theirs.status, 0) << a.theirs.error;
    EXPECT_EQ(a.ours.status, a.theirs.status);
    EXPECT_EQ(a.ours.header("Content-Type"), a.theirs.header("Content-Type"));
    if (a.theirs.status == 405) {
      EXPECT_EQ(methods(a.ours.header("Allow")), methods(a.theirs.header("Allow")));
      EXPECT_EQ(methods(a.ours.body), methods(a.theirs.body));
    } else {
      EXPECT_EQ(a.ours.body, a.theirs.body);
      EXPECT_EQ(a.ours.header("Allow"), a.theirs.header("Allow"));
    }
    return a;
  }

  // `text` with its run of comma-separated methods sorted ("GET,POST" and
  // "POST,GET" both read "GET,POST").
  static std::string methods(std::string text) {
    static const std::regex list("[A-Z]+(,[A-Z]+)+");
    std::smatch m;
    if (!std::regex_search(text, m, list)) return text;
    std::vector<std::string> names;
    std::stringstream in(m.str());
    for (std::string name; std::getline(in, name, ',');) names.push_back(name);
    std::sort(names.begin(), names.end());
    return m.prefix().str() + fmt::format("{}", fmt::join(names, ",")) + m.suffix().str();
  }

  void post_alerts_to_both(const ordered_json& alerts) {
    Answers a = expect_same("POST", "/api/v2/alerts", alerts.dump());
    ASSERT_EQ(a.theirs.status, 200) << a.theirs.body;
  }

  // Posts a silence to both; both must accept it. Its ids are remembered
  // as the next placeholder.
  void add_silence_to_both(const ordered_json& silence) {
    Answers a = both("POST", "/api/v2/silences", silence.dump(), "application/json");
    ASSERT_EQ(a.theirs.status, 200) << a.theirs.body;
    ASSERT_EQ(a.ours.status, 200) << a.ours.body;
    std::string placeholder = fmt::format("silence-{}", theirs_ids_.size());
    theirs_ids_.push_back(ordered_json::parse(a.theirs.body)["silenceID"]);
    ours_ids_.push_back(ordered_json::parse(a.ours.body)["silenceID"]);
    silence_ids_[theirs_ids_.back()] = placeholder;
    silence_ids_[ours_ids_.back()] = placeholder;
  }

  std::string placeholder(const std::string& id) const {
    auto it = silence_ids_.find(id);
    return it == silence_ids_.end() ? id : it->second;
  }

  // The masks of the file comment, applied to a parsed listing.
  void normalize(ordered_json& v) const {
    if (v.is_array()) {
      for (auto& item : v) normalize(item);
      return;
    }
    if (!v.is_object()) return;
    if (v.contains("fingerprint")) {  // a gettable alert
      v["updatedAt"] = "<arrival>";
      if (all_defaulted_ || defaulted_.contains(v["fingerprint"].get<std::string>())) {
        v["startsAt"] = "<arrival>";
        v["endsAt"] = "<arrival>";
      }
      if (ends_defaulted_.contains(v["fingerprint"].get<std::string>())) v["endsAt"] = "<arrival>";
      // Known difference: Alertmanager answers a time with the offset it
      // was posted with, tocsin in UTC; the instants are compared.
      for (const char* key : {"startsAt", "endsAt"}) {
        if (auto t = api::parse_api_time(v[key].get<std::string>())) v[key] = api_time(*t);
      }
      ordered_json& silenced = v["status"]["silencedBy"];
      for (auto& id : silenced) id = placeholder(id.get<std::string>());
      std::sort(silenced.begin(), silenced.end());
    } else if (v.contains("id") && v.contains("matchers")) {  // a gettable silence
      v["id"] = placeholder(v["id"].get<std::string>());
      v["updatedAt"] = "<arrival>";
      if (v["status"]["state"] != "pending") v["startsAt"] = "<arrival>";
      if (v["status"]["state"] == "expired") v["endsAt"] = "<expiry>";
    }
    for (auto& [key, member] : v.items()) normalize(member);
  }

  // GET path from both until their answers agree after masking (Alertmanager
  // groups and inhibits asynchronously), then compares them.
  void expect_same_listing(const std::string& path) {
    SCOPED_TRACE("GET " + path);
    Answers a;
    ordered_json theirs, ours;
    auto agree = [&] {
      a = both("GET", path);
      if (a.theirs.status != a.ours.status) return false;
      if (a.theirs.status != 200) return a.theirs.body == a.ours.body;
      theirs = ordered_json::parse(a.theirs.body, nullptr, false);
      ours = ordered_json::parse(a.ours.body, nullptr, false);
      normalize(theirs);
      normalize(ours);
      return theirs.dump() == ours.dump();
    };
    wait_until(agree, kSettle, 100ms);
    EXPECT_EQ(a.ours.status, a.theirs.status);
    EXPECT_EQ(a.ours.header("Content-Type"), a.theirs.header("Content-Type"));
    if (a.theirs.status != 200) {
      EXPECT_EQ(a.ours.body, a.theirs.body);
      return;
    }
    EXPECT_EQ(ours.dump(2), theirs.dump(2));
    // The escaping json.Marshal does in alerts and silences, and the
    // Encoder's newline.
    for (std::string_view escape : {"\\u003c", "\\u003e", "\\u0026"}) {
      EXPECT_EQ(count(a.ours.body, escape), count(a.theirs.body, escape)) << escape;
    }
    EXPECT_EQ(a.ours.body.back(), a.theirs.body.back());
  }

  std::unique_ptr<AlertmanagerServer> alertmanager_;
  std::unique_ptr<ApiTestServer> tocsin_;
  std::map<std::string, std::string> silence_ids_;  // either side's id -> placeholder
  std::vector<std::string> theirs_ids_, ours_ids_;  // in the order they were made
  std::set<std::string> defaulted_;                 // fingerprints posted without times
  bool all_defaulted_ = false;                      // every alert was posted without times
  std::set<std::string> ends_defaulted_;            // last posted without endsAt
};

ordered_json timed_alert(ordered_json labels, Timestamp starts, Timestamp ends) {
  return ordered_json{
      {"labels", std::move(labels)}, {"startsAt", api_time(starts)}, {"endsAt", api_time(ends)}};
}

std::string fingerprint_of(const std::map<std::string, std::string>& labels) {
  return notify::fingerprint_string(Labels::from_map(labels).fingerprint());
}

ordered_json silence(ordered_json matchers, Timestamp starts, Timestamp ends) {
  return ordered_json{{"matchers", std::move(matchers)},
                      {"startsAt", api_time(starts)},
                      {"endsAt", api_time(ends)},
                      {"createdBy", "oncall <ops@example.test>"},
                      {"comment", "maintenance & upgrade"}};
}

ordered_json matcher(std::string name, std::string value, bool regex = false, bool equal = true) {
  return ordered_json{{"name", std::move(name)},
                      {"value", std::move(value)},
                      {"isRegex", regex},
                      {"isEqual", equal}};
}

TEST_F(AlertmanagerDifferentialTest, ListingsAgreeThroughSilencesAndInhibition) {
  Timestamp now = now_ms();
  Timestamp start = now - 10min;
  Timestamp end = now + 2h;
  ordered_json alerts = ordered_json::array();
  alerts.push_back(timed_alert({{"alertname", "Down"},
                                {"service", "policy"},
                                {"severity", "critical"},
                                {"instance", "i1"},
                                {"job", "api"}},
                               start, end));
  alerts.push_back(timed_alert(
      {{"alertname", "Errors"}, {"service", "policy"}, {"severity", "warning"}}, start, end));
  alerts.push_back(timed_alert({{"alertname", "Latency"},
                                {"service", "workflow"},
                                {"severity", "warning"},
                                {"instance", "i2"},
                                {"job", "wf"}},
                               start, end));
  alerts.push_back(timed_alert({{"alertname", "Latency"},
                                {"service", "workflow"},
                                {"severity", "warning"},
                                {"instance", "i1"},
                                {"job", "wf"}},
                               start, end));
  alerts.push_back(
      timed_alert({{"alertname", "Budget"}, {"service", "llm"}, {"model", "m1"}}, start, end));
  alerts.push_back(timed_alert({{"alertname", "Cache"}, {"service", "cache"}}, start, end));
  ordered_json html = timed_alert({{"alertname", "Html"}, {"service", "web"}}, start, end);
  html["annotations"] = {{"summary", "a <b> & c"}, {"runbook", "http://wiki/x?a=1&b=2"}};
  html["generatorURL"] = "http://prometheus.test/graph?g0.expr=up%3E0&g0.tab=1";
  alerts.push_back(html);
  alerts.push_back(
      timed_alert({{"alertname", "Unicode"}, {"where", "Zürich \u2603 \"quoted\""}}, start, end));
  alerts.push_back(timed_alert({{"alertname", "Gone"}}, now - 2h, now - 1h));
  alerts.push_back(timed_alert({{"alertname", "Emptyish"}, {"service", ""}}, start, end));
  alerts.push_back(ordered_json{{"labels", {{"alertname", "Defaulted"}, {"severity", "info"}}}});
  defaulted_.insert(fingerprint_of({{"alertname", "Defaulted"}, {"severity", "info"}}));
  alerts.push_back(
      ordered_json{{"labels", {{"alertname", "StartOnly"}}}, {"startsAt", api_time(start)}});
  defaulted_.insert(fingerprint_of({{"alertname", "StartOnly"}}));  // endsAt from resolve_timeout
  post_alerts_to_both(alerts);

  add_silence_to_both(silence({matcher("alertname", "Budget")}, now, end + 1min));
  add_silence_to_both(silence({matcher("alertname", "Cache")}, now, end + 2min));
  add_silence_to_both(silence({matcher("service", "cache|x", true)}, now, end + 3min));
  add_silence_to_both(silence({matcher("alertname", "Down")}, now + 30min, end + 4min));  // pending
  add_silence_to_both(silence({matcher("alertname", "Nothing")}, now, end + 5min));
  add_silence_to_both(silence(
      {matcher("alertname", "Latency"), matcher("instance", "i9", false, false)}, now, end + 6min));
  // Expire one; both listings then show it expired.
  HttpResponse their_expiry =
      http_request("DELETE", alertmanager_->url() + "/api/v2/silence/" + theirs_ids_[4]);
  HttpResponse our_expiry =
      http_request("DELETE", tocsin_->url() + "/api/v2/silence/" + ours_ids_[4]);
  ASSERT_EQ(their_expiry.status, 200) << their_expiry.body;
  EXPECT_EQ(our_expiry.status, 200) << our_expiry.body;
  EXPECT_EQ(our_expiry.body, their_expiry.body);

  for (const char* query :
       {"", "?active=false", "?silenced=false", "?inhibited=false",
        "?silenced=false&inhibited=false&active=true", "?active=garbage", "?unprocessed=false",
        "?receiver=team", "?receiver=t.*", "?receiver=pager%7Cllm", "?receiver=(",
        "?filter=service%3Dpolicy", "?filter=severity%3D%22%22", "?filter=severity!%3D%22%22",
        "?filter=alertname%3D~%22L.*%22&filter=instance!%3Di1", "?filter=bad", "?filter="}) {
    expect_same_listing(std::string("/api/v2/alerts") + query);
    expect_same_listing(std::string("/api/v2/alerts/groups") + query);
  }
  // A filter regexp that does not compile is refused in Go's words.
  for (const char* path : {"/api/v2/alerts", "/api/v2/alerts/groups", "/api/v2/silences"}) {
    for (const char* filter :
         {"service%3D~%22(%22", "service!~%22a**%22", "a%3D~%22%5Bz-a%5D%22"}) {
      Answers bad_regexp = both("GET", std::string(path) + "?filter=" + filter);
      EXPECT_EQ(bad_regexp.ours.status, 400) << path << filter;
      EXPECT_EQ(bad_regexp.ours.status, bad_regexp.theirs.status) << path << filter;
      EXPECT_EQ(bad_regexp.ours.body, bad_regexp.theirs.body) << path << filter;
    }
  }
  for (const char* query :
       {"", "?filter=alertname%3DCache", "?filter=service%3D~%22cache%7Cx%22",
        "?filter=instance!%3Di9", "?filter=service%3Dcache%7Cx", "?filter=bad"}) {
    expect_same_listing(std::string("/api/v2/silences") + query);
  }
  for (std::size_t i = 0; i < theirs_ids_.size(); ++i) {
    SCOPED_TRACE(fmt::format("silence-{}", i));
    HttpResponse theirs = http_get(alertmanager_->url() + "/api/v2/silence/" + theirs_ids_[i]);
    HttpResponse ours = http_get(tocsin_->url() + "/api/v2/silence/" + ours_ids_[i]);
    ASSERT_EQ(ours.status, theirs.status);
    auto t = ordered_json::parse(theirs.body);
    auto o = ordered_json::parse(ours.body);
    normalize(t);
    normalize(o);
    EXPECT_EQ(o.dump(), t.dump());
  }
  expect_same("GET", "/api/v2/receivers");
}

// Alertmanager merges a re-posted alert into the stored one when their
// active ranges overlap (the earliest start; the latest end unless that end
// was a resolve_timeout default) and replaces it otherwise.
TEST_F(AlertmanagerDifferentialTest, RepostedAlertsMergeAlike) {
  Timestamp now = now_ms();
  auto post = [&](const std::string& name, std::optional<Timestamp> starts,
                  std::optional<Timestamp> ends) {
    ordered_json a = {{"labels", {{"alertname", name}}}};
    if (starts) a["startsAt"] = api_time(*starts);
    if (ends) a["endsAt"] = api_time(*ends);
    post_alerts_to_both(ordered_json::array({a}));
  };
  post("Extended", now - 10min, now + 1h);
  post("Extended", now - 5min, now + 2h);  // start stays, end moves out
  post("Shortened", now - 10min, now + 2h);
  post("Shortened", now - 5min, now + 1h);  // the later explicit end wins
  post("TimedOut", now - 10min, std::nullopt);
  post("TimedOut", now - 5min, now + 1min);  // a defaulted end never wins
  post("Restarted", now - 2h, now - 1h);
  post("Restarted", now - 10min, now + 1h);  // no overlap: replaced
  post("Resolved", now - 10min, now + 1h);
  post("Resolved", now - 10min, now - 1min);  // resolved: no longer listed
  // An offset is read; tocsin answers in UTC (Alertmanager keeps the offset).
  post_alerts_to_both(ordered_json::parse(
      R"([{"labels":{"alertname":"Offset"},"startsAt":"2024-05-01T14:00:00.25+02:00",
           "endsAt":"2099-01-01T00:00:00Z"}])"));
  expect_same_listing("/api/v2/alerts");
  expect_same_listing("/api/v2/alerts/groups");

  // And the merged times are the ones described above.
  std::map<std::string, ordered_json> listed;
  for (const auto& a : ordered_json::parse(http_get(tocsin_->url() + "/api/v2/alerts").body)) {
    listed[a["labels"]["alertname"].get<std::string>()] = a;
  }
  EXPECT_FALSE(listed.contains("Resolved"));
  EXPECT_EQ(listed["Extended"]["startsAt"], api_time(now - 10min));
  EXPECT_EQ(listed["Extended"]["endsAt"], api_time(now + 2h));
  EXPECT_EQ(listed["Shortened"]["endsAt"], api_time(now + 2h));
  EXPECT_EQ(listed["TimedOut"]["startsAt"], api_time(now - 10min));
  EXPECT_EQ(listed["TimedOut"]["endsAt"], api_time(now + 1min));
  EXPECT_EQ(listed["Restarted"]["startsAt"], api_time(now - 10min));
  EXPECT_EQ(listed["Offset"]["startsAt"], "2024-05-01T12:00:00.250Z");
}

TEST_F(AlertmanagerDifferentialTest, InvalidAlertsGetTheSameAnswers) {
  for (
      const char* body : {
          "",
          " \n ",
          "null",
          "[]",
          "{}",
          "5",
          "\"x\"",
          "[5]",
          "[\"x\"]",
          "[[1]]",
          "[{}]",
          R"([{"labels":null}])",
          R"([{"labels":{}}])",
          R"([{"labels":{"a":""}}])",
          R"([{"labels":{"a":1}}])",
          R"([{"labels":[]}])",
          R"([{"labels":"x"}])",
          R"([{"labels":{"a-b":"x"}}])",
          R"([{"labels":{"":"x"}}])",
          R"([{"labels":{"1a":"x"}}])",
          R"([{"labels":{"a":"b"},"annotations":5}])",
          R"([{"labels":{"a":"b"},"annotations":{"x":true}}])",
          R"([{"labels":{"a":"b"},"annotations":{"a-b":"x"}}])",
          R"([{"labels":{"a":"b"},"annotations":{"a-b":""}}])",
          R"([{"labels":{"a":"b"},"startsAt":"garbage"}])",
          R"([{"labels":{"a":"b"},"startsAt":5}])",
          R"([{"labels":{"a":"b"},"endsAt":true}])",
          R"([{"labels":{"a":"b"},"startsAt":"2024-13-01T00:00:00Z"}])",
          R"([{"labels":{"a":"b"},"startsAt":"2024-01-02T00:00:00Z","endsAt":"2024-01-01T00:00:00Z"}])",
          R"([{"labels":{"a":"b"},"startsAt":"2024-01-01T00:00:00Z","endsAt":"2024-01-01T00:00:00Z"}])",
          R"([{"labels":{"a":"b"},"generatorURL":5}])",
          R"([{"labels":{"a":"b"},"generatorURL":"not a url"}])",
          R"([{"labels":{"a":"b"},"generatorURL":"http://h:port/"}])",
          R"([{"labels":{"a":"b"},"generatorURL":"http://a b/"}])",
          R"([{"generatorURL":"x","labels":null}])",
          R"([{"labels":{"ok":"1"}},{"labels":{}},{"labels":{"c-d":"x"}},{"labels":{"ok":"2"}}])",
          R"([{"labels":{"ok":"3"}},{"labels":{"a":"b"},"startsAt":"x"}])",
          R"([{"labels":{"a":"b"}})",
          "[{]",
          "[{\"labels\":{\"a\":\"b\\x\"}}]",
          "[1,]",
          "tru",
          "[{\"labels\":{\"a\":\"b\"}}] trailing",
          "[{\"LABELS\":{\"alertname\":\"Cased\"}}]",
          "[{\"labels\":{\"alertname\":\"Utf\xff\\ud800\\ud83d\\ude00\"}}]",
          "[{\"labels\":{\"alertname\":\"ctl\x01\"}}]",
      }) {
    expect_same("POST", "/api/v2/alerts", body);
  }
  // No content type, a wrong one, a parameterised right one.
  expect_same("POST", "/api/v2/alerts", "[]", "text/plain");
  expect_same("POST", "/api/v2/alerts", "[]", "application/json; charset=utf-8");
  expect_same("POST", "/api/v2/alerts", "[]", "bogus");
  std::string raw =
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]";
  HttpResponse theirs = http_raw(alertmanager_->port(), raw);
  HttpResponse ours = http_raw(tocsin_->port(), raw);
  EXPECT_EQ(ours.status, theirs.status);
  EXPECT_EQ(ours.body, theirs.body);

  // What the valid alerts among them left behind is the same (each was
  // posted without times, so both stamped them on arrival).
  all_defaulted_ = true;
  expect_same_listing("/api/v2/alerts");
}

// 75,000 nested brackets once crashed tocsin. Go's decoder stops at 10,000
// ("exceeded max depth"); both answer the same and keep serving.
TEST_F(AlertmanagerDifferentialTest, DeeplyNestedBodiesGetTheSameAnswers) {
  const std::string deep_array = std::string(75000, '[') + std::string(75000, ']');
  std::string deep_object;
  for (int i = 0; i < 75000; ++i) deep_object += R"({"a":)";
  deep_object += "1" + std::string(75000, '}');
  const std::string at_the_limit = std::string(10000, '[') + std::string(10000, ']');
  const std::string over_the_limit = std::string(10001, '[') + std::string(10001, ']');
  for (const std::string* body :
       std::vector<const std::string*>{&deep_array, &deep_object, &at_the_limit, &over_the_limit}) {
    expect_same("POST", "/api/v2/alerts", *body);
    expect_same("POST", "/api/v1/alerts", *body);
    expect_same("POST", "/api/v2/silences", *body);
    expect_same("POST", "/api/v2/silences", R"({"comment":)" + *body + "}");
  }
  EXPECT_EQ(http_get(tocsin_->url() + "/-/healthy").status, 200);
  expect_same_listing("/api/v2/alerts");
}

// Go's url.ParseQuery splits a pair at its first '=': an unencoded
// "filter=alertname=X" is the filter alertname=X, and Alertmanager lists
// the alert. cpp-httplib cut it at the last '=' and tocsin answered 400.
TEST_F(AlertmanagerDifferentialTest, UnencodedFiltersAreReadAsGoReadsThem) {
  ordered_json alerts = ordered_json::array();
  for (const char* name : {"X", "X=Y", "Y"}) alerts.push_back({{"labels", {{"alertname", name}}}});
  all_defaulted_ = true;
  post_alerts_to_both(alerts);
  add_silence_to_both(silence({matcher("alertname", "X")}, now_ms(), now_ms() + 1h));
  for (const char* query :
       {"?filter=alertname=X", "?filter=alertname=X=Y", "?filter=alertname=~X.*",
        "?filter=alertname!=X&filter=alertname=~X.*", "?filter==X"}) {
    expect_same_listing(std::string("/api/v2/alerts") + query);
    expect_same_listing(std::string("/api/v2/alerts/groups") + query);
    expect_same_listing(std::string("/api/v2/silences") + query);
  }
  Answers listed = both("GET", "/api/v2/alerts?filter=alertname=X");
  ASSERT_EQ(listed.ours.status, 200) << listed.ours.body;
  EXPECT_EQ(ordered_json::parse(listed.ours.body).size(), 1u) << listed.ours.body;
}

TEST_F(AlertmanagerDifferentialTest, GeneratorUrlsAreCheckedAsGoParsesThem) {
  for (const char* url : {"http://prom:9090/graph?g0.expr=up&g0.tab=1",
                          "/relative",
                          "relative",
                          "*",
                          "mailto:x",
                          "x:y",
                          ":x",
                          "1x:y",
                          "http://[::1]:9090/",
                          "http://[::1/",
                          "http://h/p#frag",
                          "http://h#f",
                          "http://u:p%20w@h/",
                          "http://u p@h/",
                          "http://host:/",
                          "http://h/%zz",
                          "http://h/%4",
                          "http://%41/",
                          "http://%C3%BC/",
                          "http://h?",
                          "http://h?a?b",
                          "HTTP://H",
                          "http://h:80x/",
                          "http://[fe80::1%25en0]/",
                          "http://h/\xc3\xbc",
                          "http://h\\x/",
                          "http://h{/"}) {
    ordered_json body = ordered_json::array();
    body.push_back({{"labels", {{"alertname", "Url"}}}, {"generatorURL", url}});
    expect_same("POST", "/api/v2/alerts", body.dump());
  }
}

TEST_F(AlertmanagerDifferentialTest, InvalidSilencesGetTheSameAnswers) {
  Timestamp now = now_ms();
  std::string start = api_time(now);
  std::string end = api_time(now + 1h);
  auto body = [&](const std::string& matchers, const std::string& s = "",
                  const std::string& e = "") {
    return fmt::format(
        R"({{"matchers":{},"startsAt":"{}","endsAt":"{}","createdBy":"me","comment":"c"}})",
        matchers, s.empty() ? start : s, e.empty() ? end : e);
  };
  for (
      const std::string& b : std::vector<std::string>{
          "",
          "{}",
          R"({"comment":"c"})",
          "[]",
          "5",
          "{",
          body("[]"),
          body(R"([{"name":"a","value":"b"}])"),
          body(R"([{"name":"a","value":"(","isRegex":true}])"),
          body(R"([{"name":"a-b","value":"x","isRegex":false}])"),
          body(R"([{"name":"a","value":"","isRegex":false}])"),
          body(R"([{"name":"a","value":".*","isRegex":true}])"),
          body(R"([{"name":"a","value":"b","isRegex":"no"}])"),
          body(R"([{"name":"a","value":"b","isRegex":false}])", "2001-01-01T00:00:00Z",
               "2001-01-02T00:00:00Z"),
          body(R"([{"name":"a","value":"b","isRegex":false}])", end, start),
          body(R"([{"name":"a","value":"b","isRegex":false}])", "yesterday"),
          R"({"id":"0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f","matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":")" +
              start + R"(","endsAt":")" + end + R"(","createdBy":"me","comment":"c"})",
      }) {
    expect_same("POST", "/api/v2/silences", b);
  }
  expect_same("POST", "/api/v2/silences", body(R"([{"name":"a","value":"b","isRegex":false}])"),
              "text/plain");
  const std::string unknown = "0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f";
  expect_same("GET", "/api/v2/silence/" + unknown);
  expect_same("GET", "/api/v2/silence/not-a-uuid");
  expect_same("DELETE", "/api/v2/silence/" + unknown);
  expect_same("DELETE", "/api/v2/silence/not-a-uuid");
  expect_same("GET", "/api/v2/silences?filter=bad");
  expect_same("GET", "/api/v2/silences?filter=");
}

TEST_F(AlertmanagerDifferentialTest, OtherPathsAndMethodsGetTheSameAnswers) {
  expect_same("PUT", "/api/v2/alerts");
  expect_same("DELETE", "/api/v2/alerts");
  expect_same("POST", "/api/v2/alerts/groups");
  expect_same("DELETE", "/api/v2/silences");
  expect_same("PUT", "/api/v2/silence/0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f");
  expect_same("POST", "/api/v2/status");
  expect_same("DELETE", "/api/v2/receivers");
  expect_same("GET", "/api/v2/nothing");
  expect_same("GET", "/api/v2/");
  expect_same("GET", "/api/v2/alerts/groups/nothing");
  expect_same("GET", "/api/v2/receivers/");
}

// Cross-origin headers, as rs/cors's default handler writes them for API
// v2 (and Alertmanager's own set for API v1): a preflight once sent
// Access-Control-Allow-Origin twice and no allowed headers.
TEST_F(AlertmanagerDifferentialTest, CorsHeadersAgree) {
  struct Case {
    std::string method;
    std::string path;
    httplib::Headers headers;
  };
  const std::string silence = "/api/v2/silence/0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f";
  const std::vector<Case> cases = {
      {"OPTIONS",
       "/api/v2/alerts",
       {{"Origin", "http://ui"},
        {"Access-Control-Request-Method", "POST"},
        {"Access-Control-Request-Headers", "content-type, x-requested-with"}}},
      {"OPTIONS",
       "/api/v2/alerts",
       {{"Origin", "http://ui"},
        {"Access-Control-Request-Method", "POST"},
        {"Access-Control-Request-Headers", "Authorization"}}},
      {"OPTIONS", silence, {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "DELETE"}}},
      {"OPTIONS", "/api/v2/silences", {{"Access-Control-Request-Method", "GET"}}},
      {"OPTIONS",
       "/api/v2/nothing",
       {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "get"}}},
      {"OPTIONS", "/api/v2/alerts", {{"Origin", "http://ui"}}},
      {"OPTIONS", "/api/v2/alerts", {}},
      {"GET", "/api/v2/receivers", {{"Origin", "http://ui"}}},
      {"GET", "/api/v2/receivers", {}},
      {"GET", "/api/v2/nothing", {{"Origin", "http://ui"}}},
      {"DELETE", silence, {{"Origin", "http://ui"}}},
      {"PUT", "/api/v2/alerts", {{"Origin", "http://ui"}}},
      {"POST", "/api/v1/alerts", {{"Origin", "http://ui"}}},
      {"POST", "/api/v1/alerts", {}},
  };
  auto values = [](const HttpResponse& r, const std::string& name) {
    std::vector<std::string> out;
    auto [begin, end] = r.headers.equal_range(name);
    for (auto it = begin; it != end; ++it) out.push_back(it->second);
    return out;
  };
  for (const Case& c : cases) {
    std::string body = c.method == "POST" ? "[]" : "";
    std::string type = c.method == "POST" ? "application/json" : "";
    HttpResponse theirs =
        http_request(c.method, alertmanager_->url() + c.path, body, type, c.headers);
    HttpResponse ours = http_request(c.method, tocsin_->url() + c.path, body, type, c.headers);
    SCOPED_TRACE(fmt::format("{} {} with {} headers", c.method, c.path, c.headers.size()));
    ASSERT_NE(theirs.status, 0) << theirs.error;
    EXPECT_EQ(ours.status, theirs.status);
    EXPECT_EQ(methods(ours.body), methods(theirs.body));
    for (const char* name : {"Vary", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                             "Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
                             "Cache-Control", "Content-Type"}) {
      EXPECT_EQ(values(ours, name), values(theirs, name)) << name;
    }
  }
}

TEST_F(AlertmanagerDifferentialTest, StatusAgreesWhereTocsinCanAgree) {
  HttpResponse theirs = http_get(alertmanager_->url() + "/api/v2/status");
  HttpResponse ours = http_get(tocsin_->url() + "/api/v2/status");
  ASSERT_EQ(theirs.status, 200);
  ASSERT_EQ(ours.status, 200);
  auto t = ordered_json::parse(theirs.body);
  auto o = ordered_json::parse(ours.body);
  EXPECT_EQ(o["cluster"].dump(), t["cluster"].dump());
  std::vector<std::string> their_keys, our_keys;
  for (const auto& [k, v] : t.items()) their_keys.push_back(k);
  for (const auto& [k, v] : o.items()) our_keys.push_back(k);
  EXPECT_EQ(our_keys, their_keys);
  their_keys.clear();
  our_keys.clear();
  for (const auto& [k, v] : t["versionInfo"].items()) their_keys.push_back(k);
  for (const auto& [k, v] : o["versionInfo"].items()) our_keys.push_back(k);
  EXPECT_EQ(our_keys, their_keys);
  // The configuration as Alertmanager writes it back, defaults included,
  // compared as YAML documents (yaml-cpp indents sequences where Go's
  // yaml.v2 does not).
  ordered_json our_config = yaml_to_json(YAML::Load(o["config"]["original"].get<std::string>()));
  ordered_json their_config = yaml_to_json(YAML::Load(t["config"]["original"].get<std::string>()));
  EXPECT_EQ(our_config.dump(2), their_config.dump(2));
  EXPECT_EQ(ours.body.find("SECRET"), std::string::npos);
}

TEST_F(AlertmanagerDifferentialTest, ApiV1PostsGetTheSameAnswers) {
  for (
      const char* body : {
          R"([{"labels":{"alertname":"V1"},"annotations":{"s":"<x>"}}])",
          "",
          "{}",
          "[5]",
          R"([{}])",
          R"([{"labels":{"a":1}}])",
          R"([{"labels":5}])",
          R"([{"labels":{"a-b":"x"}},{"labels":{}}])",
          R"([{"labels":{"a":"b"},"startsAt":"garbage"}])",
          R"([{"labels":{"a":"b"},"startsAt":5}])",
          R"([{"labels":{"a":"b"},"startsAt":"2024-01-01T00:00:00.5+01:00","endsAt":"2099-01-01T00:00:00Z"}])",
          R"([{"labels":{"a":"b"},"generatorURL":"not a url"}])",
          R"([{"labels":{"a":"b"},"generatorURL":5}])",
          R"([{"labels":{"a":"b"},"Timeout":"x"}])",
          R"([{"labels":{"a":"b"}})",
          "[{\"labels\":{\"a\":\"b\"}}] x",
          R"([{"labels":{"a":"b"},"startsAt":"2024-01-02T00:00:00Z","endsAt":"2024-01-01T00:00:00Z"}])",
      }) {
    expect_same("POST", "/api/v1/alerts", body);
  }
  defaulted_.insert(fingerprint_of({{"alertname", "V1"}}));
  // {a="b"} was last re-posted without times: it keeps the first startsAt
  // (the merge) and ends resolve_timeout after that last arrival.
  ends_defaulted_.insert(fingerprint_of({{"a", "b"}}));
  expect_same_listing("/api/v2/alerts");
}

}  // namespace
}  // namespace tocsin::test
