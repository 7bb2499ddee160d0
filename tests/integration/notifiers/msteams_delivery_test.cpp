// A Microsoft Teams incoming webhook's side of a notification: a real HTTP
// server on loopback receives the MessageCard Alertmanager 0.26 posts, and
// its answers decide what is retried (5xx), and what is final (4xx, and
// Teams' 429 rate limit, as Alertmanager has it).
#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "notifiers/msteams/msteams_config.h"
#include "notifiers/msteams/msteams_message.h"
#include "notifiers/msteams/msteams_notifier.h"
#include "support/recording_server.h"

namespace tocsin::notifiers::testing {
namespace {

using test::RecordingServer;
using testutil::firing_alert;
using testutil::resolved_alert;
using testutil::test_context;

std::unique_ptr<notify::Notifier> msteams(const std::string& url) {
  MsteamsConfig c;
  c.webhook_url = config::Secret(url);
  auto notifier = make_msteams_notifier(c, test_settings());
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

TEST(MsteamsDelivery, PostsTheMessageCardToTheWebhook) {
  RecordingServer teams;
  ASSERT_TRUE(teams.listening());
  auto notifier = msteams(teams.url() + "/webhookb2/abc@def/IncomingWebhook/123/456");
  ASSERT_TRUE(notifier);
  EXPECT_EQ(notifier->kind(), "msteams");
  EXPECT_TRUE(notifier->send_resolved());
  std::vector<notify::Alert> alerts = {firing_alert("a:9090"), resolved_alert("b:9090")};

  auto sent = send(*notifier, alerts);
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(sent->reply, "HTTP 200");
  auto requests = teams.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/webhookb2/abc@def/IncomingWebhook/123/456");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  // Byte for byte what the message builder writes (its unit tests hold it
  // against Alertmanager 0.26's template and struct).
  auto templates = testutil::default_templates();
  auto data = templates->data(test_context(), alerts);
  FieldRenderer render(*templates, *data);
  auto expected = render_msteams_message(MsteamsConfig{}, test_context(), alerts, render);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(requests[0].body, *expected);
  nlohmann::json card = json_body(requests[0].body);
  EXPECT_EQ(card["@context"], "http://schema.org/extensions");
  EXPECT_EQ(card["type"], "MessageCard");
  EXPECT_EQ(card["themeColor"], "8C1A1A");
}

TEST(MsteamsDelivery, AServerErrorIsWorthARetryAndAnythingElseIsFinal) {
  RecordingServer teams;
  ASSERT_TRUE(teams.listening());
  auto notifier = msteams(teams.url() + "/webhookb2/x");
  ASSERT_TRUE(notifier);
  const std::vector<notify::Alert> alerts = {firing_alert("a:9090")};
  struct Case {
    int status;
    bool retryable;
  };
  for (Case c : {Case{500, true}, Case{503, true}, Case{400, false}, Case{429, false}}) {
    SCOPED_TRACE(c.status);
    teams.respond_default({.status = c.status, .body = "Webhook message delivery failed"});
    auto sent = send(*notifier, alerts);
    ASSERT_FALSE(sent.has_value());
    EXPECT_EQ(sent.error().retryable, c.retryable);
    EXPECT_EQ(sent.error().message,
              fmt::format("unexpected status code {}: Webhook message delivery failed", c.status));
  }
}

}  // namespace
}  // namespace tocsin::notifiers::testing
