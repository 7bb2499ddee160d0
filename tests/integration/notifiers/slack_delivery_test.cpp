// Slack's side of a notification: an incoming webhook, and chat.postMessage
// with a bot token, each a real HTTP server on loopback standing in for
// Slack, receiving the message Alertmanager would build.
#include <regex>

#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "notifiers/slack/slack_config.h"
#include "notifiers/slack/slack_notifier.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"

namespace tocsin::notifiers::testing {
namespace {

using test::RecordingServer;
using testutil::firing_alert;
using testutil::resolved_alert;

std::unique_ptr<notify::Notifier> slack(const SlackConfig& c) {
  auto notifier = make_slack_notifier(c, test_settings());
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

TEST(SlackDelivery, IncomingWebhookGetsTheAttachmentAlertmanagerBuilds) {
  RecordingServer slack_api;
  ASSERT_TRUE(slack_api.listening());
  SlackConfig c;
  c.api_url = config::Secret(slack_api.url() + "/services/T000/B000/XXXXXXXX");
  c.channel = "#alerts";
  c.fields = {{"Severity", "{{ .CommonLabels.severity }}", std::nullopt},
              {"Firing", "{{ .Alerts.Firing | len }}", true}};
  SlackAction runbook;
  runbook.type = "button";
  runbook.text = "Runbook";
  runbook.url = "https://runbooks.example/{{ .GroupLabels.alertname }}";
  c.actions = {runbook};
  auto notifier = slack(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a:9090"), firing_alert("b:9090")}));

  auto requests = slack_api.requests();
  ASSERT_EQ(requests.size(), 1u);
  const test::RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/services/T000/B000/XXXXXXXX");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_TRUE(std::regex_match(r.header("User-Agent"), std::regex(R"(tocsin/\d+\.\d+\.\d+)")));
  EXPECT_EQ(r.header_count("Authorization"), 0u);
  nlohmann::json body = json_body(r.body);
  EXPECT_EQ(body["channel"], "#alerts");
  EXPECT_EQ(body["username"], "Alertmanager");
  EXPECT_FALSE(body.contains("icon_emoji"));  // rendered empty: omitted
  EXPECT_FALSE(body.contains("link_names"));
  ASSERT_EQ(body["attachments"].size(), 1u);
  const nlohmann::json& a = body["attachments"][0];
  // Alertmanager's default templates; the receiver is regexp-quoted in the
  // template data ("team-x\\.pager"), and slack.default.text is empty.
  EXPECT_EQ(a["title"], "[FIRING:2] HighLatency (critical)");
  EXPECT_EQ(a["title_link"], "http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager");
  EXPECT_EQ(a["text"], "");
  EXPECT_EQ(a["fallback"],
            "[FIRING:2] HighLatency (critical) | "
            "http://tocsin.example:9093/#/alerts?receiver=team-x%5C.pager");
  EXPECT_EQ(a["color"], "danger");
  EXPECT_FALSE(a.contains("pretext"));
  EXPECT_EQ(a["footer"], "");       // never omitted
  EXPECT_EQ(a["callback_id"], "");  // never omitted
  EXPECT_EQ(a["mrkdwn_in"], (nlohmann::json{"fallback", "pretext", "text"}));
  EXPECT_EQ(a["fields"],
            nlohmann::json::parse(R"([{"title":"Severity","value":"critical","short":false},)"
                                  R"({"title":"Firing","value":"2","short":true}])"));
  EXPECT_EQ(a["actions"],
            nlohmann::json::parse(R"([{"type":"button","text":"Runbook",)"
                                  R"("url":"https://runbooks.example/HighLatency"}])"));
}

TEST(SlackDelivery, ChatPostMessageCarriesTheBotToken) {
  RecordingServer slack_api;
  ASSERT_TRUE(slack_api.listening());
  slack_api.respond("/api/chat.postMessage", {.body = R"({"ok":true,"channel":"C123"})"});
  SlackConfig c;
  c.api_url = config::Secret(slack_api.url() + "/api/chat.postMessage");
  c.channel = "C123";
  c.send_resolved = true;
  c.http_config.authorization = http::Authorization{"Bearer", config::Secret("xoxb-1-2-abc"), ""};
  auto notifier = slack(c);
  ASSERT_TRUE(notifier);
  EXPECT_TRUE(notifier->send_resolved());
  ASSERT_TRUE(send(*notifier, {resolved_alert("a:9090")}));

  auto requests = slack_api.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/api/chat.postMessage");
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer xoxb-1-2-abc");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  nlohmann::json body = json_body(requests[0].body);
  EXPECT_EQ(body["channel"], "C123");
  EXPECT_EQ(body["attachments"][0]["title"], "[RESOLVED] HighLatency (a:9090 critical)");
  EXPECT_EQ(body["attachments"][0]["color"], "good");
}

TEST(SlackDelivery, ApiUrlFileIsReadAtSendTime) {
  RecordingServer slack_api;
  ASSERT_TRUE(slack_api.listening());
  test::TempDir dir("slack");
  SlackConfig c;
  c.api_url_file = dir.write("api_url", slack_api.url() + "/services/from/file\n");
  auto notifier = slack(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  ASSERT_EQ(slack_api.request_count(), 1u);
  EXPECT_EQ(slack_api.requests()[0].path, "/services/from/file");
}

TEST(SlackDelivery, ErrorsNameTheChannelAndHideTheWebhook) {
  RecordingServer slack_api;
  ASSERT_TRUE(slack_api.listening());
  slack_api.respond_with([](const test::RecordedRequest& r) {
    if (r.path.ends_with("/gone")) return test::CannedResponse{.status = 404, .body = "no_team"};
    return test::CannedResponse{.status = 502, .body = "bad gateway for " + r.path};
  });
  SlackConfig c;
  c.channel = "#ops";
  c.api_url = config::Secret(slack_api.url() + "/services/T000/B000/gone");
  auto gone = slack(c);
  ASSERT_TRUE(gone);
  auto final_failure = send(*gone, {firing_alert("a")});
  ASSERT_FALSE(final_failure.has_value());
  EXPECT_FALSE(final_failure.error().retryable);
  EXPECT_EQ(final_failure.error().message, "channel \"#ops\": unexpected status code 404: no_team");

  c.api_url = config::Secret(slack_api.url() + "/services/T000/B000/S3CR3T");
  auto flaky = slack(c);
  ASSERT_TRUE(flaky);
  auto retry = send(*flaky, {firing_alert("a")});
  ASSERT_FALSE(retry.has_value());
  EXPECT_TRUE(retry.error().retryable);
  EXPECT_TRUE(retry.error().message.starts_with(
      "channel \"#ops\": unexpected status code 502: bad gateway for "))
      << retry.error().message;
  EXPECT_EQ(retry.error().message.find("S3CR3T"), std::string::npos) << retry.error().message;
}

}  // namespace
}  // namespace tocsin::notifiers::testing
