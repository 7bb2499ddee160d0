// PagerDuty's side: a loopback server standing in for the Events API v2
// (the configured url) and v1 (settings.pagerduty_v1_url) receives trigger
// and resolve events deduplicated by the group key's SHA-256, and answers
// the way PagerDuty does when it is busy, rate-limiting or refusing.
#include <regex>

#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "notifiers/pagerduty/pagerduty_config.h"
#include "notifiers/pagerduty/pagerduty_notifier.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"

namespace tocsin::notifiers::testing {
namespace {

using test::CannedResponse;
using test::RecordingServer;
using testutil::firing_alert;
using testutil::resolved_alert;

// sha256 of testutil::test_context().group_key, computed by Go's
// crypto/sha256 as Alertmanager's notify.Key.Hash does.
constexpr std::string_view kDedupKey =
    "73042dc50d9d7d783a3772aae2a313acab072425608782aea59917e35ef8ec46";
constexpr std::string_view kRoutingKey = "R0UT1NGK3Y0123456789abcdefABCDEF";
constexpr std::string_view kV1Path = "/generic/2010-04-15/create_event.json";

std::unique_ptr<notify::Notifier> pagerduty(const PagerdutyConfig& c,
                                            NotifierSettings settings = test_settings()) {
  auto notifier = make_pagerduty_notifier(c, settings);
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

// As the config loader leaves a v2 pagerduty_config with only a routing key.
PagerdutyConfig v2(const RecordingServer& server) {
  PagerdutyConfig c;
  c.routing_key = config::Secret(std::string(kRoutingKey));
  c.url = server.url() + "/v2/enqueue";
  c.source = c.client;
  c.details = {{"num_firing", std::string(default_template::kPagerdutyDetailsNumFiring)},
               {"num_resolved", std::string(default_template::kPagerdutyDetailsNumResolved)}};
  return c;
}

TEST(PagerdutyDelivery, V2TriggerThenResolveShareTheDedupKey) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  events.respond_default({.status = 202, .body = R"({"status":"success","dedup_key":"x"})"});
  PagerdutyConfig c = v2(events);
  c.severity = "{{ .CommonLabels.severity }}";
  c.event_class = "latency";
  c.component = "api";
  c.group = "{{ .GroupLabels.alertname }}";
  c.links = {{"{{ .ExternalURL }}/#/alerts", "Alerts"}};
  c.images = {{"https://grafana.example/render.png", "p99", "https://grafana.example/d/1"}};
  auto notifier = pagerduty(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a:9090"), resolved_alert("b:9090")}));
  ASSERT_TRUE(send(*notifier, {resolved_alert("a:9090"), resolved_alert("b:9090")}));

  auto requests = events.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const test::RecordedRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/v2/enqueue");
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    EXPECT_TRUE(std::regex_match(r.header("User-Agent"), std::regex(R"(tocsin/\d+\.\d+\.\d+)")));
  }
  nlohmann::json trigger = json_body(requests[0].body);
  EXPECT_EQ(trigger["routing_key"], kRoutingKey);
  EXPECT_EQ(trigger["event_action"], "trigger");
  EXPECT_EQ(trigger["dedup_key"], kDedupKey);
  // Alertmanager's default templates; the receiver is regexp-quoted in the
  // template data.
  EXPECT_EQ(trigger["client"], "Alertmanager");
  EXPECT_EQ(trigger["client_url"], "http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager");
  EXPECT_EQ(trigger["payload"]["summary"], "[FIRING:1] HighLatency (critical)");
  EXPECT_EQ(trigger["payload"]["source"], "Alertmanager");
  EXPECT_EQ(trigger["payload"]["severity"], "critical");
  EXPECT_EQ(trigger["payload"]["class"], "latency");
  EXPECT_EQ(trigger["payload"]["component"], "api");
  EXPECT_EQ(trigger["payload"]["group"], "HighLatency");
  EXPECT_EQ(trigger["payload"]["custom_details"],
            (nlohmann::json{{"num_firing", "1"}, {"num_resolved", "1"}}));
  EXPECT_FALSE(trigger["payload"].contains("timestamp"));
  EXPECT_EQ(
      trigger["links"],
      nlohmann::json::parse(R"([{"href":"http://tocsin.example:9093/#/alerts","text":"Alerts"}])"));
  EXPECT_EQ(trigger["images"],
            nlohmann::json::parse(R"([{"src":"https://grafana.example/render.png","alt":"p99",)"
                                  R"("href":"https://grafana.example/d/1"}])"));
  EXPECT_FALSE(trigger.contains("service_key"));

  nlohmann::json resolve = json_body(requests[1].body);
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(resolve["dedup_key"], kDedupKey);
  EXPECT_EQ(resolve["payload"]["summary"], "[RESOLVED] HighLatency (critical)");
  EXPECT_EQ(resolve["payload"]["custom_details"]["num_firing"], "0");
}

TEST(PagerdutyDelivery, V1GoesToTheV1EndpointWithTheServiceKey) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  events.respond_default({.status = 200, .body = R"({"status":"success"})"});
  NotifierSettings settings = test_settings();
  settings.pagerduty_v1_url = events.url() + std::string(kV1Path);
  PagerdutyConfig c;
  c.service_key = config::Secret("S3RV1CEK3Y");
  c.url = "http://127.0.0.1:1/not-used-by-v1";
  c.details = {{"num_firing", std::string(default_template::kPagerdutyDetailsNumFiring)}};
  auto notifier = pagerduty(c, settings);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a:9090")}));
  ASSERT_TRUE(send(*notifier, {resolved_alert("a:9090")}));

  auto requests = events.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, kV1Path);
  nlohmann::json trigger = json_body(requests[0].body);
  EXPECT_EQ(trigger["service_key"], "S3RV1CEK3Y");
  EXPECT_EQ(trigger["event_type"], "trigger");
  EXPECT_EQ(trigger["incident_key"], kDedupKey);
  EXPECT_EQ(trigger["description"], "[FIRING:1] HighLatency (a:9090 critical)");
  EXPECT_EQ(trigger["client"], "Alertmanager");
  EXPECT_EQ(trigger["details"], (nlohmann::json{{"num_firing", "1"}}));
  EXPECT_TRUE(trigger["payload"].is_null());
  nlohmann::json resolve = json_body(requests[1].body);
  EXPECT_EQ(resolve["event_type"], "resolve");
  EXPECT_EQ(resolve["incident_key"], kDedupKey);
  EXPECT_FALSE(resolve.contains("client"));
}

TEST(PagerdutyDelivery, RoutingKeyFileIsReadAtSendTime) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  test::TempDir dir("pagerduty");
  PagerdutyConfig c = v2(events);
  c.routing_key = config::Secret();
  c.routing_key_file = dir.write("routing_key", "first-key\n");
  auto notifier = pagerduty(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  dir.write("routing_key", "second-key");
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  auto requests = events.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(json_body(requests[0].body)["routing_key"], "first-key");
  EXPECT_EQ(json_body(requests[1].body)["routing_key"], "second-key");
}

struct StatusCase {
  bool v1;
  int status;
  bool retryable;
};

TEST(PagerdutyDelivery, RateLimitsAndServerErrorsAreRetriedTheRestIsFinal) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  NotifierSettings settings = test_settings();
  settings.pagerduty_v1_url = events.url() + std::string(kV1Path);
  PagerdutyConfig with_service_key = v2(events);
  with_service_key.routing_key = config::Secret();
  with_service_key.service_key = config::Secret("S3RV1CEK3Y");
  auto v1 = pagerduty(with_service_key, settings);
  auto v2_notifier = pagerduty(v2(events), settings);
  ASSERT_TRUE(v1 && v2_notifier);

  const std::vector<StatusCase> cases = {
      {false, 429, true}, {false, 403, false}, {false, 500, true}, {false, 404, false},
      {true, 403, true},  {true, 429, false},  {true, 503, true},  {true, 400, false},
  };
  for (const StatusCase& c : cases) {
    events.respond_default({.status = c.status, .body = "busy"});
    auto sent = send(c.v1 ? *v1 : *v2_notifier, {firing_alert("a")});
    ASSERT_FALSE(sent.has_value()) << c.status;
    EXPECT_EQ(sent.error().retryable, c.retryable) << (c.v1 ? "v1 " : "v2 ") << c.status;
    EXPECT_EQ(sent.error().message,
              "unexpected status code " + std::to_string(c.status) + ": busy");
  }
}

TEST(PagerdutyDelivery, ABadRequestQuotesPagerDutysErrors) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  events.respond_default(
      {.status = 400,
       .body =
           R"json({"status":"invalid event","message":"Event object is invalid",)json"
           R"json("errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]})json"});
  auto notifier = pagerduty(v2(events));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_EQ(sent.error().message,
            "unexpected status code 400: Event object is invalid: Length of 'routing_key' is "
            "incorrect (should be 32 characters)");
}

TEST(PagerdutyDelivery, TheKeyNeverReachesAnError) {
  RecordingServer events;
  ASSERT_TRUE(events.listening());
  // A proxy error page that echoes the event it could not forward.
  events.respond_with([](const test::RecordedRequest& r) {
    return CannedResponse{.status = 502, .body = "upstream failed for " + r.body};
  });
  auto notifier = pagerduty(v2(events));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("upstream failed for"), std::string::npos);
  EXPECT_EQ(sent.error().message.find(kRoutingKey), std::string::npos) << sent.error().message;
}

}  // namespace
}  // namespace tocsin::notifiers::testing
