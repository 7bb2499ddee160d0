// The webhook payload against Alertmanager 0.25's, byte for byte (field
// order, Go's escaping, zero times, quoted receiver, truncation).
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/testing/notifications.h"
#include "notifiers/webhook/webhook_config.h"
#include "notifiers/webhook/webhook_message.h"
#include "notifiers/webhook/webhook_notifier.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

constexpr std::string_view kFiringA =
    R"({"status":"firing","labels":{"alertname":"HighLatency","instance":"a:9090","severity":"critical"},)"
    R"("annotations":{"summary":"p99 above 1s"},"startsAt":"2024-05-01T11:50:00.123Z",)"
    R"("endsAt":"0001-01-01T00:00:00Z",)"
    R"("generatorURL":"http://prometheus:9090/graph?g0.expr=x\u0026g0.tab=1",)"
    R"("fingerprint":"af12b99426c43646"})";
constexpr std::string_view kResolvedB =
    R"({"status":"resolved","labels":{"alertname":"HighLatency","instance":"b:9090","severity":"critical"},)"
    R"("annotations":{"summary":"p99 above 1s"},"startsAt":"2024-05-01T11:00:00Z",)"
    R"("endsAt":"2024-05-01T11:59:00Z",)"
    R"("generatorURL":"http://prometheus:9090/graph?g0.expr=x\u0026g0.tab=1",)"
    R"("fingerprint":"844b834920d6059f"})";

TEST(WebhookMessage, MatchesAlertmanagersPayloadFieldForField) {
  std::vector<notify::Alert> alerts = {firing_alert("a:9090"), resolved_alert("b:9090")};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_EQ(body, std::string(R"({"receiver":"team-x\\.pager","status":"firing","alerts":[)") +
                      std::string(kFiringA) + "," + std::string(kResolvedB) +
                      R"(],"groupLabels":{"alertname":"HighLatency"},)"
                      R"("commonLabels":{"alertname":"HighLatency","severity":"critical"},)"
                      R"("commonAnnotations":{"summary":"p99 above 1s"},)"
                      R"("externalURL":"http://tocsin.example:9093","version":"4",)"
                      R"("groupKey":"{}/{severity=\"critical\"}:{alertname=\"HighLatency\"}",)"
                      R"("truncatedAlerts":0})"
                      "\n");
}

TEST(WebhookMessage, StatusIsResolvedOnlyWhenEveryAlertIs) {
  std::vector<notify::Alert> alerts = {resolved_alert("b:9090")};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_TRUE(body.starts_with(R"({"receiver":"team-x\\.pager","status":"resolved",)")) << body;
}

TEST(WebhookMessage, AnEndStillToComeIsHiddenAsGoZeroTime) {
  notify::Alert alert = firing_alert("a:9090");
  alert.ends_at = test_now() + std::chrono::minutes(5);  // resolve_timeout's end
  alert.timeout = true;
  std::vector<notify::Alert> alerts = {alert};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_NE(body.find(R"("status":"firing")"), std::string::npos);
  EXPECT_NE(body.find(R"("endsAt":"0001-01-01T00:00:00Z")"), std::string::npos) << body;
}

TEST(WebhookMessage, AnEndAtNowCountsAsResolved) {
  notify::Alert alert = firing_alert("a:9090");
  alert.ends_at = test_now();
  std::vector<notify::Alert> alerts = {alert};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_NE(body.find(R"("status":"resolved","labels")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("endsAt":"2024-05-01T12:00:00Z")"), std::string::npos) << body;
}

TEST(WebhookMessage, CommonLabelsKeepOnlyPairsEveryAlertShares) {
  notify::Alert a = firing_alert("a:9090");
  notify::Alert b = firing_alert("b:9090");
  b.annotations = Labels{{"summary", "different"}, {"runbook", "x"}};
  std::vector<notify::Alert> alerts = {a, b};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_NE(body.find(R"("commonLabels":{"alertname":"HighLatency","severity":"critical"},)"
                      R"("commonAnnotations":{},)"),
            std::string::npos)
      << body;
}

TEST(WebhookMessage, EscapesAsGoEncodingJsonDoes) {
  notify::Alert a = firing_alert("a:9090");
  a.annotations = Labels{{"description", "<b>&\"q\"\\\n\t\x01 \xe2\x80\xa8 \xff é"}};
  std::vector<notify::Alert> alerts = {a};
  std::string body = webhook_message(test_context(), alerts, 0);
  EXPECT_NE(body.find(R"("description":"\u003cb\u003e\u0026\"q\"\\\n\t\u0001 \u2028 \ufffd é")"),
            std::string::npos)
      << body;
}

TEST(WebhookMessage, EmptyLabelSetsAndNoAlertsStillWriteObjects) {
  notify::Context context = test_context("plain");
  context.group_labels = Labels{};
  std::string body = webhook_message(context, {}, 0);
  EXPECT_EQ(
      body,
      R"({"receiver":"plain","status":"resolved","alerts":[],"groupLabels":{},)"
      R"("commonLabels":{},"commonAnnotations":{},"externalURL":"http://tocsin.example:9093",)"
      R"("version":"4","groupKey":"{}/{severity=\"critical\"}:{alertname=\"HighLatency\"}",)"
      R"("truncatedAlerts":0})"
      "\n");
}

TEST(TruncateAlerts, KeepsTheFirstMaxAlertsAndCountsTheRest) {
  std::vector<notify::Alert> alerts = {firing_alert("a"), firing_alert("b"), firing_alert("c")};
  TruncatedAlerts two = truncate_alerts(alerts, 2);
  ASSERT_EQ(two.alerts.size(), 2u);
  EXPECT_EQ(two.alerts[1].labels.value_of("instance"), "b");
  EXPECT_EQ(two.dropped, 1u);
  EXPECT_EQ(truncate_alerts(alerts, 0).alerts.size(), 3u);
  EXPECT_EQ(truncate_alerts(alerts, 3).dropped, 0u);
  EXPECT_EQ(truncate_alerts(alerts, 10).dropped, 0u);
}

TEST(WebhookMessage, TruncatedAlertsAreCountedAndLeftOutOfEverything) {
  std::vector<notify::Alert> alerts = {firing_alert("a:9090"), resolved_alert("b:9090")};
  TruncatedAlerts sent = truncate_alerts(alerts, 1);
  std::string body = webhook_message(test_context(), sent.alerts, sent.dropped);
  EXPECT_EQ(body.find("b:9090"), std::string::npos);
  EXPECT_NE(body.find(R"("commonLabels":{"alertname":"HighLatency","instance":"a:9090",)"),
            std::string::npos);
  EXPECT_TRUE(body.ends_with("\"truncatedAlerts\":1}\n")) << body;
}

TEST(QuoteMeta, EscapesRegexpMetacharactersAsGo) {
  EXPECT_EQ(quote_meta(R"(a.b+c*d?e(f)g|h[i]j{k}l^m$n\o)"),
            R"(a\.b\+c\*d\?e\(f\)g\|h\[i\]j\{k\}l\^m\$n\\o)");
  EXPECT_EQ(quote_meta("team-x_1 /é"), "team-x_1 /é");
}

TEST(WebhookNotifier, KindAndSendResolvedComeFromTheConfig) {
  WebhookConfig c;
  c.url = config::Secret("http://127.0.0.1:1/hook");
  c.send_resolved = false;
  NotifierSettings settings;
  auto notifier = make_webhook_notifier(c, settings);
  ASSERT_TRUE(notifier.has_value()) << notifier.error().to_string();
  EXPECT_EQ((*notifier)->kind(), "webhook");
  EXPECT_FALSE((*notifier)->send_resolved());
}

TEST(WebhookNotifier, UnreadableUrlFileIsAFinalFailure) {
  WebhookConfig c;
  c.url_file = "/nonexistent/tocsin/url";
  auto notifier = make_webhook_notifier(c, NotifierSettings{});
  ASSERT_TRUE(notifier.has_value());
  std::vector<notify::Alert> alerts = {firing_alert("a")};
  auto sent = (*notifier)->notify(test_context(), alerts);
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("read url_file: /nonexistent/tocsin/url"), std::string::npos)
      << sent.error().message;
}

TEST(WebhookNotifier, OAuth2IsRefusedWhenBuilt) {
  WebhookConfig c;
  c.url = config::Secret("http://127.0.0.1:1/hook");
  c.http_config.oauth2 = http::OAuth2{};
  auto notifier = make_webhook_notifier(c, NotifierSettings{});
  ASSERT_FALSE(notifier.has_value());
  EXPECT_EQ(notifier.error().message(), "http_config: oauth2 is not supported by tocsin");
}

}  // namespace
}  // namespace tocsin::notifiers
