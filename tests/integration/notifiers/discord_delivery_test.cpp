// Discord's side of a notification: a real HTTP server on loopback standing
// in for a channel's webhook, receiving the embed Alertmanager would build
// and answering as Discord may. Which answers are worth another try is
// Alertmanager 0.25's decision, checked against the real one: 5xx are, and
// every 4xx, Discord's 429 rate limit included, is final.
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/alertmanager_config.h"
#include "delivery_test_support.h"
#include "notifiers/discord/discord_config.h"
#include "notifiers/discord/discord_notifier.h"
#include "notifiers/notifier_registry.h"
#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/wait.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using test::RecordingServer;
using testutil::firing_alert;
using testutil::resolved_alert;

// The token part of the test webhooks, which no error may show.
constexpr std::string_view kToken = "S3CR3T-T0K3N";

std::unique_ptr<notify::Notifier> discord(const std::string& webhook_url) {
  DiscordConfig c;
  c.webhook_url = config::Secret(webhook_url);
  auto notifier = make_discord_notifier(c, test_settings());
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

TEST(DiscordDelivery, WebhookGetsTheEmbedAlertmanagerBuilds) {
  RecordingServer channel;
  ASSERT_TRUE(channel.listening());
  channel.respond_default({.status = 204, .body = ""});  // Discord's answer to a webhook
  auto notifier = discord(fmt::format("{}/api/webhooks/123/{}", channel.url(), kToken));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a:9090"), firing_alert("b:9090")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(sent->reply, "HTTP 204");

  auto requests = channel.requests();
  ASSERT_EQ(requests.size(), 1u);
  const test::RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, fmt::format("/api/webhooks/123/{}", kToken));
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_TRUE(std::regex_match(r.header("User-Agent"), std::regex(R"(tocsin/\d+\.\d+\.\d+)")));
  nlohmann::json body = json_body(r.body);
  EXPECT_EQ(body["content"], "");
  ASSERT_EQ(body["embeds"].size(), 1u);
  const nlohmann::json& embed = body["embeds"][0];
  EXPECT_EQ(embed["title"], "[FIRING:2] HighLatency (critical)");
  EXPECT_TRUE(embed["description"].get<std::string>().starts_with(
      "\n\nAlerts Firing:\nLabels:\n - alertname = HighLatency\n - instance = a:9090\n"));
  EXPECT_EQ(embed["color"], 0x992D22);
}

TEST(DiscordDelivery, AResolvedGroupIsGreen) {
  RecordingServer channel;
  ASSERT_TRUE(channel.listening());
  auto notifier = discord(channel.url() + "/api/webhooks/1/x");
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {resolved_alert("a:9090")}));
  ASSERT_EQ(channel.request_count(), 1u);
  nlohmann::json embed = json_body(channel.requests()[0].body)["embeds"][0];
  EXPECT_EQ(embed["title"], "[RESOLVED] HighLatency (a:9090 critical)");
  EXPECT_EQ(embed["color"], 0x2ECC71);
}

// Discord's answers and whether each is worth another try for Alertmanager.
struct Answer {
  int status;
  bool retryable;
};
constexpr Answer kAnswers[] = {{429, false}, {400, false}, {401, false}, {404, false},
                               {500, true},  {502, true},  {503, true}};

TEST(DiscordDelivery, ServerErrorsAreRetriedClientErrorsAndRateLimitsAreFinal) {
  RecordingServer channel;
  ASSERT_TRUE(channel.listening());
  channel.respond_with([](const test::RecordedRequest& r) {
    int status = std::stoi(r.path.substr(r.path.rfind('/') + 1));
    return test::CannedResponse{.status = status, .body = R"({"message": "no"})"};
  });
  for (const Answer& answer : kAnswers) {
    SCOPED_TRACE(answer.status);
    auto notifier =
        discord(fmt::format("{}/api/webhooks/{}/{}", channel.url(), kToken, answer.status));
    ASSERT_TRUE(notifier);
    auto sent = send(*notifier, {firing_alert("a")});
    ASSERT_FALSE(sent.has_value());
    EXPECT_EQ(sent.error().retryable, answer.retryable);
    EXPECT_EQ(sent.error().message,
              fmt::format(R"(unexpected status code {}: {{"message": "no"}})", answer.status));
  }
  // One request each: retrying is the pipeline's retry stage's to do.
  EXPECT_EQ(channel.request_count(), std::size(kAnswers));
}

TEST(DiscordDelivery, AnUnreachableWebhookIsRetriedWithoutShowingIt) {
  std::string url;
  {
    RecordingServer gone;  // a port that was just listening, now closed
    ASSERT_TRUE(gone.listening());
    url = fmt::format("{}/api/webhooks/1/{}", gone.url(), kToken);
  }
  auto notifier = discord(url);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(sent.error().message.find(kToken), std::string::npos) << sent.error().message;
}

// The same two webhooks, one rate-limited and one unavailable, each its own
// receiver's, behind a real Alertmanager 0.25 and behind tocsin: both give up
// on the 429 after one request and keep trying the 503.
TEST(DiscordDelivery, RetriesAsAlertmanagerDoes) {
  RecordingServer channel;
  ASSERT_TRUE(channel.listening());
  channel.respond_with([](const test::RecordedRequest& r) {
    return test::CannedResponse{.status = r.path.ends_with("/limited") ? 429 : 503,
                                .body = R"({"retry_after": 0.1})"};
  });
  std::string yml = fmt::format(R"(route:
  receiver: limited
  group_by: [alertname]
  group_wait: 0s
  routes:
    - {{receiver: limited, continue: true}}
    - {{receiver: unavailable}}
receivers:
  - name: limited
    discord_configs: [{{webhook_url: '{url}/am/limited'}}]
  - name: unavailable
    discord_configs: [{{webhook_url: '{url}/am/unavailable'}}]
)",
                                fmt::arg("url", channel.url()));
  test::AlertmanagerServer alertmanager(yml, "http://am.example.test:9093");
  Status started = alertmanager.start();
  ASSERT_TRUE(started) << started.error().message();
  test::HttpResponse posted =
      test::http_post(alertmanager.url() + "/api/v2/alerts",
                      R"([{"labels": {"alertname": "HighLatency", "instance": "a:9090"}}])");
  ASSERT_EQ(posted.status, 200) << posted.body;

  auto requests_to = [&](std::string_view path) {
    std::size_t n = 0;
    for (const test::RecordedRequest& r : channel.requests()) n += r.path == path ? 1 : 0;
    return n;
  };
  // Alertmanager's retry stage backs off from half a second; the receiver
  // that gave up logs why once its only integration has.
  ASSERT_TRUE(test::wait_until([&] { return requests_to("/am/unavailable") >= 2; }, 60s))
      << alertmanager.log();
  ASSERT_TRUE(test::wait_until(
      [&] {
        return alertmanager.log().find(
                   "limited/discord[0]: notify retry canceled due to "
                   "unrecoverable error after 1 attempts: unexpected status "
                   "code 429") != std::string::npos;
      },
      kGenerous))
      << alertmanager.log();
  EXPECT_EQ(requests_to("/am/limited"), 1u);

  auto config = config::parse_alertmanager_config(yml, "alertmanager.yml", receiver_kinds());
  ASSERT_TRUE(config.has_value()) << join_errors(config.error());
  auto send_as = [&](std::string_view receiver) {
    auto integrations = build_integrations(*config->find_receiver(receiver), test_settings());
    EXPECT_TRUE(integrations.has_value()) << join_errors(integrations.error());
    std::vector<notify::Alert> alerts = {firing_alert("a:9090")};
    // value() throws, failing the test, when the receiver did not build.
    return integrations.value().at(0).notifier->notify(testutil::test_context(), alerts);
  };
  auto limited = send_as("limited");
  ASSERT_FALSE(limited.has_value());
  EXPECT_FALSE(limited.error().retryable);
  EXPECT_EQ(requests_to("/am/limited"), 2u);  // Alertmanager's one, and tocsin's
  auto unavailable = send_as("unavailable");
  ASSERT_FALSE(unavailable.has_value());
  EXPECT_TRUE(unavailable.error().retryable);
}

}  // namespace
}  // namespace tocsin::notifiers::testing
