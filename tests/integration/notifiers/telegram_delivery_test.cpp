// Telegram's side of a notification: a real HTTP server on loopback standing
// in for the Bot API. What Telegram answers decides whether the message was
// sent or is worth another try, and tocsin must decide as a real
// Alertmanager 0.25 (through telebot) does: by the reply's JSON, never by
// the HTTP status, and every failure retried.
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "delivery_test_support.h"
#include "notifiers/telegram/telegram_config.h"
#include "notifiers/telegram/telegram_notifier.h"
#include "support/alertmanager_server.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/recording_server.h"
#include "support/wait.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using test::CannedResponse;
using test::RecordingServer;
using testutil::firing_alert;

constexpr std::string_view kToken = "987654:SECRET-token";
constexpr std::string_view kMessageReply =
    R"({"ok":true,"result":{"message_id":9,"date":1714564200,"chat":{"id":42,"type":"group"}}})";

// Telegram's first answer to a sendMessage, and whether Alertmanager counts
// the message sent by it (else it tries again).
struct Reply {
  const char* name;
  CannedResponse first;
  bool sent;
};

const Reply kReplies[] = {
    {"ok", {.status = 200, .body = std::string(kMessageReply)}, true},
    {"ok_despite_500", {.status = 500, .body = std::string(kMessageReply)}, true},
    {"chat_not_found",
     {.status = 400,
      .body = R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})"},
     false},
    {"flood",
     {.status = 429,
      .body = R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1",)"
              R"("parameters":{"retry_after":1}})"},
     false},
    {"not_json",
     {.status = 502, .body = "<html>bad gateway</html>", .content_type = "text/html"},
     false},
    {"true_result", {.status = 200, .body = R"({"ok":true,"result":true})"}, false},
};

// A Bot API that answers the first sendMessage under /<case> with that
// case's reply and every later one with a message.
class FakeBotApi {
 public:
  FakeBotApi() {
    server_.respond_with([this](const test::RecordedRequest& r) {
      std::lock_guard lock(mu_);
      for (const Reply& reply : kReplies) {
        if (r.path.starts_with(fmt::format("/{}/", reply.name)) && seen_[reply.name]++ == 0) {
          return reply.first;
        }
      }
      return CannedResponse{.body = std::string(kMessageReply)};
    });
  }
  RecordingServer& server() { return server_; }
  std::size_t requests_to(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& r : server_.requests()) n += r.path.starts_with(fmt::format("/{}/", name));
    return n;
  }

 private:
  RecordingServer server_;
  std::mutex mu_;
  std::map<std::string, int> seen_;
};

std::unique_ptr<notify::Notifier> telegram(const TelegramConfig& c) {
  auto notifier = make_telegram_notifier(c, test_settings());
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

TelegramConfig config_for(const std::string& api_url) {
  TelegramConfig c;
  c.api_url = api_url;
  c.bot_token = config::Secret(std::string(kToken));
  c.chat_id = 42;
  return c;
}

TEST(TelegramDelivery, SendMessageGoesToTheBotPathAsJson) {
  FakeBotApi api;
  ASSERT_TRUE(api.server().listening());
  auto notifier = telegram(config_for(api.server().url() + "/ok"));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a:9090")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  EXPECT_EQ(sent->reply, "message_id 9");

  auto requests = api.server().requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, fmt::format("/ok/bot{}/sendMessage", kToken));
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  nlohmann::json body = json_body(requests[0].body);
  EXPECT_EQ(body["chat_id"], "42");
  EXPECT_EQ(body["parse_mode"], "HTML");
  EXPECT_EQ(body["disable_web_page_preview"], "true");
  EXPECT_FALSE(body.contains("disable_notification"));
  EXPECT_TRUE(body["text"].get<std::string>().starts_with("\n\nAlerts Firing:\n")) << body.dump();
}

// tocsin's decision for each reply: sent, or failed and worth a retry, with
// the bot token in no error.
TEST(TelegramDelivery, TheReplyDecidesSentOrRetry) {
  FakeBotApi api;
  ASSERT_TRUE(api.server().listening());
  for (const Reply& reply : kReplies) {
    auto notifier = telegram(config_for(api.server().url() + "/" + reply.name));
    ASSERT_TRUE(notifier);
    auto sent = send(*notifier, {firing_alert("a:9090")});
    EXPECT_EQ(sent.has_value(), reply.sent) << reply.name;
    if (!sent) {
      EXPECT_TRUE(sent.error().retryable) << reply.name;
      EXPECT_EQ(sent.error().message.find("SECRET"), std::string::npos) << sent.error().message;
      // The retry gets the message through.
      EXPECT_TRUE(send(*notifier, {firing_alert("a:9090")}).has_value()) << reply.name;
    }
  }
}

TEST(TelegramDelivery, AnUnreachableApiIsWorthARetryAndHidesTheToken) {
  int port = test::free_port();
  ASSERT_NE(port, 0);
  auto notifier = telegram(config_for(fmt::format("http://127.0.0.1:{}", port)));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a:9090")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(sent.error().message.find("SECRET"), std::string::npos) << sent.error().message;
}

// One receiver per reply, each routed its own alert.
std::string alertmanager_yml(const std::string& api) {
  std::string receivers;
  std::string routes;
  for (const Reply& reply : kReplies) {
    routes += fmt::format("    - {{matchers: ['case=\"{0}\"'], receiver: {0}}}\n", reply.name);
    receivers += fmt::format(R"(  - name: {0}
    telegram_configs:
      - {{api_url: '{1}/{0}', bot_token: '{2}', chat_id: 42}}
)",
                             reply.name, api, kToken);
  }
  return fmt::format(R"(route:
  receiver: {first}
  group_by: [case]
  group_wait: 1s
  group_interval: 1h
  repeat_interval: 4h
  routes:
{routes}receivers:
{receivers})",
                     fmt::arg("first", kReplies[0].name), fmt::arg("routes", routes),
                     fmt::arg("receivers", receivers));
}

// Whether Alertmanager's log has a line of `receiver`'s Telegram
// notification with `text` in it.
bool logged(const test::AlertmanagerServer& am, std::string_view receiver, std::string_view text) {
  std::string log = am.log();
  std::string who = fmt::format("receiver={} integration=telegram[0]", receiver);
  for (std::size_t at = 0, eol; at < log.size(); at = eol + 1) {
    eol = log.find('\n', at);
    if (eol == std::string::npos) eol = log.size();
    std::string_view line(log.data() + at, eol - at);
    if (line.find(who) != std::string_view::npos && line.find(text) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// The real Alertmanager 0.25 against the same replies: what it counts sent
// on the first attempt and what it tries again are what tocsin decides above.
TEST(TelegramDelivery, AlertmanagerRetriesExactlyWhatTocsinRetries) {
  FakeBotApi api;
  ASSERT_TRUE(api.server().listening());
  test::AlertmanagerServer am(alertmanager_yml(api.server().url()), "http://am.example.test");
  Status started = am.start();
  ASSERT_TRUE(started) << started.error().message();
  nlohmann::json alerts = nlohmann::json::array();
  for (const Reply& reply : kReplies) {
    alerts.push_back({{"labels", {{"alertname", "TelegramReply"}, {"case", reply.name}}}});
  }
  test::HttpResponse posted = test::http_post(am.url() + "/api/v2/alerts", alerts.dump());
  ASSERT_EQ(posted.status, 200) << posted.body;

  for (const Reply& reply : kReplies) {
    // Sent at the first attempt, or sent at the second after a failure.
    std::string success = fmt::format("msg=\"Notify success\" attempts={}", reply.sent ? 1 : 2);
    EXPECT_TRUE(test::wait_until([&] { return logged(am, reply.name, success); }, 30s))
        << reply.name << "\n"
        << am.log();
    EXPECT_EQ(api.requests_to(reply.name), reply.sent ? 1u : 2u) << reply.name;
    EXPECT_EQ(logged(am, reply.name, "will retry later"), !reply.sent) << reply.name;
  }
}

}  // namespace
}  // namespace tocsin::notifiers::testing
