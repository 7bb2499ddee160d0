// PagerDuty events against Alertmanager 0.25's, byte for byte: Events API v2
// and v1 field order and omitempty, dedup_key as the SHA-256 of the group
// key, summary truncation, the 512 KB limit, template failures and
// PagerDuty's error answers. Expected bodies were encoded by Go 1.19's
// encoding/json from Alertmanager's pagerDutyMessage struct.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/pagerduty/pagerduty_config.h"
#include "notifiers/pagerduty/pagerduty_message.h"
#include "notifiers/pagerduty/pagerduty_notifier.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

// sha256 of test_context().group_key, as Go's notify.Key.Hash computes it.
constexpr std::string_view kDedupKey =
    "73042dc50d9d7d783a3772aae2a313acab072425608782aea59917e35ef8ec46";

std::expected<PagerdutyEvent, notify::Failure> render(const PagerdutyConfig& c,
                                                      std::string_view event_type,
                                                      std::string_view key,
                                                      const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  notify::Context context = test_context();
  auto data = templates->data(context, alerts);
  FieldRenderer renderer(*templates, *data);
  return render_pagerduty_event(c, event_type, key, context.group_key, renderer);
}

PagerdutyConfig v2_config() {
  PagerdutyConfig c;
  c.routing_key = config::Secret("R0UT1NG");
  c.details = {{"num_firing", "{{ .Alerts.Firing | len }}"},
               {"num_resolved", "{{ .Alerts.Resolved | len }}"},
               {"summary", "{{ .CommonAnnotations.summary }}"}};
  c.source = "prometheus";
  c.severity = "{{ .CommonLabels.severity }}";
  c.event_class = "latency";
  c.component = "api";
  c.group = "{{ .GroupLabels.alertname }}";
  c.images = {{"https://img.example/{{ .GroupLabels.alertname }}.png", "graph",
               "https://grafana.example/d?a=1&b=2"},
              {"", "no src: left out", "https://x.example"}};
  c.links = {{"{{ .ExternalURL }}/#/alerts", "Alertmanager"}, {"", "no href: left out"}};
  return c;
}

TEST(PagerdutyEvent, V2TriggerMatchesAlertmanagersBody) {
  auto event =
      render(v2_config(), "trigger", "R0UT1NG", {firing_alert("a:9090"), resolved_alert("b:9090")});
  ASSERT_TRUE(event.has_value()) << event.error().message;
  EXPECT_EQ(
      event->body,
      R"({"routing_key":"R0UT1NG",)"
      R"("dedup_key":"73042dc50d9d7d783a3772aae2a313acab072425608782aea59917e35ef8ec46",)"
      R"json("event_action":"trigger","payload":{"summary":"[FIRING:1] HighLatency (critical)",)json"
      R"("source":"prometheus","severity":"critical","class":"latency","component":"api",)"
      R"("group":"HighLatency","custom_details":{"num_firing":"1","num_resolved":"1",)"
      R"("summary":"p99 above 1s"}},"client":"Alertmanager",)"
      R"("client_url":"http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager",)"
      R"("images":[{"src":"https://img.example/HighLatency.png","alt":"graph",)"
      R"("href":"https://grafana.example/d?a=1\u0026b=2"}],)"
      R"("links":[{"href":"http://tocsin.example:9093/#/alerts","text":"Alertmanager"}]})"
      "\n");
  EXPECT_FALSE(event->summary_truncated);
  EXPECT_EQ(event->dropped_details_size, 0u);
}

TEST(PagerdutyEvent, V2EmptyFieldsAreLeftOutAndSeverityDefaultsToError) {
  PagerdutyConfig c;
  c.routing_key = config::Secret("R");
  c.client = "";
  c.client_url = "";
  c.description = "";
  auto event = render(c, "resolve", "R", {resolved_alert("a")});
  ASSERT_TRUE(event.has_value()) << event.error().message;
  EXPECT_EQ(event->body, std::string(R"({"routing_key":"R","dedup_key":")") +
                             std::string(kDedupKey) +
                             R"(","event_action":"resolve",)"
                             R"("payload":{"summary":"","source":"","severity":"error"}})"
                             "\n");
}

PagerdutyConfig v1_config() {
  PagerdutyConfig c;
  c.service_key = config::Secret("S3RV1CE");
  c.details = {{"num_firing", "{{ .Alerts.Firing | len }}"}};
  return c;
}

TEST(PagerdutyEvent, V1TriggerMatchesAlertmanagersBody) {
  ASSERT_TRUE(uses_events_api_v1(v1_config()));
  auto event = render(v1_config(), "trigger", "S3RV1CE", {firing_alert("a:9090")});
  ASSERT_TRUE(event.has_value()) << event.error().message;
  EXPECT_EQ(event->body,
            std::string(R"({"service_key":"S3RV1CE","incident_key":")") + std::string(kDedupKey) +
                R"(","event_type":"trigger",)"
                R"json("description":"[FIRING:1] HighLatency (a:9090 critical)",)json"
                R"("event_action":"","payload":null,"client":"Alertmanager",)"
                R"("client_url":"http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager",)"
                R"("details":{"num_firing":"1"}})"
                "\n");
}

TEST(PagerdutyEvent, V1ResolveCarriesNoClient) {
  auto event = render(v1_config(), "resolve", "S3RV1CE", {resolved_alert("a:9090")});
  ASSERT_TRUE(event.has_value()) << event.error().message;
  EXPECT_EQ(event->body, std::string(R"({"service_key":"S3RV1CE","incident_key":")") +
                             std::string(kDedupKey) +
                             R"(","event_type":"resolve",)"
                             R"json("description":"[RESOLVED] HighLatency (a:9090 critical)",)json"
                             R"("event_action":"","payload":null,"details":{"num_firing":"0"}})"
                             "\n");
}

TEST(PagerdutyEvent, AServiceKeyFileAlsoSelectsV1) {
  PagerdutyConfig c;
  c.service_key_file = "/run/secrets/pd";
  EXPECT_TRUE(uses_events_api_v1(c));
  EXPECT_FALSE(uses_events_api_v1(v2_config()));
}

TEST(PagerdutyEvent, TheKeyIsATemplate) {
  PagerdutyConfig c = v2_config();
  auto event = render(c, "trigger", "key-{{ .CommonLabels.severity }}", {firing_alert("a")});
  ASSERT_TRUE(event.has_value()) << event.error().message;
  EXPECT_TRUE(event->body.starts_with(R"({"routing_key":"key-critical",)")) << event->body;
}

TEST(PagerdutyEvent, AKeyThatRendersEmptyIsFinal) {
  auto v2 = render(v2_config(), "trigger", "{{ .CommonLabels.missing }}", {firing_alert("a")});
  ASSERT_FALSE(v2.has_value());
  EXPECT_EQ(v2.error().message, "routing key cannot be empty");
  EXPECT_FALSE(v2.error().retryable);
  auto v1 = render(v1_config(), "trigger", "", {firing_alert("a")});
  ASSERT_FALSE(v1.has_value());
  EXPECT_EQ(v1.error().message, "service key cannot be empty");
}

TEST(PagerdutyEvent, SummaryIsCutAt1024Characters) {
  PagerdutyConfig c = v2_config();
  c.description =
      std::string(1020, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";  // 1025 runes
  auto event = render(c, "trigger", "R", {firing_alert("a")});
  ASSERT_TRUE(event.has_value());
  EXPECT_TRUE(event->summary_truncated);
  std::string expected = std::string(1020, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6";
  EXPECT_NE(event->body.find("\"summary\":\"" + expected + "\""), std::string::npos);

  PagerdutyConfig v1 = v1_config();
  v1.description = c.description;
  auto v1_event = render(v1, "trigger", "S", {firing_alert("a")});
  ASSERT_TRUE(v1_event.has_value());
  EXPECT_TRUE(v1_event->summary_truncated);
  EXPECT_NE(v1_event->body.find("\"description\":\"" + expected + "\""), std::string::npos);
}

TEST(PagerdutyEvent, AnEventOver512KBLosesItsDetails) {
  PagerdutyConfig c = v2_config();
  c.details["huge"] = std::string(kPagerdutyMaxEventBytes, 'x');
  auto event = render(c, "trigger", "R", {firing_alert("a")});
  ASSERT_TRUE(event.has_value());
  EXPECT_GT(event->dropped_details_size, kPagerdutyMaxEventBytes);
  EXPECT_LT(event->body.size(), 2048u);
  EXPECT_NE(
      event->body.find(R"("custom_details":{"error":"Custom details have been removed because the )"
                       R"(original event exceeds the maximum size of 512KB"}})"),
      std::string::npos)
      << event->body;

  PagerdutyConfig v1 = v1_config();
  v1.details["huge"] = std::string(kPagerdutyMaxEventBytes, 'x');
  auto v1_event = render(v1, "trigger", "S", {firing_alert("a")});
  ASSERT_TRUE(v1_event.has_value());
  EXPECT_GT(v1_event->dropped_details_size, kPagerdutyMaxEventBytes);
  EXPECT_NE(v1_event->body.find(R"("details":{"error":"Custom details have been removed)"),
            std::string::npos);
}

TEST(PagerdutyEvent, AnEventJustAtTheLimitIsKept) {
  PagerdutyConfig c = v2_config();
  c.details["pad"] = "";
  auto small = render(c, "trigger", "R", {firing_alert("a")});
  ASSERT_TRUE(small.has_value());
  c.details["pad"] = std::string(kPagerdutyMaxEventBytes - small->body.size(), 'x');
  auto event = render(c, "trigger", "R", {firing_alert("a")});
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->body.size(), kPagerdutyMaxEventBytes);
  EXPECT_EQ(event->dropped_details_size, 0u);
}

TEST(PagerdutyEvent, AFailingTemplateIsFinalAndNamesTheField) {
  PagerdutyConfig c = v2_config();
  c.details["broken"] = "{{ fail }}";
  auto event = render(c, "trigger", "R", {firing_alert("a")});
  ASSERT_FALSE(event.has_value());
  EXPECT_FALSE(event.error().retryable);
  EXPECT_EQ(event.error().message,
            "failed to template PagerDuty v2 message: details.broken: template: :1: function "
            "\"fail\" not defined");

  PagerdutyConfig v1 = v1_config();
  v1.client = "{{ fail }}";
  auto v1_event = render(v1, "trigger", "S", {firing_alert("a")});
  ASSERT_FALSE(v1_event.has_value());
  EXPECT_EQ(v1_event.error().message,
            "failed to template PagerDuty v1 message: client: template: :1: function \"fail\" "
            "not defined");
}

// tocsin's acknowledgement: PagerDuty's "acknowledge" event with the dedup
// key of the group's triggers, and nothing else (Events API v2 and v1).
TEST(PagerdutyEvent, AnAcknowledgementNamesTheTriggersIncident) {
  auto templates = default_templates();
  notify::Context context = test_context();
  std::vector<notify::Alert> alerts{firing_alert("a:9090")};
  auto data = templates->data(context, alerts);
  FieldRenderer renderer(*templates, *data);
  auto v2 =
      render_pagerduty_acknowledge(v2_config(), "{{ \"R0UT1NG\" }}", context.group_key, renderer);
  ASSERT_TRUE(v2.has_value()) << v2.error().message;
  EXPECT_EQ(*v2, fmt::format(R"({{"routing_key":"R0UT1NG","dedup_key":"{}",)"
                             R"("event_action":"acknowledge"}})"
                             "\n",
                             kDedupKey));
  PagerdutyConfig v1;
  v1.service_key = config::Secret("S3RV1CE");
  auto v1_body = render_pagerduty_acknowledge(v1, "S3RV1CE", context.group_key, renderer);
  ASSERT_TRUE(v1_body.has_value()) << v1_body.error().message;
  EXPECT_EQ(*v1_body, fmt::format(R"({{"service_key":"S3RV1CE","incident_key":"{}",)"
                                  R"("event_type":"acknowledge"}})"
                                  "\n",
                                  kDedupKey));
  auto empty = render_pagerduty_acknowledge(v2_config(), "", context.group_key, renderer);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message, "routing key cannot be empty");
}

TEST(PagerdutyErrorDetails, ReadsPagerDutysJsonErrorOfA400) {
  EXPECT_EQ(
      pagerduty_error_details(
          400, R"({"status":"invalid event","message":"Event object is invalid",)"
               R"("errors":["Length of 'routing_key' is incorrect","'payload' is missing"]})"),
      "Event object is invalid: Length of 'routing_key' is incorrect,'payload' is missing");
  EXPECT_EQ(pagerduty_error_details(400, R"({"message":"m"})"), "m: ");
  EXPECT_EQ(pagerduty_error_details(400, "not json"), "");
  EXPECT_EQ(pagerduty_error_details(400, R"({"message":7})"), "");
  EXPECT_EQ(pagerduty_error_details(500, R"({"message":"m","errors":["e"]})"), "");
}

TEST(PagerdutyNotifier, UnreadableRoutingKeyFileIsFinalAndNamesTheFile) {
  PagerdutyConfig c = v2_config();
  c.routing_key = config::Secret();
  c.routing_key_file = "/nonexistent/tocsin/routing-key";
  c.url = "http://127.0.0.1:1/v2/enqueue";
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_pagerduty_notifier(c, settings);
  ASSERT_TRUE(notifier.has_value()) << notifier.error().to_string();
  EXPECT_EQ((*notifier)->kind(), "pagerduty");
  EXPECT_TRUE((*notifier)->send_resolved());
  std::vector<notify::Alert> alerts = {firing_alert("a")};
  auto sent = (*notifier)->notify(test_context(), alerts);
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_TRUE(sent.error().message.starts_with("failed to read routing key from file: "))
      << sent.error().message;
  EXPECT_NE(sent.error().message.find("/nonexistent/tocsin/routing-key"), std::string::npos);
}

}  // namespace
}  // namespace tocsin::notifiers
