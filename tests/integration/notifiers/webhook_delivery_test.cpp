// A webhook receiver's story: tocsin posts Alertmanager's webhook JSON to a
// real HTTP server on loopback, as a webhook receiver (a chat bridge, an
// incident tool) sees it; the receiver's answers decide what is retried.
#include <chrono>
#include <regex>
#include <stop_token>
#include <thread>

#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "notifiers/webhook/webhook_config.h"
#include "notifiers/webhook/webhook_message.h"
#include "notifiers/webhook/webhook_notifier.h"
#include "support/ports.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using test::CannedResponse;
using test::RecordingServer;
using testutil::firing_alert;
using testutil::resolved_alert;
using testutil::test_context;

std::unique_ptr<notify::Notifier> webhook(const WebhookConfig& c,
                                          const NotifierSettings& settings = test_settings()) {
  auto notifier = make_webhook_notifier(c, settings);
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

WebhookConfig to(const std::string& url) {
  WebhookConfig c;
  c.url = config::Secret(url);
  return c;
}

TEST(WebhookDelivery, PostsAlertmanagersJsonWithItsHeaders) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  auto notifier = webhook(to(server.url() + "/hooks/team-x?source=tocsin"));
  ASSERT_TRUE(notifier);
  std::vector<notify::Alert> alerts = {firing_alert("a:9090"), resolved_alert("b:9090")};

  auto sent = send(*notifier, alerts);
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(sent->reply, "HTTP 200");  // what the history records

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const test::RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hooks/team-x");
  EXPECT_EQ(r.target, "/hooks/team-x?source=tocsin");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_TRUE(std::regex_match(r.header("User-Agent"), std::regex(R"(tocsin/\d+\.\d+\.\d+)")))
      << r.header("User-Agent");
  EXPECT_EQ(r.header_count("Authorization"), 0u);
  // Byte for byte what the payload builder writes (its unit tests hold it
  // against Alertmanager's), and as JSON what a receiver reads.
  EXPECT_EQ(r.body, webhook_message(test_context(), alerts, 0));
  nlohmann::json body = json_body(r.body);
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["groupKey"], test_context().group_key);
  EXPECT_EQ(body["truncatedAlerts"], 0);
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["receiver"], "team-x\\.pager");
  EXPECT_EQ(body["groupLabels"], (nlohmann::json{{"alertname", "HighLatency"}}));
  EXPECT_EQ(body["commonLabels"],
            (nlohmann::json{{"alertname", "HighLatency"}, {"severity", "critical"}}));
  EXPECT_EQ(body["commonAnnotations"], (nlohmann::json{{"summary", "p99 above 1s"}}));
  EXPECT_EQ(body["externalURL"], "http://tocsin.example:9093");
  ASSERT_EQ(body["alerts"].size(), 2u);
  EXPECT_EQ(body["alerts"][0]["status"], "firing");
  EXPECT_EQ(body["alerts"][0]["labels"]["instance"], "a:9090");
  EXPECT_EQ(body["alerts"][0]["fingerprint"], notify::fingerprint_string(alerts[0].fingerprint()));
  EXPECT_EQ(body["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(body["alerts"][1]["status"], "resolved");
  EXPECT_EQ(body["alerts"][1]["endsAt"], "2024-05-01T11:59:00Z");
  EXPECT_EQ(body["alerts"][1]["fingerprint"], notify::fingerprint_string(alerts[1].fingerprint()));
  EXPECT_EQ(body["alerts"][1]["generatorURL"], "http://prometheus:9090/graph?g0.expr=x&g0.tab=1");
}

TEST(WebhookDelivery, MaxAlertsSendsTheFirstOnesAndCountsTheRest) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  WebhookConfig c = to(server.url() + "/hook");
  c.max_alerts = 2;
  auto notifier = webhook(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a"), firing_alert("b"), firing_alert("c")}));

  ASSERT_EQ(server.request_count(), 1u);
  nlohmann::json body = json_body(server.requests()[0].body);
  ASSERT_EQ(body["alerts"].size(), 2u);
  EXPECT_EQ(body["alerts"][0]["labels"]["instance"], "a");
  EXPECT_EQ(body["alerts"][1]["labels"]["instance"], "b");
  EXPECT_EQ(body["truncatedAlerts"], 1);
}

TEST(WebhookDelivery, UrlFileIsReadAtEverySend) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  test::TempDir dir("webhook");
  std::string file = dir.write("url", "  " + server.url() + "/first\n");
  WebhookConfig c;
  c.url_file = file;
  auto notifier = webhook(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  dir.write("url", server.url() + "/second");
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/first");
  EXPECT_EQ(requests[1].path, "/second");
}

TEST(WebhookDelivery, AServerErrorIsWorthARetryAndQuotesTheBody) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond_default(
      {.status = 500, .body = "database is down\n", .content_type = "text/plain"});
  auto notifier = webhook(to(server.url() + "/hook"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(sent.error().message, "unexpected status code 500: database is down");
  EXPECT_EQ(server.request_count(), 1u);  // retrying is the pipeline's job
}

TEST(WebhookDelivery, AClientErrorIsFinal) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond_default({.status = 400, .body = R"({"error":"bad payload"})"});
  auto notifier = webhook(to(server.url() + "/hook"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_EQ(sent.error().message, R"(unexpected status code 400: {"error":"bad payload"})");
}

TEST(WebhookDelivery, TooManyRequestsIsFinalAsInAlertmanager) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond_default({.status = 429, .body = "slow down"});
  auto notifier = webhook(to(server.url() + "/hook"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_EQ(sent.error().message, "unexpected status code 429: slow down");
}

TEST(WebhookDelivery, AReceiverThatNeverAnswersTimesOutWithinTheTimeout) {
  test::SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  auto notifier = webhook(to(silent.url() + "/hook"), test_settings(400ms));
  ASSERT_TRUE(notifier);
  auto start = std::chrono::steady_clock::now();
  auto sent = send(*notifier, {firing_alert("a")});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("no response within 400ms"), std::string::npos)
      << sent.error().message;
  EXPECT_GE(elapsed, 300ms);  // about the timeout, give or take a timer tick
  EXPECT_LT(elapsed, 5s);
}

TEST(WebhookDelivery, TheNotificationDeadlineCutsAHangingRequestShort) {
  test::SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  auto notifier = webhook(to(silent.url() + "/hook"), test_settings(30s));
  ASSERT_TRUE(notifier);
  notify::Context context = test_context();
  context.deadline =
      std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()) + 400ms;
  auto sent = send(*notifier, {firing_alert("a")}, context);
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  // Gave up by the deadline (at most 400ms), not the integration's 30s.
  EXPECT_TRUE(
      std::regex_search(sent.error().message, std::regex(R"(no response within \d{1,3}ms)")))
      << sent.error().message;

  context.deadline = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()) - 1s;
  sent = send(*notifier, {firing_alert("a")}, context);
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("context deadline exceeded"), std::string::npos)
      << sent.error().message;
}

TEST(WebhookDelivery, AStoppedNotificationAbandonsItsRequest) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond_default({.status = 200, .delay = 1h});
  auto notifier = webhook(to(server.url() + "/hook"), test_settings(1h));
  ASSERT_TRUE(notifier);
  std::stop_source stop;
  notify::Context context = test_context();
  context.stop = stop.get_token();
  // Stops once the request is in, as tocsin stopping would.
  std::jthread stopper([&] {
    if (server.wait_for_requests(1, 30s)) stop.request_stop();
  });
  auto sent = send(*notifier, {firing_alert("a")}, context);
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("context canceled"), std::string::npos)
      << sent.error().message;
}

TEST(WebhookDelivery, ASlowAnswerWithinTheTimeoutIsSent) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond_default({.status = 200, .delay = 200ms});
  auto notifier = webhook(to(server.url() + "/hook"), test_settings(5s));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  EXPECT_TRUE(sent.has_value()) << sent.error().message;
}

TEST(WebhookDelivery, ARefusedConnectionIsWorthARetry) {
  int port = test::free_port();  // nothing listens there
  ASSERT_GT(port, 0);
  auto notifier = webhook(to("http://127.0.0.1:" + std::to_string(port) + "/hook"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_TRUE(
      sent.error().message.starts_with("POST http://127.0.0.1:" + std::to_string(port) + ": "))
      << sent.error().message;
}

TEST(WebhookDelivery, TheUrlsSecretPartsNeverReachAnError) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  // A receiver that echoes what it got, as some do in their error pages.
  server.respond_with([](const test::RecordedRequest& r) {
    return CannedResponse{.status = 503, .body = "no route for " + r.target};
  });
  auto notifier = webhook(to(server.url() + "/hooks/T0K3N-s3cr3t?key=K3Y-s3cr3t"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(sent.error().message.find("s3cr3t"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(sent.error().message.starts_with("unexpected status code 503: no route for "))
      << sent.error().message;

  // Nor does a failed connection name more than scheme, host and port.
  int port = test::free_port();
  auto refused = webhook(
      to("http://user:pa55-s3cr3t@127.0.0.1:" + std::to_string(port) + "/hooks/T0K3N-s3cr3t"));
  ASSERT_TRUE(refused);
  auto failed = send(*refused, {firing_alert("a")});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message.find("s3cr3t"), std::string::npos) << failed.error().message;
}

TEST(WebhookDelivery, ConnectionsAreReusedBetweenNotifications) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  auto notifier = webhook(to(server.url() + "/hook"));
  ASSERT_TRUE(notifier);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].remote_port, requests[1].remote_port);
  EXPECT_EQ(requests[1].remote_port, requests[2].remote_port);
}

}  // namespace
}  // namespace tocsin::notifiers::testing
